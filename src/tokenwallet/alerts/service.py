"""The alert service: run by the process that hosts the meter, once per wallet.

It subscribes to the meter's :class:`EventBus`; the subscriber only puts the event on a bounded
queue (``put_nowait``; a full queue drops it), so publishing on the proxy's event loop never
waits. A thread of its own turns events into alerts, coalesces them for the desktop, and hands
them to one :class:`WebhookSender` per configured webhook. The webhook list and the
``desktop_notifications`` setting are re-read from the wallet at most every ``refresh_s`` seconds
when an alert comes (so a webhook added from the CLI while ``serve`` runs is used), and at once
after an edit published on the same bus.

Only the meter's host runs this: the app when it hosts the proxy, ``tokenwallet serve``
otherwise; an app following a ``serve`` does not, so nothing is sent twice.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tokenwallet.alerts.coalesce import Coalescer
from tokenwallet.alerts.desktop import DesktopNotifier
from tokenwallet.alerts.messages import Alert, alert_for
from tokenwallet.alerts.webhooks import SenderOptions, WebhookSender, keychain_secrets
from tokenwallet.core.events import BudgetCrossed, CallRefused, Event, EventBus, GuardTripped, WalletChanged
from tokenwallet.wallet.alerts import WebhookSpec

if TYPE_CHECKING:
    from tokenwallet.secrets import KeyStore
    from tokenwallet.wallet import Wallet

log = logging.getLogger(__name__)

ALERT_EVENTS = (BudgetCrossed, CallRefused, GuardTripped)
QUEUE_SIZE = 10_000


class AlertService:
    """Alerts for one wallet. ``desktop`` is None where the app shows notifications itself."""

    def __init__(
        self,
        wallet_path: Path,
        bus: EventBus,
        *,
        keystore: KeyStore | None = None,
        desktop: DesktopNotifier | None = None,
        options: SenderOptions | None = None,
        refresh_s: float = 2.0,
    ) -> None:
        self.wallet_path = Path(wallet_path)
        self.bus = bus
        self.desktop = desktop
        self.options = options or SenderOptions()
        self.refresh_s = refresh_s
        self.senders: dict[WebhookSpec, WebhookSender] = {}
        self._secrets = keychain_secrets(keystore)
        self._queue: queue.Queue[Event | None] = queue.Queue(QUEUE_SIZE)
        self._coalescer = Coalescer(self.options.window_s)
        self._desktop_on = True
        self._loaded_at: float | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._thread: threading.Thread | None = None
        self.dropped = 0

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="tokenwallet-alerts", daemon=True)
        self._thread.start()
        self._unsubscribe = self.bus.subscribe(self._on_event)

    def stop(self, timeout: float = 3.0) -> None:
        """Stop taking events; senders get ``timeout`` seconds to finish what they are sending."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._thread is None:
            return
        with contextlib.suppress(queue.Full):
            self._queue.put(None, timeout=timeout)
        self._thread.join(timeout)
        self._thread = None

    def _on_event(self, event: Event) -> None:
        """On the publisher's thread (the proxy's event loop): only a non-blocking put."""
        if isinstance(event, WalletChanged):
            if event.what in ("webhooks", "setting:desktop_notifications", "gui edit"):
                self._loaded_at = None  # re-read the configuration with the next alert
            return
        if not isinstance(event, ALERT_EVENTS):
            return
        try:
            self._queue.put_nowait(event)
        except queue.Full:  # the thread is far behind; the coalesced summary says enough
            self.dropped += 1
            if self.dropped == 1:
                log.warning("alerts: %d events waiting, dropping new ones until they are sent", QUEUE_SIZE)

    # -- the alerts thread ----------------------------------------------------------------------
    def _run(self) -> None:
        from tokenwallet.wallet import Wallet

        try:
            wallet = Wallet.open(self.wallet_path, bus=EventBus())  # a private bus: reads only
        except Exception:
            log.exception("alerts are off: cannot open the wallet")
            return
        try:
            self._loop(wallet)
        finally:
            # all at once: a stuck receiver costs the shutdown its timeout once, not once per webhook
            for sender in self.senders.values():
                sender.request_stop()
            deadline = time.monotonic() + 2.0
            for sender in self.senders.values():
                sender.join(max(0.0, deadline - time.monotonic()))
            if self.desktop is not None:
                self.desktop.close()
            wallet.close()

    def _loop(self, wallet: Wallet) -> None:
        while True:
            due = self._coalescer.next_due()
            wait = None if due is None else max(0.0, due - time.monotonic())
            try:
                event = self._queue.get(timeout=wait)
            except queue.Empty:
                self._to_desktop(self._coalescer.due(time.monotonic()))
                continue
            if event is None:
                return
            alert = alert_for(event)
            if alert is None:
                continue
            now = time.monotonic()
            if self._loaded_at is None or now - self._loaded_at > self.refresh_s:
                self._load(wallet, now)
            for sender in self.senders.values():
                sender.offer(alert)
            if self.desktop is not None and self._desktop_on:
                self._to_desktop(self._coalescer.add(alert, now))

    def _to_desktop(self, alerts: list[Alert]) -> None:
        if self.desktop is None or not self._desktop_on:
            return
        for alert in alerts:
            self.desktop.notify(alert)

    def _load(self, wallet: Wallet, now: float) -> None:
        try:
            hooks = set(wallet.webhooks())
            self._desktop_on = bool(wallet.get_setting("desktop_notifications"))
        except Exception:
            log.exception("cannot read the alert settings; keeping the previous ones")
            return
        self._loaded_at = now
        for hook in set(self.senders) - hooks:
            self.senders.pop(hook).stop(timeout=0.5)
        for hook in hooks - set(self.senders):
            sender = WebhookSender(hook, self._secrets, self.options)
            sender.start()
            self.senders[hook] = sender
