"""Live meter page: calls appear as they start, streams tick up, settled/refused/downgraded marked."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from tokenwallet.core.events import Event
from tokenwallet.core.money import format_tokens
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.throttle import Throttle
from tokenwallet.gui.views.devices_panel import DevicesPanel
from tokenwallet.gui.views.meter_model import COL_STATUS, MeterModel
from tokenwallet.gui.views.sessions_model import SessionsModel
from tokenwallet.gui.views.widgets import fit_columns
from tokenwallet.gui.workers import run_task

# typical cell text per column: widths come from the font (fixed, so repaints never re-measure)
COLUMN_SAMPLES = [
    "00:00:00",
    "research-bot",
    "blog-rewrite",
    "claude-sonnet-4-5",
    "123,456",
    "12,345",
    "$0.0123",
    "~12.3 mWh",
]


class MeterPage(QWidget):
    """The calls seen since the window opened, repainted at most ten times a second."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = MeterModel(session.display, self)
        self.summary = QLabel(
            tr("No calls yet. Point a tool at the proxy (see Connect) and its calls show up here.")
        )
        self.summary.setObjectName("meterSummary")
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        # fixed widths: ResizeToContents would re-measure every row on every repaint
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fit_columns(self.table, COLUMN_SAMPLES)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.Stretch)
        self.sessions = SessionsModel(session.display, self)
        self.sessions_title = QLabel(tr("Agent sessions"))
        self.sessions_title.setObjectName("sectionTitle")
        self.sessions_table = QTableView()
        self.sessions_table.setModel(self.sessions)
        self.sessions_table.verticalHeader().setVisible(False)
        self.sessions_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sessions_table.setMaximumHeight(160)
        self.sessions_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.sessions_title.setVisible(False)  # until a session shows up
        self.sessions_table.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.sessions_title)
        layout.addWidget(self.sessions_table)
        self.devices = DevicesPanel(session)  # hidden on a wallet file: one device
        layout.addWidget(self.devices)
        self.throttle = Throttle(self._repaint, 100, self)
        session.bridge.coreEvent.connect(self.on_event)
        session.displayChanged.connect(self._display_changed)
        session.energy.filled.connect(lambda _n: self._read_energies())

    def _read_energies(self) -> None:
        """Energy of the settled calls on screen, once the window's filler computed it."""
        wanted = self.model.without_energy()
        if not wanted:
            return
        wallet = self.session.reader()

        def show(found: object) -> None:
            assert isinstance(found, dict)
            self.model.set_energies(found)
            self.throttle.request()

        run_task(lambda: wallet.energies(wanted), show)

    def on_event(self, ev: Event) -> None:
        changed = self.model.apply(ev)
        if self.sessions.apply(ev) or changed:
            self.throttle.request()

    def _display_changed(self) -> None:
        self.model.display = self.sessions.display = self.session.display
        self.throttle.request()

    def _repaint(self) -> None:
        self.model.flush()
        self.sessions.flush()
        shown = self.sessions.rowCount() > 0
        self.sessions_title.setVisible(shown)
        self.sessions_table.setVisible(shown)
        running = self.model.running()
        n = self.model.rowCount()
        if not n:
            return
        total_cost = sum(self.model.at(r).cost_nano for r in range(n) if self.model.at(r).state != "refused")
        total_tok = sum(self.model.at(r).input_tokens + self.model.at(r).output_tokens for r in range(n))
        refused = sum(1 for r in range(n) if self.model.at(r).state == "refused")
        parts = [
            tr("{len} running").format(len=len(running)),
            tr("{n} calls since the window opened").format(n=n),
            f"{self.session.display.money(total_cost)} · {format_tokens(total_tok)}",
        ]
        if refused:
            parts.append(tr("{refused} refused").format(refused=refused))
        self.summary.setText(" · ".join(parts))
