"""History page: the ledger with filters and CSV export of what the filters show."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.views.history_model import HistoryModel, export_csv
from tokenwallet.gui.views.widgets import date_field, empty_hint, fit_columns
from tokenwallet.gui.workers import run_task

ANY = QT_TR_NOOP("(any)")


def _combo(items: list[str], current: str | None) -> QComboBox:
    box = QComboBox()
    box.addItem(tr(ANY), "")
    for it in items:
        box.addItem(it, it)
    if current:
        box.setCurrentIndex(max(0, box.findData(current)))
    return box


def _day_start(d: QDate) -> datetime:
    return datetime.combine(date(d.year(), d.month(), d.day()), time()).astimezone().astimezone(UTC)


# typical cell text per column (widths come from the font: nothing clipped at 150 %)
HISTORY_SAMPLES = [
    "2026-11-29 23:59:59", "research-bot", "blog-rewrite", "anthropic", "claude-sonnet-4-5", "123,456",
    "12,345", "12,345", "$0.0123", "refused", "12.3 s", "~12.3 mWh", "340 audio tokens in",
]  # fmt: skip


class HistoryPage(QWidget):
    """Filters on top, the lazily fetched table, a count and an export button.

    Signals:
        exported(str): the CSV file was written (carries a one-line summary).
    """

    exported = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._stale = False
        self.model = HistoryModel(session.wallet, session.display, parent=self)
        self.since_on = QCheckBox(tr("from"))
        self.since = date_field(QDate.currentDate().addDays(-30))
        self.until_on = QCheckBox(tr("to"))
        self.until = date_field(QDate.currentDate())
        for d in (self.since, self.until):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.dateChanged.connect(lambda _d: self.apply())
        for c in (self.since_on, self.until_on):
            c.toggled.connect(lambda _c: self.apply())
        self.profile = QComboBox()
        self.project = QComboBox()
        self.provider = QComboBox()
        self.model_filter = QLineEdit()
        self.model_filter.setPlaceholderText(tr("model (exact)"))
        self.model_filter.editingFinished.connect(self.apply)
        self.export_button = QPushButton(tr("Export CSV…"))
        self.export_button.clicked.connect(self._export_clicked)
        self.count = QLabel()
        self.count.setWordWrap(True)

        # two rows of filters: one row of all of them would hold the window wider than 1024 px
        dates = QHBoxLayout()
        for date_widget in (self.since_on, self.since, self.until_on, self.until, self.model_filter):
            dates.addWidget(date_widget)
        dates.addStretch(1)
        who = QHBoxLayout()
        for w in (
            QLabel(tr("Profile")),
            self.profile,
            QLabel(tr("Project")),
            self.project,
            QLabel(tr("Provider")),
            self.provider,
        ):
            who.addWidget(w)
        who.addStretch(1)
        filters = QVBoxLayout()
        filters.addLayout(dates)
        filters.addLayout(who)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        fit_columns(self.table, HISTORY_SAMPLES)
        empty_hint(self.table, tr("No calls match these filters — widen the dates or clear the search."))
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._reload_choices()
        for box in (self.profile, self.project, self.provider):
            box.currentIndexChanged.connect(lambda _i: self.apply())
        session.walletChanged.connect(self._wallet_changed)
        session.energy.filled.connect(lambda _n: self._wallet_changed())  # the Energy column filled in
        session.displayChanged.connect(self._display_changed)
        session.profileChanged.connect(self._profile_changed)
        self.apply()

    def _reload_choices(self) -> None:
        w = self.session.wallet
        specs: list[tuple[QComboBox, list[str], str | None]] = [
            (
                self.profile,
                [p.name for p in w.profiles()],
                self.profile.currentData() or self.session.profile,
            ),
            (self.project, [p.name for p in w.projects()], self.project.currentData()),
            (self.provider, sorted(p.name for p in w.providers()), self.provider.currentData()),
        ]
        for box, items, current in specs:
            box.blockSignals(True)
            box.clear()
            box.addItem(tr(ANY), "")
            for it in items:
                box.addItem(it, it)
            box.setCurrentIndex(max(0, box.findData(current or "")))
            box.blockSignals(False)

    def current_filter(self) -> Any:
        from tokenwallet.wallet.types import HistoryFilter

        return HistoryFilter(
            since=_day_start(self.since.date()) if self.since_on.isChecked() else None,
            until=_day_start(self.until.date()) + timedelta(days=1) if self.until_on.isChecked() else None,
            profile=self.profile.currentData() or None,
            project=self.project.currentData() or None,
            provider=self.provider.currentData() or None,
            model=self.model_filter.text().strip() or None,
        )

    def apply(self) -> None:
        """Re-run the filter: the count now, rows as the table scrolls."""
        self.model.set_filter(self.current_filter())
        while self.model.canFetchMore() and self.model.loaded() < 100:
            self.model.fetchMore()
        self._show_count()

    def _show_count(self) -> None:
        self.count.setText(
            tr(
                "{total:,} calls match · {loaded:,} loaded (more load as you scroll) · Export writes "
                "every matching row"
            ).format(total=self.model.total, loaded=self.model.loaded())
        )

    def _wallet_changed(self) -> None:
        if not self.isVisible():
            self._stale = True  # counted again when shown: no COUNT(*) per settled call while hidden
            return
        self._reload_choices()
        if self.table.verticalScrollBar().value() == 0:  # don't yank the rows from under a reader
            self.apply()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._reload_choices()
            self.apply()

    def _display_changed(self) -> None:
        self.model.display = self.session.display
        self.model.reload()

    def _profile_changed(self, name: str) -> None:
        self.profile.setCurrentIndex(max(0, self.profile.findData(name)))

    def _export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Export history"), str(Path.home() / "tokenwallet-history.csv"), tr("CSV files (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the rows the filters match to ``path`` on a worker."""
        f, source = self.current_filter(), self.session.reader()
        self.export_button.setEnabled(False)
        self.count.setText(tr("Exporting to {name}…").format(name=path.name))

        def done(n: object) -> None:
            self.export_button.setEnabled(True)
            msg = tr("Exported {n:,} rows to {path}").format(n=n, path=path)
            self.count.setText(msg)
            self.exported.emit(msg)

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            msg = tr("Export failed: {exc}").format(exc=exc)
            self.count.setText(msg)
            self.exported.emit(msg)

        run_task(lambda: export_csv(source, f, path), done, failed)
