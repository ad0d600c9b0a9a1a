"""Tokenizer files: loaded from resources/, hash-checked, identical to tiktoken's own definitions,
and usable with the network unreachable and an empty tiktoken cache."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tokenwallet.resources import resource_path
from tokenwallet.tokens import encodings
from tokenwallet.tokens.encodings import SPECS, TokenizerFileError, get_encoding

SHA = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}


@pytest.mark.parametrize("name", sorted(SHA))
def test_shipped_file_matches_the_pinned_hash(name: str) -> None:
    data = resource_path("tokenizers", f"{name}.tiktoken").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA[name] == SPECS[name].sha256


@pytest.mark.parametrize("name", sorted(SHA))
def test_spec_is_identical_to_tiktoken_ext(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same split pattern and special tokens as tiktoken's own constructor (without its download)."""
    import tiktoken_ext.openai_public as public  # type: ignore[import-untyped]

    ranks = get_encoding(name)._mergeable_ranks
    monkeypatch.setattr(public, "load_tiktoken_bpe", lambda *_a, **_k: ranks)
    official = getattr(public, name)()
    assert official["pat_str"] == SPECS[name].pat_str
    assert official["special_tokens"] == SPECS[name].special_tokens
    assert get_encoding(name).name == name


def test_known_encodings_of_sample_text() -> None:
    # "tiktoken is great!" is 6 tokens in both encodings (OpenAI cookbook, section 4)
    assert get_encoding("cl100k_base").encode_ordinary("tiktoken is great!") == [83, 1609, 5963, 374, 2294, 0]
    assert len(get_encoding("o200k_base").encode_ordinary("tiktoken is great!")) == 6


def test_tampered_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "tokenizers"
    bad.mkdir()
    original = resource_path("tokenizers", "cl100k_base.tiktoken").read_bytes()
    (bad / "cl100k_base.tiktoken").write_bytes(original.replace(b"IQ== 0", b"Ig== 0", 1))
    monkeypatch.setattr(encodings, "resource_path", tmp_path.joinpath)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(TokenizerFileError, match="sha256"):
        encodings._build(SPECS["cl100k_base"])


def test_missing_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encodings, "resource_path", tmp_path.joinpath)
    with pytest.raises(TokenizerFileError, match="missing"):
        encodings._build(SPECS["o200k_base"])


def test_own_reader_checks_the_hash() -> None:
    with pytest.raises(TokenizerFileError):
        encodings._read_ranks(b"IQ== 0\n", SPECS["o200k_base"])
    data = resource_path("tokenizers", "o200k_base.tiktoken").read_bytes()
    ranks = encodings._read_ranks(data, SPECS["o200k_base"])
    encoding = get_encoding("o200k_base")
    # the encoding no longer keeps tiktoken's Python copy of the ranks (memory): check that every
    # rank our reader returns is the token the loaded encoding decodes it to
    assert sorted(ranks.values()) == list(range(len(ranks)))
    assert all(encoding.decode_single_token_bytes(rank) == token for token, rank in ranks.items())


def test_unknown_encoding() -> None:
    with pytest.raises(KeyError):
        get_encoding("p50k_base")


OFFLINE_SCRIPT = textwrap.dedent(
    """
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network is unreachable in this test")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    from tokenwallet.tokens import count_request, count_text, warm
    warm()
    assert count_text("tiktoken is great!", "gpt-3.5-turbo").tokens == 6
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}]}
    print(count_request("openai", "chat/completions", body).tokens)
    """
)


def test_works_offline_with_an_empty_tiktoken_cache(tmp_path: Path) -> None:
    cache = tmp_path / "empty-cache"
    cache.mkdir()
    env = dict(os.environ)
    env.update(
        TIKTOKEN_CACHE_DIR=str(cache),
        HTTP_PROXY="http://127.0.0.1:9",
        HTTPS_PROXY="http://127.0.0.1:9",
        NO_PROXY="",
    )
    env.pop("DATA_GYM_CACHE_DIR", None)
    out = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "8"  # 3 per message + "user" + "hello" + 3 reply priming


def test_unwritable_cache_dir_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where tiktoken wants its cache directory")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(blocker / "cache"))
    enc = encodings._build(SPECS["cl100k_base"])
    assert enc.encode_ordinary("tiktoken is great!") == [83, 1609, 5963, 374, 2294, 0]
