"""Coalesce bursts of updates into at most one call per interval (the live meter's repaint pacing)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """Calls ``fn`` at most once every ``interval_ms``; extra requests in between fold into one.

    The first request after a quiet spell runs on the next event-loop turn (so a single call appears
    at once); requests during the interval schedule exactly one trailing call.
    """

    def __init__(self, fn: Callable[[], None], interval_ms: int = 100, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._interval = interval_ms
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self.calls = 0  # how many times fn ran (tests and the bench read it)

    def request(self) -> None:
        if self._timer.isActive():
            return
        since = (time.monotonic() - self._last) * 1000
        self._timer.start(max(0, int(self._interval - since)))

    def flush(self) -> None:
        """Run now if something is pending (tests, and before a view is shown)."""
        if self._timer.isActive():
            self._timer.stop()
            self._fire()

    def _fire(self) -> None:
        self._last = time.monotonic()
        self.calls += 1
        self._fn()
