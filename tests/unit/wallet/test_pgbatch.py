"""A write transaction's statements go to PostgreSQL together (wallet/pgbatch.py).

Fewer round trips while the wallet's lock is held, with the same transaction semantics: order,
true row counts, the first error rolling back the whole transaction, nothing sent for a
transaction that writes nothing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tokenwallet.core.money import Amount
from tokenwallet.wallet import Scope, Wallet, pgbatch, pgquiet
from tokenwallet.wallet.backend import ENV_URL, redact
from tokenwallet.wallet.pgconn import PgConnection, connect

from .conftest import rec, req

USD = 1_000_000_000


@pytest.fixture
def sends(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many round trips the wallet made (one per pgbatch.Sender.send), as a one-item counter."""
    count = [0]
    real = pgbatch.Sender.send

    def counted(*args: Any) -> Any:
        count[0] += 1
        return real(*args)

    monkeypatch.setattr(pgbatch.Sender, "send", counted)
    return count


@pytest.fixture
def conn(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PgConnection]:
    monkeypatch.setenv(ENV_URL, pg_url)
    Wallet.open(tmp_path / "wallet.db").close()  # creates the wallet's tables
    c = connect(pg_url, redact(pg_url))
    yield c
    c.close()


def _change(c: PgConnection) -> int:
    return int(c.execute("SELECT value FROM tw_meta WHERE name = 'change'").fetchone()[0])


def test_reserve_and_settle_take_five_round_trips(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sends: list[int]
) -> None:
    monkeypatch.setenv(ENV_URL, pg_url)
    with Wallet.open(tmp_path / "wallet.db") as w:
        w.add_profile("alice")
        for scope in (Scope("profile", "alice"), Scope("wallet")):
            w.set_budget(scope, Amount("usd", 5 * USD), action="block")
        b = w.resolve_key(w.new_key("alice"))
        assert b is not None
        w.settle(w.reserve(req(b, USD // 100, call_id="warm")).hold_id, rec(b, "warm", USD // 100))
        sends[0] = 0
        r = w.reserve(req(b, USD // 100, call_id="one"))
        assert r.hold_id is not None
        reserve = sends[0]
        w.settle(r.hold_id, rec(b, "one", USD // 200))
        # BEGIN + lock + envelopes | the hold, the envelopes' holds + COMMIT: 2 (was 8);
        # BEGIN + lock + the hold's delete + envelopes | ledger row | daily, envelopes + COMMIT: 3
        # (was 10)
        assert (reserve, sends[0] - reserve) == (2, 3)
        assert {st.spent for st in w.status()} == {USD // 100 + USD // 200}
        assert w.holds() == []


def test_a_queued_writes_row_count_is_true(conn: PgConnection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    hit = conn.execute("UPDATE tw_meta SET value = value WHERE name = ?", ("user_version",))
    miss = conn.execute("UPDATE tw_meta SET value = value WHERE name = ?", ("no such name",))
    assert (hit.rowcount, miss.rowcount) == (1, 0)
    conn.execute("COMMIT")


def test_the_first_error_rolls_back_the_whole_transaction(conn: PgConnection) -> None:
    before = _change(conn)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE tw_meta SET value = 41 WHERE name = 'user_version'")
    conn.execute("UPDATE tw_meta SET value = value / 0 WHERE name = 'change'")  # fails, queued
    with pytest.raises(sqlite3.Error, match="division by zero"):
        conn.execute("COMMIT")
    assert conn.in_transaction  # the wallet's rollback() sees it and rolls back
    conn.execute("ROLLBACK")
    assert not conn.in_transaction
    assert _change(conn) == before
    assert int(conn.execute("PRAGMA user_version").fetchone()[0]) != 41


def test_a_write_transaction_that_writes_nothing_sends_nothing(conn: PgConnection, sends: list[int]) -> None:
    before = _change(conn)
    sends[0] = 0
    conn.execute("BEGIN IMMEDIATE")
    assert conn.in_transaction
    conn.execute("COMMIT")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("ROLLBACK")
    assert sends[0] == 0 and not conn.in_transaction
    assert _change(conn) == before


def test_a_meter_workers_commits_are_not_changes_to_its_other_connections(
    conn: PgConnection, pg_url: str
) -> None:
    """The settle worker's ledger rows do not make the meter re-read its keys and settings
    (wallet/pgquiet.py); another connection's commit still does."""

    def write(quiet: bool) -> None:
        if quiet:
            pgquiet.quiet_writes()
        other = connect(pg_url, redact(pg_url))
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE setting SET value = value WHERE name = 'none'")
            other.execute("COMMIT")
        finally:
            other.close()

    before = conn.data_version()
    worker = threading.Thread(target=write, args=(True,))
    worker.start()
    worker.join()
    assert conn.data_version() == before  # the meter's own
    write(False)
    assert conn.data_version() == before + 1  # anyone else's
