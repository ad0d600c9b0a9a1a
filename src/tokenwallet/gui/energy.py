"""Energy for the window: fills the ledger's energy on a worker after calls settle.

An ecologits computation costs about a millisecond, so the meter never does it while a call is
metered; this object does it for the window, a small batch at a time on the thread pool, after
the calls settled (at most once a second) and until nothing is left.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from tokenwallet.gui.throttle import Throttle
from tokenwallet.gui.workers import run_task

if TYPE_CHECKING:
    from tokenwallet.gui.session import Session

log = logging.getLogger(__name__)
CHUNK = 200  # rows per task (~0.3 s): short write transactions, a quick close


START_DELAY_MS = 3000


class EnergyFiller(QObject):
    """Computes energy and CO₂ for ledger rows that have none.

    Signals:
        filled(int): that many rows got their energy (views showing energy re-read).
    """

    filled = Signal(int)

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session
        # Not before the window is up: ecologits' import (~0.5 s) and its ~2 ms a row hold the GIL,
        # which would put off the first paint; what settled while no window was open can wait.
        self._busy = True
        self._again = False
        self._pace = Throttle(self.run, 1000, self)
        session.walletChanged.connect(self._pace.request)
        QTimer.singleShot(START_DELAY_MS, self._start)

    def _start(self) -> None:
        self._busy = False
        self.run()

    def run(self) -> None:
        if self.session.closed:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        wallet = self.session.reader()
        run_task(lambda: wallet.fill_energy(limit=CHUNK), self._done, self._failed)

    def _done(self, n: object) -> None:
        self._busy = False
        count = int(n) if isinstance(n, int) else 0
        if count:
            self.filled.emit(count)
        if count == CHUNK or self._again:
            self._again = False
            QTimer.singleShot(0, self.run)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        log.warning("could not compute energy: %s", exc)
