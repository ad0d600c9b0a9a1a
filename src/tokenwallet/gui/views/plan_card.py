"""One subscription plan on the dashboard: its session and weekly windows, and what it was worth.

A window's gauge shows its use against a limit, and is hidden when there is none (the providers
publish no limits, and a bar without a limit would only invent one): the words still say what the
window used, when it resets and how fast it is going.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QVBoxLayout, QWidget

from tokenwallet.billing.subscriptions import PlanReport, WindowReport
from tokenwallet.gui.display import Display
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.theme import set_level, set_role
from tokenwallet.gui.views import plan_words
from tokenwallet.gui.views.envelope_card import gauge_level

TOOL_NAMES = {"claude-code": "Claude Code", "codex": "Codex"}


class WindowBox(QWidget):
    """A window's name and use, its gauge (when it has a limit), the reset and the pace."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        self.head = QLabel()
        self.head.setWordWrap(True)
        self.gauge = QProgressBar()
        self.gauge.setRange(0, 100)
        self.gauge.setFixedHeight(16)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        set_role(self.detail, "muted")
        for w in (self.head, self.gauge, self.detail):
            layout.addWidget(w)

    def show_window(self, wr: WindowReport, r: PlanReport, display: Display, tz: tzinfo) -> None:
        money = display.money
        self.head.setText(f"<b>{plan_words.window_name(wr, r)}</b> · {plan_words.used(wr, money)}")
        self.gauge.setVisible(wr.used_pct is not None)
        if wr.used_pct is not None:
            self.gauge.setValue(max(0, min(100, wr.used_pct)))
            self.gauge.setFormat(plan_words.limit_short(wr, money))
            set_level(self.gauge, "level", gauge_level(wr.used_pct, (80, 95)))
            self.gauge.setToolTip(plan_words.limit(wr, money))
        lines = [plan_words.reset(wr, r, tz)]
        pace = plan_words.pace(wr, r, money, tz)
        if pace:
            lines.append(pace)
        lines.append(plan_words.limit_origin(wr))
        self.detail.setText("<br>".join(lines))


class PlanCard(QFrame):
    """Shows one :class:`PlanReport`; ``update_report`` redraws it in place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plancard")
        self.setMinimumWidth(260)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        self.title = QLabel()
        set_role(self.title, "title")
        self.subtitle = QLabel()
        set_role(self.subtitle, "muted")
        self.session = WindowBox()
        self.week = WindowBox()
        self.value = QLabel()
        self.value.setWordWrap(True)
        for w in (self.title, self.subtitle, self.session, self.week, self.value):
            layout.addWidget(w)
        layout.addStretch(1)  # a card beside a taller one keeps its lines together at the top

    def update_report(self, r: PlanReport, display: Display, tz: tzinfo) -> None:
        p = r.plan
        self.title.setText(f"{p.name} · {p.profile}")
        tool = TOOL_NAMES.get(p.tool, p.tool)
        self.subtitle.setText(
            tr("{money}/month · use from {tool} logs").format(money=display.money(p.price_nano), tool=tool)
        )
        for box, wr in ((self.session, r.session), (self.week, r.week)):
            box.setVisible(wr is not None)
            if wr is not None:
                box.show_window(wr, r, display, tz)
        self.value.setText(tr("<b>{sentence}.</b>").format(sentence=plan_words.value(r, display.money)))
        cat = p.catalog
        self.setToolTip(f"{cat.limits}\n{cat.limits_source}" if cat else tr("A plan you described (custom)"))
