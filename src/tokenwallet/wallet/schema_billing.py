"""Schema step for households and freelancers (issue 5), in the shape of the steps in ``schema.py``.

Frozen once released, like every step: a later change is a new step.

- ``household``: the one household of a wallet (``id = 1``): its owner profile, the owner PIN as a
  salted scrypt hash, and the retry counter and lock-out time — persisted so restarting the app
  does not reset the rate limit.
- ``household_member``: which profiles belong to the household, and whether each is a child
  (hard stop by default) or an adult.
- ``household_log``: what the owner did (top-ups, pauses, allowance changes) and failed PIN tries.
- ``client_billing``: the billing side of a project that is a client: markup and tax percent
  (exact decimals as text), invoice currency and its user-set rate (currency units per USD), and
  the client's details printed on invoices.
- ``billing_setting``: the freelancer's own details (name, address, …) and the invoice sequence.
- ``invoice``: every invoice issued, with its totals in minor units of its currency (cents) and
  the line items as JSON, so a reissue can be checked against what was sent.

Timestamps are INTEGER microseconds since the epoch, UTC, as everywhere in the wallet.

The statements say ``IF NOT EXISTS`` (SQLite stores them without it, so the schema text is the
usual one): :func:`apply_billing_step` may have created these tables on a wallet before the step
was registered in ``schema.STEPS``, and the numbered migration must then be a no-op that only
bumps ``user_version``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

BILLING_VERSION = 3

V3_BILLING = """
CREATE TABLE IF NOT EXISTS household (
    id INTEGER NOT NULL, owner_id INTEGER NOT NULL, pin_hash VARCHAR NOT NULL,
    failed INTEGER NOT NULL, locked_until_us INTEGER NOT NULL, created_us INTEGER NOT NULL,
    PRIMARY KEY (id), CHECK (id = 1),
    FOREIGN KEY(owner_id) REFERENCES profile (id)
);
CREATE TABLE IF NOT EXISTS household_member (
    profile_id INTEGER NOT NULL, kind VARCHAR NOT NULL, added_us INTEGER NOT NULL,
    PRIMARY KEY (profile_id),
    FOREIGN KEY(profile_id) REFERENCES profile (id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS household_log (
    id INTEGER NOT NULL, at_us INTEGER NOT NULL, action VARCHAR NOT NULL, detail VARCHAR NOT NULL,
    ok BOOLEAN NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE IF NOT EXISTS client_billing (
    project_id INTEGER NOT NULL, markup_pct VARCHAR NOT NULL, tax_pct VARCHAR NOT NULL,
    currency VARCHAR NOT NULL, rate VARCHAR NOT NULL, legal_name VARCHAR NOT NULL,
    address VARCHAR NOT NULL, email VARCHAR NOT NULL, tax_id VARCHAR NOT NULL,
    updated_us INTEGER NOT NULL,
    PRIMARY KEY (project_id),
    FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS billing_setting (
    name VARCHAR NOT NULL, value VARCHAR NOT NULL,
    PRIMARY KEY (name)
);
CREATE TABLE IF NOT EXISTS invoice (
    id INTEGER NOT NULL, number VARCHAR NOT NULL, seq INTEGER NOT NULL, project_id INTEGER NOT NULL,
    date_from VARCHAR NOT NULL, date_to VARCHAR NOT NULL, issued_us INTEGER NOT NULL,
    currency VARCHAR NOT NULL, rate VARCHAR NOT NULL, markup_pct VARCHAR NOT NULL,
    tax_pct VARCHAR NOT NULL, calls INTEGER NOT NULL, cost_nano INTEGER NOT NULL,
    subtotal_minor INTEGER NOT NULL, tax_minor INTEGER NOT NULL, total_minor INTEGER NOT NULL,
    lines_json VARCHAR NOT NULL,
    PRIMARY KEY (id), UNIQUE (number),
    FOREIGN KEY(project_id) REFERENCES project (id)
);
CREATE INDEX IF NOT EXISTS ix_invoice_project_id ON invoice (project_id);
"""

BillingStep = tuple[int, str, Callable[[sqlite3.Connection], None] | None]
#: Register in ``schema.STEPS`` as ``(3, V3_BILLING, None)``.
STEP: BillingStep = (BILLING_VERSION, V3_BILLING, None)

#: The tables this step creates (the billing code checks they exist before use).
TABLES = ("household", "household_member", "household_log", "client_billing", "billing_setting", "invoice")


def has_billing_tables(conn: sqlite3.Connection) -> bool:
    """True when this wallet file already has the billing tables."""
    row = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='client_billing'"
    ).fetchone()
    return bool(row[0])


def apply_billing_step(conn: sqlite3.Connection) -> bool:
    """Create the billing tables on a wallet that lacks them (until the step is in ``schema.STEPS``).

    Runs in one ``BEGIN IMMEDIATE`` transaction like ``schema.migrate`` and leaves
    ``user_version`` alone, so the wallet's own migration stays in charge of numbering. Returns
    True if it created the tables. ``conn`` must be in autocommit mode.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        if has_billing_tables(conn):
            conn.execute("ROLLBACK")
            return False
        for statement in V3_BILLING.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return True
