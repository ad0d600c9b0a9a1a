"""Forecasts in plain words for one envelope ("at this pace you will run out on the 24th").

Pure arithmetic on an envelope's status: the pace is what was spent since the period began divided
by the time elapsed; the projection extends that pace to the period's end. Integers throughout
(nano-USD or tokens), so the sentence matches the ledger to the unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tokenwallet.gui.display import Display, day_words
from tokenwallet.gui.i18n import QT_TR_NOOP, tr

YEAR_S = 365 * 86400
FAR_FUTURE_S = 100 * YEAR_S
PERIOD_WORDS = {"day": "day", "week": "week", "month": "month", "year": "year"}
NOTHING_SPENT = {
    "day": QT_TR_NOOP("nothing spent today"),
    "week": QT_TR_NOOP("nothing spent this week"),
    "month": QT_TR_NOOP("nothing spent this month"),
    "year": QT_TR_NOOP("nothing spent this year"),
    "": QT_TR_NOOP("nothing spent yet"),
}
PROJECTED = {
    "day": QT_TR_NOOP("projected day spend {amount}"),
    "week": QT_TR_NOOP("projected week spend {amount}"),
    "month": QT_TR_NOOP("projected month spend {amount}"),
    "year": QT_TR_NOOP("projected year spend {amount}"),
    "": QT_TR_NOOP("projected spend {amount}"),
}


@dataclass(frozen=True)
class Forecast:
    """``text`` is the sentence; ``runs_out`` when the pace empties the envelope before it resets."""

    text: str
    projected: int | None
    runs_out: datetime | None


def forecast(
    *,
    unit: str,
    period: str | None,
    period_start: datetime | None,
    period_end: datetime | None,
    spent: int,
    available: int,
    now: datetime,
    display: Display,
) -> Forecast:
    """Plain-words forecast for one envelope at ``now``."""
    word = PERIOD_WORDS.get(period or "", "")
    if period_start is None or now <= period_start:
        return Forecast(tr("no spending yet") if spent == 0 else tr("just started"), None, None)
    elapsed = (now - period_start).total_seconds()
    if spent <= 0:
        return Forecast(tr(NOTHING_SPENT.get(word, NOTHING_SPENT[""])), 0, None)
    if available <= 0:
        return Forecast(tr("used up: calls will follow the limit action"), None, now)
    # seconds until empty at the current pace: available / (spent / elapsed)
    secs_left = min(available * elapsed / spent, FAR_FUTURE_S)  # tiny spends must not overflow dates
    runs_out = now + timedelta(seconds=secs_left)
    projected: int | None = None
    if period_end is not None:
        total = (period_end - period_start).total_seconds()
        projected = spent * int(total) // max(1, int(elapsed))
        if runs_out < period_end:
            return Forecast(
                tr("at this pace you will run out on {day_words}").format(
                    day_words=day_words(runs_out.date(), now.date())
                ),
                projected,
                runs_out,
            )
        text = tr(PROJECTED.get(word, PROJECTED[""])).format(amount=display.amount(unit, projected))
        return Forecast(text, projected, None)
    # a prepaid balance with no reset: only the run-out date means anything
    if secs_left > 3 * YEAR_S:
        return Forecast(tr("at this pace it lasts for years"), None, None)
    return Forecast(
        tr("at this pace it runs out on {day_words}").format(
            day_words=day_words(runs_out.date(), now.date())
        ),
        None,
        runs_out,
    )
