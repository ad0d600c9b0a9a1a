"""Write transactions a process marks as its meter's own: not "changes" to its other connections.

On PostgreSQL every write transaction bumps ``tw_meta.change`` and a connection that sees the
counter moved by someone else counts a foreign change (SQLite's ``data_version``, ``pgconn``). A
meter that writes in a worker thread, on that thread's own connection, marks it
(:func:`quiet_writes`): its ledger rows change nothing the meter caches (keys, settings, guards,
prices), and counted as foreign they made every call re-read its key and the settings. The values
a quiet transaction bumped the counter to are remembered once it committed (a rolled-back one is
reused by the next writer); the bumps are still changes for every other process and device.
"""

from __future__ import annotations

import threading
from collections import deque

_thread = threading.local()  # .quiet: this thread's write transactions are the meter's own


class _Quiet:
    """The change counter's values quiet write transactions of this process bumped it to, for one
    database (the last few thousand: a connection that looks less often counts a change)."""

    KEEP = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: set[int] = set()
        self._order: deque[int] = deque()

    def add(self, value: int) -> None:
        with self._lock:
            self._values.add(value)
            self._order.append(value)
            if len(self._order) > self.KEEP:
                self._values.discard(self._order.popleft())

    def cover(self, seen: int, value: int) -> bool:
        """Whether every bump after ``seen`` up to ``value`` was a quiet one."""
        if not 0 < value - seen <= self.KEEP:
            return False
        with self._lock:
            return all(v in self._values for v in range(seen + 1, value + 1))


_QUIET: dict[str, _Quiet] = {}
_QUIET_LOCK = threading.Lock()


def quiet_of(url: str) -> _Quiet:
    quiet = _QUIET.get(url)
    if quiet is None:
        with _QUIET_LOCK:
            quiet = _QUIET.setdefault(url, _Quiet())
    return quiet


def quiet_thread() -> bool:
    """Whether this thread's write transactions are quiet."""
    return bool(getattr(_thread, "quiet", False))


def quiet_writes() -> None:
    """Mark this thread's write transactions as the meter's own call path (a settle worker's):
    the other connections of this process do not count them as changes (module doc)."""
    _thread.quiet = True
