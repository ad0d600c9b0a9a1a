"""``TOKENWALLET_BENCH_START=FILE``: the start-up benchmark's probe inside the real app.

``bench/bench_gui.py --bundle`` measures cold start of the PyInstaller bundle, where it cannot run
its own Python in the child. With this variable set, the app notes when its window's first paint
event arrives and when the meter is up (hosted, attached or off), writes both as Unix times to
FILE as JSON, and quits a second later (so the benchmark's health poll can see the proxy). Unset,
nothing here runs.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from tokenwallet.gui.session import Session

ENV = "TOKENWALLET_BENCH_START"
SETTLED = ("hosted", "attached", "off")


class _Probe(QObject):
    def __init__(self, app: QApplication, session: Session, window: QWidget, path: Path) -> None:
        super().__init__(window)
        self._app, self._session, self._path = app, session, path
        self._paint: float | None = None
        self._cpu: tuple[float, float] = (0.0, 0.0)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._paint is None:
            self._paint = time.time()
            self._cpu = (time.thread_time(), time.process_time())  # the main thread's, the process's
            QTimer.singleShot(0, self._check)
        return False

    def _check(self) -> None:
        if self._session.mode not in SETTLED:
            QTimer.singleShot(2, self._check)
            return
        report = {
            "paint": self._paint,
            "cpu_main": self._cpu[0],
            "cpu_process": self._cpu[1],
            "mode": self._session.mode,
            "mode_at": time.time(),
        }
        self._path.write_text(json.dumps(report), encoding="utf-8")
        QTimer.singleShot(1000, self._app.quit)


def install(app: QApplication, session: Session, window: QWidget) -> None:
    """Watch ``window`` for the benchmark when ``$TOKENWALLET_BENCH_START`` names a file."""
    path = os.environ.get(ENV)
    if path:
        _Probe(app, session, window, Path(path))  # parented to the window, so it lives as long
