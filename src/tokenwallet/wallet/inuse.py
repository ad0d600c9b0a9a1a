"""Who is using a wallet: a lock file every running meter (and the app) holds while it runs.

``tokenwallet restore`` must not replace a wallet under a running meter: the meter would keep
charging envelopes and keys it cached from the old file. Each meter (``serve``, the app's proxy)
and each app window holds a *shared* ``flock`` on ``wallet.db.inuse`` beside the wallet; restore
takes it *exclusively* and without waiting, so it fails at once while anyone holds it. The kernel
drops an ``flock`` when its holder exits, also on a crash or ``kill -9``: a stale file means nothing.

It is a separate file on purpose: any descriptor of the wallet file itself, closed, would drop
the process's POSIX locks SQLite holds on it (see wallet/db.py).

On Windows (no ``flock``) the lock is a no-op and restore relies on asking the
configured meter port who it is (``/tokenwallet/health``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tokenwallet.core import private
from tokenwallet.wallet.errors import WalletError

if sys.platform != "win32":
    import fcntl


class WalletInUse(WalletError):
    """A meter or the app is running on this wallet."""


def lock_path(wallet: Path) -> Path:
    return wallet.with_name(wallet.name + ".inuse")


def _open(wallet: Path) -> int:
    private.make_dir(wallet.parent)
    return os.open(lock_path(wallet), os.O_RDWR | os.O_CREAT, private.PRIVATE_FILE)


class UseLock:
    """Held (shared) while a meter or the app runs on ``wallet``; :meth:`release` when it stops."""

    def __init__(self, wallet: Path) -> None:
        self._fd: int | None = None
        if sys.platform == "win32":
            return
        fd = _open(wallet)
        try:
            # Waits only while a restore holds it exclusively (seconds): then opens the restored file.
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing drops the flock


def try_use_lock(wallet: Path) -> UseLock | None:
    """A :class:`UseLock`, or None when the lock file cannot be made (a read-only directory):
    the app still runs; only restore's check is weaker."""
    try:
        return UseLock(wallet)
    except OSError:
        return None


@contextmanager
def exclusive(wallet: Path) -> Iterator[None]:
    """Hold the wallet for a restore; raises :class:`WalletInUse` at once when anyone uses it."""
    if sys.platform == "win32":
        yield
        return
    fd = _open(wallet)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WalletInUse(
                f"{wallet} is in use by a running meter or the app ('tokenwallet serve' or the "
                "desktop app): stop it, then run this again"
            ) from None
        yield
    finally:
        os.close(fd)
