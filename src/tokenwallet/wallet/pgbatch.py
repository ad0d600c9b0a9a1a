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

How they are sent. psycopg's own pipeline costs more CPU per statement than a whole round trip
without one (it flushes the socket and polls for answers after every statement): a call's ~14
statements were most of the meter's CPU time per call. So :class:`Sender` drives libpq's pipeline
itself, through psycopg's libpq binding and its adapters (the same parameter dumpers and row
loaders, the wallet's own included): each statement is prepared once per connection (PostgreSQL's
named prepared statements, as psycopg does), the batch goes out in one write, the answers are
read as they arrive, and the thread waits for the socket in ``poll`` — without the GIL, so the
meter's other thread runs meanwhile.
"""

from __future__ import annotations

import select
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import errors as pgerrors
from psycopg import pq
from psycopg.adapt import PyFormat, Transformer

Done = Callable[["Result"], None]
#: (SQL with $1… placeholders, parameters, what to do with its result once it ran)
Queued = tuple[bytes, Sequence[Any], Done | None]

_OK = (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK, pq.ExecStatus.EMPTY_QUERY)
_TUPLES_OK = pq.ExecStatus.TUPLES_OK
_READ, _WRITE = select.POLLIN | select.POLLERR | select.POLLHUP, select.POLLOUT | select.POLLERR


class Result:
    """One statement's answer, read like a cursor (``rowcount``, ``fetchone``, ``fetchall``)."""

    __slots__ = ("_next", "_rows", "rowcount")

    def __init__(self, rows: list[tuple[Any, ...]], rowcount: int) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount

    def fetchone(self) -> Any:
        i = self._next
        if i < len(self._rows):
            self._next = i + 1
            return self._rows[i]
        return None

    def fetchall(self) -> list[Any]:
        rows = self._rows[self._next :]
        self._next = len(self._rows)
        return rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class Deferred:
    """The cursor of a queued statement: reading it sends the queue first."""

    __slots__ = ("_cur", "_send", "lastrowid")

    def __init__(self, send: Callable[[], None]) -> None:
        self._send = send
        self._cur: Result | None = None
        self.lastrowid: int | None = None

    def ran(self, cur: Result) -> None:
        self._cur = cur

    def _ready(self) -> Result:
        if self._cur is None:
            self._send()
        if self._cur is None:  # the queue was sent without this statement: a bug, not a state
            raise RuntimeError("a queued wallet statement was lost")
        return self._cur

    @property
    def rowcount(self) -> int:
        return self._ready().rowcount

    def fetchone(self) -> Any:
        return self._ready().fetchone()

    def fetchall(self) -> list[Any]:
        return self._ready().fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class Sender:
    """Statements to one psycopg connection through libpq's pipeline (module doc)."""

    MAX_PREPARED = 512  # then statements go unnamed (parsed each time): a bound, never reached

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn
        self._pg = conn.pgconn
        self._tx = Transformer.from_context(conn)
        self._prepared: dict[tuple[bytes, tuple[int, ...]], bytes] = {}
        self._names = 0

    def send(self, queue: Sequence[Queued], sql: bytes | None, params: Sequence[Any]) -> Result | None:
        """Run ``queue`` then ``sql`` (if any) in one round trip; returns ``sql``'s result.

        Raises the first error (psycopg's); nothing after it ran. The queued statements' callbacks
        run only when all succeeded.
        """
        items = list(queue)
        if sql is not None:
            items.append((sql, params, None))
        pg = self._pg
        pg.enter_pipeline_mode()
        try:
            naming = self._send_all(items)
            pg.pipeline_sync()
            self._flush()
            results = self._read(naming)
        finally:
            if pg.status == pq.ConnStatus.OK and pg.pipeline_status != pq.PipelineStatus.OFF:
                pg.exit_pipeline_mode()
        for (_, _, done), res in zip(items, results, strict=True):
            if done is not None:
                done(res)
        return results[-1] if sql is not None else None

    def _send_all(self, items: list[Queued]) -> list[tuple[tuple[bytes, tuple[int, ...]], bytes] | None]:
        """Send every statement (a new one prepared first); for each, the name it is being
        prepared under, if it is. Every parameter is dumped first: nothing is sent if one cannot be."""
        pg, tx, prepared = self._pg, self._tx, self._prepared
        dumped = []
        for sql, params, _ in items:
            if params:
                values = tx.dump_sequence(params, [PyFormat.AUTO] * len(params))
                dumped.append((sql, values, tuple(tx.types or ()), tx.formats))
            else:
                dumped.append((sql, [], (), None))
        naming: list[tuple[tuple[bytes, tuple[int, ...]], bytes] | None] = []
        for sql, values, types, formats in dumped:
            key = (sql, types)
            name = prepared.get(key)
            new = None
            if name is None and len(prepared) < self.MAX_PREPARED:
                self._names += 1
                name = b"tw_%d" % self._names
                new = (key, name)
                pg.send_prepare(name, sql, param_types=types)
            naming.append(new)
            if name is None:
                pg.send_query_params(sql, values, param_types=types, param_formats=formats)
            else:
                pg.send_query_prepared(name, values, param_formats=formats)
        return naming

    def _read(self, naming: list[tuple[tuple[bytes, tuple[int, ...]], bytes] | None]) -> list[Result]:
        results: list[Result] = []
        error: pq.abc.PGresult | None = None
        for new in naming:
            if new is not None:  # the PREPARE's own answer
                res = self._result()
                if res.status == pq.ExecStatus.COMMAND_OK:
                    self._prepared[new[0]] = new[1]
                elif error is None and res.status != pq.ExecStatus.PIPELINE_ABORTED:
                    error = res
            res = self._result()
            if res.status in _OK:
                results.append(self._loaded(res))
            elif error is None and res.status != pq.ExecStatus.PIPELINE_ABORTED:
                error = res
        sync = self._next()  # the pipeline's end
        if sync is None or sync.status != pq.ExecStatus.PIPELINE_SYNC:
            raise psycopg.OperationalError("the wallet database's answer ended early")
        if error is not None:
            raise pgerrors.error_from_result(error, encoding=self._conn.info.encoding)
        return results

    def _loaded(self, res: pq.abc.PGresult) -> Result:
        if res.status != _TUPLES_OK:
            count = res.command_tuples
            return Result([], -1 if count is None else count)
        tx = self._tx
        tx.set_pgresult(res)
        n = res.ntuples
        return Result(tx.load_rows(0, n, tuple) if n else [], n)

    def _result(self) -> pq.abc.PGresult:
        """One statement's answer, and the end marker after it."""
        res = self._next()
        if res is None or self._next() is not None:
            raise psycopg.OperationalError("the wallet database's answer was not understood")
        return res

    def _next(self) -> pq.abc.PGresult | None:
        pg = self._pg
        while pg.is_busy():
            self._wait(_READ)
            pg.consume_input()
        return pg.get_result()

    def _flush(self) -> None:
        while self._pg.flush():
            self._wait(_WRITE)

    def _wait(self, events: int) -> None:
        poll = select.poll()
        poll.register(self._pg.socket, events)
        poll.poll()  # without the GIL
