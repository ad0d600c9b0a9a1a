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
One exception: a meter's worker thread marks its write transactions as the meter's own
(``pgquiet``); the other connections of the process do not count them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import psycopg
from psycopg.pq import TransactionStatus

from tokenwallet.wallet import pgbatch
from tokenwallet.wallet.pglink import DatabaseUnreachable, adapt, as_sqlite_error, open_link
from tokenwallet.wallet.pgquiet import quiet_of, quiet_thread, quiet_writes
from tokenwallet.wallet.pgsql import translate
from tokenwallet.wallet.schema import APPLICATION_ID

__all__ = [
    "LOCK_KEY",
    "DatabaseUnreachable",
    "PgConnection",
    "as_sqlite_error",
    "connect",
    "quiet_writes",
]

#: The advisory lock key of the wallet in a database (one wallet per database or schema).
LOCK_KEY = APPLICATION_ID
T = TypeVar("T")
# The wallet's lock, then the change counter (one statement: the lock is the CTE the UPDATE
# joins, so it is taken before the counter's row is; a reserve's first round trip sends two
# statements before its own instead of three).
_LOCKED_BUMP = (
    f"WITH lock AS (SELECT pg_advisory_xact_lock({LOCK_KEY}))"
    " UPDATE tw_meta SET value = value + 1 FROM lock WHERE name = 'change' RETURNING value"
)


class PgCursor:
    """The result of one statement, shaped like ``sqlite3.Cursor`` for the wallet's uses."""

    __slots__ = ("_res", "lastrowid")

    def __init__(self, res: pgbatch.Result, lastrowid: int | None = None) -> None:
        self._res = res
        self.lastrowid = lastrowid

    @property
    def rowcount(self) -> int:
        return self._res.rowcount

    def fetchone(self) -> Any:
        return self._res.fetchone()

    def fetchall(self) -> list[Any]:
        return self._res.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._res.fetchall())


