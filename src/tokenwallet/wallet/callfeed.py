"""The live meter across devices: other devices' calls, as events, from PostgreSQL's LISTEN/NOTIFY.

Every reserve and settle on a shared wallet sends ``pg_notify`` in its own transaction (the
notification goes out only if it commits) with a small payload: the call id, the device, the cost.
:class:`CallFeed` listens on a connection of its own, on a thread of its own, and turns each
notification from *another* device into the event the live meter already understands
(``CallStarted`` from the hold, ``CallSettled`` from the ledger row: one indexed read by call id,
never a scan). This device's own calls reach the meter as before (its bus, or ``/tokenwallet/events``).

When the server goes away (a restart, a network cut) the feed reconnects with a growing pause and
then publishes ``WalletChanged("other devices")``: what it missed meanwhile is in the wallet, and
the views re-read it. On an SQLite wallet there is no other device, and no feed.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tokenwallet.core.events import CallSettled, Event, WalletChanged
from tokenwallet.wallet import backend
from tokenwallet.wallet.devices import CHANNEL

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet

log = logging.getLogger(__name__)
POLL_S = 0.5  # how long one wait for notifications lasts: the bound on stop()


class CallFeed:
    """Publishes other devices' calls on ``sink`` (any thread may call ``stop``)."""

    def __init__(self, wallet: Wallet, sink: Callable[[Event], None], *, url: str | None = None) -> None:
        found = url or backend.url_for(wallet.path)
        if found is None:
            raise ValueError("an SQLite wallet has no other devices to follow")
        self._url = found
        self._wallet = wallet
        self._sink = sink
        self._stop = threading.Event()
        self.listening = threading.Event()  # set while LISTEN is in place (tests wait on it)
        self._thread = threading.Thread(target=self._run, name="tokenwallet-callfeed", daemon=True)

    def start(self) -> CallFeed:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg

        from tokenwallet.wallet.pglink import open_link

        backoff, missed = 0.2, False
        while not self._stop.is_set():
            try:
                with open_link(self._url) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    backoff = 0.2
                    if missed:  # calls settled while we were away: the views re-read the wallet
                        self._sink(WalletChanged("other devices"))
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=POLL_S):
                            self._handle(note.payload)
            except psycopg.Error as exc:
                log.info("the live feed of other devices lost the database: %s", exc)
            except Exception:  # a bad payload or a failing read: keep following
                log.warning("the live feed of other devices failed; following again", exc_info=True)
            self.listening.clear()
            missed = True
            self._stop.wait(backoff)
            backoff = min(backoff * 2, 5.0)

    def _handle(self, payload: str) -> None:
        try:
            note: dict[str, Any] = json.loads(payload)
            kind, call_id, device = str(note["kind"]), str(note["call"]), str(note["device"])
        except (ValueError, KeyError, TypeError):
            return
        if device == self._wallet.device_id:
            return  # this device's calls reach its live meter by its own bus
        event = self._wallet.started_event(call_id) if kind == "reserve" else self._settled(call_id)
        if event is not None:
            self._sink(event)

    def _settled(self, call_id: str) -> CallSettled | None:
        row = self._wallet.ledger_row(call_id)
        if row is None:
            return None
        return CallSettled(
            call_id, row.id, row.profile, row.project, row.provider, row.model, row.endpoint, row.usage,
            row.cost_nano, row.estimated, row.status, flags=row.flags, session=row.session, at=row.at,
            source=row.source,
        )  # fmt: skip
