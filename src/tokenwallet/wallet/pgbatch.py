"""A write transaction's statements sent to PostgreSQL together, not one round trip each.

Every statement the wallet runs is a round trip to the server, made while the wallet's lock is
held: a reserve was 8 of them, a settle 10, and every other device's writes wait meanwhile. Most of
a transaction's writes have nothing to read back (``UPDATE envelope …``, ``INSERT INTO daily …``),
and ``BEGIN`` with its lock has nothing the next statement needs. So inside a write transaction
those wait in a queue and go to the server in one pipeline (psycopg's pipeline mode: sent back to
back, still prepared, the answers read once) with the next statement whose answer *is* needed, or
with ``COMMIT``: a reserve is 3 round trips, a settle 4.

What stays the same: the statements run in the order they were issued, in the same transaction;
the first error aborts the transaction and is raised by the statement that sent the queue (or by
``COMMIT``), so the transaction is rolled back as before. A queued statement's cursor
(:class:`Deferred`) sends the queue when it is read (``rowcount``), so code that checks a write's
row count gets the true count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg.pq import ExecStatus

TUPLES_OK = ExecStatus.TUPLES_OK

Done = Callable[["psycopg.Cursor[Any]"], None]
#: (SQL with %s placeholders, parameters, what to do with its cursor once it ran)
Queued = tuple[str, Sequence[Any], Done | None]


class Deferred:
    """The cursor of a queued statement: reading it sends the queue first."""

    __slots__ = ("_cur", "_send", "lastrowid")

    def __init__(self, send: Callable[[], None]) -> None:
        self._send = send
        self._cur: psycopg.Cursor[Any] | None = None
        self.lastrowid: int | None = None

    def ran(self, cur: psycopg.Cursor[Any]) -> None:
        self._cur = cur

    def _ready(self) -> psycopg.Cursor[Any]:
        if self._cur is None:
            self._send()
        if self._cur is None:  # the queue was sent without this statement: a bug, not a state
            raise RuntimeError("a queued wallet statement was lost")
        return self._cur

    @property
    def rowcount(self) -> int:
        return self._ready().rowcount

    def fetchone(self) -> Any:
        cur = self._ready()
        return cur.fetchone() if has_rows(cur) else None

    def fetchall(self) -> list[Any]:
        cur = self._ready()
        return cur.fetchall() if has_rows(cur) else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


def has_rows(cur: psycopg.Cursor[Any]) -> bool:
    """Whether the statement returned rows (psycopg raises on fetching from one that did not).
    Not ``cur.description is not None``: that builds every column's description, each time."""
    res = cur.pgresult
    return res is not None and (res.nfields > 0 or res.status == TUPLES_OK)


def send(
    conn: psycopg.Connection[Any], queue: list[Queued], sql: str | None, params: Sequence[Any]
) -> psycopg.Cursor[Any] | None:
    """Run ``queue`` then ``sql`` (if any) in one round trip; returns ``sql``'s cursor.

    Raises the first error (psycopg's); nothing after it ran. The queued statements' callbacks
    run only when all succeeded.
    """
    if len(queue) == 0 and sql is not None:
        return conn.execute(sql, params)
    with conn.pipeline():
        sent = [(conn.execute(q_sql, q_params), done) for q_sql, q_params, done in queue]
        last = conn.execute(sql, params) if sql is not None else None
    for cur, done in sent:
        if done is not None:
            done(cur)
    return last
