"""Bad days: one line that names the wallet file, says what went wrong and what to do.

SQLite's own words ("unable to open database file", "disk I/O error") tell a user little. When
opening or writing the wallet fails, :func:`explain` looks at the folder itself — is it there, can
a small file be written in it — and says which of these it is: a folder that is gone (a disk
unplugged), read-only, full, or a damaged file. It never opens the wallet file itself (see
``db.check_file`` for why a plain descriptor of it is dangerous).

A failed write changes nothing: SQLite rolls the transaction back, and everything committed before
stays in the file — which is why every message can say so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import tempfile
from pathlib import Path

KEPT = "nothing already saved is lost"
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_PROBE_BYTES = 64 << 10  # a few SQLite pages and a WAL frame: less room than this is "full"
_LOW_SPACE = 1 << 20


def gone(path: Path) -> str:
    """The folder holding the wallet vanished (an unplugged disk, a removed folder)."""
    return (
        f"the folder of the wallet file {path} is gone (a disk unplugged, or the folder moved or "
        f"removed): reconnect the disk or put the folder back, then start Token Wallet again; {KEPT}"
    )


def replaced(path: Path) -> str:
    """The wallet file was deleted or replaced while open: writes would go to a file nobody sees."""
    return (
        f"the wallet file {path} was removed or replaced while Token Wallet had it open: nothing more "
        "is written to it; start Token Wallet again (restore the file from a backup if it was deleted)"
    )


def read_only(path: Path) -> str:
    return (
        f"cannot write to the wallet file {path}: its folder or the file is read-only (or not yours); "
        f"make it writable, or use another data folder (--data-dir); {KEPT}"
    )


def full(path: Path) -> str:
    return (
        f"cannot write to the wallet file {path}: the disk is full (or a file-size limit was reached); "
        f"free some space and try again; {KEPT}"
    )


def damaged(path: Path, detail: str) -> str:
    return (
        f"the wallet file {path} is damaged ({detail}): move it aside and restore a backup, "
        "or use another data folder (--data-dir); the damaged file is left as it is"
    )


def explain(path: Path, exc: BaseException) -> str:
    """One line for a failure to open or write the wallet at ``path``."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError | sqlite3.InterfaceError):
        return f"could not write to the wallet file {path}: {detail}"  # our bug, not the disk's
    name = str(getattr(exc, "sqlite_errorname", ""))
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in detail:
        return damaged(path, detail)
    if name.startswith("SQLITE_BUSY") or "database is locked" in detail:
        return (
            f"the wallet file {path} stayed busy: another Token Wallet process held it too long; "
            f"try again; {KEPT}"
        )
    folder = path.parent
    if not folder.is_dir():
        return gone(path)
    code = exc.errno if isinstance(exc, OSError) else None
    if code not in _FULL and code not in _READ_ONLY:
        code = errno.EFBIG if _size_limited(path) else _probe(folder)
    if code in _FULL or name == "SQLITE_FULL":
        return full(path)
    if code in _READ_ONLY or name.startswith("SQLITE_READONLY"):
        return read_only(path)
    if code == errno.ENOENT:
        return gone(path)
    return f"cannot use the wallet file {path}: {detail}"


def _probe(folder: Path) -> int | None:
    """Can a small file be written in ``folder``? The errno when not (the probe file is removed)."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tokenwallet-probe-") as fh:
            fh.write(b"\0" * _PROBE_BYTES)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        return exc.errno
    try:
        st = os.statvfs(folder)
    except OSError:
        return None
    return errno.ENOSPC if st.f_bavail * st.f_frsize < _LOW_SPACE else None


def _size_limited(path: Path) -> bool:
    """Is this process's file-size limit (``ulimit -f``) too small for the wallet or its WAL to grow?"""
    try:
        import resource
    except ImportError:  # Windows
        return False
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft == resource.RLIM_INFINITY:
        return False
    sizes = [0]
    for name in (path, Path(f"{path}-wal")):
        with contextlib.suppress(OSError):
            sizes.append(os.stat(name).st_size)  # a stat, not an open: see db.check_file
    return max(sizes) + _PROBE_BYTES > soft
