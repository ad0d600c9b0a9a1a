"""The offline journal: where a meter records calls while its shared (PostgreSQL) wallet is unreachable.

A small SQLite file in the device's data folder (``offline-journal.db``), with its own one-table
schema: nothing in it belongs to the shared wallet until it is replayed. One row per call:

==========  ==========================================================  =========================
state       written                                                     becomes
==========  ==========================================================  =========================
``held``    before the call goes upstream (its worst case, per          ``settled`` when the call
            envelope it charges)                                        ends
``settled`` when the call ends (the ledger record and what it charged)  a ledger row when the
                                                                        database is back, then
                                                                        deleted
==========  ==========================================================  =========================

Every write is its own transaction, in WAL mode with ``synchronous=FULL``: a call is on disk (one
fsync of the log) before a byte of it goes upstream. The float check and the hold are one
``BEGIN IMMEDIATE`` transaction, so two processes on one data folder cannot both take the last of a
float.

The float (``room``): offline spending charged to an envelope may not exceed the smaller of the
float for its unit and what the envelope had left when the database was last seen; a ``warn``
envelope (which never refuses) is bounded by the float alone. Calls no envelope covers are
counted against :data:`NO_ENVELOPE`, bounded by the float too: offline, nothing is unlimited.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tokenwallet.core import private
from tokenwallet.core.usage import Usage
from tokenwallet.wallet.db import rollback
from tokenwallet.wallet.types import CallRecord, KeyBinding

FILE = "offline-journal.db"
NO_ENVELOPE = 0  # the bucket of offline calls that no envelope covers (its unit is usd)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entry (
    call_id TEXT NOT NULL PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('held', 'settled')),
    created_us INTEGER NOT NULL,
    owner_pid INTEGER NOT NULL,
    owner_token TEXT NOT NULL,
    charges TEXT NOT NULL,
    hold TEXT NOT NULL,
    record TEXT,
    error TEXT
);
CREATE TABLE IF NOT EXISTS total (
    envelope_id INTEGER NOT NULL PRIMARY KEY,
    unit TEXT NOT NULL,
    amount INTEGER NOT NULL
)
"""
_ADD = (
    "INSERT INTO total (envelope_id, unit, amount) VALUES (?, ?, ?)"
    " ON CONFLICT (envelope_id) DO UPDATE SET amount = amount + excluded.amount"
)


@dataclass(frozen=True, slots=True)
class Sight:
    """An envelope as the meter last saw it in the shared wallet (after a successful reserve)."""

    id: int
    label: str
    unit: str  # "usd" (nano-USD) or "tokens"
    action: str  # block, downgrade or warn
    available: int


@dataclass(frozen=True, slots=True)
class Float:
    """The offline float: how far a device may spend per envelope without the shared wallet."""

    usd_nano: int
    tokens: int

    def of(self, unit: str) -> int:
        return self.usd_nano if unit == "usd" else self.tokens


def room(sight: Sight, flt: Float) -> int:
    """The most offline calls may charge this envelope: min(float, what was left at last sight)."""
    cap = flt.of(sight.unit)
    if sight.action == "warn":
        return cap
    return max(0, min(cap, sight.available))


def no_envelope() -> Sight:
    return Sight(NO_ENVELOPE, "calls without a budget", "usd", "warn", 0)


@dataclass(frozen=True, slots=True)
class Need:
    """What one call charges one envelope (in its unit) and the most the journal may hold there."""

    sight: Sight
    amount: int
    limit: int


@dataclass(frozen=True, slots=True)
class Held:
    """A journal hold: what ``recover`` needs to settle a call whose meter ended mid-call."""

    call_id: str
    owner_pid: int
    owner_token: str
    created_us: int
    hold: dict[str, Any]


# -- records as JSON -------------------------------------------------------------------------------


def record_to_json(rec: CallRecord) -> str:
    data = {f: getattr(rec, f) for f in CallRecord.__dataclass_fields__}
    data["binding"] = asdict(rec.binding)
    data["usage"] = asdict(rec.usage)
    for name in ("started_at", "at"):
        value = data[name]
        data[name] = None if value is None else value.isoformat()
    return json.dumps(data, separators=(",", ":"))


def record_from_json(text: str) -> CallRecord:
    data = json.loads(text)
    data["binding"] = KeyBinding(**data["binding"])
    data["usage"] = Usage.from_dict(data["usage"])
    for name in ("started_at", "at"):
        value = data[name]
        data[name] = None if value is None else datetime.fromisoformat(value)
    return CallRecord(**data)


# -- the file -------------------------------------------------------------------------------------


