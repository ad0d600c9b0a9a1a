"""A PostgreSQL connection that the wallet's code uses exactly like its SQLite connection.

psycopg 3 underneath; on top, the few things the wallet relies on from ``sqlite3.Connection``:
``execute``/``executemany`` with ``?`` SQL (translated once per statement by ``pgsql``), cursors
with ``fetchone``/``fetchall``/iteration/``lastrowid``/``rowcount``, ``in_transaction``, and
errors raised as ``sqlite3`` exceptions, so every ``except sqlite3.Error`` in the wallet keeps
working unchanged (the original psycopg error is the ``__cause__``).

Write transactions. The wallet opens each one with ``BEGIN IMMEDIATE``; here that is ``BEGIN``
plus ``pg_advisory_xact_lock`` on one key per wallet: one writer at a time across every device,
the very invariant SQLite's single writer gives, so reserve → settle stays race-free with the
same code (a reserve reads the envelopes *after* taking the lock, so it sees every earlier
commit). Row locks (``SELECT … FOR UPDATE`` in a fixed order) would let calls on unrelated
envelopes commit in parallel, but the wallet's write transactions touch shared rows anyway (the
daily roll-up, the wallet envelope), and a second locking protocol is a second thing to prove.

Change detection. SQLite's ``PRAGMA data_version`` changes when *another* connection commits.
Every write transaction here bumps ``tw_meta.change`` under the lock; a connection that finds the
counter moved by someone else counts one foreign change, which is what ``data_version`` reports.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import psycopg
from psycopg import errors as pgerrors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus

from tokenwallet.wallet.backend import keychain_password
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.pgsql import translate
from tokenwallet.wallet.schema import APPLICATION_ID

#: The advisory lock key of the wallet in a database (one wallet per database or schema).
LOCK_KEY = APPLICATION_ID
T = TypeVar("T")
_BEGIN_WRITE = (
    f"BEGIN; SELECT pg_advisory_xact_lock({LOCK_KEY});"
    " UPDATE tw_meta SET value = value + 1 WHERE name = 'change' RETURNING value"
)


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


class PgCursor:
    """The result of one statement, shaped like ``sqlite3.Cursor`` for the wallet's uses."""

    def __init__(self, cur: psycopg.Cursor[Any], lastrowid: int | None = None) -> None:
        self._cur = cur
        self.lastrowid = lastrowid

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    def fetchone(self) -> Any:
        return self._cur.fetchone() if self._cur.description is not None else None

    def fetchall(self) -> list[Any]:
        return self._cur.fetchall() if self._cur.description is not None else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgConnection:
    """One psycopg connection in autocommit mode (the wallet issues BEGIN/COMMIT itself)."""

    def __init__(self, conn: psycopg.Connection[Any], display: str, url: str) -> None:
        self._conn = conn
        self.display = display  # the URL without its password, for messages
        self._url = url
        self._change_seen: int | None = None
        self._foreign_changes = 0
        self._adapt(conn)

    @staticmethod
    def _adapt(conn: psycopg.Connection[Any]) -> None:
        conn.adapters.register_dumper(bool, _BoolAsInt)
        conn.adapters.register_loader("numeric", _Numeric)

    @property
    def raw(self) -> psycopg.Connection[Any]:
        return self._conn

    @property
    def in_transaction(self) -> bool:
        # a lost connection has no transaction left to roll back
        return not self._conn.closed and self._conn.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self._conn.close()

    def _fresh(self) -> None:
        """A new server connection after the old one was lost (a database restart, a network cut).

        Only ever between transactions: what a lost transaction wrote is gone with it, and the
        caller was told (settling is idempotent on the call id, so the proxy's retry is safe).
        """
        self._conn = _open(self._url)
        self._adapt(self._conn)
        self._change_seen = None
        self._foreign_changes += 1  # anything may have changed meanwhile: caches re-read

    def _guarded(self, fn: Callable[[], T], *, retry: bool) -> T:
        """``fn()`` with psycopg errors as sqlite3 ones. A connection found lost outside a
        transaction is replaced; ``fn`` runs again if ``retry`` (it cannot have changed anything:
        a BEGIN, a read)."""
        if self._conn.closed:
            self._fresh_or_raise()
        try:
            return fn()
        except psycopg.Error as exc:
            if not (self._conn.closed and isinstance(exc, psycopg.OperationalError)):
                raise as_sqlite_error(exc) from exc
            self._fresh_or_raise()
            if not retry:
                raise self._unreachable(exc) from exc
        try:
            return fn()
        except psycopg.Error as exc:
            raise as_sqlite_error(exc) from exc

    def _fresh_or_raise(self) -> None:
        try:
            self._fresh()
        except psycopg.Error as exc:
            raise self._unreachable(exc) from exc

    def _unreachable(self, exc: psycopg.Error) -> DatabaseUnreachable:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        return DatabaseUnreachable(
            f"the wallet database {self.display} cannot be reached ({detail});"
            " calls are refused until it is back"
        )

    def _run(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        st = translate(sql)

        def run() -> PgCursor:
            cur = self._conn.execute(st.sql, tuple(params or ()))
            lastrowid = None
            if st.returning_id:
                rows = cur.fetchall()
                lastrowid = int(rows[-1][0]) if rows else None
            return PgCursor(cur, lastrowid)

        if self.in_transaction:
            try:
                return run()
            except psycopg.Error as exc:
                raise (self._unreachable(exc) if self._conn.closed else as_sqlite_error(exc)) from exc
        return self._guarded(run, retry=st.sql.lstrip().upper().startswith("SELECT"))

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        head = sql.lstrip()[:16].upper()
        if head.startswith("PRAGMA"):
            return _Rows(self._pragma(sql))
        if head.startswith("BEGIN"):
            immediate = "IMMEDIATE" in head or "EXCLUSIVE" in head
            return self._guarded(lambda: self._begin(immediate=immediate), retry=True)
        return self._run(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        st = translate(sql)
        try:
            with self._conn.cursor() as cur:
                cur.executemany(st.sql, [tuple(r) for r in rows])
        except psycopg.Error as exc:
            raise as_sqlite_error(exc) from exc

    def _begin(self, *, immediate: bool) -> _Rows:
        if not immediate:
            self._conn.execute("BEGIN")
            return _Rows([])
        # one round trip: the call path pays per statement sent to the server
        cur = self._conn.execute(_BEGIN_WRITE)
        cur.nextset()  # past BEGIN
        cur.nextset()  # past the lock: the counter
        row = cur.fetchone()
        if row is not None:
            self._saw(int(row[0]) - 1)
            self._change_seen = int(row[0])
        return _Rows([])

    def _saw(self, value: int) -> None:
        if self._change_seen is not None and value != self._change_seen:
            self._foreign_changes += 1
        self._change_seen = value

    def data_version(self) -> int:
        """Like SQLite's: moves when another connection committed a write transaction."""
        row = self._run("SELECT value FROM tw_meta WHERE name = 'change'").fetchone()
        if row is not None:
            self._saw(int(row[0]))
        return self._foreign_changes

    def _pragma(self, sql: str) -> list[tuple[Any, ...]]:
        """SQLite's PRAGMAs the wallet issues: versions from ``tw_meta``, the rest are SQLite's alone."""
        body = sql.strip()[len("PRAGMA") :].strip().rstrip(";")
        name, _, value = (p.strip() for p in body.partition("="))
        if name in ("user_version", "application_id"):
            if value:
                self._run("UPDATE tw_meta SET value = ? WHERE name = ?", (int(value), name))
                return []
            row = self._run("SELECT value FROM tw_meta WHERE name = ?", (name,)).fetchone()
            return [(int(row[0]) if row else 0,)]
        if name == "data_version":
            return [(self.data_version(),)]
        if name == "database_list":
            return [(0, "main", self.display)]
        # busy_timeout, foreign_keys (always on here), synchronous, WAL and checkpoint settings:
        # PostgreSQL has its own (server-side) answers; nothing to do per connection.
        return []


class _Rows(list[tuple[Any, ...]]):
    """A ready result (a PRAGMA's answer) with the cursor methods the wallet calls."""

    lastrowid: int | None = None
    rowcount = -1

    def fetchone(self) -> tuple[Any, ...] | None:
        return self[0] if self else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self)


#: Per session. A write waits at most as long as SQLite's busy timeout for another device's
#: transaction, then is refused; and a device that stops mid-transaction (a laptop closed, a
#: network cut) loses its transaction and the wallet's lock after a minute instead of blocking
#: every other device until TCP notices.
SESSION_OPTIONS = "-c lock_timeout=10s -c idle_in_transaction_session_timeout=60s"


def _open(url: str) -> psycopg.Connection[Any]:
    kw: dict[str, Any] = {"autocommit": True, "connect_timeout": 10, "options": SESSION_OPTIONS}
    password = keychain_password(url)  # else the URL's own, PGPASSWORD or ~/.pgpass
    if password is not None:
        kw["password"] = password
    return psycopg.connect(url, **kw)


def connect(url: str, display: str) -> PgConnection:
    try:
        conn = _open(url)
    except psycopg.Error as exc:
        raise as_sqlite_error(exc) from exc
    return PgConnection(conn, display, url)
