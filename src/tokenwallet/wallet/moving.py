"""Moving a wallet between backends: ``tokenwallet wallet migrate --to postgresql://…|sqlite:PATH``.

Every table of the schema is copied row by row, ids included, in one transaction on the target,
then both wallets are compared table by table, row by row; any difference undoes nothing on the
source and is reported (the target is then not to be used). The target must be new: an empty
PostgreSQL database (or schema), or a file that does not exist yet. The source must have no call
in flight (a hold belongs to a running meter: stop the meters first).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from tokenwallet.core import private
from tokenwallet.wallet import backend, pgsql
from tokenwallet.wallet.db import connect
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.schema import migrate as migrate_sqlite

SQLITE_PREFIX = "sqlite:"
BATCH = 1000


@dataclass(frozen=True)
class Moved:
    target: str  # where the copy is (a PostgreSQL URL without its password, or a file)
    rows: dict[str, int]  # rows copied (and compared) per table


def _tables() -> list[pgsql.Table]:
    return list(pgsql.tables().values())


def _key(row: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    return tuple((v is None, v) for v in row)


def rows_of(conn: Any, table: pgsql.Table) -> list[tuple[Any, ...]]:
    """Every row of ``table`` (all columns, schema order), sorted here: the two databases may
    collate text differently."""
    rows = conn.execute(f"SELECT {', '.join(table.columns)} FROM {table.name}").fetchall()
    return sorted((tuple(r) for r in rows), key=_key)


def differences(a: Any, b: Any) -> list[str]:
    """Tables whose rows differ between two wallet connections (empty: the same wallet)."""
    out = []
    for t in _tables():
        ra, rb = rows_of(a, t), rows_of(b, t)
        if ra != rb:
            first = next(
                (i for i, (x, y) in enumerate(zip(ra, rb, strict=False)) if x != y), min(len(ra), len(rb))
            )
            out.append(f"{t.name}: {len(ra)} rows vs {len(rb)}, first difference at row {first + 1}")
    return out


@contextmanager
def _target(spec: str) -> Iterator[tuple[Any, str]]:
    """A connection to the new, empty, migrated target and its display name."""
    if spec.startswith(SQLITE_PREFIX):
        path = Path(spec[len(SQLITE_PREFIX) :]).expanduser()
        if not path.name or path.exists():
            raise WalletError(f"{path} already exists: migrate into a new file")
        private.make_dir(path.parent)
        private.create_file(path)
        conn = sqlite3.connect(str(path), isolation_level=None)  # a file, whatever this process's wallet is
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate_sqlite(conn)
            yield conn, str(path)
        finally:
            conn.close()
        return
    url = backend.check_url(spec)
    from tokenwallet.wallet import pgconn, pgwallet

    pg = pgconn.connect(url, backend.redact(url))
    try:
        pgwallet.migrate(pg)
        yield pg, pg.display
    finally:
        pg.close()


def move(wallet_path: Path, to: str) -> Moved:
    """Copy this process's wallet (the file at ``wallet_path``, or its PostgreSQL database) to ``to``."""
    from tokenwallet.wallet.wallet import Wallet

    Wallet.open(wallet_path).close()  # brought to the current schema first, like any opening
    src = connect(wallet_path)
    try:
        if src.execute("SELECT COUNT(*) FROM hold").fetchone()[0]:
            raise WalletError("calls are in flight (holds): stop every meter using this wallet, then migrate")
        with _target(to) as (dst, shown):
            if any(dst.execute(f"SELECT 1 FROM {t.name} LIMIT 1").fetchone() for t in _tables()):
                raise WalletError(f"{shown} already holds a wallet: migrate into an empty one")
            counts = _copy(src, dst)
            diff = differences(src, dst)
            if diff:
                raise WalletError(f"the copy at {shown} differs from this wallet: " + "; ".join(diff))
            return Moved(shown, counts)
    finally:
        src.close()


def _copy(src: Any, dst: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    dst.execute("BEGIN IMMEDIATE")
    try:
        for t in _tables():  # creation order: a row's references are copied before it
            cols = ", ".join(t.columns)
            marks = ", ".join("?" for _ in t.columns)
            insert = f"INSERT INTO {t.name} ({cols}) VALUES ({marks})"
            rows = rows_of(src, t)
            for i in range(0, len(rows), BATCH):
                dst.executemany(insert, rows[i : i + BATCH])
            counts[t.name] = len(rows)
            if t.identity and not isinstance(dst, sqlite3.Connection):
                # the next id PostgreSQL hands out follows the copied ones
                dst.execute(
                    f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'),"
                    f" COALESCE(MAX(id), 0) + 1, false) FROM {t.name}"
                )
        dst.execute("COMMIT")
    except BaseException:
        if cast(Any, dst).in_transaction:
            dst.execute("ROLLBACK")
        raise
    return counts
