"""Versioned schema migrations (``PRAGMA user_version``), frozen once released.

Each step is plain SQL run inside one ``BEGIN IMMEDIATE`` transaction, so two processes opening
an old wallet at once cannot both migrate it, and a failed step leaves the file as it was. Steps
are never edited after release: a change is a new step. ``tables.py`` holds the SQLModel view of
the *current* schema and a test proves the two agree.

Timestamps are stored as INTEGER microseconds since the Unix epoch, UTC: exact, cheap to compare
and index, identical across processes and time zones, and no text parsing on the hot path. The
Python API converts them to timezone-aware datetimes.

v1 — the first wallet: profiles, projects, keys, providers, price overrides, settings, envelopes
     with their current period, closed periods, top-up lots, movements, holds, price snapshots,
     the ledger.
v2 — daily roll-ups (per local day, profile, project, provider, model), backfilled from the
     ledger in the wallet's time zone, so reads never sum a million ledger rows.
v3 — households and client billing (issue 5), defined in ``schema_billing.py``.
v4 — ledger ``flags`` (comma-separated marks the meter puts on a call it could not take at its word:
     ``invalid_usage``, ``over_cap``, ``no_usage`` …) and ``units`` (JSON of what a non-token call
     was billed in — images, audio seconds, characters — so its cost is reproducible from the row).
v5 — agent sessions (issue 10): ``session`` on ledger rows, holds and wallet keys (a key made by
     ``tokenwallet run`` belongs to one session), and the ``agent_session`` table.
v6 — guards (issue 10, ``core/guards.py``): ``guard`` rows, ``guard_state`` (the counters the
     meter saves off the call path so a guard survives a restart) and ``guard_lift`` (a guard
     lifted for one session, or for all: session '*').
v7 — alerts (issue 10, ``tokenwallet/alerts``): ``webhook`` rows (URL, format, which events, the name
     of an optional secret header whose value lives in the keychain, never here).
v8 — which models a profile may use (issue 10): ``model_rules`` (a profile's allow/deny patterns as
     JSON lists, and what a refused model gets: block or downgrade; no row = the default), and
     ``model_scope`` (what a ``model``/``provider`` envelope matches: its pattern split into a
     provider glob and a model glob for SQLite's GLOB, optionally narrowed to one profile, 0 = all).
v9 — the whole bill (issue 11): ledger ``source`` (``meter``, ``imported:claude-code`` …) and
     ``response_id`` (the provider's message/response id, so an imported request that also went
     through the meter is recognised and skipped).
v10 — imports of agent logs (issue 11): ``import_file`` remembers where each log file ended (byte
     offset) and which file it was (device, inode, size, mtime, a hash of its first bytes), with
     the reader's running state (Codex's model and cumulative totals), so a re-run reads only
     what was appended and a replaced file is read again from the start.
v11 — subscription plans (issue 11): ``plan`` (a profile's plan per tool: price, windows, limits)
      and an index on ledger ``(source, at_us)`` so imported use is summed without a full scan.
v12 — energy and CO₂ per call (issue 12): nullable ledger columns filled after settle, defined in
      ``schema_energy.py``.
v16 — devices (issue 14): the ``device`` table and the device of each hold and ledger row, defined in
      ``schema_devices.py``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tokenwallet.core.periods import PeriodError, zone
from tokenwallet.wallet.schema_billing import V3_BILLING, has_billing_tables
from tokenwallet.wallet.schema_devices import V16
from tokenwallet.wallet.schema_energy import V12_ENERGY
from tokenwallet.wallet.schema_media import V15

#: "TWLT": marks a SQLite file as a Token Wallet (PRAGMA application_id).
APPLICATION_ID = 0x54574C54

V1 = """
CREATE TABLE profile (
    id INTEGER NOT NULL, name VARCHAR NOT NULL, role VARCHAR NOT NULL, paused BOOLEAN NOT NULL,
    created_us INTEGER NOT NULL,
    PRIMARY KEY (id), UNIQUE (name)
);
CREATE TABLE project (
    id INTEGER NOT NULL, name VARCHAR NOT NULL, client VARCHAR NOT NULL, contact VARCHAR NOT NULL,
    notes VARCHAR NOT NULL, archived BOOLEAN NOT NULL, created_us INTEGER NOT NULL,
    PRIMARY KEY (id), UNIQUE (name)
);
CREATE TABLE wallet_key (
    id INTEGER NOT NULL, key_hash VARCHAR NOT NULL, prefix VARCHAR NOT NULL,
    profile_id INTEGER NOT NULL, project_id INTEGER, label VARCHAR NOT NULL,
    created_us INTEGER NOT NULL, revoked_us INTEGER,
    PRIMARY KEY (id), UNIQUE (key_hash),
    FOREIGN KEY(profile_id) REFERENCES profile (id), FOREIGN KEY(project_id) REFERENCES project (id)
);
CREATE INDEX ix_wallet_key_profile_id ON wallet_key (profile_id);
CREATE TABLE provider (
    name VARCHAR NOT NULL, kind VARCHAR NOT NULL, base_url VARCHAR NOT NULL, local BOOLEAN NOT NULL,
    PRIMARY KEY (name)
);
CREATE TABLE price_override (
    provider VARCHAR NOT NULL, model VARCHAR NOT NULL, input_mtok VARCHAR NOT NULL,
    output_mtok VARCHAR NOT NULL, cache_read_mtok VARCHAR, cache_write_mtok VARCHAR,
    updated_us INTEGER NOT NULL,
    PRIMARY KEY (provider, model)
);
CREATE TABLE setting (
    name VARCHAR NOT NULL, scope VARCHAR NOT NULL, value VARCHAR NOT NULL,
    PRIMARY KEY (name, scope)
);
CREATE TABLE envelope (
    id INTEGER NOT NULL, scope_kind VARCHAR NOT NULL, scope_ref INTEGER NOT NULL,
    unit VARCHAR NOT NULL, amount INTEGER NOT NULL, period VARCHAR NOT NULL, action VARCHAR NOT NULL,
    rollover BOOLEAN NOT NULL, thresholds VARCHAR NOT NULL, created_us INTEGER NOT NULL,
    cur_start INTEGER NOT NULL, cur_end INTEGER NOT NULL, carried INTEGER NOT NULL,
    assigned INTEGER NOT NULL, spent INTEGER NOT NULL, topup_drawn INTEGER NOT NULL,
    topup_left INTEGER NOT NULL, next_expiry INTEGER NOT NULL, held INTEGER NOT NULL,
    crossed_pct INTEGER NOT NULL,
    PRIMARY KEY (id), UNIQUE (scope_kind, scope_ref, period)
);
CREATE TABLE envelope_period (
    envelope_id INTEGER NOT NULL, period_start INTEGER NOT NULL, period_end INTEGER NOT NULL,
    carried INTEGER NOT NULL, assigned INTEGER NOT NULL, topups INTEGER NOT NULL,
    spent INTEGER NOT NULL, closed_us INTEGER NOT NULL,
    PRIMARY KEY (envelope_id, period_start),
    FOREIGN KEY(envelope_id) REFERENCES envelope (id) ON DELETE CASCADE
);
CREATE TABLE topup (
    id INTEGER NOT NULL, envelope_id INTEGER NOT NULL, amount INTEGER NOT NULL,
    remaining INTEGER NOT NULL, expires_us INTEGER, created_us INTEGER NOT NULL, note VARCHAR NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(envelope_id) REFERENCES envelope (id) ON DELETE CASCADE
);
CREATE INDEX ix_topup_envelope_id ON topup (envelope_id);
CREATE TABLE movement (
    id INTEGER NOT NULL, envelope_id INTEGER NOT NULL, kind VARCHAR NOT NULL, amount INTEGER NOT NULL,
    at_us INTEGER NOT NULL, note VARCHAR NOT NULL, expires_us INTEGER,
    PRIMARY KEY (id),
    FOREIGN KEY(envelope_id) REFERENCES envelope (id) ON DELETE CASCADE
);
CREATE INDEX ix_movement_envelope_id ON movement (envelope_id);
CREATE TABLE hold (
    id INTEGER NOT NULL, call_id VARCHAR NOT NULL, key_id INTEGER, profile_id INTEGER NOT NULL,
    project_id INTEGER, provider VARCHAR NOT NULL, model VARCHAR NOT NULL, endpoint VARCHAR NOT NULL,
    stream BOOLEAN NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
    cost_nano INTEGER NOT NULL, tokens INTEGER NOT NULL, envelope_ids VARCHAR NOT NULL,
    owner_pid INTEGER NOT NULL, owner_token VARCHAR NOT NULL, created_us INTEGER NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE price_snapshot (
    id INTEGER NOT NULL, price_json VARCHAR NOT NULL,
    PRIMARY KEY (id), UNIQUE (price_json)
);
CREATE TABLE ledger (
    id INTEGER NOT NULL, call_id VARCHAR NOT NULL, at_us INTEGER NOT NULL, started_us INTEGER,
    key_id INTEGER, profile_id INTEGER NOT NULL, project_id INTEGER,
    provider VARCHAR NOT NULL, model VARCHAR NOT NULL, requested_model VARCHAR,
    endpoint VARCHAR NOT NULL, status INTEGER NOT NULL, stream BOOLEAN NOT NULL,
    input_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL, cache_write_1h_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL, cost_nano INTEGER NOT NULL,
    price_id INTEGER NOT NULL, price_source VARCHAR NOT NULL, estimated BOOLEAN NOT NULL,
    unpriced BOOLEAN NOT NULL, duration_ms INTEGER NOT NULL, error VARCHAR, prompt_text VARCHAR,
    PRIMARY KEY (id), UNIQUE (call_id),
    FOREIGN KEY(profile_id) REFERENCES profile (id), FOREIGN KEY(project_id) REFERENCES project (id),
    FOREIGN KEY(price_id) REFERENCES price_snapshot (id)
);
CREATE INDEX ix_ledger_at_us ON ledger (at_us);
CREATE INDEX ix_ledger_profile_at ON ledger (profile_id, at_us);
CREATE INDEX ix_ledger_project_at ON ledger (project_id, at_us);
"""

V2 = """
CREATE TABLE daily (
    day VARCHAR NOT NULL, profile_id INTEGER NOT NULL, project_id INTEGER NOT NULL,
    provider VARCHAR NOT NULL, model VARCHAR NOT NULL, calls INTEGER NOT NULL,
    estimated_calls INTEGER NOT NULL, input_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL,
    cache_write_1h_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL, cost_nano INTEGER NOT NULL,
    PRIMARY KEY (day, profile_id, project_id, provider, model)
);
"""


def _backfill_daily(conn: sqlite3.Connection) -> None:
    """Fill ``daily`` from the ledger, bucketing each call by its local day in the wallet's zone."""
    row = conn.execute("SELECT value FROM setting WHERE name='timezone' AND scope='wallet'").fetchone()
    tz_name = "UTC"
    if row:
        import json

        tz_name = str(json.loads(row[0]))
    try:
        tz = zone(tz_name)
    except PeriodError:
        tz = zone("UTC")
    epoch = datetime(1970, 1, 1, tzinfo=UTC)

    def local_day(us: int) -> str:
        return (epoch + timedelta(microseconds=us)).astimezone(tz).date().isoformat()

    conn.create_function("tw_local_day", 1, local_day, deterministic=True)
    conn.execute(
        """INSERT INTO daily SELECT tw_local_day(at_us), profile_id, COALESCE(project_id, 0), provider,
               model, COUNT(*), SUM(estimated), SUM(input_tokens), SUM(cache_read_tokens),
               SUM(cache_write_tokens), SUM(cache_write_1h_tokens), SUM(output_tokens),
               SUM(reasoning_tokens), SUM(cost_nano)
           FROM ledger GROUP BY 1, 2, 3, 4, 5"""
    )


def _billing_tables(conn: sqlite3.Connection) -> None:
    """v3: the households/freelancers tables (their DDL lives in ``schema_billing.py``).

    Tolerates a file where ``schema_billing.apply_billing_step`` already created them.
    """
    if not has_billing_tables(conn):
        _run_script(conn, V3_BILLING)


V4 = """
ALTER TABLE ledger ADD COLUMN flags VARCHAR NOT NULL DEFAULT '';
ALTER TABLE ledger ADD COLUMN units VARCHAR NOT NULL DEFAULT ''
"""

V5 = """
ALTER TABLE ledger ADD COLUMN session VARCHAR NOT NULL DEFAULT '';
CREATE INDEX ix_ledger_session ON ledger (session, at_us);
ALTER TABLE hold ADD COLUMN session VARCHAR NOT NULL DEFAULT '';
ALTER TABLE wallet_key ADD COLUMN session VARCHAR NOT NULL DEFAULT '';
CREATE TABLE agent_session (
    id VARCHAR NOT NULL, profile_id INTEGER NOT NULL, project_id INTEGER, source VARCHAR NOT NULL,
    label VARCHAR NOT NULL, started_us INTEGER NOT NULL, ended_us INTEGER,
    PRIMARY KEY (id),
    FOREIGN KEY(profile_id) REFERENCES profile (id), FOREIGN KEY(project_id) REFERENCES project (id)
);
CREATE INDEX ix_agent_session_started ON agent_session (started_us)
"""

V6 = """
CREATE TABLE guard (
    id INTEGER NOT NULL, scope VARCHAR NOT NULL, kind VARCHAR NOT NULL, limit_value INTEGER NOT NULL,
    window_s INTEGER NOT NULL, action VARCHAR NOT NULL, source VARCHAR NOT NULL,
    created_us INTEGER NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE guard_state (
    name VARCHAR NOT NULL, state_json VARCHAR NOT NULL, updated_us INTEGER NOT NULL,
    PRIMARY KEY (name)
);
CREATE TABLE guard_lift (
    guard_id INTEGER NOT NULL, session VARCHAR NOT NULL, created_us INTEGER NOT NULL,
    PRIMARY KEY (guard_id, session)
)
"""

V7 = """
CREATE TABLE webhook (
    id INTEGER NOT NULL, url VARCHAR NOT NULL, format VARCHAR NOT NULL, topics VARCHAR NOT NULL,
    header_name VARCHAR NOT NULL, created_us INTEGER NOT NULL,
    PRIMARY KEY (id)
)
"""

V8 = """
CREATE TABLE model_rules (
    profile_id INTEGER NOT NULL, allow VARCHAR NOT NULL, deny VARCHAR NOT NULL, action VARCHAR NOT NULL,
    updated_us INTEGER NOT NULL,
    PRIMARY KEY (profile_id),
    FOREIGN KEY(profile_id) REFERENCES profile (id)
);
CREATE TABLE model_scope (
    id INTEGER NOT NULL, kind VARCHAR NOT NULL, pattern VARCHAR NOT NULL, profile_id INTEGER NOT NULL,
    provider_glob VARCHAR NOT NULL, model_glob VARCHAR NOT NULL,
    PRIMARY KEY (id), UNIQUE (kind, pattern, profile_id)
)
"""


V9 = """
ALTER TABLE ledger ADD COLUMN source VARCHAR NOT NULL DEFAULT 'meter';
ALTER TABLE ledger ADD COLUMN response_id VARCHAR NOT NULL DEFAULT '';
CREATE INDEX ix_ledger_response_id ON ledger (response_id)
"""

V10 = """
CREATE TABLE import_file (
    tool VARCHAR NOT NULL, path VARCHAR NOT NULL, dev INTEGER NOT NULL, ino INTEGER NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, head VARCHAR NOT NULL, read_to INTEGER NOT NULL,
    state_json VARCHAR NOT NULL, updated_us INTEGER NOT NULL,
    PRIMARY KEY (tool, path)
)
"""

V11 = """
CREATE TABLE plan (
    profile_id INTEGER NOT NULL, tool VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    price_nano INTEGER NOT NULL, window_us INTEGER NOT NULL, window_start VARCHAR NOT NULL,
    weekly BOOLEAN NOT NULL, week_anchor_us INTEGER,
    window_limit INTEGER NOT NULL, window_limit_unit VARCHAR NOT NULL,
    week_limit INTEGER NOT NULL, week_limit_unit VARCHAR NOT NULL, created_us INTEGER NOT NULL,
    PRIMARY KEY (profile_id, tool),
    FOREIGN KEY(profile_id) REFERENCES profile (id) ON DELETE CASCADE
);
CREATE INDEX ix_ledger_source_at ON ledger (source, at_us)
"""


Step = tuple[int, str, Callable[[sqlite3.Connection], None] | None]
STEPS: tuple[Step, ...] = (
    (1, V1, None),
    (2, V2, _backfill_daily),
    (3, "", _billing_tables),
    (4, V4, None),
    (5, V5, None),
    (6, V6, None),
    (7, V7, None),
    (8, V8, None),
    (9, V9, None),
    (10, V10, None),
    (11, V11, None),
    (12, V12_ENERGY, None),
    (15, V15, None),
    (16, V16, None),
)
CURRENT_VERSION = STEPS[-1][0]


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT our transaction first; run statement by statement instead.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def migrate(conn: sqlite3.Connection, *, target: int = CURRENT_VERSION) -> int:
    """Bring the wallet to ``target``; returns the version found before migrating.

    ``conn`` must be in autocommit mode (``isolation_level=None``).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for version, script, after in STEPS:
            if found < version <= target:
                _run_script(conn, script)
                if after is not None:
                    after(conn)
                conn.execute(f"PRAGMA user_version = {version}")
        if found == 0:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found
