"""The wallet's SQL, translated from SQLite's dialect to PostgreSQL's (pure functions, cached).

The wallet's modules keep one set of SQL, written for SQLite (the default, embedded backend, whose
hot path must stay as fast as it is). A PostgreSQL connection (``pgconn``) runs each statement
through :func:`translate` once and caches the result, so the repository code is shared and the
dialect differences live here, in one table a reader can scan:

=============================  =============================================================
SQLite                         PostgreSQL
=============================  =============================================================
``?`` placeholders             ``%s`` (and a literal ``%`` becomes ``%%``)
``INSERT OR IGNORE``           ``INSERT … ON CONFLICT DO NOTHING``
``INSERT OR REPLACE``          ``INSERT … ON CONFLICT (primary key) DO UPDATE SET …``
``a GLOB b``                   ``tw_glob(a, b)`` (a SQL function made by the migration)
scalar ``MAX(a, b)``           ``GREATEST(a, b)`` (and ``MIN`` → ``LEAST``)
``json_each(?)``               ``json_array_elements_text(?::json)``
``DO UPDATE SET n = n + 1``    ``… SET n = table.n + 1`` (PostgreSQL: the old row by name)
``WHERE 1``                    ``WHERE TRUE``
``date(s, 'unixepoch')``       ``to_char(timestamp 'epoch' + s seconds, 'YYYY-MM-DD')`` (UTC)
``GROUP BY a, NULL``           ``GROUP BY a`` (PostgreSQL refuses a constant key)
``? IS NULL``                  ``?::text IS NULL`` (a NULL parameter needs a type)
``sqlite_master``              the tables in ``pg_tables`` of the current schema
``lastrowid``                  ``RETURNING id`` on inserts into tables with an identity id
``INTEGER``, ``BOOLEAN``       ``BIGINT`` (nano-USD, microseconds), ``SMALLINT`` (0/1: the SQL
                               sums and compares them as numbers, as SQLite stores them)
=============================  =============================================================

Hand-written SQL is only translated where the table says; anything else is the same text on both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tokenwallet.wallet.schema import STEPS

_LITERAL = re.compile(r"('(?:[^']|'')*')")
_GLOB = re.compile(r"(\?|[\w.]+) GLOB (\?|[\w.]+)")
_INSERT = re.compile(r"^\s*INSERT (OR (?:IGNORE|REPLACE) )?INTO (\w+)\s*\(([^)]*)\)", re.S)
_JSON_EACH = "SELECT value FROM json_each(?)"
_JSON_EACH_PG = "SELECT value::bigint FROM json_array_elements_text(?::json) AS j(value)"
_WHERE_1 = re.compile(r"\bWHERE 1(?=\s+(?:ORDER|GROUP|LIMIT)\b|\s*$)")
_UNIXEPOCH = re.compile(r"\bdate\(([^()']+), 'unixepoch'\)")
_NULL_KEY = re.compile(r"((?:GROUP|ORDER) BY [\w.]+), NULL\b")
_PARAM_IS_NULL = re.compile(r"\? IS (NOT )?NULL\b")
_SQLITE_MASTER = re.compile(r"\bFROM sqlite_master\b")
_PG_TABLES = (
    "FROM (SELECT 'table' AS type, tablename::text AS name FROM pg_tables"
    " WHERE schemaname = current_schema()) AS sqlite_master"
)
# A text column made from a number: PostgreSQL does not mix the types in COALESCE as SQLite does.
_COALESCE_TEXT = re.compile(r"COALESCE\(((?:MIN|MAX)\(\w+\)), ''\)")

#: SQL functions the PostgreSQL wallet needs (made by ``pgwallet.migrate``). GLOB patterns here
#: use only ``*`` and ``?`` (see core.model_patterns), turned into an anchored regular expression.
FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION tw_glob(s TEXT, pattern TEXT) RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE AS $$
  SELECT s ~ ('^' || replace(replace(regexp_replace(pattern, '([.+^$(){}|\[\]\\])', '\\\1', 'g'),
                                     '*', '.*'), '?', '.') || '$')
$$
"""


@dataclass(frozen=True)
class Statement:
    sql: str
    returning_id: bool  # the cursor reads the new row's id (SQLite's lastrowid)
    # A write with no result to read (no RETURNING): inside a transaction it can wait and go to
    # the server with the next statement that has one (pgbatch).
    deferrable: bool = False
    native: bytes = b""  # the same with PostgreSQL's own $1, $2… placeholders (pgbatch sends it)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    identity: bool  # an integer ``id`` primary key: SQLite's rowid alias, an identity column here


