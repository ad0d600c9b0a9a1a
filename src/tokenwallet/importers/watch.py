"""Importing continuously in the background (the app's ``import_watch`` setting).

A thread of its own — never the GUI thread, never the proxy's event loop — that imports every
tool's default log places every ``every_s`` seconds. Rows of requests made in the last minutes are
announced as CallSettled on the wallet's bus, so the live meter shows subscription use as it
happens. A run that fails (a wallet briefly locked, a profile deleted) is logged and tried again
next time; nothing here can stop the app.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from tokenwallet.importers.entries import Counts
from tokenwallet.importers.run import TOOLS, ImportOptions, run_import

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet

log = logging.getLogger(__name__)

WATCH_EVERY_S = 15.0


def watch_profile(wallet: Wallet) -> str | None:
    """The profile imports are recorded under: the ``import_profile`` setting, else the only profile."""
    name = wallet.get_setting("import_profile")
    if name:
        return str(name)
    profiles = wallet.profiles()
    return profiles[0].name if len(profiles) == 1 else None


class ImportWatcher:
    """The background importer; :meth:`stop` ends it (waiting for a run in progress)."""

    def __init__(self, wallet: Wallet, *, every_s: float = WATCH_EVERY_S) -> None:
        self.wallet = wallet
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last: dict[str, Counts] = {}  # the latest run of each tool (for a status line)

    def run_once(self) -> dict[str, Counts]:
        """Import every tool once (what the thread does each round)."""
        profile = watch_profile(self.wallet)
        if profile is None:
            log.info("import_watch: set import_profile (the wallet has several profiles)")
            return {}
        for tool in TOOLS:
            try:
                self.last[tool] = run_import(self.wallet, ImportOptions(tool, profile))
            except Exception:
                log.exception("importing %s logs failed; trying again in %.0f s", tool, self.every_s)
        return dict(self.last)

    def start(self) -> ImportWatcher:
        self._thread = threading.Thread(target=self._loop, name="tokenwallet-import", daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.every_s)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
