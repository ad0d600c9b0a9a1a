"""``tokenwallet wallet migrate``: SQLite → PostgreSQL → SQLite, compared row by row (issue 14).

The comparison here is the test's own, independent of the command's: every table SQLite lists,
read with plain ``sqlite3`` and plain ``psycopg``, all columns, every row.
"""

from __future__ import annotations

import io
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tokenwallet.billing import household
from tokenwallet.cli import main
from tokenwallet.core.money import Amount
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import HistoryFilter, Scope, Wallet
from tokenwallet.wallet.backend import ENV_URL

from .conftest import T0, Clock, req, spend

USD = 1_000_000_000


def _fill(path: Path) -> None:
    """A wallet with a row in most tables: profiles, keys, budgets, calls, household, rules …"""
    with Wallet.open(path, clock=Clock(T0)) as w:
        w.set_setting("timezone", "Europe/Berlin")
        w.add_project("acme", client="ACME Ltd")
        _, key = w.add_profile("alice")
        b = w.resolve_key(key)
        assert b is not None
        b = w.bind_project(b, "acme")
        w.set_budget(Scope("profile", "alice"), Amount("usd", 50 * USD), action="block")
        w.set_budget(Scope("model", "openai/gpt-4o*"), Amount("usd", 9 * USD), action="warn")
        w.topup(
            Scope("profile", "alice"), Amount("usd", 5 * USD), expires_at=T0 + timedelta(days=30), note="gift"
        )
        for i in range(30):
            spend(w, b, (i + 1) * 1_000_000, Usage(100 + i, output_tokens=7 * i), estimated=i % 3 == 0)
        w.set_price_override("openai", "gpt-x", input_mtok="1.25", output_mtok="10")
        w.set_model_rules("alice", allow=["gpt-4o*"], deny=[], action="block")
        w.add_guard("profile:alice", "rate", 100, window_s=60)
        w.add_webhook("http://127.0.0.1:9/hook", format="ntfy")
        w.start_session("alice", label="refactor", with_key=True)
        household.init_household(w, "owner", "4321")


def _sqlite_tables(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    finally:
        conn.close()
    return [n for (n,) in names if not n.startswith("sqlite_")]


def _key(row: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    return tuple((v is None, v) for v in row)


def _dump(query: Any, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    return {t: sorted((tuple(r) for r in query(f"SELECT * FROM {t}")), key=_key) for t in tables}


def _sqlite_dump(path: Path, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return _dump(lambda q: conn.execute(q).fetchall(), tables)
    finally:
        conn.close()


def _pg_dump(url: str, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    with psycopg.connect(url) as conn:
        found = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        assert found == {*tables, "tw_meta"}
        return _dump(lambda q: conn.execute(q).fetchall(), tables)


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_sqlite_to_postgresql_and_back_keeps_every_row(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_URL, "")  # the file; unset again after the test (--wallet below sets it)
    home = tmp_path / "home"
    _fill(home / "wallet.db")
    tables = _sqlite_tables(home / "wallet.db")
    original = _sqlite_dump(home / "wallet.db", tables)
    assert len(tables) >= 25 and sum(map(len, original.values())) > 50
    assert all(original[t] for t in ("ledger", "daily", "envelope", "topup", "wallet_key", "household"))

    code, out, err = _cli("--data-dir", str(home), "wallet", "migrate", "--to", pg_url)
    assert code == 0, err
    assert "compared: identical" in out
    assert _pg_dump(pg_url, tables) == original

    code, _, err = _cli("--data-dir", str(home), "wallet", "migrate", "--to", pg_url)
    assert code == 1 and "already holds a wallet" in err

    back = tmp_path / "back" / "wallet.db"
    code, out, err = _cli("--wallet", pg_url, "--data-dir", str(tmp_path / "d2"), "wallet", "migrate",
                          "--to", f"sqlite:{back}")  # fmt: skip
    assert code == 0, err
    assert _sqlite_dump(back, tables) == original

    # the PostgreSQL wallet goes on where the file left off: new ids follow the copied ones
    with Wallet.open(home / "wallet.db", clock=Clock(T0 + timedelta(hours=1))) as w:
        b = w.binding_for("alice", "acme")
        spend(w, b, USD)
        assert len(w.history(HistoryFilter(), limit=1000)) == 31


def test_migrate_refuses_calls_in_flight_and_an_existing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_URL, "")
    home = tmp_path / "home"
    with Wallet.open(home / "wallet.db") as w:
        w.add_profile("alice")
        r = w.reserve(req(w.binding_for("alice"), USD))
        assert r.hold_id is not None
        code, _, err = _cli(
            "--data-dir", str(home), "wallet", "migrate", "--to", f"sqlite:{tmp_path / 'new.db'}"
        )
        assert code == 1 and "in flight" in err and not (tmp_path / "new.db").exists()
        w.release(r.hold_id)
    (tmp_path / "taken.db").write_bytes(b"")
    code, _, err = _cli(
        "--data-dir", str(home), "wallet", "migrate", "--to", f"sqlite:{tmp_path / 'taken.db'}"
    )
    assert code == 1 and "already exists" in err
