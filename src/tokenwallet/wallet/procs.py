"""Who owns a hold: a process id plus something that survives pid reuse.

On Linux the owner token is the process start time from ``/proc/<pid>/stat`` (clock ticks since
boot) together with the boot id, so a recycled pid or a reboot never looks like the original
owner. Elsewhere the token is empty and only the pid's existence is checked.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


def _stat_fields(pid: int) -> list[str] | None:
    """``/proc/<pid>/stat`` from field 3 (state) on, or None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    return stat.rsplit(")", 1)[1].split()


def _start_ticks(pid: int) -> str | None:
    fields = _stat_fields(pid)
    return None if fields is None else fields[19]  # field 22 overall: starttime


@cache
def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def token_for(pid: int) -> str:
    ticks = _start_ticks(pid)
    return "" if ticks is None else f"{_boot_id()}:{ticks}"


_mine: dict[int, str] = {}


def my_token() -> str:
    """This process's token (recomputed after a fork: the child is another process)."""
    pid = os.getpid()
    if pid not in _mine:
        _mine[pid] = token_for(pid)
    return _mine[pid]


# A zombie (killed or exited, not yet reaped by its parent) still has a /proc entry and its start
# time, but it will never settle a call: its holds are recoverable at once. "X" is a process being
# torn down.
_DEAD_STATES = frozenset({"Z", "X", "x"})


def alive(pid: int, token: str) -> bool:
    """Is the process that wrote (pid, token) still running? A zombie is not."""
    fields = _stat_fields(pid) if sys.platform.startswith("linux") else None
    if fields is not None and fields[0] in _DEAD_STATES:
        return False
    if token and sys.platform.startswith("linux"):
        return fields is not None and f"{_boot_id()}:{fields[19]}" == token
    if sys.platform == "win32":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _alive_windows(pid: int) -> bool:  # pragma: no cover - exercised on Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    code = ctypes.c_ulong()
    ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    kernel32.CloseHandle(handle)
    return bool(ok) and code.value == 259  # STILL_ACTIVE
