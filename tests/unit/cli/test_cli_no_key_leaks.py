"""Provider keys never reach the wallet file, the CLI's outputs, exports or error messages."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import Run

from tokenwallet.secrets import SERVICE
from tokenwallet.secrets.memory import MemoryKeyring

SECRET = "sk-proj-LEAKCHECK-9f8e7d6c5b4a39281706"


def _all_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file())


def test_provider_key_never_leaves_the_keychain(tw: Run, data_dir: Path, tmp_path: Path) -> None:
    outputs: list[str] = []

    def run(*args: str, stdin: str = "") -> None:
        r = tw(*args, stdin=stdin)
        outputs.extend([r.out, r.err])

    run("profile", "add", "alice")
    run("provider", "set", "openai", "--base-url", "https://example.test/v1")
    run("key", "set", "openai", stdin=SECRET + "\n")
    run("key", "set", "anthropic", stdin=f"  {SECRET}-anthropic  \n")
    assert MemoryKeyring._store[(SERVICE, "openai")] == SECRET

    (tmp_path / "p.txt").write_text("hello", encoding="utf-8")
    for args in (
        ("key", "status"),
        ("key", "status", "--json"),
        ("key", "status", "openai"),
        ("provider", "list"),
        ("provider", "list", "--json"),
        ("profile", "list", "--json"),
        ("status", "--json"),
        ("history", "--json"),
        ("history", "--csv", "--limit", "0"),
        ("settings", "list", "--json"),
        ("preview", str(tmp_path / "p.txt"), "--model", "gpt-4o", "--json"),
        ("key", "set", "openai"),  # empty stdin: an error, which must not show the stored key
        ("key", "delete", "anthropic"),
    ):
        run(*args)

    assert all(SECRET not in text for text in outputs)
    assert SECRET.encode() not in _all_bytes(data_dir)
    wallet_text = json.dumps(outputs)
    assert "sk-proj" not in wallet_text
