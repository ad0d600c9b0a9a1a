"""The SQLite → PostgreSQL translation table (wallet/pgsql.py), one row each, no server needed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tokenwallet.wallet import Wallet, pgsql
from tokenwallet.wallet.backend import redact


@pytest.mark.parametrize(
    ("sqlite", "postgresql"),
    [
        ("SELECT id FROM profile WHERE name = ? AND note LIKE '%?%'",
         "SELECT id FROM profile WHERE name = %s AND note LIKE '%%?%%'"),
        ("INSERT OR IGNORE INTO guard_lift (guard_id, session, created_us) VALUES (?, ?, ?)",
         "INSERT INTO guard_lift (guard_id, session, created_us) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"),
        ("INSERT OR REPLACE INTO setting (name, scope, value) VALUES (?, ?, ?)",
         "INSERT INTO setting (name, scope, value) VALUES (%s, %s, %s)"
         " ON CONFLICT (name, scope) DO UPDATE SET value = EXCLUDED.value"),
        ("SELECT 1 WHERE ? GLOB m.model_glob", "SELECT 1 WHERE tw_glob(%s, m.model_glob)"),
        ("UPDATE envelope SET held = MAX(0, held - ?)", "UPDATE envelope SET held = GREATEST(0, held - %s)"),
        ("SELECT MAX(seq) FROM invoice", "SELECT MAX(seq) FROM invoice"),
        ("SELECT a FROM t WHERE 1 ORDER BY a", "SELECT a FROM t WHERE TRUE ORDER BY a"),
        ("SELECT d FROM t GROUP BY d, NULL ORDER BY d, NULL", "SELECT d FROM t GROUP BY d ORDER BY d"),
        ("SELECT 1 WHERE (? IS NULL OR tool = ?)", "SELECT 1 WHERE (%s::text IS NULL OR tool = %s)"),
        ("SELECT date(at_us / 1000000, 'unixepoch')",
         "SELECT to_char(timestamp 'epoch' + (at_us / 1000000) * interval '1 second', 'YYYY-MM-DD')"),
    ],
)  # fmt: skip
def test_each_row_of_the_table(sqlite: str, postgresql: str) -> None:
    assert pgsql.translate(sqlite).sql == postgresql


def test_an_insert_into_a_table_with_an_identity_id_returns_it() -> None:
    st = pgsql.translate("INSERT INTO profile (name, role, paused, created_us) VALUES (?, ?, ?, ?)")
    assert st.returning_id and st.sql.endswith(" RETURNING id")
    assert not pgsql.translate("INSERT INTO setting (name, scope, value) VALUES (?, ?, ?)").returning_id


def test_the_daily_upsert_names_the_old_row() -> None:
    sql = pgsql.translate(
        "INSERT INTO daily (day, profile_id, project_id, provider, model, calls) VALUES (?, ?, ?, ?, ?, 1)"
        " ON CONFLICT (day, profile_id, project_id, provider, model) DO UPDATE SET calls = calls + 1,"
        " cost_nano = cost_nano + excluded.cost_nano"
    ).sql
    assert sql.endswith(
        "DO UPDATE SET calls = daily.calls + 1, cost_nano = daily.cost_nano + excluded.cost_nano"
    )


def test_the_schema_as_parsed_is_the_schema_sqlite_has(tmp_path: Path) -> None:
    """``wallet migrate`` copies the columns ``pgsql.tables()`` names: exactly the file's."""
    Wallet.open(tmp_path / "wallet.db").close()
    conn = sqlite3.connect(tmp_path / "wallet.db")
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        actual = {t: tuple(r[1] for r in conn.execute(f"PRAGMA table_info({t})")) for t in names}
    finally:
        conn.close()
    assert {t.name: t.columns for t in pgsql.tables().values()} == actual


def test_a_password_is_never_shown() -> None:
    assert redact("postgresql://tw:hunter2@db.example:5432/w?sslmode=require") == (
        "postgresql://tw:***@db.example:5432/w?sslmode=require"
    )
    assert "hunter2" not in redact("postgresql://tw@db/w?password=hunter2&sslmode=require")
