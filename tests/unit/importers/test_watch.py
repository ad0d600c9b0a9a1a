"""The background importer, the tools' default places, and recording a row without charging."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tokenwallet.core.money import Amount
from tokenwallet.core.usage import Usage
from tokenwallet.importers.files import default_roots
from tokenwallet.importers.watch import ImportWatcher, watch_profile
from tokenwallet.wallet import CallRecord, HistoryFilter, Scope, Wallet

from .conftest import settle_files


def test_default_places(tmp_path: Path) -> None:
    home = tmp_path
    assert default_roots("claude-code", {}, home) == [
        home / ".config/claude/projects",
        home / ".claude/projects",
    ]
    env = {"CLAUDE_CONFIG_DIR": "/a, /b", "CODEX_HOME": "/c"}
    assert default_roots("claude-code", env, home)[:2] == [Path("/a/projects"), Path("/b/projects")]
    assert default_roots("codex", env, home) == [Path("/c/sessions"), home / ".codex/sessions"]
    assert default_roots("gemini-cli", {}, home) == [home / ".gemini/tmp"]


def test_watcher_imports_every_tool_from_the_default_places(
    wallet: Wallet, logs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    shutil.copytree(logs / "claude", home / ".claude")
    shutil.copytree(logs / "codex", home / ".codex")
    shutil.copytree(logs / "gemini", home / ".gemini")
    settle_files(home)
    monkeypatch.setenv("HOME", str(home))
    for var in ("CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME"):
        monkeypatch.delenv(var, raising=False)
    assert watch_profile(wallet) == "me"
    done = ImportWatcher(wallet).run_once()
    assert {tool: c.imported for tool, c in done.items()} == {"claude-code": 4, "codex": 5, "gemini-cli": 6}
    assert (
        sum(c.cost_nano for c in done.values())
        == 93_759_000 + 31_250_000 + 29_250_000 + 23_325_000 + 9_190_000
    )
    again = ImportWatcher(wallet).run_once()
    assert sum(c.imported for c in again.values()) == 0
    # a thread that starts and stops cleanly
    ImportWatcher(wallet, every_s=3600).start().stop()


def test_watcher_waits_for_a_profile_when_there_are_several(wallet: Wallet) -> None:
    wallet.add_profile("kid")
    assert watch_profile(wallet) is None and ImportWatcher(wallet).run_once() == {}
    wallet.set_setting("import_profile", "kid")
    assert watch_profile(wallet) == "kid"


def test_record_without_charging_budgets(wallet: Wallet) -> None:
    wallet.set_budget(Scope("profile", "me"), Amount("usd", 10**9), period="none")
    b = wallet.binding_for("me")

    def rec(call_id: str) -> CallRecord:
        return CallRecord(call_id, b, "openai", "gpt-5", "responses", 200, True, Usage(10, 0, 0, 0, 5), 7_000,
                          "{}", "test", False, False, 0, source="imported:codex")  # fmt: skip

    first = wallet.record(rec("a"), charge_budgets=False)
    assert first.ledger_id > 0 and wallet.status(profile="me")[0].spent == 0
    assert wallet.record(rec("a"), charge_budgets=False).ledger_id == first.ledger_id  # idempotent
    wallet.record(rec("b"))
    assert wallet.status(profile="me")[0].spent == 7_000
    assert [r.source for r in wallet.history(HistoryFilter(), limit=5)] == ["imported:codex"] * 2
