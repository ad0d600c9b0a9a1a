"""Files only their owner can read: the data directory, the wallet, its exports and backups.

The wallet holds who spent what on which model, the hashes of wallet keys and the owner PIN's
scrypt hash; an export or a backup holds the same. On a shared computer other accounts must not
read any of it, so everything Token Wallet writes is created owner-only (0600 files, a 0700
data directory) and anything it finds wider is tightened.

Never open the wallet file itself here: closing any descriptor of a file drops all of this
process's POSIX locks on it, which SQLite relies on (see wallet/db.py). ``os.chmod`` and
``os.stat`` touch only metadata; :func:`create_file` opens a *new* file, before any SQLite
connection can exist on it.

On Windows, files under the user's profile are private through ACLs and ``chmod`` only toggles
the read-only flag, so the mode checks apply to POSIX systems only.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
ENFORCED = os.name == "posix"
_OTHERS = 0o077  # group and other bits


def make_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) with the last part private; an existing one is kept."""
    if path.is_dir():
        return
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)  # parents get the usual mode


def tighten(path: Path) -> int | None:
    """Remove group and other permissions from ``path``; returns the old mode when it changed.

    A missing file, or one we may not chmod (another owner, a read-only disk), is left alone:
    opening it reports what is wrong in its own words.
    """
    if not ENFORCED:
        return None
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if not mode & _OTHERS:
            return None
        os.chmod(path, mode & ~_OTHERS)
    except OSError:
        return None
    return mode


def tighten_all(paths: list[Path]) -> str | None:
    """Tighten every path; one line naming those that were readable by others, or None."""
    changed = [(p, old) for p in paths if (old := tighten(p)) is not None]
    if not changed:
        return None
    names = ", ".join(f"{p} ({old:04o})" for p, old in changed)
    them = "it" if len(changed) == 1 else "them"
    return f"other accounts on this computer could read {names}: made {them} owner-only"


def create_file(path: Path) -> bool:
    """Create ``path`` empty and owner-only if it does not exist; True when this call created it.

    Only for a file no SQLite connection in this process can have open yet: a new file is a new
    inode, so closing this descriptor drops nobody's locks.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def prepare(path: Path) -> None:
    """Make sure ``path`` will be owner-only when another writer (Qt's PDF writer) fills it:
    create it empty at 0600, or tighten the file it will overwrite."""
    if not create_file(path):
        tighten(path)


@contextmanager
def open_text(path: Path, *, newline: str | None = None) -> Iterator[TextIO]:
    """Write a text file (an export) that only its owner can read, replacing any old content."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    if ENFORCED:
        os.fchmod(fd, PRIVATE_FILE)  # an existing file keeps its old mode through O_TRUNC
    with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
        yield fh


def write_text(path: Path, text: str) -> None:
    """:meth:`Path.write_text`, owner-only."""
    with open_text(path) as fh:
        fh.write(text)
