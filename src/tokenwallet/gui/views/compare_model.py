"""The cost preview's compare table: one row per model, one column per budget that pays for any.

A thin model over frozen :class:`~tokenwallet.pricing.compare.CompareRow` records (no wallet
access); sorting goes through a :class:`CompareSortProxy` on ``SORT_ROLE`` so that unknown values
(no context window, no tier, no energy estimate) stay at the bottom in either direction.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from tokenwallet.core.energy_text import wh_cell
from tokenwallet.gui.actions import envelope_title
from tokenwallet.gui.display import Display
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.views.energy_text import ESTIMATE_TIP_TEXT
from tokenwallet.gui.views.preview_calc import share_text
from tokenwallet.gui.words import word
from tokenwallet.pricing.compare import CompareRow, share_columns, share_of
from tokenwallet.wallet.types import Envelope

COL_MODEL, COL_KEY, COL_TIER, COL_INPUT, COL_COST, COL_CONTEXT, COL_ENERGY = range(7)
HEADERS = [
    QT_TR_NOOP("Model"),
    QT_TR_NOOP("Key"),
    QT_TR_NOOP("Tier"),
    QT_TR_NOOP("Input"),
    QT_TR_NOOP("Cost"),
    QT_TR_NOOP("Context"),
    QT_TR_NOOP("Energy"),
]
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
UNKNOWN = (1, 0.0)  # sorts after every known value
RED, MUTED = QColor("#cf222e"), QColor("#6e7781")
_Index = QModelIndex | QPersistentModelIndex


class CompareModel(QAbstractTableModel):
    """Rows of a compare; ``set_rows`` replaces them all (one prompt at a time)."""

    def __init__(self, display: Display, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.display = display
        self.rows: list[CompareRow] = []
        self.envelopes: list[Envelope] = []
        self.baseline: tuple[str, str] | None = None

    def set_rows(self, rows: list[CompareRow], baseline: tuple[str, str] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.envelopes = share_columns(rows)
        self.baseline = (baseline[0].lower(), baseline[1].lower()) if baseline else None
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS) + len(self.envelopes)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < len(HEADERS):
                return tr(HEADERS[section])
            return envelope_title(self.envelopes[section - len(HEADERS)])
        if role == Qt.ItemDataRole.ToolTipRole:
            if section >= len(HEADERS):
                return tr("Share of what this budget has left that the call would take")
            return {
                COL_COST: "What the meter would hold: input plus the full expected output",
                COL_CONTEXT: "Does prompt + expected output fit the model's context window?",
                COL_ENERGY: "Energy of one such call, where an estimate exists",
                COL_INPUT: "Input tokens by this model's own tokenizer (~ = estimate), images included",
            }.get(section)
        return None

    def data(self, index: _Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        r, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col not in (COL_MODEL, COL_KEY, COL_TIER):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._color(r, col)
        if role == Qt.ItemDataRole.FontRole and col == COL_MODEL and self.is_baseline(r):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(r, col)
        return None

    def is_baseline(self, r: CompareRow) -> bool:
        return self.baseline == (r.provider.lower(), r.model.lower())

    def _text(self, r: CompareRow, col: int) -> str:
        d = self.display
        if col == COL_MODEL:
            return f"{r.provider}/{r.model}"
        if col == COL_KEY:
            return "✓" if r.has_key else tr("no key")
        if col == COL_TIER:
            return word(r.tier) if r.tier else "—"
        if col == COL_INPUT:
            return f"{r.input_tokens:,}" + ("" if r.exact else "~")
        if col == COL_COST:
            return d.money(r.cost_nano)
        if col == COL_CONTEXT:
            if r.fits_context is None:
                return tr("unknown")
            return tr("fits") if r.fits_context else tr("too long")
        if col == COL_ENERGY:
            return wh_cell(r.energy_wh, estimated=r.energy_estimated)
        s = share_of(r, self.envelopes[col - len(HEADERS)].id)
        if s is None:
            return "—"
        return share_text(s.share_bp) if s.fits else tr("over ({share})").format(share=share_text(s.share_bp))

    def _sort_key(self, r: CompareRow, col: int) -> Any:
        """A (known?, value) pair: tuples compare in Python, so the proxy sorts them itself."""
        value: Any = {
            COL_MODEL: f"{r.provider}/{r.model}".lower(),
            COL_KEY: 0 if r.has_key else 1,
            COL_TIER: r.tier_rank,
            COL_INPUT: r.input_tokens,
            COL_COST: r.cost_nano,
            COL_CONTEXT: None if r.fits_context is None else (0 if r.fits_context else 1),
            COL_ENERGY: r.energy_wh,
        }.get(col)
        if col >= len(HEADERS):
            s = share_of(r, self.envelopes[col - len(HEADERS)].id)
            value = None if s is None or s.share_bp is None else s.share_bp
        return UNKNOWN if value is None else (0, value)

    def _color(self, r: CompareRow, col: int) -> QColor | None:
        if col == COL_CONTEXT and r.fits_context is False:
            return RED
        if col == COL_KEY and not r.has_key:
            return MUTED
        if col >= len(HEADERS):
            s = share_of(r, self.envelopes[col - len(HEADERS)].id)
            if s is not None and not s.fits:
                return RED
        return None

    def _tip(self, r: CompareRow, col: int) -> str | None:
        d = self.display
        if col == COL_KEY and not r.has_key:
            return tr("No {provider} key in the keychain: a provider you could add in Settings").format(
                provider=r.provider
            )
        if col == COL_INPUT and r.image_tokens:
            return tr("{image_tokens:,} of them for images").format(image_tokens=r.image_tokens)
        if col == COL_CONTEXT and r.context_window is not None:
            need = r.input_tokens + r.output_tokens
            return tr("needs {need:,} of {context_window:,} tokens").format(
                need=need, context_window=r.context_window
            )
        if col == COL_COST:
            return tr("input {money} + output {output_tokens:,} tokens").format(
                money=d.money(r.input_cost_nano), output_tokens=r.output_tokens
            )
        if col == COL_ENERGY and r.energy_estimated:
            return tr(ESTIMATE_TIP_TEXT)
        if col >= len(HEADERS):
            s = share_of(r, self.envelopes[col - len(HEADERS)].id)
            if s is not None:
                return tr("needs {amount} of {amount2} left").format(
                    amount=d.amount(s.unit, s.need), amount2=d.amount(s.unit, s.available)
                )
        return None


class CompareSortProxy(QSortFilterProxyModel):
    """Sorts on ``SORT_ROLE``; unknown values stay last whichever way the column is sorted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.only_keyed = False

    def set_only_keyed(self, on: bool) -> None:
        self.beginFilterChange()  # Qt 6.10's replacement for the deprecated invalidateFilter()
        self.only_keyed = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if not self.only_keyed or not isinstance(model, CompareModel):
            return True
        r = model.rows[source_row]
        return r.has_key or model.is_baseline(r)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a[0] != b[0]:  # known before unknown, in both directions
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            return bool(a[0] > b[0]) if descending else bool(a[0] < b[0])
        return bool(a[1] < b[1])
