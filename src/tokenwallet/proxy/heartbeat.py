"""The meter's device heartbeat: "last seen" every half minute, and other devices' timed-out holds.

It runs as a task on the proxy's loop and does its wallet work in a worker thread, so no call ever
waits for it and no call pays an extra transaction. Each beat refreshes this device's row
(``touch_device``) and settles, as estimates, holds another device left behind longer than the
``foreign_hold_timeout_s`` setting (``recover_holds`` leaves every other hold alone).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from tokenwallet.wallet.devices import HEARTBEAT_S

if TYPE_CHECKING:
    from tokenwallet.proxy.metering import Meter

log = logging.getLogger(__name__)
HEARTBEAT_EVERY = HEARTBEAT_S


def register(meter: Meter, *, serving: bool) -> None:
    """Register (or sign off) this device; a wallet that refuses costs the device row, never the meter."""
    try:
        meter.wallet.register_device(serving=serving)
    except Exception:
        log.warning("could not register this device in the wallet", exc_info=True)


def beat(meter: Meter) -> None:
    meter.wallet.touch_device()
    recovered = meter.wallet.recover_holds(meter.price_stale_hold)
    if recovered:
        log.warning("settled %d call(s) another device left in flight, as estimates", len(recovered))


async def beat_every(meter: Meter, seconds: float = HEARTBEAT_EVERY) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await asyncio.to_thread(beat, meter)
        except Exception:  # the database away for a moment: the next beat tries again
            log.warning("device heartbeat failed", exc_info=True)


def sign_off(meter: Meter) -> None:
    with contextlib.suppress(Exception):
        meter.wallet.register_device(serving=False)
