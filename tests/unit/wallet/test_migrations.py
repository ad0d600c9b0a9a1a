"""Schema versions: an old wallet upgrades without loss, and the schema matches the SQLModel tables."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import create_engine

from tokenwallet.wallet import HistoryFilter, Wallet, tables
from tokenwallet.wallet.schema import CURRENT_VERSION
from tokenwallet.wallet.schema_billing import TABLES as BILLING_TABLES

FIXTURES = Path(__file__).parents[2] / "fixtures"
KEY_ALICE = "tw-fixture-alice-key-0000000000000000000000000"
KEY_BOB_ACME = "tw-fixture-bob-acme-key-00000000000000000000000"
USD = 1_000_000_000


@pytest.fixture
def old_wallet(tmp_path: Path) -> Path:
    path = tmp_path / "wallet.db"
    shutil.copy(FIXTURES / "wallet_v1.db", path)
    return path


def _dump(path: Path, sql: str) -> list[tuple[Any, ...]]:
    c = sqlite3.connect(path)
    try:
        return c.execute(sql).fetchall()
    finally:
        c.close()


def test_v1_fixture_is_really_v1() -> None:
    assert _dump(FIXTURES / "wallet_v1.db", "PRAGMA user_version") == [(1,)]
    assert _dump(FIXTURES / "wallet_v1.db", "SELECT name FROM sqlite_master WHERE name='daily'") == []


def test_v1_wallet_upgrades_without_loss(old_wallet: Path) -> None:
    tables_before = [
        t for (t,) in _dump(old_wallet, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    ]
    before = {t: sorted(_dump(old_wallet, f"SELECT * FROM {t}")) for t in tables_before}
    w = Wallet.open(old_wallet, clock=lambda: datetime(2026, 1, 7, 12, tzinfo=UTC))
    assert _dump(old_wallet, "PRAGMA user_version") == [(CURRENT_VERSION,)]
    assert (old_wallet.parent / "wallet.db.v1.bak").exists()
    # every row of every v1 table is still there, unchanged (later steps only add columns at the end)
    for t, rows in before.items():
        after = sorted(_dump(old_wallet, f"SELECT * FROM {t}"))
        assert [r[: len(rows[0])] for r in after] == rows if rows else after == [], t
    # …and the API reads it
    assert [p.name for p in w.profiles()] == ["alice", "bob"] and w.profile("bob").paused
    a, b = w.resolve_key(KEY_ALICE), w.resolve_key(KEY_BOB_ACME)
    assert a is not None and a.profile == "alice" and a.project is None
    assert b is not None and b.profile == "bob" and b.project == "acme"
    assert w.project("acme").client == "ACME Ltd"
    cfg = w.provider_config("openai")
    assert cfg is not None and cfg.base_url == "http://127.0.0.1:4010/v1"
    assert [o.model for o in w.price_overrides()] == ["ft:gpt-4o:me"]
    assert w.get_setting("timezone") == "Europe/Berlin" and w.get_setting("proxy_port") == 9100
    alice = next(s for s in w.status() if s.envelope.scope.name == "alice")
    assert alice.spent == 2_100_000_000 and alice.topups == 5 * USD and alice.held == 0
    assert alice.available == 20 * USD + 5 * USD - 2_100_000_000
    assert alice.envelope.rollover and alice.envelope.action == "block"
    assert w.history_count(HistoryFilter()) == 30
    assert len(w.holds()) == 1
    # v2's roll-ups were backfilled from the ledger, by day in Europe/Berlin
    (total,) = _dump(old_wallet, "SELECT SUM(cost_nano) FROM ledger")[0]
    days = w.daily_spend(since=date(2026, 1, 1), until=date(2026, 1, 31))
    assert sum(d.cost_nano for d in days) == total and sum(d.calls for d in days) == 30
    per_day = {d.day.isoformat(): d.calls for d in days}
    assert per_day == {"2026-01-05": 9, "2026-01-06": 10, "2026-01-07": 10, "2026-01-08": 1}
    mix = w.usage_mix(since=datetime(2026, 1, 1, tzinfo=UTC))
    assert set(mix) == {("openai", "gpt-4o"), ("anthropic", "claude")}
    assert sum(u.output_tokens for u in mix.values()) == sum(200 + i for i in range(30))
    w.close()


def _describe(path: Path) -> dict[str, Any]:
    c = sqlite3.connect(path)
    out: dict[str, Any] = {}
    try:
        for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
            cols = [tuple(r[1:6]) for r in c.execute(f"PRAGMA table_info({t})")]
            fks = sorted((*r[2:5], r[6]) for r in c.execute(f"PRAGMA foreign_key_list({t})"))
            idx = sorted(
                (bool(r[2]), tuple(x[2] for x in c.execute(f"PRAGMA index_info('{r[1]}')")))
                for r in c.execute(f"PRAGMA index_list({t})")
            )
            out[t] = {"columns": cols, "foreign_keys": fks, "indexes": idx}
    finally:
        c.close()
    return out


@pytest.mark.parametrize("start", ["fresh", "from-v1"])
def test_migrated_schema_matches_the_sqlmodel_tables(tmp_path: Path, old_wallet: Path, start: str) -> None:
    migrated = tmp_path / "fresh.db" if start == "fresh" else old_wallet
    Wallet.open(migrated).close()
    declared = tmp_path / "declared.db"
    engine = create_engine(f"sqlite:///{declared}")
    tables.metadata.create_all(engine)
    engine.dispose()
    have, want = _describe(migrated), _describe(declared)
    # the billing tables (v3) are declared by the billing module's own DDL, not as SQLModel tables
    assert set(have) - set(want) == set(BILLING_TABLES)
    assert {t: have[t] for t in want} == want


def test_sqlmodel_reads_a_wallet(tmp_path: Path) -> None:
    from sqlmodel import Session, select

    w = Wallet.open(tmp_path / "w.db")
    w.add_profile("alice")
    w.close()
    engine = create_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with Session(engine) as s:
        assert [p.name for p in s.exec(select(tables.ProfileRow))] == ["alice"]
    engine.dispose()


def test_v3_tolerates_billing_tables_made_before_the_step_existed(tmp_path: Path) -> None:
    from tokenwallet.wallet.schema import migrate
    from tokenwallet.wallet.schema_billing import apply_billing_step

    path = tmp_path / "wallet.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=2)
    assert apply_billing_step(conn)
    conn.close()
    w = Wallet.open(path)
    w.close()
    assert _dump(path, "PRAGMA user_version") == [(CURRENT_VERSION,)]
