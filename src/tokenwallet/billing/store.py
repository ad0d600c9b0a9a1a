"""Short-lived SQLite connections to the billing tables of a wallet file.

Billing reads and edits are rare and off the metering hot path, so each operation opens its own
connection (the wallet's per-thread pool stays the wallet's) with the wallet's pragmas, and
write transactions take the lock up front like the wallet's own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tokenwallet.wallet.db import connect, from_us, rollback, to_us
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.schema_billing import has_billing_tables

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet

__all__ = ["from_us", "now_utc", "read", "to_us", "write"]


def now_utc(now: datetime | None = None, wallet: Wallet | None = None) -> datetime:
    """``now`` (tz-aware), else the wallet's clock (tests replay time through it), else the time in UTC."""
    if now is None:
        clock = getattr(wallet, "_clock", None)  # Wallet.open(clock=...) for tests and replays
        return clock() if callable(clock) else datetime.now(UTC)
    if now.tzinfo is None:
        raise WalletError("naive datetime: pass a timezone-aware time")
    return now


def _open(wallet: Wallet, *, tables: bool = True) -> sqlite3.Connection:
    conn = connect(wallet.path)
    if tables and not has_billing_tables(conn):  # Wallet.open migrates to v3, so only a foreign file
        conn.close()
        raise WalletError(f"{wallet.path} has no household/client tables (wallet schema older than v3)")
    return conn


@contextmanager
def read(wallet: Wallet, *, tables: bool = True) -> Iterator[sqlite3.Connection]:
    """A connection for reads (autocommit: each statement sees the latest committed state).

    ``tables=False`` for reads of the wallet's own tables (the ledger) only.
    """
    conn = _open(wallet, tables=tables)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def write(wallet: Wallet) -> Iterator[sqlite3.Connection]:
    """A ``BEGIN IMMEDIATE`` transaction: all or nothing, committed on a clean exit."""
    conn = _open(wallet)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)  # only what is open: SQLite undoes some failures (a full disk) itself
            raise
    finally:
        conn.close()


def setting_get(conn: sqlite3.Connection, name: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM billing_setting WHERE name=?", (name,)).fetchone()
    return default if row is None else str(row[0])


def setting_put(conn: sqlite3.Connection, name: str, value: str) -> None:
    conn.execute(
        "INSERT INTO billing_setting (name, value) VALUES (?, ?)"
        " ON CONFLICT(name) DO UPDATE SET value=excluded.value",
        (name, value),
    )


def stamp(at: datetime) -> int:
    """Aware datetime → the wallet's integer microseconds."""
    return to_us(at)
