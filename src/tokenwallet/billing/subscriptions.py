"""What each subscription plan did: its windows now, and the month's API-equivalent value.

"Your $100 plan did $412 of API-priced work": the month's imported use of the plan's tool, priced
like a metered call (the importer priced each row), against the plan's monthly price. Windows come
from :mod:`tokenwallet.core.windows`; a window's limit is the user's own, else the catalogue's
labelled estimate, else none (the providers publish none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tokenwallet.billing.plans import Plan
from tokenwallet.core.money import Amount
from tokenwallet.core.periods import period_bounds, zone
from tokenwallet.core.windows import WEEK_US, Entry, Window, exhaustion_us, session_window, week_window
from tokenwallet.wallet.db import from_us, to_us

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet

# The session-window chain is rebuilt from this far back; when the first request read is less than
# a window after the cut, the chain may have begun earlier and the cut moves back (at most
# MAX_LOOKBACKS times), so the windows come out as ccusage's reading every log.
LOOKBACK = timedelta(days=8)
MAX_LOOKBACKS = 12
YOUR_LIMIT = "your limit"


@dataclass(frozen=True, slots=True)
class WindowReport:
    """A window with its limit (if any) and what the rate says about it."""

    window: Window
    limit: Amount | None
    limit_source: str  # YOUR_LIMIT, an estimate's source, or "" when there is no limit
    used_pct: int | None
    exhausts_us: int | None  # when the limit is reached at this rate (before the reset), else None

    @property
    def used(self) -> int:
        """Usage in the limit's unit (money when there is no limit)."""
        return self.window.tokens if self.limit and self.limit.unit == "tokens" else self.window.cost_nano


@dataclass(frozen=True, slots=True)
class PlanReport:
    plan: Plan
    now_us: int
    session: WindowReport | None  # None: the plan has no session window
    week: WindowReport | None  # None: the plan has no weekly window
    month_start_us: int
    month_value: int  # nano-USD of API-priced work this month
    month_tokens: int
    month_calls: int

    @property
    def value_ratio_pct(self) -> int | None:
        """The month's value as a share of the plan's price (412 % for $412 on a $100 plan)."""
        return None if self.plan.price_nano <= 0 else self.month_value * 100 // self.plan.price_nano


def _report(w: Window, limit: Amount | None, source: str, now_us: int) -> WindowReport:
    if limit is None:
        return WindowReport(w, None, "", None, None)
    used = w.tokens if limit.unit == "tokens" else w.cost_nano
    pct = used * 100 // limit.value if limit.value > 0 else None
    return WindowReport(w, limit, source, pct, exhaustion_us(used, limit.value, w, now_us))


def plan_report(plan: Plan, entries: list[Entry], now_us: int, month_start_us: int) -> PlanReport:
    """The plan's windows and month from its imported ``entries`` (request times, any order)."""
    session = week = None
    if plan.window_us:
        w = session_window(entries, now_us, plan.window_us, floor_hour=plan.window_start == "hour")
        limit, source = plan.window_limit, YOUR_LIMIT
        cat = plan.catalog
        if (
            limit is None
            and cat
            and cat.window_estimate_nano
            and plan.window_us == cat.window_hours * 3600 * 10**6
        ):
            limit, source = Amount("usd", cat.window_estimate_nano), cat.estimate_source
        session = _report(w, limit, source, now_us)
    if plan.weekly:
        w = week_window(entries, now_us, plan.week_anchor_us)
        week = _report(w, plan.week_limit, YOUR_LIMIT, now_us)
    month = [e for e in entries if month_start_us <= e.at_us <= now_us]
    return PlanReport(
        plan,
        now_us,
        session,
        week,
        month_start_us,
        sum(e.cost_nano for e in month),
        sum(e.tokens for e in month),
        len(month),
    )


def subscriptions(wallet: Wallet, *, now: datetime, profile: str | None = None) -> list[PlanReport]:
    """A report for every plan (of ``profile`` when given) at ``now``."""
    tz = zone(str(wallet.get_setting("timezone")))
    month_start, _ = period_bounds("month", now, tz)
    since = min(month_start, now - LOOKBACK, now - timedelta(microseconds=WEEK_US))
    now_us = to_us(now)
    out = []
    for plan in wallet.plans(profile):
        cut = since
        entries = wallet.imported_entries(plan.profile, plan.source, cut)
        for _ in range(MAX_LOOKBACKS):
            if not plan.window_us or not entries or entries[0].at_us - to_us(cut) > plan.window_us:
                break  # a pause longer than a window (or nothing) before the first request: a clean start
            cut -= LOOKBACK
            earlier = wallet.imported_entries(plan.profile, plan.source, cut)
            if len(earlier) == len(entries):
                break  # nothing before: the first request read is the first there is
            entries = earlier
        out.append(plan_report(plan, entries, now_us, to_us(month_start)))
    return out


def when(us: int | None, tz_name: str) -> datetime | None:
    """A report's microsecond time as an aware datetime in the wallet's zone."""
    return None if us is None else from_us(us).astimezone(zone(tz_name))
