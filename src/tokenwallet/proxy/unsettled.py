"""Settlements the wallet could not take yet: retried before the next call, and at shutdown.

The meter answers first and writes the ledger just after. If that write fails — a full disk, the
wallet's folder gone for a moment (a disk unplugged), a lock held too long — the call has already
happened and its exact usage must not be lost. The hold stays in the wallet (so its money stays
reserved and no budget is overspent) and the finished ledger row waits here; the next call, or
stopping the meter, writes it. If the process ends first, the hold is recovered as an estimate by
the next meter to start (``Wallet.recover_holds``).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from tokenwallet.wallet.errors import WalletError

if TYPE_CHECKING:
    from tokenwallet.core.events import Event, EventBus
    from tokenwallet.wallet import CallRecord, SettleResult, Wallet

log = logging.getLogger(__name__)
Announce = Callable[["SettleResult"], "Event"]  # the CallSettled event, once the ledger id is known


class Unsettled:
    """Ledger rows waiting for a writable wallet, oldest first."""

    def __init__(self, wallet: Wallet, bus: EventBus) -> None:
        self.wallet = wallet
        self.bus = bus
        self._waiting: deque[tuple[int, CallRecord, Announce]] = deque()

    def __len__(self) -> int:
        return len(self._waiting)

    def settle(self, hold_id: int, rec: CallRecord, event: Announce) -> SettleResult | None:
        """Settle now (publishing ``event(result)``), or keep it for later when the wallet refuses."""
        if self._waiting:
            self.retry()  # keep the ledger in call order
        if not self._waiting:
            try:
                result = self.wallet.settle(hold_id, rec)
            except WalletError as exc:
                log.warning("call %s answered but not yet written to the wallet: %s", rec.call_id, exc)
            else:
                self.bus.publish(event(result))
                return result
        self._waiting.append((hold_id, rec, event))
        return None

    def retry(self) -> int:
        """Write what waits, oldest first, until the wallet refuses again; returns how many remain."""
        while self._waiting:
            hold_id, rec, event = self._waiting[0]
            try:
                result = self.wallet.settle(hold_id, rec)  # idempotent on the call id
            except WalletError:
                break
            self._waiting.popleft()
            self.bus.publish(event(result))
        return len(self._waiting)
