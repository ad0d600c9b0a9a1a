"""The cost preview's "Compare models" section: a title bar, a filter and the sortable table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.gui.display import Display
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.views.compare_model import COL_COST, CompareModel, CompareSortProxy
from tokenwallet.pricing.compare import CompareRow


class CompareSection(QWidget):
    """Every model priced for the previewed prompt, cheapest first; columns sort on click.

    Signals:
        modelChosen(str): a row was double-clicked; carries ``provider/model``.
    """

    modelChosen = Signal(str)

    def __init__(self, display: Display, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CompareModel(display, self)
        self.proxy = CompareSortProxy(self)
        self.proxy.setSourceModel(self.model)
        view = self.view = QTableView()
        view.setModel(self.proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(COL_COST, Qt.SortOrder.AscendingOrder)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)  # one line per model; the table scrolls sideways instead
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(24)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        view.doubleClicked.connect(self._chosen)
        self.note = QLabel("")
        self.note.setStyleSheet("color:#57606a;")
        self.only_keyed = QCheckBox(tr("Only providers with a key"))
        self.only_keyed.toggled.connect(self.proxy.set_only_keyed)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("<b>Compare models</b>")))
        bar.addWidget(self.note, 1)
        bar.addWidget(self.only_keyed)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(bar)
        box.addWidget(view, 1)

    def show_rows(
        self, rows: Sequence[CompareRow], baseline: tuple[str, str] | None, note: str | None = None
    ) -> None:
        self.model.set_rows(list(rows), baseline)
        keyed = sum(1 for r in rows if r.has_key)
        default = tr("{len} models, {keyed} with a key · double-click one to preview it").format(
            len=len(rows), keyed=keyed
        )
        self.note.setText("" if not rows else (note or default))

    def _chosen(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            r = self.model.rows[source.row()]
            self.modelChosen.emit(f"{r.provider}/{r.model}")
