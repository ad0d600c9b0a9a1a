"""Widgets side by side where they fit, one under the other where they do not (large desktop text,
a narrow window), so a row of forms never makes the window wider than the screen."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLayout, QWidget


class FoldingRow(QWidget):
    """A row of widgets that folds into a column when it is narrower than their minimum widths."""

    def __init__(
        self, widgets: Sequence[QWidget], stretches: Sequence[int] = (), parent: QWidget | None = None
    ) -> None:
        """``stretches``: each widget's share of the spare width side by side (default: equal)."""
        super().__init__(parent)
        self._widgets = list(widgets)
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        # the row's minimum is its narrowest form (a column), not the layout's side-by-side sum
        self._box.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        for i, w in enumerate(self._widgets):
            self._box.addWidget(w, stretches[i] if i < len(stretches) else 1)

    def _side_by_side(self) -> int:
        gaps = self._box.spacing() * (len(self._widgets) - 1)
        return sum(w.minimumSizeHint().width() for w in self._widgets) + gaps

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(max(w.minimumSizeHint().width() for w in self._widgets), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = event.size().width() >= self._side_by_side()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._box.direction() != direction:
            self._box.setDirection(direction)
            self.updateGeometry()  # a column is taller: the page lays out again


def bar(*widgets: QWidget) -> QWidget:
    """Widgets in a row, left-aligned, as one widget (a part of a :class:`FoldingRow`)."""
    holder = QWidget()
    line = QHBoxLayout(holder)
    line.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        line.addWidget(w)
    line.addStretch(1)
    return holder
