"""The household table's forecast in the window's language, from the overview's figures (the
billing layer's own ``forecast`` sentence is English, for the CLI)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QLocale

from tokenwallet.billing.overview import MemberSummary
from tokenwallet.gui.display import Display
from tokenwallet.gui.i18n import tr


def member_forecast(r: MemberSummary, display: Display, now: datetime) -> str:
    """``$0.25 a day: runs out around Fri 12 Dec`` — as ``billing.overview`` words it, translated."""
    st = r.status
    if st is None:
        return tr("no allowance")
    if st.available <= 0:
        return tr("used up: calls are refused") if st.envelope.action == "block" else tr("used up")
    if r.burn_per_day <= 0:
        return tr("nothing spent lately")
    per_day = display.amount(st.envelope.unit, r.burn_per_day)
    if r.runs_out is None:
        return tr("{per_day} a day: lasts until the reset").format(per_day=per_day)
    day = r.runs_out.astimezone().date()
    if day == now.astimezone().date():
        return tr("{per_day} a day: runs out today").format(per_day=per_day)
    when = QLocale().toString(QDate(day.year, day.month, day.day), tr("ddd d MMM", "date format"))
    return tr("{per_day} a day: runs out around {day}").format(per_day=per_day, day=when)
