"""Plan reports in words, shared by ``tokenwallet plan show``, ``status`` and the app's plan cards.

Money is formatted by the caller's ``money`` (the CLI's dollars, the app's display currency);
times are shown in the wallet's zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from tokenwallet.billing.subscriptions import YOUR_LIMIT, PlanReport, WindowReport
from tokenwallet.core.money import format_amount, format_tokens
from tokenwallet.core.windows import US_PER_HOUR, US_PER_MINUTE
from tokenwallet.wallet.db import from_us

Money = Callable[[int], str]


def clock(us: int, now_us: int, tz: tzinfo) -> str:
    """``15:00`` today, ``Thu 20:00`` within a week, else ``Dec 03 20:00``."""
    t, now = from_us(us).astimezone(tz), from_us(now_us).astimezone(tz)
    if t.date() == now.date():
        return f"{t:%H:%M}"
    if abs(us - now_us) < 6 * 24 * US_PER_HOUR:
        return f"{t:%a %H:%M}"
    return f"{t:%b %d %H:%M}"


def duration(us: int) -> str:
    """``2 h 05 min``, ``40 min``, ``3 d 4 h``."""
    minutes = max(0, us) // US_PER_MINUTE
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


def window_name(wr: WindowReport, r: PlanReport) -> str:
    if wr.window.kind == "week":
        return "Week" if r.plan.week_anchor_us is not None else "Last 7 days"
    hours, rest = divmod(r.plan.window_us, US_PER_HOUR)
    return f"{hours}-hour window" if not rest else f"{r.plan.window_us // US_PER_MINUTE}-minute window"


def used(wr: WindowReport, money: Money) -> str:
    w = wr.window
    return (
        f"{money(w.cost_nano)} · {format_tokens(w.tokens)} · {w.calls:,} request{'' if w.calls == 1 else 's'}"
    )


def limit(wr: WindowReport, money: Money) -> str:
    """``35 % of ≈$35.00 (estimate: …)``, ``35 % of your limit $35.00``, or why there is none."""
    if wr.limit is None:
        return "no published limit"
    amount = money(wr.limit.value) if wr.limit.unit == "usd" else format_amount("tokens", wr.limit.value)
    if wr.limit_source == YOUR_LIMIT:
        return f"{wr.used_pct} % of your limit {amount}"
    return f"{wr.used_pct} % of ≈{amount} ({wr.limit_source})"


def limit_short(wr: WindowReport, money: Money) -> str:
    """``35 % of ≈$35.00`` (an estimate) or ``35 % of $35.00`` (yours): what fits in a gauge."""
    if wr.limit is None:
        return ""
    amount = money(wr.limit.value) if wr.limit.unit == "usd" else format_amount("tokens", wr.limit.value)
    return f"{wr.used_pct} % of {'' if wr.limit_source == YOUR_LIMIT else '≈'}{amount}"


def limit_origin(wr: WindowReport) -> str:
    """Where the limit comes from, in a few words."""
    if wr.limit is None:
        return "no published limit: set yours with 'tokenwallet plan set'"
    return "limit: yours" if wr.limit_source == YOUR_LIMIT else f"limit: {wr.limit_source}"


def reset(wr: WindowReport, r: PlanReport, tz: tzinfo) -> str:
    w = wr.window
    if w.kind == "session" and w.start_us is None:
        return "no window running: the next request starts one"
    if w.reset_us is None:
        return "rolling (set the reset time with 'plan set … --weekly-reset')"
    return f"resets {clock(w.reset_us, r.now_us, tz)} (in {duration(w.reset_us - r.now_us)})"


def pace(wr: WindowReport, r: PlanReport, money: Money, tz: tzinfo) -> str:
    """Burn rate, what it comes to by the reset, and when the limit is reached at that pace."""
    w = wr.window
    if w.cost_per_hour is None or w.tokens_per_hour is None:
        return ""
    parts = [f"burn {money(w.cost_per_hour)}/h · {format_tokens(w.tokens_per_hour)}/h"]
    if w.projected_cost is not None:
        parts.append(f"{money(w.projected_cost)} by the reset at this pace")
    if wr.exhausts_us is not None:
        if wr.exhausts_us <= r.now_us:
            parts.append("limit reached")
        else:
            parts.append(f"limit reached at {clock(wr.exhausts_us, r.now_us, tz)}")
    elif wr.limit is not None and w.reset_us is not None:
        parts.append("limit not reached before the reset")
    return " · ".join(parts)


def value(r: PlanReport, money: Money) -> str:
    """``Your $100.00 plan did $412.00 of API-priced work this month (412 %).``"""
    pct = r.value_ratio_pct
    share = f" ({pct} % of its price)" if pct is not None else ""
    price, worth = money(r.plan.price_nano), money(r.month_value)
    return f"Your {price} plan did {worth} of API-priced work this month{share}"
