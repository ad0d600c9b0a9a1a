"""Creating and upgrading a wallet in PostgreSQL: the same numbered steps as the SQLite file.

Each step of ``schema.STEPS`` runs translated (``pgsql.ddl``) inside one transaction that holds the
wallet's advisory lock, so two devices starting at once cannot both migrate. ``tw_meta`` stands in
for SQLite's ``PRAGMA user_version`` / ``application_id`` and keeps the change counter (see
``pgconn``). A step's Python hook must be named in :data:`HOOKS`: a new step with a hook nobody
ported fails here, loudly, instead of leaving the two backends different.

A wallet already at the current version is opened without any DDL, so the role the meters use
day to day needs only SELECT, INSERT, UPDATE and DELETE (docs/postgresql.md): the database's
owner creates and upgrades the wallet.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from tokenwallet.wallet import backend, pgconn, pgsql
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.pgconn import LOCK_KEY, PgConnection, as_sqlite_error
from tokenwallet.wallet.schema import APPLICATION_ID, CURRENT_VERSION, STEPS
from tokenwallet.wallet.schema_billing import V3_BILLING

META = """
CREATE TABLE IF NOT EXISTS tw_meta (name TEXT NOT NULL PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO tw_meta (name, value) VALUES ('user_version', 0), ('application_id', 0), ('change', 0)
ON CONFLICT DO NOTHING
"""

#: What each step's Python hook is on PostgreSQL. v2 backfills ``daily`` from the ledger: a
#: PostgreSQL wallet is always created empty (or filled by ``wallet migrate``, which copies
#: ``daily`` too), so there is nothing to backfill. v3 creates the billing tables.
HOOKS: dict[int, str] = {2: "", 3: V3_BILLING}


def _run(conn: psycopg.Connection[Any], script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def migrate(pg: PgConnection, *, target: int = CURRENT_VERSION) -> int:
    """Bring the wallet in this database to ``target``; returns the version found."""
    conn = pg.raw
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        names = {
            str(r[0])
            for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        }
        others = len(names - {"tw_meta"})
        if "tw_meta" not in names:  # DDL only when there is something to create: see below
            _run(conn, META)
        meta = {str(n): int(v) for n, v in conn.execute("SELECT name, value FROM tw_meta")}
        found, app_id = meta["user_version"], meta["application_id"]
        if app_id not in (0, APPLICATION_ID) or (found == 0 and others):
            raise WalletError(
                f"the database at {pg.display} has tables that are not a Token Wallet's: "
                "use an empty database (or its own schema) for the wallet; nothing was changed"
            )
        if found > CURRENT_VERSION:
            raise WalletError(
                f"the wallet at {pg.display} was written by a newer Token Wallet (schema v{found};"
                f" this one knows v{CURRENT_VERSION}): update Token Wallet to use it"
            )
        for version, script, hook in STEPS:
            if found < version <= target:
                _run(conn, pgsql.ddl(script))
                if hook is not None:
                    if version not in HOOKS:
                        raise WalletError(f"schema step v{version} has no PostgreSQL version yet")
                    _run(conn, pgsql.ddl(HOOKS[version]))
                conn.execute("UPDATE tw_meta SET value = %s WHERE name = 'user_version'", (version,))
        if found < target:
            conn.execute(pgsql.FUNCTIONS)
            conn.execute("UPDATE tw_meta SET value = %s WHERE name = 'application_id'", (APPLICATION_ID,))
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.info.transaction_status != TransactionStatus.IDLE:
            conn.execute("ROLLBACK")
        if isinstance(exc, psycopg.Error):
            raise as_sqlite_error(exc) from exc
        raise
    return found


def open_database(path: Path) -> None:
    """Connect to the PostgreSQL wallet of ``path`` (``backend.url_for``) and migrate it."""
    url = backend.url_for(path)
    if url is None:
        raise WalletError(f"{path} is a wallet file, not a PostgreSQL wallet")
    open_url(url)


def open_url(url: str) -> None:
    """Reach the wallet database at ``url`` and create or upgrade the wallet in it; errors are
    one-line WalletErrors (the password never in them)."""
    try:
        conn = pgconn.connect(url, backend.redact(url))
    except sqlite3.Error as exc:
        raise WalletError(f"cannot reach the wallet database {backend.redact(url)}: {exc}") from exc
    try:
        migrate(conn)
    except sqlite3.Error as exc:
        raise WalletError(f"cannot set up the wallet database: {exc}") from exc
    finally:
        conn.close()