class PgConnection:
    """One psycopg connection in autocommit mode (the wallet issues BEGIN/COMMIT itself)."""

    def __init__(self, conn: psycopg.Connection[Any], display: str, url: str) -> None:
        self._conn = conn
        self.display = display  # the URL without its password, for messages
        self._url = url
        self._change_seen: int | None = None
        self._foreign_changes = 0
        # a write transaction's statements not sent yet (pgbatch), and whether its BEGIN is one
        # of them: then nothing of the transaction has reached the server
        self._queue: list[pgbatch.Queued] = []
        self._unsent_begin = False
        self._quiet_bump: int | None = None  # this quiet transaction's change value, until COMMIT
        adapt(conn)
        self._sender = pgbatch.Sender(conn)

    @property
    def raw(self) -> psycopg.Connection[Any]:
        return self._conn

    @property
    def in_transaction(self) -> bool:
        # a lost connection has no transaction left to roll back
        if self._unsent_begin:
            return True
        return not self._conn.closed and self._conn.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self._forget_transaction()
        self._conn.close()

    def _fresh(self) -> None:
        """A new server connection after the old one was lost (a database restart, a network cut).

        Only ever between transactions: what a lost transaction wrote is gone with it, and the
        caller was told (settling is idempotent on the call id, so the proxy's retry is safe).
        """
        self._conn = open_link(self._url)
        adapt(self._conn)
        self._sender = pgbatch.Sender(self._conn)
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

    def _run(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        st = translate(sql)
        args = tuple(params or ())
        if st.deferrable and self.in_transaction:
            cursor = pgbatch.Deferred(self._send_queue)
            self._queue.append((st.native, args, cursor.ran))
            return cursor

        def run() -> PgCursor:
            cur = self._sent(st.native, args)
            assert cur is not None
            lastrowid = None
            if st.returning_id:
                rows = cur.fetchall()
                lastrowid = int(rows[-1][0]) if rows else None
            return PgCursor(cur, lastrowid)

        if self.in_transaction:
            # a lost COMMIT may have committed: never sent twice
            return self._in_transaction(run, replay=not st.sql.startswith("COMMIT"))
        return self._guarded(run, retry=st.sql.lstrip().upper().startswith("SELECT"))

    def _sent(self, sql: bytes | None, params: Sequence[Any] = ()) -> pgbatch.Result | None:
        """The queued statements, then ``sql``, in one round trip; ``sql``'s result."""
        queue, self._queue = self._queue, []
        self._unsent_begin = False
        return self._sender.send(queue, sql, params)

    def _send_queue(self) -> None:
        if self._queue:
            self._in_transaction(lambda: self._sent(None))

    def _in_transaction(self, fn: Callable[[], T], *, replay: bool = True) -> T:
        """``fn()`` inside a write transaction. If the transaction's BEGIN is still queued (none of
        it reached the server before) and the connection turns out lost, the server rolled back
        whatever of it arrived: it is sent once more on a new connection (unless it ends in
        COMMIT)."""
        queue = list(self._queue) if self._unsent_begin and replay else None
        try:
            return fn()
        except psycopg.Error as exc:
            if not self._conn.closed:
                raise as_sqlite_error(exc) from exc
            if queue is None:
                raise self._unreachable(exc) from exc
        self._fresh_or_raise()
        self._queue, self._unsent_begin = queue, True
        try:
            return fn()
        except psycopg.Error as exc:
            self._forget_transaction()
            raise (self._unreachable(exc) if self._conn.closed else as_sqlite_error(exc)) from exc

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        head = sql.lstrip()[:16].upper()
        if head.startswith("PRAGMA"):
            self._send_queue()
            return _Rows(self._pragma(sql))
        if head.startswith("BEGIN"):
            if "IMMEDIATE" in head or "EXCLUSIVE" in head:
                return self._begin_write()
            return self._guarded(self._begin_read, retry=True)
        if (
            self._unsent_begin
            and head.startswith(("COMMIT", "ROLLBACK"))
            and (head.startswith("ROLLBACK") or len(self._queue) == len(_BEGIN))
        ):
            return self._forget_transaction()  # nothing reached the server, or nothing to write
        if head.startswith("ROLLBACK"):
            self._queue.clear()  # the server drops what it ran of the transaction
        if not head.startswith(("COMMIT", "ROLLBACK")):
            return self._run(sql, params)
        try:  # the whole transaction may go in the COMMIT's round trip: its bump is known after
            cur = self._run(sql, params)
            bump = self._quiet_bump if head.startswith("COMMIT") else None
        finally:
            self._quiet_bump = None
        if bump is not None:
            quiet_of(self._url).add(bump)
        return cur

    def _forget_transaction(self) -> _Rows:
        self._quiet_bump = None
        self._queue.clear()
        self._unsent_begin = False
        return _Rows([])

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        st = translate(sql)
        self._send_queue()
        try:
            with self._conn.cursor() as cur:
                cur.executemany(st.sql, [tuple(r) for r in rows])
        except psycopg.Error as exc:
            raise as_sqlite_error(exc) from exc

    def _begin_read(self) -> _Rows:
        self._conn.execute("BEGIN")
        return _Rows([])

    def _begin_write(self) -> _Rows:
        """BEGIN, the wallet's lock and the change counter: queued, so they reach the server with
        the transaction's first statement that has an answer to read (one round trip for all)."""
        if self._conn.closed:
            self._fresh_or_raise()
        self._queue = [(b"BEGIN", (), None), (_LOCKED_BUMP.encode(), (), self._counted)]
        self._unsent_begin = True
        return _Rows([])

    def _counted(self, cur: pgbatch.Result) -> None:
        row = cur.fetchone()
        if row is not None:
            value = int(row[0])
            if quiet_thread():
                self._quiet_bump = value  # told once it is committed (a rolled-back one is reused)
            self._saw(value - 1)
            self._change_seen = value

    def _saw(self, value: int) -> None:
        seen = self._change_seen
        if seen is not None and value != seen and not quiet_of(self._url).cover(seen, value):
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


#: What a write transaction's BEGIN queues (see ``_begin_write``).
_BEGIN = ("BEGIN", _LOCKED_BUMP)


class _Rows(list[tuple[Any, ...]]):
    """A ready result (a PRAGMA's answer) with the cursor methods the wallet calls."""

    lastrowid: int | None = None
    rowcount = -1

    def fetchone(self) -> tuple[Any, ...] | None:
        return self[0] if self else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self)


def connect(url: str, display: str) -> PgConnection:
    try:
        conn = open_link(url)
    except psycopg.Error as exc:
        raise as_sqlite_error(exc) from exc
    return PgConnection(conn, display, url)
