"""A subscription plan's report in the window's language: ``billing.plan_text`` (the CLI's words)
said again through :func:`tr`, with times written by QLocale. Same figures, same order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from tokenwallet.billing.subscriptions import YOUR_LIMIT, PlanReport, WindowReport
from tokenwallet.core.money import format_amount, format_tokens
from tokenwallet.core.windows import US_PER_HOUR, US_PER_MINUTE
from tokenwallet.gui.i18n import tr
from tokenwallet.wallet.db import from_us

Money = Callable[[int], str]


def clock(us: int, now_us: int, tz: tzinfo) -> str:
    """``15:00`` today, ``Thu 20:00`` within a week, else ``Dec 03 20:00``."""
    t, now = from_us(us).astimezone(tz), from_us(now_us).astimezone(tz)
    if t.date() == now.date():
        return f"{t:%H:%M}"
    shown = QDateTime(QDate(t.year, t.month, t.day), QTime(t.hour, t.minute))
    if abs(us - now_us) < 6 * 24 * US_PER_HOUR:
        return QLocale().toString(shown, tr("ddd HH:mm", "date format"))
    return QLocale().toString(shown, tr("MMM dd HH:mm", "date format"))


def duration(us: int) -> str:
    """``2 h 05 min``, ``40 min``, ``3 d 4 h``."""
    minutes = max(0, us) // US_PER_MINUTE
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return tr("{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        return tr("{hours} h {minutes} min").format(hours=hours, minutes=f"{mins:02d}")
    return tr("{minutes} min").format(minutes=mins)


def window_name(wr: WindowReport, r: PlanReport) -> str:
    if wr.window.kind == "week":
        return tr("Week") if r.plan.week_anchor_us is not None else tr("Last 7 days")
    hours, rest = divmod(r.plan.window_us, US_PER_HOUR)
    if not rest:
        return tr("{n}-hour window").format(n=hours)
    return tr("{n}-minute window").format(n=r.plan.window_us // US_PER_MINUTE)


def used(wr: WindowReport, money: Money) -> str:
    w = wr.window
    requests = tr("{n} request") if w.calls == 1 else tr("{n} requests")
    return f"{money(w.cost_nano)} · {format_tokens(w.tokens)} · {requests.format(n=f'{w.calls:,}')}"


def _amount(wr: WindowReport, money: Money) -> str:
    assert wr.limit is not None
    return money(wr.limit.value) if wr.limit.unit == "usd" else format_amount("tokens", wr.limit.value)


def limit(wr: WindowReport, money: Money) -> str:
    """``35 % of ≈$35.00 (estimate: …)``, ``35 % of your limit $35.00``, or why there is none."""
    if wr.limit is None:
        return tr("no published limit")
    if wr.limit_source == YOUR_LIMIT:
        return tr("{pct} % of your limit {amount}").format(pct=wr.used_pct, amount=_amount(wr, money))
    return tr("{pct} % of ≈{amount} ({source})").format(
        pct=wr.used_pct, amount=_amount(wr, money), source=wr.limit_source
    )


def limit_short(wr: WindowReport, money: Money) -> str:
    """``35 % of ≈$35.00`` (an estimate) or ``35 % of $35.00`` (yours): what fits in a gauge."""
    if wr.limit is None:
        return ""
    if wr.limit_source == YOUR_LIMIT:
        return tr("{pct} % of {amount}").format(pct=wr.used_pct, amount=_amount(wr, money))
    return tr("{pct} % of ≈{amount}").format(pct=wr.used_pct, amount=_amount(wr, money))


def limit_origin(wr: WindowReport) -> str:
    if wr.limit is None:
        return tr("no published limit: set yours with 'tokenwallet plan set'")
    if wr.limit_source == YOUR_LIMIT:
        return tr("limit: yours")
    return tr("limit: {source}").format(source=wr.limit_source)


def reset(wr: WindowReport, r: PlanReport, tz: tzinfo) -> str:
    w = wr.window
    if w.kind == "session" and w.start_us is None:
        return tr("no window running: the next request starts one")
    if w.reset_us is None:
        return tr("rolling (set the reset time with 'plan set … --weekly-reset')")
    return tr("resets {when} (in {left})").format(
        when=clock(w.reset_us, r.now_us, tz), left=duration(w.reset_us - r.now_us)
    )


def pace(wr: WindowReport, r: PlanReport, money: Money, tz: tzinfo) -> str:
    """Burn rate, what it comes to by the reset, and when the limit is reached at that pace."""
    w = wr.window
    if w.cost_per_hour is None or w.tokens_per_hour is None:
        return ""
    parts = [
        tr("burn {money}/h · {tokens}/h").format(
            money=money(w.cost_per_hour), tokens=format_tokens(w.tokens_per_hour)
        )
    ]
    if w.projected_cost is not None:
        parts.append(tr("{money} by the reset at this pace").format(money=money(w.projected_cost)))
    if wr.exhausts_us is not None:
        if wr.exhausts_us <= r.now_us:
            parts.append(tr("limit reached"))
        else:
            parts.append(tr("limit reached at {when}").format(when=clock(wr.exhausts_us, r.now_us, tz)))
    elif wr.limit is not None and w.reset_us is not None:
        parts.append(tr("limit not reached before the reset"))
    return " · ".join(parts)


def value(r: PlanReport, money: Money) -> str:
    """``Your $100.00 plan did $412.00 of API-priced work this month (412 % of its price)``."""
    price, worth = money(r.plan.price_nano), money(r.month_value)
    if r.value_ratio_pct is None:
        return tr("Your {price} plan did {worth} of API-priced work this month").format(
            price=price, worth=worth
        )
    return tr("Your {price} plan did {worth} of API-priced work this month ({pct} % of its price)").format(
        price=price, worth=worth, pct=r.value_ratio_pct
    )
