"""Envelope state and its maths, on an open transaction.

Each envelope row carries the running totals of its *current* period, so a status read or a
reservation never sums the ledger. Closed periods are copied to ``envelope_period``.

The rule for money in an envelope (documented for users in :func:`charge`):

* ``available = carried + assigned + topups − spent − held`` where ``topups`` is what top-ups
  contributed to this period: drawn this period plus still unused and unexpired.
* Spending draws the period allowance (carried + assigned) first, then top-ups, soonest-expiring
  first (top-ups without an expiry last, oldest first among equals).
* At a period reset: with rollover on, what is left of the allowance carries over — negative
  when the period was overspent (debt); with rollover off the new period starts from the plain
  amount. Top-ups are not part of the allowance: they survive resets until used or expired.
* When a top-up expires, its unused remainder lapses (an ``expiry`` movement records how much) —
  except what in-flight calls are holding, which lapses once they have settled (re-checked hourly),
  so an expiry never pushes an envelope below zero under a call it already admitted.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tokenwallet.core.money import Unit
from tokenwallet.core.periods import FOREVER, Period, period_bounds, projected_spend
from tokenwallet.wallet.db import MAX_US, from_us, to_us
from tokenwallet.wallet.types import Action, Envelope, EnvelopeStatus, Scope

ENV_COLS = (
    "e.id, e.scope_kind, e.scope_ref, e.unit, e.amount, e.period, e.action, e.rollover, e.thresholds,"
    " e.cur_start, e.cur_end, e.carried, e.assigned, e.spent, e.topup_drawn, e.topup_left,"
    " e.next_expiry, e.held, e.crossed_pct"
)
#: Envelope columns plus the name of the profile or project it hangs on (for a model or provider
#: scope: its pattern, and the profile it is narrowed to). ``m`` is the model scope, if any.
ENV_SELECT = (
    f"SELECT {ENV_COLS}, COALESCE(p.name, j.name, m.pattern), mp.name FROM envelope e"
    " LEFT JOIN profile p ON e.scope_kind = 'profile' AND p.id = e.scope_ref"
    " LEFT JOIN project j ON e.scope_kind = 'project' AND j.id = e.scope_ref"
    " LEFT JOIN model_scope m ON e.scope_kind IN ('model', 'provider') AND m.id = e.scope_ref"
    " LEFT JOIN profile mp ON mp.id = m.profile_id"
)
FOREVER_US = to_us(FOREVER)
_THRESHOLDS: dict[str, tuple[int, ...]] = {}  # the thresholds column's JSON, parsed once per text
EXPIRY_GRACE_US = 3600 * 1_000_000


@dataclass(slots=True)
class EnvState:
    """A mutable copy of one envelope row inside a transaction."""

    id: int
    scope_kind: str
    scope_ref: int
    unit: str
    amount: int
    period: str
    action: str
    rollover: bool
    thresholds: tuple[int, ...]
    cur_start: int
    cur_end: int
    carried: int
    assigned: int
    spent: int
    topup_drawn: int
    topup_left: int
    next_expiry: int
    held: int
    crossed_pct: int
    scope_name: str | None
    scope_profile: str | None = None  # the profile a model/provider scope is narrowed to

    @classmethod
    def from_row(cls, row: tuple[object, ...]) -> EnvState:
        (i, kind, ref, unit, amount, period, action, rollover, thr, *rest) = row
        env = cls(i, kind, ref, unit, amount, period, action, bool(rollover), (), *rest)  # type: ignore[arg-type]
        text = str(thr)
        parsed = _THRESHOLDS.get(text)
        if parsed is None:
            parsed = tuple(json.loads(text))
            if len(_THRESHOLDS) < 1024:
                _THRESHOLDS[text] = parsed
        env.thresholds = parsed
        return env

    @property
    def topups(self) -> int:
        return self.topup_drawn + self.topup_left

    @property
    def available(self) -> int:
        return self.carried + self.assigned + self.topups - self.spent - self.held

    @property
    def allowance_left(self) -> int:
        """What is left of carried + assigned (negative once top-ups or debt cover spending)."""
        return self.carried + self.assigned - (self.spent - self.topup_drawn)

    @property
    def roll_at(self) -> int:
        return min(self.cur_end, self.next_expiry)

    @property
    def used_pct(self) -> int:
        total = self.carried + self.assigned + self.topups
        if total <= 0:
            return 100 if self.spent > 0 else 0
        return self.spent * 100 // total

    def charge_of(self, cost_nano: int, tokens: int) -> int:
        return cost_nano if self.unit == "usd" else tokens

    def envelope(self) -> Envelope:
        if self.scope_kind == "wallet":
            scope = Scope("wallet")
        else:
            scope = Scope(
                self.scope_kind,  # type: ignore[arg-type]  # constrained on write
                self.scope_name or f"#{self.scope_ref}",
                self.scope_profile if self.scope_kind in ("model", "provider") else None,
            )
        unit: Unit = "usd" if self.unit == "usd" else "tokens"
        action: Action = self.action  # type: ignore[assignment]  # constrained on write
        return Envelope(
            self.id, scope, unit, self.amount, self.period, action, self.rollover, self.thresholds
        )

    def status(self, now_us: int) -> EnvelopeStatus:
        start, end = from_us(self.cur_start), from_us(self.cur_end)
        open_ended = self.cur_end >= FOREVER_US
        return EnvelopeStatus(
            envelope=self.envelope(),
            period_start=start,
            period_end=None if open_ended else end,
            carried=self.carried,
            assigned=self.assigned,
            topups=self.topups,
            spent=self.spent,
            held=self.held,
            available=self.available,
            used_pct=self.used_pct,
            projected=None if open_ended else projected_spend(self.spent, start, end, from_us(now_us)),
        )

    def save(self, conn: sqlite3.Connection) -> None:
        conn.execute(_SAVE, (*self._totals(), self.id))

    def _totals(self) -> tuple[int | None, ...]:
        return (self.cur_start, self.cur_end, self.carried, self.assigned, self.spent, self.topup_drawn,
                self.topup_left, self.next_expiry, self.held, self.crossed_pct)  # fmt: skip


_SAVE = (
    "UPDATE envelope SET cur_start=?, cur_end=?, carried=?, assigned=?, spent=?, topup_drawn=?,"
    " topup_left=?, next_expiry=?, held=?, crossed_pct=? WHERE id=?"
)
# Several envelopes' totals in one statement (valid SQLite ≥ 3.33 too, but used on PostgreSQL
# only): one round trip less per envelope. The first row's casts type the columns (a column of NULLs would
# be text to PostgreSQL).
_SAVE_MANY = (
    "UPDATE envelope SET cur_start=v.column2, cur_end=v.column3, carried=v.column4,"
    " assigned=v.column5, spent=v.column6, topup_drawn=v.column7, topup_left=v.column8,"
    " next_expiry=v.column9, held=v.column10, crossed_pct=v.column11"
    " FROM (VALUES ({first}){rest}) AS v WHERE envelope.id = v.column1"
)
_FIRST_ROW = ", ".join(["CAST(? AS BIGINT)"] * 11)
_ROW = ", (" + ", ".join(["?"] * 11) + ")"


def _sqlite(conn: object) -> bool:
    """An SQLite connection (typed as one everywhere, PostgreSQL's shim included)."""
    return isinstance(conn, sqlite3.Connection)


def save_all(conn: sqlite3.Connection, envs: list[EnvState]) -> None:
    """Save every envelope of ``envs`` (what :meth:`EnvState.save` does for one): in one statement
    on PostgreSQL; one each on SQLite, where a statement is no round trip and the join is slower."""
    if len(envs) <= 1 or _sqlite(conn):
        for env in envs:
            env.save(conn)
        return
    sql = _SAVE_MANY.format(first=_FIRST_ROW, rest=_ROW * (len(envs) - 1))
    conn.execute(sql, [x for env in envs for x in (env.id, *env._totals())])


def set_held(conn: sqlite3.Connection, held: list[tuple[int, int]]) -> None:
    """Each (envelope id, held): a reserve's holds, in one statement on PostgreSQL (as ``save_all``)."""
    if len(held) == 1 or _sqlite(conn):
        for env_id, amount in held:
            conn.execute("UPDATE envelope SET held = ? WHERE id = ?", (amount, env_id))
    elif held:
        cases = " WHEN ? THEN ?" * len(held)
        ids = ", ".join(["?"] * len(held))
        conn.execute(
            f"UPDATE envelope SET held = CASE id{cases} END WHERE id IN ({ids})",
            [*(x for pair in held for x in pair), *(env_id for env_id, _ in held)],
        )


def add_movement(
    conn: sqlite3.Connection,
    env_id: int,
    kind: str,
    amount: int,
    at_us: int,
    *,
    note: str = "",
    expires_us: int | None = None,
) -> None:
    conn.execute(
        "INSERT INTO movement (envelope_id, kind, amount, at_us, note, expires_us) VALUES (?, ?, ?, ?, ?, ?)",
        (env_id, kind, amount, at_us, note, expires_us),
    )


def refresh_next_expiry(conn: sqlite3.Connection, env: EnvState) -> None:
    row = conn.execute(
        "SELECT MIN(expires_us) FROM topup WHERE envelope_id=? AND remaining > 0 AND expires_us IS NOT NULL",
        (env.id,),
    ).fetchone()
    env.next_expiry = MAX_US if row[0] is None else int(row[0])


def maintain(conn: sqlite3.Connection, env: EnvState, now_us: int, tz: ZoneInfo, week_start: int) -> bool:
    """Lapse expired top-ups and roll finished periods up to ``now``. Returns True if it changed."""
    if now_us < env.roll_at:
        return False
    if env.next_expiry <= now_us:
        lots = conn.execute(
            "SELECT id, remaining, expires_us FROM topup WHERE envelope_id=? AND remaining > 0"
            " AND expires_us IS NOT NULL AND expires_us <= ?",
            (env.id, now_us),
        ).fetchall()
        for lot_id, remaining, expires_us in lots:
            # Money already promised to in-flight calls does not lapse under them: that part of
            # the lot waits (re-checked after EXPIRY_GRACE_US) until those holds settle.
            lapse = min(remaining, max(0, env.available))
            kept = remaining - lapse
            conn.execute(
                "UPDATE topup SET remaining = ?, expires_us = ? WHERE id=?",
                (kept, now_us + EXPIRY_GRACE_US if kept else expires_us, lot_id),
            )
            if lapse:
                add_movement(conn, env.id, "expiry", -lapse, expires_us, note=f"top-up #{lot_id} expired")
            env.topup_left -= lapse
        refresh_next_expiry(conn, env)
    period: Period = env.period  # type: ignore[assignment]  # constrained on write
    while now_us >= env.cur_end and env.cur_end < FOREVER_US:
        conn.execute(
            "INSERT OR REPLACE INTO envelope_period (envelope_id, period_start, period_end, carried,"
            " assigned, topups, spent, closed_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (env.id, env.cur_start, env.cur_end, env.carried, env.assigned, env.topups, env.spent, now_us),
        )
        carry = env.allowance_left if env.rollover else 0
        if carry:
            note = "unused allowance carried over" if carry > 0 else "overspend carried over as debt"
            add_movement(conn, env.id, "rollover", carry, env.cur_end, note=note)
        start, end = period_bounds(period, from_us(env.cur_end), tz, week_start)
        # max(): after a time-zone change the new zone's period may have begun before the old one
        # ended; periods never overlap.
        env.cur_start, env.cur_end = max(to_us(start), env.cur_end), to_us(end)
        env.carried, env.assigned, env.spent, env.topup_drawn, env.crossed_pct = carry, env.amount, 0, 0, 0
    return True


def draw_lots(conn: sqlite3.Connection, env_id: int, amount: int, now_us: int) -> int:
    """Take up to ``amount`` from live top-ups, soonest-expiring first; returns what was taken."""
    taken = 0
    lots = conn.execute(
        "SELECT id, remaining FROM topup WHERE envelope_id=? AND remaining > 0"
        " AND (expires_us IS NULL OR expires_us > ?) ORDER BY expires_us IS NULL, expires_us, id",
        (env_id, now_us),
    ).fetchall()
    for lot_id, remaining in lots:
        if taken >= amount:
            break
        take = min(remaining, amount - taken)
        conn.execute("UPDATE topup SET remaining = remaining - ? WHERE id=?", (take, lot_id))
        taken += take
    return taken


def charge(conn: sqlite3.Connection, env: EnvState, amount: int, now_us: int) -> None:
    """Record ``amount`` spent: from the allowance first, then from top-ups (see module doc)."""
    if amount <= 0:
        return
    from_allowance = max(0, min(amount, env.allowance_left))
    rest = amount - from_allowance
    if rest > 0 and env.topup_left > 0:
        drawn = draw_lots(conn, env.id, min(rest, env.topup_left), now_us)
        env.topup_drawn += drawn
        env.topup_left -= drawn
    env.spent += amount  # anything neither could cover is overspend: the allowance goes negative


def debit_for_transfer(conn: sqlite3.Connection, env: EnvState, amount: int, now_us: int) -> None:
    """Move ``amount`` out of an envelope: this period's allowance first, then top-ups."""
    from_allowance = max(0, min(amount, env.allowance_left))
    env.assigned -= from_allowance
    rest = amount - from_allowance
    if rest > 0:
        drawn = draw_lots(conn, env.id, rest, now_us)
        env.topup_left -= drawn
        env.assigned -= rest - drawn  # only reachable when held money was counted as available


def crossed_thresholds(env: EnvState) -> list[int]:
    """Thresholds newly reached by this period's spending (each reported once per period)."""
    used = env.used_pct
    new = [t for t in env.thresholds if env.crossed_pct < t <= used]
    if new:
        env.crossed_pct = max(new)
    return new
