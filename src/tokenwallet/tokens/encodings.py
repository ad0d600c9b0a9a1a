"""OpenAI's tokenizers, loaded only from the files shipped in ``resources/tokenizers``.

tiktoken normally downloads its vocabularies on first use. A desktop meter must work offline and
must not reach out to the network behind the user's back, so the two encodings we need are shipped
with the app, checked against the sha256 that ``tiktoken_ext.openai_public`` pins, and built into
:class:`tiktoken.Encoding` objects with the same split pattern and special tokens.

Loading a vocabulary takes a few hundred milliseconds, so it is lazy and cached (once per process);
:func:`warm` does it ahead of time off the hot path (the proxy calls it at start-up on a thread).
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Iterable
from typing import Any

from tokenwallet.resources import resource_path

ENDOFTEXT = "<|endoftext|>"
FIM_PREFIX = "<|fim_prefix|>"
FIM_MIDDLE = "<|fim_middle|>"
FIM_SUFFIX = "<|fim_suffix|>"
ENDOFPROMPT = "<|endofprompt|>"


class EncodingSpec:
    """Everything tiktoken needs to build one encoding, minus the vocabulary itself."""

    def __init__(self, name: str, sha256: str, pat_str: str, special_tokens: dict[str, int]) -> None:
        self.name = name
        self.sha256 = sha256
        self.pat_str = pat_str
        self.special_tokens = special_tokens

    @property
    def filename(self) -> str:
        return f"{self.name}.tiktoken"


# Split patterns and special tokens exactly as in tiktoken_ext/openai_public.py (a test checks
# that they stay identical to the installed tiktoken's definitions).
SPECS: dict[str, EncodingSpec] = {
    "cl100k_base": EncodingSpec(
        "cl100k_base",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
        r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
        {ENDOFTEXT: 100257, FIM_PREFIX: 100258, FIM_MIDDLE: 100259, FIM_SUFFIX: 100260, ENDOFPROMPT: 100276},
    ),
    "o200k_base": EncodingSpec(
        "o200k_base",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        "|".join(
            [
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""\p{N}{1,3}""",
                r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
                r"""\s*[\r\n]+""",
                r"""\s+(?!\S)""",
                r"""\s+""",
            ]
        ),
        {ENDOFTEXT: 199999, ENDOFPROMPT: 200018},
    ),
}

ENCODING_NAMES = tuple(SPECS)

_lock = threading.Lock()
_loaded: dict[str, Any] = {}  # name → tiktoken.Encoding


class TokenizerFileError(RuntimeError):
    """A shipped tokenizer file is missing or does not match its pinned sha256."""


def get_encoding(name: str) -> Any:
    """The :class:`tiktoken.Encoding` called ``name``, loaded from resources/ on first use."""
    enc = _loaded.get(name)  # lock-free fast path: dict reads are atomic
    if enc is not None:
        return enc
    spec = SPECS.get(name)
    if spec is None:
        raise KeyError(f"unknown encoding {name!r} (shipped: {', '.join(SPECS)})")
    with _lock:
        enc = _loaded.get(name)
        if enc is None:
            enc = _build(spec)
            _loaded[name] = enc
    return enc


def _build(spec: EncodingSpec) -> Any:
    import tiktoken
    from tiktoken.load import load_tiktoken_bpe

    path = resource_path("tokenizers", spec.filename)
    if not path.is_file():
        raise TokenizerFileError(f"tokenizer file missing: {path}")
    try:
        # A plain file path: tiktoken reads it locally (never over HTTP) and checks the hash.
        ranks = load_tiktoken_bpe(str(path), expected_hash=spec.sha256)
    except ValueError as exc:  # tiktoken's hash-mismatch error
        raise TokenizerFileError(f"{path} does not match its sha256 {spec.sha256}: {exc}") from exc
    except OSError:
        # tiktoken also copies what it reads into its cache dir and raises when a user-chosen
        # TIKTOKEN_CACHE_DIR is not writable; the file itself is fine, so read and check it here.
        ranks = _read_ranks(path.read_bytes(), spec)
    encoding = tiktoken.Encoding(
        name=spec.name,
        pat_str=spec.pat_str,
        mergeable_ranks=ranks,
        special_tokens=dict(spec.special_tokens),
    )
    # The Rust core now holds its own copy of the ranks; tiktoken keeps the Python dict only to
    # pickle an Encoding, which we never do. Dropping it saves ~30 MB per encoding in the proxy.
    encoding._mergeable_ranks = {}
    return encoding


def _read_ranks(data: bytes, spec: EncodingSpec) -> dict[bytes, int]:
    if hashlib.sha256(data).hexdigest() != spec.sha256:
        raise TokenizerFileError(f"{spec.filename} does not match its sha256 {spec.sha256}")
    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def is_loaded(name: str) -> bool:
    return name in _loaded


def warm(encodings: Iterable[str] = ENCODING_NAMES) -> None:
    """Load encodings now (e.g. on a start-up thread) so the first metered call does not wait."""
    for name in encodings:
        get_encoding(name)
