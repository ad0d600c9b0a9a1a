"""The automatic daily backup: one a day into ``backups/daily/``, each kept for 7 days.

``tokenwallet serve`` and the app start a :class:`DailyBackups` thread. It takes a backup at once
when the newest daily one is a day old (or there is none), then looks again every hour, so a
machine that slept or a meter that runs for weeks still gets one a day. Backups run on this
thread only — never on the proxy's event loop or a call's path — and take one read transaction:
the meter keeps writing meanwhile. Old daily backups are pruned only after a new one was written,
so a failing disk never leaves the user with none. Backups made by hand (``tokenwallet backup``)
live one folder up and are never pruned.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tokenwallet.core import private
from tokenwallet.wallet import backend
from tokenwallet.wallet.backup import backup, backup_dir, backup_name
from tokenwallet.wallet.errors import WalletError

log = logging.getLogger(__name__)

DAILY_DIR = "daily"
EVERY = timedelta(days=1)
KEEP = timedelta(days=7)
CHECK_EVERY_S = 3600.0


def daily_dir(wallet: Path) -> Path:
    return backup_dir(wallet) / DAILY_DIR


def daily_backups(wallet: Path) -> list[tuple[datetime, Path]]:
    """The daily backups with the time each was written (its mtime), oldest first."""
    folder = daily_dir(wallet)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("wallet-*.db"):
        try:
            found.append((datetime.fromtimestamp(path.stat().st_mtime, UTC), path))
        except OSError:  # pruned by another process meanwhile
            continue
    return sorted(found)


def run_once(wallet: Path, now: datetime | None = None) -> Path | None:
    """Take a backup if the newest daily one is a day old, then prune those a week old; returns
    the new backup or None. ``now`` is an aware time (tests pass a later one). A PostgreSQL
    wallet is backed up by its server, not here: None."""
    if backend.url_for(wallet) is not None:
        return None
    now = now or datetime.now(UTC)
    taken = daily_backups(wallet)
    if taken and now - taken[-1][0] < EVERY:
        return None
    if not wallet.is_file():
        return None  # nothing to keep yet
    private.make_dir(daily_dir(wallet))
    target = daily_dir(wallet) / backup_name(now=now)
    if target.exists():
        return None  # another process (the app beside serve) took it this very second
    made = backup(wallet, target)
    for at, old in taken:
        if now - at >= KEEP:
            old.unlink(missing_ok=True)
    return made


class DailyBackups:
    """The background thread; :meth:`stop` ends it (waiting for a backup in progress)."""

    def __init__(
        self,
        wallet: Path,
        *,
        check_every_s: float = CHECK_EVERY_S,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.wallet = wallet
        self.check_every_s = check_every_s
        self.clock = clock
        self.last: Path | None = None
        self.error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tokenwallet-backup", daemon=True)

    def start(self) -> DailyBackups:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                made = run_once(self.wallet, self.clock())
            except (WalletError, OSError) as exc:  # a full or read-only disk: try again later
                self.error = str(exc)
                log.warning("daily backup failed: %s", exc)
            else:
                if made is not None:
                    self.last, self.error = made, None
                    log.info("daily backup: %s", made)
            self._stop.wait(self.check_every_s)

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)