class Journal:
    """The journal file of one data folder; safe to share between threads (one lock)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / FILE
        private.make_dir(self.path.parent)
        if not self.path.exists():
            private.create_file(self.path)  # owner-only, like the wallet file: prompts may be in it
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            str(self.path), timeout=10, isolation_level=None, check_same_thread=False
        )
        self._conn.execute("PRAGMA journal_mode = WAL")  # one fsync per commit, of the log only
        self._conn.execute("PRAGMA synchronous = FULL")  # … and every commit is on disk
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                rollback(conn)  # only what is open: SQLite undoes some failures (a full disk) itself
                raise

    @staticmethod
    def _used(conn: sqlite3.Connection) -> dict[int, tuple[str, int]]:
        # running totals, kept with every write: a long outage's thousands of cheap calls must not
        # make each new call sum the whole journal
        rows = conn.execute("SELECT envelope_id, unit, amount FROM total WHERE amount != 0")
        return {int(r[0]): (str(r[1]), int(r[2])) for r in rows}

    @staticmethod
    def _add(conn: sqlite3.Connection, charges: dict[str, list[Any]], sign: int) -> None:
        conn.executemany(_ADD, [(int(k), unit, sign * int(amount)) for k, (unit, amount) in charges.items()])

    def used(self) -> dict[int, tuple[str, int]]:
        """What the journal's calls (held and settled) charge each envelope: envelope id → (unit,
        amount)."""
        with self._lock:
            return self._used(self._conn)

    def hold(
        self, call_id: str, needs: list[Need], hold: dict[str, Any], *, owner: tuple[int, str], now_us: int
    ) -> Need | None:
        """Write the call's hold if every envelope's offline charges stay within its limit;
        otherwise write nothing and return the first envelope that cannot take it."""
        with self._write() as conn:
            used = self._used(conn)
            for need in needs:
                if used.get(need.sight.id, ("", 0))[1] + need.amount > need.limit:
                    return need
            charges: dict[str, list[Any]] = {str(n.sight.id): [n.sight.unit, n.amount] for n in needs}
            self._add(conn, charges, 1)
            conn.execute(
                "INSERT INTO entry (call_id, state, created_us, owner_pid, owner_token, charges, hold)"
                " VALUES (?, 'held', ?, ?, ?, ?, ?)",
                (call_id, now_us, owner[0], owner[1], json.dumps(charges), json.dumps(hold)),
            )
        return None

    def settle(self, rec: CallRecord) -> None:
        """The call ended: its record replaces the hold, and what it actually cost replaces the
        hold's worst case on each envelope the hold charged."""
        with self._write() as conn:
            row = conn.execute("SELECT charges FROM entry WHERE call_id = ?", (rec.call_id,)).fetchone()
            if row is None:
                raise LookupError(f"no offline hold for call {rec.call_id}")
            held: dict[str, list[Any]] = json.loads(row[0])
            charges: dict[str, list[Any]] = {
                key: [unit, rec.cost_nano if unit == "usd" else rec.usage.total_tokens]
                for key, (unit, _) in held.items()
            }
            self._add(conn, held, -1)
            self._add(conn, charges, 1)
            cur = conn.execute(
                "UPDATE entry SET state = 'settled', record = ?, charges = ? WHERE call_id = ?",
                (record_to_json(rec), json.dumps(charges), rec.call_id),
            )
            if cur.rowcount != 1:
                raise LookupError(f"no offline hold for call {rec.call_id}")

    def settled(self) -> list[tuple[str, CallRecord]]:
        """Calls waiting to be replayed into the shared wallet, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT call_id, record FROM entry WHERE state = 'settled' ORDER BY created_us, call_id"
            ).fetchall()
        return [(str(r[0]), record_from_json(r[1])) for r in rows]

    def holds(self) -> list[Held]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT call_id, owner_pid, owner_token, created_us, hold FROM entry WHERE state = 'held'"
            ).fetchall()
        return [Held(str(r[0]), int(r[1]), str(r[2]), int(r[3]), json.loads(r[4])) for r in rows]

    def remove(self, call_id: str) -> None:
        """The call's ledger row exists in the shared wallet: it leaves the journal."""
        with self._write() as conn:
            row = conn.execute(
                "DELETE FROM entry WHERE call_id = ? AND state = 'settled' RETURNING charges", (call_id,)
            ).fetchone()
            if row is not None:  # another replay may have removed it first: subtract once
                self._add(conn, json.loads(row[0]), -1)

    def note_error(self, call_id: str, error: str) -> None:
        with self._write() as conn:
            conn.execute("UPDATE entry SET error = ? WHERE call_id = ?", (error[:500], call_id))

    def counts(self) -> tuple[int, int, int]:
        """(held, settled, settled ones whose replay failed)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT COALESCE(SUM(state = 'held'), 0), COALESCE(SUM(state = 'settled'), 0),"
                " COALESCE(SUM(state = 'settled' AND error IS NOT NULL), 0) FROM entry"
            ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])