def _create_tables() -> list[tuple[str, str]]:
    """(name, body) of every CREATE TABLE in the migration steps, in creation order."""
    from tokenwallet.wallet.schema_billing import V3_BILLING

    scripts = [script for _, script, _ in STEPS] + [V3_BILLING]
    found = []
    for script in scripts:
        for m in re.finditer(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+) \((.*?)\n\)", script, re.S):
            found.append((m.group(1), m.group(2)))
    return found


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    """Every wallet table as the migrations leave it (columns added by ALTER TABLE included)."""
    out: dict[str, Table] = {}
    for name, body in _create_tables():
        if name in out:
            continue
        cols = tuple(m.group(1) for m in re.finditer(r"(?:^|,)\s*(\w+) (?:INTEGER|VARCHAR|BOOLEAN)", body))
        pk_m = re.search(r"PRIMARY KEY \(([^)]*)\)", body)
        pk = tuple(c.strip() for c in pk_m.group(1).split(",")) if pk_m else ()
        identity = pk == ("id",) and re.search(r"\bid INTEGER NOT NULL", body) is not None
        out[name] = Table(name, cols, pk, identity)
    for _, script, _ in STEPS:
        for m in re.finditer(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", script):
            t = out[m.group(1)]
            out[t.name] = Table(t.name, (*t.columns, m.group(2)), t.primary_key, t.identity)
    return out


def ddl(script: str) -> str:
    """A migration step's DDL for PostgreSQL: 64-bit integers, identity ids, 0/1 booleans."""
    out = []
    for statement in script.split(";"):
        if not statement.strip():
            continue
        s = statement
        if "CREATE TABLE" in s and "PRIMARY KEY (id)" in s:
            s = s.replace("id INTEGER NOT NULL", "id BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL", 1)
        s = re.sub(r"\bINTEGER\b", "BIGINT", s)
        s = re.sub(r"\bBOOLEAN\b", "SMALLINT", s)
        out.append(s)
    return ";".join(out)


def _outside_literals(sql: str, fix: object) -> str:
    parts = _LITERAL.split(sql)
    return "".join(p if i % 2 else fix(p) for i, p in enumerate(parts))  # type: ignore[operator]


def _scalar_minmax(sql: str) -> str:
    """``MAX(a, b)`` → ``GREATEST(a, b)``: only calls with a comma at their own level are scalar."""
    out, i = [], 0
    for m in re.finditer(r"\b(MAX|MIN)\(", sql):
        start = m.end()
        depth, j, comma = 1, start, False
        while j < len(sql) and depth:
            c = sql[j]
            depth += (c == "(") - (c == ")")
            comma = comma or (c == "," and depth == 1)
            j += 1
        if comma:
            out.append(sql[i : m.start()])
            out.append("GREATEST(" if m.group(1) == "MAX" else "LEAST(")
            i = start
    out.append(sql[i:])
    return "".join(out)


def _upsert(table: Table, columns: list[str]) -> str:
    rest = [c for c in columns if c not in table.primary_key]
    action = ", ".join(f"{c} = EXCLUDED.{c}" for c in rest) if rest else ""
    target = ", ".join(table.primary_key)
    return f" ON CONFLICT ({target}) DO " + (f"UPDATE SET {action}" if action else "NOTHING")


def _qualify_update(sql: str, table: Table) -> str:
    """``DO UPDATE SET n = n + 1``: PostgreSQL wants the old row's ``n`` as ``table.n``."""
    head, sep, tail = sql.partition(" DO UPDATE SET ")
    names = "|".join(table.columns)
    tail = re.sub(rf"(?<![.\w])({names})\b(?!\s*=)", rf"{table.name}.\1", tail)
    return head + sep + tail


@lru_cache(maxsize=4096)
def translate(sql: str) -> Statement:
    """One SQLite statement of the wallet as PostgreSQL runs it."""
    s = sql.replace(_JSON_EACH, _JSON_EACH_PG)
    s = _COALESCE_TEXT.sub(r"COALESCE(\1::text, '')", s)
    s = _SQLITE_MASTER.sub(_PG_TABLES, s)
    s = _GLOB.sub(r"tw_glob(\1, \2)", s)
    s = _WHERE_1.sub("WHERE TRUE", s)
    s = _UNIXEPOCH.sub(r"to_char(timestamp 'epoch' + (\1) * interval '1 second', 'YYYY-MM-DD')", s)
    s = _NULL_KEY.sub(r"\1", s)
    s = _PARAM_IS_NULL.sub(r"?::text IS \1NULL", s)
    s = _scalar_minmax(s)
    returning = False
    m = _INSERT.match(s)
    if m is not None:
        table = tables().get(m.group(2))
        columns = [c.strip() for c in m.group(3).split(",")]
        if table is not None and " DO UPDATE SET " in s:
            s = _qualify_update(s, table)
        if m.group(1):
            s = s.replace(m.group(1), "", 1)
            if "IGNORE" in m.group(1):
                s += " ON CONFLICT DO NOTHING"
            elif table is not None:
                s += _upsert(table, columns)
        if table is not None and table.identity and "RETURNING" not in s:
            s += " RETURNING id"
            returning = True
    native = _outside_literals(s, _Numbered()).encode()
    # psycopg reads every % as a placeholder, in quotes too; a ? in quotes is text
    s = _outside_literals(s.replace("%", "%%"), lambda part: part.replace("?", "%s"))
    head = s.lstrip()[:7].upper()
    # A RETURNING the wallet asked for itself is read from its cursor: reading it sends the queue.
    deferrable = head.startswith(("UPDATE ", "INSERT ", "DELETE ")) and not returning
    return Statement(s, returning, deferrable, native)


class _Numbered:
    """``?`` → ``$1``, ``$2``… across the parts of one statement outside its literals."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, part: str) -> str:
        return re.sub(r"\?", self._next, part)

    def _next(self, _m: re.Match[str]) -> str:
        self.n += 1
        return f"${self.n}"
