"""Live meter page: calls appear as they start, streams tick up, settled/refused/downgraded marked."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from tokenwallet.core.events import Event
from tokenwallet.core.money import format_tokens
from tokenwallet.gui.session import Session
from tokenwallet.gui.throttle import Throttle
from tokenwallet.gui.views.meter_model import COL_STATUS, MeterModel

COLUMN_WIDTHS = (80, 120, 110, 230, 100, 100, 90)


class MeterPage(QWidget):
    """The calls seen since the window opened, repainted at most ten times a second."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = MeterModel(session.display, self)
        self.summary = QLabel(
            "No calls yet. Point a tool at the proxy (see Connect) and its calls show up here."
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
        for col, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.throttle = Throttle(self._repaint, 100, self)
        session.bridge.coreEvent.connect(self.on_event)
        session.displayChanged.connect(self._display_changed)

    def on_event(self, ev: Event) -> None:
        if self.model.apply(ev):
            self.throttle.request()

    def _display_changed(self) -> None:
        self.model.display = self.session.display
        self.throttle.request()

    def _repaint(self) -> None:
        self.model.flush()
        running = self.model.running()
        n = self.model.rowCount()
        if not n:
            return
        total_cost = sum(self.model.at(r).cost_nano for r in range(n) if self.model.at(r).state != "refused")
        total_tok = sum(self.model.at(r).input_tokens + self.model.at(r).output_tokens for r in range(n))
        refused = sum(1 for r in range(n) if self.model.at(r).state == "refused")
        parts = [
            f"{len(running)} running",
            f"{n} calls since the window opened",
            f"{self.session.display.money(total_cost)} · {format_tokens(total_tok)}",
        ]
        if refused:
            parts.append(f"{refused} refused")
        self.summary.setText(" · ".join(parts))
