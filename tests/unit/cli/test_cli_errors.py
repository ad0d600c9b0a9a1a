"""Bad input: one line on stderr, a non-zero exit, no traceback, and the wallet left as it was."""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import Result, Run

from tokenwallet.cli import main


def snapshot(data_dir: Path) -> str:
    """The wallet's whole logical content (robust to WAL checkpoints changing the file bytes)."""
    conn = sqlite3.connect(data_dir / "wallet.db")
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def assert_one_line_error(r: Result) -> None:
    assert r.code != 0
    assert r.out == ""
    assert "Traceback" not in r.err
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert r.err.endswith("\n")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wallet with two profiles and budgets, built once and copied for each test (fast)."""
    directory = tmp_path_factory.mktemp("template") / "wallet"
    for args in (
        ("profile", "add", "alice"),
        ("profile", "add", "bob"),
        ("budget", "set", "--profile", "alice", "20", "--period", "month", "--action", "block"),
        ("budget", "set", "--profile", "bob", "10", "--period", "month", "--action", "block"),
    ):
        assert main(["--data-dir", str(directory), *args], stdout=io.StringIO()) == 0
    return directory


@pytest.fixture
def seeded(tw: Run, data_dir: Path, template: Path, tmp_path: Path) -> Run:
    shutil.copytree(template, data_dir)
    (tmp_path / "prompt.txt").write_text("Hello, how much does this cost?", encoding="utf-8")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    return tw


BAD = [
    ("budget", "set", "--profile", "nobody", "20"),
    ("budget", "set", "--profile", "alice", "20x"),
    ("budget", "set", "--profile", "alice", "-5"),
    ("budget", "set", "--profile", "alice", "0"),
    ("budget", "set", "--profile", "alice", "1.5 tokens"),
    ("budget", "set", "--profile", "alice", "20", "--period", "fortnight"),
    ("budget", "set", "--profile", "alice", "20", "--thresholds", "50,180"),
    ("budget", "set", "20"),
    ("budget", "remove", "999"),
    ("budget", "set", "--model", "gpt-[4]o", "20"),
    ("budget", "set", "--model", "tier:small", "20"),
    ("budget", "set", "--model", "openai/", "20"),
    ("budget", "set", "--model", "gpt-4o", "--wallet", "20"),
    ("budget", "set", "--model", "gpt-4o", "--project", "acme", "20"),
    ("budget", "set", "--model", "gpt-4o", "--provider", "openai", "20"),
    ("budget", "set", "--provider", "open/router", "20"),
    ("budget", "set", "--model", "gpt-4o", "--profile", "nobody", "20"),
    ("budget", "remove", "--model", "gpt-4o"),
    ("model-rules", "allow", "--profile", "alice", "gpt-4o", "gpt 4"),
    ("model-rules", "allow", "--profile", "alice", "tier:enormous"),
    ("model-rules", "allow", "--profile", "nobody", "gpt-4o"),
    ("model-rules", "allow", "gpt-4o"),
    ("model-rules", "deny", "--profile", "alice", "[x]"),
    ("model-rules", "remove", "--profile", "alice", "never-set"),
    ("model-rules", "action", "--profile", "alice", "warn"),
    ("model-rules", "show", "--profile", "nobody"),
    ("model-rules", "clear", "--profile", "nobody"),
    ("topup", "--profile", "alice", "5", "--expires", "2027-13-45"),
    ("topup", "--profile", "alice", "5", "--expires", "2020-01-01"),
    ("topup", "--profile", "nobody", "5"),
    ("topup", "--profile", "alice", "five"),
    ("transfer", "--from", "alice", "--to", "nobody", "2"),
    ("transfer", "--from", "alice", "--to", "bob", "1000"),
    ("transfer", "--from", "alice", "--to", "alice", "2"),
    ("transfer", "--from", "alice", "--to", "bob", "2 apples"),
    ("profile", "add", "alice"),
    ("profile", "add", "bad:name"),
    ("profile", "rename", "nobody", "x"),
    ("profile", "pause", "nobody"),
    ("profile", "rotate-key", "nobody"),
    ("profile", "revoke-key", "999"),
    ("project", "list", "--bogus"),
    ("provider", "set", "openai", "--base-url", "ftp://example.test"),
    ("provider", "set", "brand-new"),
    ("provider", "set", "openai", "--base-url", "URL"),
    ("key", "set", "nosuchprovider"),
    ("key", "set", "Bad Name"),
    ("history", "--since", "2026-02-30"),
    ("history", "--profile", "alice", "--limit", "-1"),
    ("prices", "override", "set", "openai", "m", "--input", "abc", "--output", "1"),
    ("prices", "override", "set", "nosuch", "m", "--input", "1", "--output", "1"),
    ("prices", "override", "remove", "openai", "never-set"),
    ("prices", "show", "no-such-model-xyz", "--provider", "openai"),
    ("preview", "missing.txt", "--model", "gpt-4o"),
    ("preview", "prompt.txt"),
    ("preview", "prompt.txt", "--model", "no-such-model-xyz", "--provider", "openai"),
    ("preview", "prompt.txt", "--model", "gpt-4o", "--max-output", "-3"),
    ("preview", "prompt.txt", "--model", "gpt-4o", "--profile", "nobody"),
    ("preview", "bad.json", "--model", "gpt-4o"),
    ("preview", "list.json", "--model", "gpt-4o"),
    ("status", "--profile", "nobody"),
    ("settings", "set", "timezone", "Mars/Olympus"),
    ("settings", "set", "no_such_setting", "1"),
    ("serve", "--host", "0.0.0.0"),
    ("serve", "--port", "70000"),
    ("frobnicate",),
]


@pytest.mark.parametrize("args", BAD, ids=[" ".join(a) for a in BAD])
def test_bad_input_is_one_line_and_changes_nothing(
    seeded: Run, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    before = snapshot(data_dir)
    r = seeded(*args)
    assert_one_line_error(r)
    assert snapshot(data_dir) == before


def test_empty_key_on_stdin(seeded: Run, data_dir: Path) -> None:
    before = snapshot(data_dir)
    r = seeded("key", "set", "openai", stdin="\n")
    assert_one_line_error(r)
    assert "empty" in r.err
    assert snapshot(data_dir) == before


def test_key_with_spaces_is_refused_without_echoing_it(seeded: Run) -> None:
    r = seeded("key", "set", "openai", stdin="sk-abc secret-part\n")
    assert_one_line_error(r)
    assert "secret-part" not in r.err


def test_corrupt_wallet_file_is_one_line(tw: Run, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    wallet = data_dir / "wallet.db"
    garbage = b"this is not a database at all" * 100
    wallet.write_bytes(garbage)
    for args in (("status",), ("profile", "list", "--json"), ("budget", "set", "--wallet", "5")):
        r = tw(*args)
        assert_one_line_error(r)
        assert "wallet" in r.err
    assert wallet.read_bytes() == garbage


def test_truncated_wallet_file_is_one_line(tw: Run, data_dir: Path) -> None:
    tw("profile", "add", "alice")
    tw("budget", "set", "--profile", "alice", "20")
    wallet = data_dir / "wallet.db"
    for extra in data_dir.glob("wallet.db-*"):
        extra.unlink()
    data = wallet.read_bytes()
    wallet.write_bytes(data[: len(data) // 2] + b"\x00" * 100)
    r = tw("status")
    assert_one_line_error(r)


def test_data_dir_that_is_a_file(tw: Run, data_dir: Path) -> None:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.write_text("not a directory")
    assert_one_line_error(tw("status"))


def test_group_without_action_is_one_line(tw: Run) -> None:
    r = tw("profile")
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1


def test_usage_errors_are_one_line_from_the_shell(shell: Run) -> None:
    r = shell("tokenwallet budget set --profile alice")
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    r = shell("tokenwallet status --data-dir /proc/nope")
    assert r.code != 0 and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err


@pytest.mark.parametrize(
    "args",
    [
        ("budget", "set", "--profile", "nobody", "20"),
        ("transfer", "--from", "alice", "--to", "bob", "2"),
        ("preview", "prompt.txt", "--model", "gpt-4o", "--profile", "nobody"),
        ("key", "set", "openai"),
    ],
)
def test_bad_input_on_a_fresh_data_dir_leaves_nothing_behind(
    tw: Run, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "prompt.txt").write_text("hi", encoding="utf-8")
    assert not data_dir.exists()
    assert_one_line_error(tw(*args))
    assert not data_dir.exists()
