"""Reaching the wallet's PostgreSQL server: connecting, type adapters, errors as sqlite3's.

Split from ``pgconn`` (which makes the connection behave like SQLite's): what is about the link to
the server itself lives here.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import errors as pgerrors
from psycopg.adapt import Dumper, Loader

from tokenwallet.wallet.backend import keychain_password
from tokenwallet.wallet.errors import WalletError


class _BoolAsInt(Dumper):
    """Booleans are 0/1 SMALLINTs in the wallet's tables, as in SQLite."""

    oid = psycopg.postgres.types["int2"].oid

    def dump(self, obj: bool) -> bytes:
        return b"1" if obj else b"0"


class _Numeric(Loader):
    """SUM over BIGINT is NUMERIC in PostgreSQL: whole sums come back as int (as from SQLite)."""

    def load(self, data: Any) -> int | float:
        d = Decimal(bytes(data).decode())
        return int(d) if d == d.to_integral_value() else float(d)


class DatabaseUnreachable(sqlite3.OperationalError, WalletError):
    """The wallet's database cannot be reached: both what the wallet's code catches (sqlite3's
    errors) and what its callers refuse a call with (the meter answers 503, nothing sent upstream)."""


def as_sqlite_error(exc: psycopg.Error) -> sqlite3.Error:
    """The sqlite3 exception the wallet's code expects for a PostgreSQL error."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, pgerrors.IntegrityError):
        return sqlite3.IntegrityError(text)
    if isinstance(exc, psycopg.OperationalError | pgerrors.QueryCanceled | pgerrors.LockNotAvailable):
        return sqlite3.OperationalError(text)
    return sqlite3.DatabaseError(text)


def adapt(conn: psycopg.Connection[Any]) -> None:
    """The wallet's types on this connection: booleans as 0/1, whole NUMERIC sums as int."""
    conn.adapters.register_dumper(bool, _BoolAsInt)
    conn.adapters.register_loader("numeric", _Numeric)


#: Per session. A write waits at most as long as SQLite's busy timeout for another device's
#: transaction, then is refused; and a device that stops mid-transaction (a laptop closed, a
#: network cut) loses its transaction and the wallet's lock after a minute instead of blocking
#: every other device until TCP notices.
SESSION_OPTIONS = "-c lock_timeout=10s -c idle_in_transaction_session_timeout=60s"


def open_link(url: str) -> psycopg.Connection[Any]:
    kw: dict[str, Any] = {"autocommit": True, "connect_timeout": 10, "options": SESSION_OPTIONS}
    password = keychain_password(url)  # else the URL's own, PGPASSWORD or ~/.pgpass
    if password is not None:
        kw["password"] = password
    return psycopg.connect(url, **kw)
