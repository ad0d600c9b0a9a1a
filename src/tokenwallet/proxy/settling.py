"""When the wallet file cannot be written: a clear refusal before the call, retries after it.

Before a call (the hold cannot be written: disk full, I/O error, read-only file) the client gets
507 or 503 with the reason, in its own wire format, and nothing goes upstream.

After a call, the provider has already been paid for it, so the ledger row must appear. A call
counts as settled only once its row is written: until then its hold stays in the wallet (with the
output checkpoint, so a crash-recovery settle at the next start charges it), and the settle is
retried in the background with a growing pause. Settling is idempotent on the call id, so a retry
that races a recovery cannot count the call twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from tokenwallet.proxy.errors import ProxyError

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.errors import WalletError
    from tokenwallet.wallet.types import CallRecord, SettleResult

log = logging.getLogger(__name__)

FIRST_PAUSE = 0.25  # seconds before the first retry; doubles up to MAX_PAUSE
MAX_PAUSE = 30.0


def wallet_refusal(exc: WalletError) -> ProxyError:
    """The answer to a call whose hold could not be written (nothing went upstream)."""
    reason = str(exc)
    if "full" in reason.lower():
        return ProxyError(
            507,
            f"Token Wallet cannot record this call: {reason.rstrip('.')}. Nothing was sent to the provider.",
            "wallet_disk_full",
        )
    return ProxyError(
        503,
        f"Token Wallet cannot record this call: {reason}. Nothing was sent to the provider.",
        "wallet_unavailable",
    )


class SettleRetry:
    """Settles that failed, retried on the proxy's loop until the ledger row is written."""

    def __init__(self, wallet: Wallet) -> None:
        self.wallet = wallet
        self.pending: dict[str, tuple[int | None, CallRecord, Callable[[SettleResult], None]]] = {}
        # True while a shared wallet is known to be out of reach: no attempt (each would wait on a
        # connection), the next one comes after the usual pause (proxy/offline.py).
        self.waiting: Callable[[], bool] = lambda: False

    def add(
        self,
        hold_id: int | None,
        rec: CallRecord,
        exc: WalletError,
        done: Callable[[SettleResult], None],
    ) -> None:
        """Keep ``rec`` to settle later; ``done`` runs once its row is written."""
        log.warning("could not settle call %s yet (%s); retrying in the background", rec.call_id, exc)
        # best effort: the checkpoint lets crash recovery charge the output
        if hold_id is not None and not self.waiting():
            with contextlib.suppress(Exception):
                self.wallet.hold_progress(hold_id, rec.usage.output_tokens)
        self.pending[rec.call_id] = (hold_id, rec, done)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a direct caller): the next start's recovery settles it
            return
        loop.call_later(FIRST_PAUSE, self._attempt, rec.call_id, FIRST_PAUSE)

    def _attempt(self, call_id: str, pause: float) -> None:
        if call_id in self.pending and (self.waiting() or not self._settle(call_id)):
            pause = min(pause * 2, MAX_PAUSE)
            asyncio.get_running_loop().call_later(pause, self._attempt, call_id, pause)

    def _settle(self, call_id: str) -> bool:
        hold_id, rec, done = self.pending[call_id]
        try:
            result = self.wallet.settle(hold_id, rec)
        except Exception as exc:  # still failing: keep the hold, try again later
            log.debug("settle of %s failed again: %s", call_id, exc)
            return False
        del self.pending[call_id]
        try:
            done(result)
        except Exception:  # publishing the event must not undo the settle
            log.exception("after settling %s", call_id)
        return True

    def flush(self) -> int:
        """Try every pending settle now (before the next call, and as the proxy stops); returns
        how many are still waiting."""
        for call_id in list(self.pending):
            self._settle(call_id)
        return len(self.pending)
