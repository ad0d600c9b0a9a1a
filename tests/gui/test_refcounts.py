"""PySide6 6.12 on Python 3.11 leaks a reference to None per void Qt call and to True per emit;
the app pins those singletons (gui/refcounts.py). Checked in a process of its own: without the pin
the interpreter aborts, which must not take the test session with it."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from tokenwallet.gui.app import ensure_app

class Source(QObject):
    fired = Signal(object)

calls = max(sys.getrefcount(None), sys.getrefcount(True)) + 5000  # more than either has, unpinned
app = ensure_app([])
label, source = QLabel(), Source()
for _ in range(calls):
    label.setText("a")  # returns None
    source.fired.emit(1)  # returns True
print("alive", flush=True)
"""


def test_many_qt_calls_do_not_use_up_none_or_true() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", CODE], check=False, capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "alive"
