"""One envelope on the dashboard: a gauge of the period used, available, held, and a forecast."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QVBoxLayout, QWidget

from tokenwallet.core.money import format_tokens
from tokenwallet.gui.actions import envelope_title
from tokenwallet.gui.display import Display
from tokenwallet.gui.forecast import forecast
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.theme import set_level, set_role

TOKENS_USED = {
    "day": QT_TR_NOOP("{tokens} used today · {held}"),
    "week": QT_TR_NOOP("{tokens} used this week · {held}"),
    "month": QT_TR_NOOP("{tokens} used this month · {held}"),
    "year": QT_TR_NOOP("{tokens} used this year · {held}"),
    "none": QT_TR_NOOP("{tokens} used since it was set up · {held}"),
}
ACTION_WORDS = {
    "warn": QT_TR_NOOP("warns when over"),
    "downgrade": QT_TR_NOOP("switches to a cheaper model when over"),
    "block": QT_TR_NOOP("refuses calls when over"),
}


def gauge_level(used_pct: int, thresholds: tuple[int, ...]) -> str:
    """The gauge's colour role: ``ok`` below the second-highest threshold, ``warn``, ``danger``."""
    hi = thresholds[-1] if thresholds else 95
    mid = thresholds[-2] if len(thresholds) > 1 else 80
    if used_pct >= hi:
        return "danger"
    if used_pct >= mid:
        return "warn"
    return "ok"


class EnvelopeCard(QFrame):
    """Shows one :class:`EnvelopeStatus`; ``update_status`` redraws it in place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setMinimumWidth(260)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        self.title = QLabel()
        set_role(self.title, "title")
        self.action = QLabel()
        set_role(self.action, "muted")
        self.action.setWordWrap(True)  # "switches to a cheaper model when over" at 150 % text
        self.gauge = QProgressBar()
        self.gauge.setRange(0, 100)
        self.gauge.setTextVisible(True)
        self.gauge.setFixedHeight(18)
        self.amounts = QLabel()
        self.held = QLabel()
        self.held.setWordWrap(True)  # "… $0.16 held by calls in flight" must not be cut in a narrow card
        self.forecast = QLabel()
        self.forecast.setWordWrap(True)
        set_role(self.forecast, "muted")
        self.amounts.setWordWrap(True)
        for w in (self.title, self.action, self.gauge, self.amounts, self.held, self.forecast):
            layout.addWidget(w)

    def update_status(self, st: Any, display: Display, now: datetime, tokens: int | None = None) -> None:
        env = st.envelope
        self.title.setText(envelope_title(env))
        rollover = tr(" · unused rolls over") if env.rollover else ""
        self.action.setText(f"{tr(ACTION_WORDS.get(env.action, env.action))}{rollover}")
        pct = max(0, min(100, int(st.used_pct)))
        self.gauge.setValue(pct)
        self.gauge.setFormat(tr("{used_pct} % used").format(used_pct=st.used_pct))
        set_level(self.gauge, "level", gauge_level(st.used_pct, tuple(env.thresholds)))
        budget = st.carried + st.assigned + st.topups
        extra = []
        if st.carried:
            extra.append(tr("{amount} carried over").format(amount=display.amount(env.unit, st.carried)))
        if st.topups:
            extra.append(tr("{amount} top-ups").format(amount=display.amount(env.unit, st.topups)))
        self.amounts.setText(
            tr("<b>{amount}</b> available · spent {amount2} of {amount3}").format(
                amount=display.amount(env.unit, st.available),
                amount2=display.amount(env.unit, st.spent),
                amount3=display.amount(env.unit, budget),
            )
            + (tr(" ({details})").format(details=tr(", ").join(extra)) if extra else "")
        )
        held = (
            tr("{amount} held by calls in flight").format(amount=display.amount(env.unit, st.held))
            if st.held
            else tr("nothing held")
        )
        if tokens is not None:  # tokens beside money: what this scope used, whichever budget paid
            held = tr(TOKENS_USED.get(env.period, TOKENS_USED["month"])).format(
                tokens=format_tokens(tokens), held=held
            )
        self.held.setText(held)
        period = None if env.period in ("none", "", None) else env.period
        fc = forecast(
            unit=env.unit,
            period=period,
            period_start=st.period_start,
            period_end=st.period_end,
            spent=st.spent,
            available=st.available,
            now=now,
            display=display,
        )
        self.forecast.setText(tr("{sentence}.").format(sentence=fc.text[:1].upper() + fc.text[1:]))
        self.setToolTip(tr("Envelope #{id}: {label}").format(id=env.id, label=env.label))
