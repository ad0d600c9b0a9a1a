"""Exact sums over the ledger for statements, reports and invoices.

The ledger is the truth: these read ``ledger`` rows (not the daily roll-ups), so every figure is
a sum of the very ``cost_nano`` integers the meter recorded. Date ranges are whole local days in
the wallet's time zone, ``[first day 00:00, day after the last day 00:00)``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tokenwallet.billing import store
from tokenwallet.core.periods import PeriodError, day_bounds, zone
from tokenwallet.core.usage import Usage
from tokenwallet.wallet.errors import NotFound, WalletError

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet

_SUMS = (
    "COUNT(*), SUM(input_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens),"
    " SUM(cache_write_1h_tokens), SUM(output_tokens), SUM(reasoning_tokens), SUM(cost_nano),"
    " SUM(estimated), SUM(unpriced)"
)


@dataclass(frozen=True, slots=True)
class ModelLine:
    """Calls of one (provider, model) in a range."""

    provider: str
    model: str
    calls: int
    usage: Usage
    cost_nano: int
    estimated_calls: int = 0
    unpriced_calls: int = 0

    @property
    def tokens(self) -> int:
        return self.usage.total_tokens


@dataclass(frozen=True, slots=True)
class DayLine:
    """Calls of one local day in a range."""

    day: date
    calls: int
    tokens: int
    cost_nano: int


#: A ledger row's local calendar day (``?``: the zone's name) on PostgreSQL, exact to the microsecond.
LOCAL_DAY_SQL = (
    "to_char((timestamptz 'epoch' + at_us * interval '1 microsecond') AT TIME ZONE ?, 'YYYY-MM-DD')"
)


def wallet_zone(wallet: Wallet) -> ZoneInfo:
    """The wallet's time zone (periods, days and statements follow it)."""
    try:
        return zone(str(wallet.get_setting("timezone")))
    except (PeriodError, WalletError):
        return zone("UTC")


def day_range(wallet: Wallet, first: date, last: date) -> tuple[datetime, datetime]:
    """``[start, end)`` in UTC covering local days ``first`` … ``last`` (both included)."""
    if last < first:
        raise WalletError(f"the range ends ({last}) before it starts ({first})")
    tz = wallet_zone(wallet)
    return day_bounds(first, tz)[0], day_bounds(last, tz)[1]


def month_range(wallet: Wallet, year: int, month: int) -> tuple[date, date]:
    """First and last day of a calendar month."""
    if not 1 <= month <= 12:
        raise WalletError(f"no month {month}")
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _filter(
    conn: sqlite3.Connection, profile: str | None, project: str | None, since: datetime, until: datetime
) -> tuple[str, list[Any]]:
    parts = ["at_us >= ?", "at_us < ?"]
    args: list[Any] = [store.stamp(since), store.stamp(until)]
    if profile is not None:
        row = conn.execute("SELECT id FROM profile WHERE name=?", (profile,)).fetchone()
        if row is None:
            raise NotFound(f"no profile named {profile!r}")
        parts.append("profile_id = ?")
        args.append(int(row[0]))
    if project is not None:
        row = conn.execute("SELECT id FROM project WHERE name=?", (project,)).fetchone()
        if row is None:
            raise NotFound(f"no project named {project!r}")
        parts.append("project_id = ?")
        args.append(int(row[0]))
    return " WHERE " + " AND ".join(parts), args


def by_model(
    wallet: Wallet,
    *,
    since: datetime,
    until: datetime,
    profile: str | None = None,
    project: str | None = None,
) -> list[ModelLine]:
    """Sums per (provider, model) in ``[since, until)``, most expensive first."""
    with store.read(wallet, tables=False) as conn:
        where, args = _filter(conn, profile, project, since, until)
        rows = conn.execute(
            f"SELECT provider, model, {_SUMS} FROM ledger{where} GROUP BY provider, model", args
        )
        lines = [
            ModelLine(
                str(r[0]),
                str(r[1]),
                int(r[2]),
                Usage(*(int(x or 0) for x in r[3:9])),
                int(r[9] or 0),
                int(r[10] or 0),
                int(r[11] or 0),
            )
            for r in rows
        ]
    lines.sort(key=lambda m: (-m.cost_nano, m.provider, m.model))
    return lines


def by_day(
    wallet: Wallet,
    *,
    since: datetime,
    until: datetime,
    profile: str | None = None,
    project: str | None = None,
) -> list[DayLine]:
    """Sums per local day (wallet time zone) in ``[since, until)``, oldest first."""
    tz = wallet_zone(wallet)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)

    def local_day(us: int) -> str:
        return (epoch + timedelta(microseconds=us)).astimezone(tz).date().isoformat()

    with store.read(wallet, tables=False) as conn:
        day, day_args = LOCAL_DAY_SQL, [tz.key]  # PostgreSQL runs no Python: the local day in SQL
        if hasattr(conn, "create_function"):  # SQLite (issue 14: a PostgreSQL wallet has none)
            conn.create_function("tw_billing_day", 1, local_day, deterministic=True)
            day, day_args = "tw_billing_day(at_us)", []
        where, args = _filter(conn, profile, project, since, until)
        rows = conn.execute(
            f"SELECT {day} AS d, COUNT(*), SUM(input_tokens + cache_read_tokens"
            " + cache_write_tokens + cache_write_1h_tokens + output_tokens), SUM(cost_nano)"
            f" FROM ledger{where} GROUP BY d ORDER BY d",
            [*day_args, *args],
        )
        return [DayLine(date.fromisoformat(r[0]), int(r[1]), int(r[2] or 0), int(r[3] or 0)) for r in rows]


def total_nano(
    wallet: Wallet,
    *,
    since: datetime,
    until: datetime,
    profile: str | None = None,
    project: str | None = None,
) -> tuple[int, int]:
    """``(calls, cost_nano)`` in ``[since, until)`` straight from the ledger (for reconciliation)."""
    with store.read(wallet, tables=False) as conn:
        where, args = _filter(conn, profile, project, since, until)
        row = conn.execute(
            f"SELECT COUNT(*), COALESCE(SUM(cost_nano), 0) FROM ledger{where}", args
        ).fetchone()
    return int(row[0]), int(row[1])
