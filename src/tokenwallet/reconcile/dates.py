"""Reconcile periods: a calendar month in UTC (providers bucket by UTC day), as dates and times."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tokenwallet.reconcile.report import ReconcileError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_range(text: str | None, today: date) -> tuple[date, date]:
    """``YYYY-MM`` (default: this month) → [first day, end) where end stops after today."""
    if text is None:
        first = today.replace(day=1)
    else:
        m = _MONTH.match(text.strip())
        if not m or not 1 <= int(m[2]) <= 12:
            raise ReconcileError(f"not a month: {text!r} (use YYYY-MM, e.g. 2026-11)")
        first = date(int(m[1]), int(m[2]), 1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    if first > today:
        raise ReconcileError(f"{first:%Y-%m} has not started yet")
    return first, min(nxt, today + timedelta(days=1))


def midnight(d: date) -> datetime:
    return datetime.combine(d, time(0), UTC)


def unix(d: date) -> int:
    return int(midnight(d).timestamp())


def rfc3339(d: date) -> str:
    return midnight(d).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_of_unix(value: Any, where: str) -> date:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**40:
        raise ReconcileError(f"unexpected answer: {where} is not a Unix time ({str(value)[:40]!r})")
    return datetime.fromtimestamp(value, UTC).date()


def day_of_rfc3339(value: Any, where: str) -> date:
    if not isinstance(value, str):
        raise ReconcileError(f"unexpected answer: {where} is not a timestamp")
    try:
        at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ReconcileError(f"unexpected answer: {where} is not a timestamp ({value[:40]!r})") from None
    if at.tzinfo is None:
        raise ReconcileError(f"unexpected answer: {where} has no time zone ({value[:40]!r})")
    return at.astimezone(UTC).date()
