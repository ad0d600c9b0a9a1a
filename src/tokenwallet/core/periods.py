"""Budget periods: calendar resets in the user's time zone.

An envelope's period is one of ``day``, ``week``, ``month``, ``year`` or ``none`` (a prepaid
balance that never resets). Periods start at local midnight in the wallet's IANA time zone, so a
"month" in Europe/Berlin starts at 22:00 or 23:00 UTC depending on daylight saving time, and a
"day" across a DST change is 23 or 25 hours long. Weeks start on a configurable weekday
(0 = Monday … 6 = Sunday).

All functions take and return timezone-aware datetimes; naive datetimes are refused because a
naive timestamp would silently mean "whatever zone this machine is in".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Period = Literal["day", "week", "month", "year", "none"]
PERIODS: tuple[str, ...] = get_args(Period)

#: The end of a ``none`` period: far enough that nothing ever reaches it.
FOREVER = datetime(9999, 12, 31, tzinfo=UTC)
#: The start of a ``none`` period.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class PeriodError(ValueError):
    """An unknown period name, week start or time zone."""


def check_period(period: str) -> Period:
    if period not in PERIODS:
        raise PeriodError(f"unknown period {period!r} (one of {', '.join(PERIODS)})")
    return period  # type: ignore[return-value]  # narrowed by the membership test above


def zone(name: str) -> ZoneInfo:
    """An IANA time zone by name, with a one-line error for a bad name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise PeriodError(f"unknown time zone {name!r} (use an IANA name like Europe/Berlin)") from exc


def week_start_index(value: int | str) -> int:
    """0..6 from an int or a weekday name (``"monday"``, ``"sun"``)."""
    if isinstance(value, int):
        if 0 <= value <= 6:
            return value
    else:
        v = value.strip().lower()
        for i, name in enumerate(WEEKDAYS):
            if len(v) >= 3 and name.startswith(v):
                return i
        if v.isdigit() and 0 <= int(v) <= 6:
            return int(v)
    raise PeriodError(f"unknown week start {value!r} (monday … sunday)")


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise PeriodError("naive datetime: pass a timezone-aware time")


def _local_midnight(d: date, tz: ZoneInfo) -> datetime:
    """The first instant of local day ``d``.

    In zones that skip midnight on a DST change (e.g. America/Santiago), 00:00 does not exist;
    zoneinfo then gives the pre-transition offset, which maps to the first real instant of the day.
    """
    return datetime.combine(d, time(0), tzinfo=tz).astimezone(UTC)


def _start_date(period: Period, d: date, week_start: int) -> date:
    if period == "day":
        return d
    if period == "week":
        return d - timedelta(days=(d.weekday() - week_start) % 7)
    if period == "month":
        return d.replace(day=1)
    return d.replace(month=1, day=1)  # year


def _next_start_date(period: Period, start: date) -> date:
    if period == "day":
        return start + timedelta(days=1)
    if period == "week":
        return start + timedelta(days=7)
    if period == "month":
        return date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)  # year


def period_bounds(
    period: Period, at: datetime, tz: ZoneInfo, week_start: int = 0
) -> tuple[datetime, datetime]:
    """``[start, end)`` in UTC of the period that contains ``at``."""
    _require_aware(at)
    if period == "none":
        return EPOCH, FOREVER
    local = at.astimezone(tz).date()
    start = _start_date(period, local, week_start)
    return _local_midnight(start, tz), _local_midnight(_next_start_date(period, start), tz)


def next_bounds(
    period: Period, start: datetime, tz: ZoneInfo, week_start: int = 0
) -> tuple[datetime, datetime]:
    """The period that follows the one starting at ``start``."""
    _, end = period_bounds(period, start, tz, week_start)
    return period_bounds(period, end, tz, week_start)


def local_day(at: datetime, tz: ZoneInfo) -> date:
    """The calendar day of ``at`` in ``tz`` (for daily roll-ups)."""
    _require_aware(at)
    return at.astimezone(tz).date()


def day_bounds(d: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """``[start, end)`` in UTC of local day ``d``."""
    return _local_midnight(d, tz), _local_midnight(d + timedelta(days=1), tz)


def projected_spend(spent: int, start: datetime, end: datetime, now: datetime) -> int | None:
    """End-of-period spend at the current burn rate (linear), or None for open-ended periods.

    Integer maths on microseconds keeps the result exact and float-free.
    """
    if end >= FOREVER:
        return None
    total = int((end - start) / timedelta(microseconds=1))
    elapsed = int((min(now, end) - start) / timedelta(microseconds=1))
    if elapsed <= 0:
        return spent
    return spent * total // elapsed
