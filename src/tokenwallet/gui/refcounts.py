"""Keep None, True and False alive under PySide6 6.12 on Python 3.11.

PySide6 6.12.0 drops one reference to ``None`` on every call of a Qt method that returns nothing
(``QLabel.setText``, ``QTimer.start``, ``QStandardItem.setData`` …) and one to ``True`` on every
``Signal.emit``. Python 3.12 made these singletons immortal (PEP 683), so there nothing happens; on
3.11 their reference counts fall by about 1,500 a second while 50 streams run through the hosted
proxy, and when one reaches zero the interpreter aborts ("none_dealloc" / "bool_dealloc"): the app
dies after a busy minute or a long day. :func:`pin_singletons` does what 3.12 does: it gives the
three a reference count no run can use up (2**60: at a million leaked references a second, 36,000
years).
"""

from __future__ import annotations

import ctypes
import sys

PIN = 1 << 60


def pin_singletons() -> None:
    """Make ``None``, ``True`` and ``False`` effectively immortal (no-op on Python ≥ 3.12)."""
    if sys.version_info >= (3, 12):
        return
    for obj in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the object's first field
        if count.value < PIN:
            count.value += PIN
