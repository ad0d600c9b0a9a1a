"""Subscription plans in the wallet (schema v11) and the imported use they are measured against.

A profile holds at most one plan per tool. The plan's use is the ledger rows of that profile whose
``source`` is ``imported:<tool>``; their time is the request's own (``started_us`` when the
importer set it, else ``at_us``), so windows follow when the work happened, not when it was read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tokenwallet.billing.plans import Plan, limit_columns, limit_from_columns
from tokenwallet.core.windows import Entry
from tokenwallet.wallet.base import WalletBase
from tokenwallet.wallet.db import immediate, to_us
from tokenwallet.wallet.errors import NotFound

IMPORTED_LO, IMPORTED_HI = "imported:", "imported;"  # every "imported:<tool>" sorts between these
_TOKENS = "input_tokens + cache_read_tokens + cache_write_tokens + cache_write_1h_tokens + output_tokens"
_SELECT = (
    "SELECT p.name, l.tool, l.kind, l.price_nano, l.window_us, l.window_start, l.weekly, l.week_anchor_us,"
    " l.window_limit, l.window_limit_unit, l.week_limit, l.week_limit_unit"
    " FROM plan l JOIN profile p ON p.id = l.profile_id"
)


def _plan(r: tuple[Any, ...]) -> Plan:
    return Plan(
        profile=r[0],
        tool=r[1],
        kind=r[2],
        price_nano=int(r[3]),
        window_us=int(r[4]),
        window_start=r[5],
        weekly=bool(r[6]),
        week_anchor_us=None if r[7] is None else int(r[7]),
        window_limit=limit_from_columns(r[8], r[9]),
        week_limit=limit_from_columns(r[10], r[11]),
    )


class PlansMixin(WalletBase):
    def set_plan(self, plan: Plan) -> None:
        """Give ``plan.profile`` this plan for ``plan.tool`` (replacing the one it had)."""
        conn = self._conn()
        with immediate(conn):
            pid = self._profile_id(conn, plan.profile)
            conn.execute(
                "INSERT OR REPLACE INTO plan (profile_id, tool, kind, price_nano, window_us, window_start,"
                " weekly, week_anchor_us, window_limit, window_limit_unit, week_limit, week_limit_unit,"
                " created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (pid, plan.tool, plan.kind, plan.price_nano, plan.window_us, plan.window_start,
                 int(plan.weekly), plan.week_anchor_us, *limit_columns(plan.window_limit),
                 *limit_columns(plan.week_limit), self._now_us()),
            )  # fmt: skip

    def plans(self, profile: str | None = None) -> list[Plan]:
        """Every plan (of one profile, when named), by profile then tool."""
        conn = self._conn()
        if profile is None:
            rows = conn.execute(_SELECT + " ORDER BY p.name, l.tool")
        else:
            pid = self._profile_id(conn, profile)
            rows = conn.execute(_SELECT + " WHERE l.profile_id = ? ORDER BY l.tool", (pid,))
        return [_plan(r) for r in rows]

    def remove_plan(self, profile: str, tool: str | None = None) -> list[Plan]:
        """Remove the profile's plan for ``tool`` (every plan of it when None); returns what went."""
        conn = self._conn()
        with immediate(conn):
            pid = self._profile_id(conn, profile)
            rows = conn.execute(
                _SELECT + " WHERE l.profile_id = ? AND (? IS NULL OR l.tool = ?) ORDER BY l.tool",
                (pid, tool, tool),
            ).fetchall()
            if not rows:
                what = f"plan for {tool}" if tool else "plan"
                raise NotFound(f"profile {profile!r} has no {what}")
            conn.execute(
                "DELETE FROM plan WHERE profile_id = ? AND (? IS NULL OR tool = ?)", (pid, tool, tool)
            )
        return [_plan(r) for r in rows]

    def imported_entries(self, profile: str, source: str, since: datetime) -> list[Entry]:
        """The profile's ledger rows from ``source`` at or after ``since`` (request time), oldest first."""
        conn = self._conn()
        pid = self._profile_id(conn, profile)
        since_us = to_us(since)
        # at_us >= started_us, so the index range on at_us is a superset; the request time decides.
        # "+profile_id": keep SQLite on the (source, at_us) index, never the profile's metered rows
        rows = conn.execute(
            f"SELECT COALESCE(started_us, at_us) AS t, {_TOKENS}, cost_nano FROM ledger"
            " WHERE source = ? AND at_us >= ? AND +profile_id = ? AND COALESCE(started_us, at_us) >= ?"
            " ORDER BY t",
            (source, since_us, pid, since_us),
        )
        return [Entry(int(r[0]), int(r[1]), int(r[2])) for r in rows]

    def imported_totals(
        self, *, since: datetime, until: datetime, profile: str | None = None
    ) -> dict[str, tuple[int, int, int]]:
        """Imported use per source in ``[since, until)`` by ledger time: (cost_nano, tokens, calls).

        Ledger time (``at_us``) is what the daily roll-ups use, so metered = total − imported holds.
        """
        conn = self._conn()
        sql = (
            f"SELECT source, SUM(cost_nano), SUM({_TOKENS}), COUNT(*) FROM ledger"
            " WHERE source >= ? AND source < ? AND at_us >= ? AND at_us < ?"
        )
        args: list[Any] = [IMPORTED_LO, IMPORTED_HI, to_us(since), to_us(until)]
        if profile is not None:
            sql += " AND +profile_id = ?"  # stay on the (source, at_us) index: imported rows only
            args.append(self._profile_id(conn, profile))
        rows = conn.execute(sql + " GROUP BY source ORDER BY source", args)
        return {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in rows}
