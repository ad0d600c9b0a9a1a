"""Dashboard page: the selected profile's envelopes (or the whole wallet's), its subscription plans,
and spend over time, metered and imported apart and together."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.core.money import format_tokens
from tokenwallet.core.periods import zone
from tokenwallet.gui import theme
from tokenwallet.gui.firstrun import Checklist, load_checklist
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.theme import SPACE_L, SPACE_M, set_role
from tokenwallet.gui.throttle import Throttle
from tokenwallet.gui.views.charts import DailyChart, ShareChart
from tokenwallet.gui.views.checklist import ChecklistPanel
from tokenwallet.gui.views.dashboard_data import DashboardData, load_dashboard
from tokenwallet.gui.views.energy_card import EnergyCard
from tokenwallet.gui.views.energy_data import EnergyData, load_energy
from tokenwallet.gui.views.envelope_card import EnvelopeCard
from tokenwallet.gui.views.plan_card import PlanCard
from tokenwallet.gui.workers import run_task

CARD_WIDTH = 300  # px a gauge card needs; the grid has as many columns as fit (1 to 3)
MAX_COLUMNS = 3
CARD_ROWS = 2  # more envelopes than two rows fold behind "Show all": the charts stay in view
NARROW = 720  # px of page width below which the donut goes under the bars
PLAN_TICK_MS = 60_000  # windows reset and countdowns move with no call at all: redraw plans each minute


class DashboardPage(QWidget):
    """Envelope gauges with forecasts, totals with tokens beside money, and two charts.

    Signals:
        refreshed(): new figures were drawn (tests wait on it).
        openWelcome(str): the checklist asked for the welcome at a step ("" for its start).
        energyRefreshed(): the energy card was redrawn.
    """

    refreshed = Signal()
    openWelcome = Signal(str)
    energyRefreshed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data: DashboardData | None = None
        self.energy_data: EnergyData | None = None
        self._loading = False
        self._again = False
        self._stale = False
        self.cards: list[EnvelopeCard] = []
        self.checklist: Checklist | None = None  # until every first-run step is done
        self.checklist_panel = ChecklistPanel()
        self.checklist_panel.setVisible(False)
        self.checklist_panel.openStep.connect(self.openWelcome.emit)
        self.checklist_panel.hideRequested.connect(self.hide_checklist)
        self.plan_cards: list[PlanCard] = []

        self.headline = QLabel(tr("Loading…"))
        set_role(self.headline, "lead")
        self.headline.setWordWrap(True)
        # where the range's spend came from: shown once something was imported or a plan is held
        self.split = QLabel()
        self.split.setWordWrap(True)
        set_role(self.split, "muted")
        self.split.setVisible(False)
        self.group_box = QComboBox()
        for key, text in (
            ("model", tr("by model")),
            ("profile", tr("by profile")),
            ("project", tr("by project")),
            ("provider", tr("by provider")),
        ):
            self.group_box.addItem(text, key)
        self.metric_box = QComboBox()
        self.metric_box.addItem(tr("money"), "money")
        self.metric_box.addItem(tr("tokens"), "tokens")
        self.group_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.metric_box.currentIndexChanged.connect(lambda _i: self._draw_charts())

        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(QLabel(tr("Charts:")))
        top.addWidget(self.metric_box)
        top.addWidget(self.group_box)

        self.empty = QLabel(
            tr(
                "No budgets yet. Create one under <b>Profiles &amp; budgets</b> to see gauges and "
                "forecasts here."
            )
        )
        self.empty.setWordWrap(True)
        self.cards_grid = QGridLayout()
        self.cards_grid.setSpacing(SPACE_M)
        self.columns = MAX_COLUMNS
        self.show_all = False
        self.more_button = QPushButton()
        self.more_button.setFlat(True)
        self.more_button.setVisible(False)
        self.more_button.clicked.connect(self._toggle_all)
        self.plans_title = QLabel(
            tr("<b>Subscriptions</b> — use imported from the tools' logs, at API prices")
        )
        self.plans_title.setVisible(False)
        self.plans_grid = QGridLayout()
        self.plans_grid.setSpacing(SPACE_M)
        self.daily = DailyChart()
        self.share = ShareChart()
        self.charts = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.charts.addWidget(self.daily, 3)
        self.charts.addWidget(self.share, 2)
        charts = self.charts
        for chart in (self.daily, self.share):
            chart.setVisible(False)  # until the first read says whether there is anything to draw

        inner = QWidget()
        body = self._body = QVBoxLayout(inner)
        body.addLayout(top)
        body.addWidget(self.split)
        body.addWidget(self.checklist_panel)
        body.addWidget(self.empty)
        body.addLayout(self.cards_grid)
        more_row = QHBoxLayout()
        more_row.addWidget(self.more_button)
        more_row.addStretch(1)
        body.addLayout(more_row)
        body.addLayout(charts)  # above the plans: spend over time is what most people look for
        body.addWidget(self.plans_title)
        body.addLayout(self.plans_grid)
        self.energy = EnergyCard()
        body.addWidget(self.energy)
        # takes the spare height while the charts are folded to their "no calls yet" strips
        self.filler = QWidget()
        self.filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.filler.setVisible(False)
        body.addWidget(self.filler, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # columns adapt instead
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        # calls settle up to ten times a second; the figures need not follow faster than once a second
        self._pace = Throttle(self.refresh, 1000, self)
        session.walletChanged.connect(self._pace.request)
        session.profileChanged.connect(lambda _p: self.refresh())
        session.displayChanged.connect(self._draw)
        self._energy_pace = Throttle(self.refresh_energy, 1000, self)
        session.energy.filled.connect(lambda _n: self._energy_pace.request())
        theme.state().changed.connect(self._draw_charts)
        self._tick = QTimer(self)
        self._tick.setInterval(PLAN_TICK_MS)
        self._tick.timeout.connect(self._plans_tick)
        self._tick.start()
        self.refresh()

    def hide_checklist(self) -> None:
        """The user hid the first-run checklist (a wallet set up before it existed, say): for good."""
        self.session.wallet.set_setting("setup_checklist", False)
        self.checklist = None
        self.session.notify_changed()
        self._draw()

    def _plans_tick(self) -> None:
        if self.data is not None and self.data.plans:
            self.refresh()  # hidden: marked stale and redrawn when shown

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale or self.data is None:
            self._stale = False
            self.refresh()

    def refresh(self) -> None:
        """Re-read the figures on a worker; a refresh asked for while one runs is folded into one more."""
        if self.data is not None and not self.isVisible():
            self._stale = True  # drawn again when shown
            return
        if self._loading:
            self._again = True
            return
        self._loading = True
        profile, group = self.session.profile, str(self.group_box.currentData())
        session = self.session
        # the checklist is read until it is complete once (or hidden); after that it never comes back
        wanted = bool(session.wallet.get_setting("setup_checklist"))
        ask_checklist = wanted and (self.checklist is None or not self.checklist.done)

        def load() -> tuple[DashboardData, Checklist | None]:
            data = load_dashboard(session.reader(), profile=profile, group_by=group)
            return data, load_checklist(session.reader(), session.keystore) if ask_checklist else None

        run_task(load, self._loaded, self._failed)
        self.refresh_energy()

    def refresh_energy(self) -> None:
        """This month's energy on a worker (filled in by the window's EnergyFiller as calls settle)."""
        if not self.isVisible() and self.data is not None:
            self._stale = True
            return
        profile, session = self.session.profile, self.session
        run_task(lambda: load_energy(session.reader(), profile=profile), self._energy_loaded, self._failed)

    def _energy_loaded(self, data: object) -> None:
        assert isinstance(data, EnergyData)
        self.energy_data = data
        self.energy.show_data(data)
        self.energyRefreshed.emit()

    def _loaded(self, value: object) -> None:
        assert isinstance(value, tuple)
        data, checklist = value
        assert isinstance(data, DashboardData)
        self._loading = False
        self.data = data
        if checklist is not None or not self.session.wallet.get_setting("setup_checklist"):
            self.checklist = checklist
        self._draw()
        if self._again:
            self._again = False
            self.refresh()
        self.refreshed.emit()

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self.headline.setText(tr("Could not read the wallet: {exc}").format(exc=exc))
        self.refreshed.emit()

    def _draw(self) -> None:
        data = self.data
        if data is None:
            return
        d = self.session.display
        who = tr("Profile {profile}").format(profile=data.profile) if data.profile else tr("Whole wallet")
        self.headline.setText(
            tr(
                "<b>{who}</b> — today {money} · {format_tokens} &nbsp;|&nbsp; last {len} days "
                "{money2} · {format_tokens2} · {total_calls:,} calls"
            ).format(
                who=who,
                money=d.money(data.today_cost),
                format_tokens=format_tokens(data.today_tokens),
                len=len(data.days),
                money2=d.money(data.total_cost),
                format_tokens2=format_tokens(data.total_tokens),
                total_calls=data.total_calls,
            )
        )
        # the envelopes closest to their limit first: with many, those are the ones folded in view
        statuses = sorted(data.statuses, key=lambda st: -st.used_pct)
        while len(self.cards) < len(statuses):
            self.cards.append(EnvelopeCard())
        for card, st in zip(self.cards, statuses, strict=False):
            card.update_status(st, d, data.now, data.period_tokens.get(st.envelope.id))
        self._place_cards()
        setting_up = self.checklist is not None and not self.checklist.done
        if self.checklist is not None:
            self.checklist_panel.show_checklist(self.checklist)
        self.checklist_panel.setVisible(setting_up)
        self.empty.setVisible(not data.statuses and not setting_up)
        self._draw_plans(data)
        # a new wallet's empty chart and blank donut say nothing: the checklist stands there instead
        charts = not setting_up or data.total_calls > 0
        self.daily.setVisible(charts)
        self.share.setVisible(charts)
        # hidden charts leave no gap: their row takes the spare height only while they show
        self._body.setStretchFactor(self.charts, 1 if charts else 0)
        self._draw_charts()

    def _draw_plans(self, data: DashboardData) -> None:
        """The split of the range's spend, and a card per subscription plan."""
        d = self.session.display
        self.split.setVisible(bool(data.imported_cost or data.plans))
        plans = (
            tr(" · subscription plans {money}/month").format(money=d.money(data.plans_price))
            if data.plans
            else tr(" · no subscription plan")
        )
        self.split.setText(
            tr(
                "Last {len} days: metered {money} · imported {money2} (API-equivalent, "
                "{format_tokens}){plans} · together {money3}"
            ).format(
                len=len(data.days),
                money=d.money(data.metered_cost),
                money2=d.money(data.imported_cost),
                format_tokens=format_tokens(data.imported_tokens),
                plans=plans,
                money3=d.money(data.total_cost),
            )
        )
        while len(self.plan_cards) < len(data.plans):
            card = PlanCard()
            n = len(self.plan_cards)
            self.plans_grid.addWidget(card, n // MAX_COLUMNS, n % MAX_COLUMNS)
            self.plan_cards.append(card)
        for column in range(MAX_COLUMNS):  # cards share the width evenly, however long their words
            self.plans_grid.setColumnStretch(column, 1 if column < len(data.plans) else 0)
        tz = zone(data.tz_name)
        for card, report in zip(self.plan_cards, data.plans, strict=False):
            card.update_report(report, d, tz)
        for i, card in enumerate(self.plan_cards):
            card.setVisible(i < len(data.plans))
        self.plans_title.setVisible(bool(data.plans))

    def _place_cards(self) -> None:
        """Lay the gauge cards out in as many columns as fit; fold rows past CARD_ROWS."""
        count = len(self.data.statuses) if self.data is not None else 0
        limit = count if self.show_all else self.columns * CARD_ROWS
        for card in self.cards:
            self.cards_grid.removeWidget(card)
        for n, card in enumerate(self.cards):
            shown = n < min(count, limit)
            card.setVisible(shown)
            if shown:
                self.cards_grid.addWidget(card, n // self.columns, n % self.columns)
        for column in range(MAX_COLUMNS):
            self.cards_grid.setColumnStretch(column, 1 if column < self.columns else 0)
        hidden = count - limit
        self.more_button.setVisible(count > self.columns * CARD_ROWS)
        self.more_button.setText(
            tr("Show all {count} budgets ({hidden} more)").format(count=count, hidden=hidden)
            if hidden > 0
            else tr("Show only the fullest budgets")
        )

    def _toggle_all(self) -> None:
        self.show_all = not self.show_all
        self._place_cards()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = event.size().width()
        columns = max(1, min(MAX_COLUMNS, (width - SPACE_L) // (CARD_WIDTH + SPACE_M)))
        if columns != self.columns:
            self.columns = columns
            self._place_cards()
        direction = QBoxLayout.Direction.TopToBottom if width < NARROW else QBoxLayout.Direction.LeftToRight
        if self.charts.direction() != direction:
            self.charts.setDirection(direction)

    def _draw_charts(self) -> None:
        if self.data is None:
            return
        metric = str(self.metric_box.currentData())
        self.daily.show_data(self.data, metric, self.session.display)
        self.share.show_data(self.data, metric, self.session.display)
        self.filler.setVisible(not self.data.series and not self.data.plans)
