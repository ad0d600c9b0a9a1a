"""Work that can wait until the window is on screen.

The meter's start-up (uvicorn, httpx, the tokenizer, the price catalog: ~0.3 s of Python) and the
keychain's import run on worker threads or are quick, but they hold the interpreter lock the
window's own start-up needs: done before the first paint they put it off by that much.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 1000  # a window that is never shown (tests, tray-only) runs the work anyway


class _AfterFirstPaint(QObject):
    def __init__(self, widget: QWidget, fn: Callable[[], None], fallback_ms: int) -> None:
        super().__init__(widget)
        self._fn: Callable[[], None] | None = fn
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._fn is not None:
            QTimer.singleShot(0, self, self._run)  # once this paint is on screen
        return False

    def _run(self) -> None:
        fn, self._fn = self._fn, None
        if fn is None:
            return
        parent = self.parent()
        if isinstance(parent, QWidget):
            parent.removeEventFilter(self)
        fn()


def after_first_paint(widget: QWidget, fn: Callable[[], None], fallback_ms: int = FALLBACK_MS) -> None:
    """Call ``fn`` once, right after ``widget`` first paints (or after ``fallback_ms`` unshown)."""
    _AfterFirstPaint(widget, fn, fallback_ms)
