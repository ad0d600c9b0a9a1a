"""Desktop notifications from the app: budget warnings, guard trips and refused calls.

Where the desktop has a tray, they are the tray icon's messages (``QSystemTrayIcon.showMessage``);
elsewhere they go to the freedesktop notification service through the same small D-Bus client
``tokenwallet serve`` uses (``alerts/desktop.py``, jeepney), called on a worker thread so a slow
bus never stalls the window. Bursts are coalesced per topic (``alerts/coalesce.py``): a thousand
refused calls are one popup now and one summary when the window ends.

Only while this window hosts the meter: when it follows a ``tokenwallet serve``, that process
sends the notifications (and the webhooks), so nothing pops up twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from tokenwallet.alerts.coalesce import Coalescer
from tokenwallet.alerts.desktop import DesktopNotifier
from tokenwallet.alerts.messages import Alert, alert_for
from tokenwallet.core.events import Event
from tokenwallet.gui.workers import run_task

if TYPE_CHECKING:
    from tokenwallet.gui.session import Session
    from tokenwallet.gui.tray import Tray

log = logging.getLogger(__name__)

WINDOW_S = 60.0


class DesktopAlerts(QObject):
    """Turns the session's events into coalesced desktop notifications (``shown`` keeps them)."""

    def __init__(
        self,
        session: Session,
        tray: Tray | None,
        *,
        notifier: DesktopNotifier | None = None,
        window_s: float = WINDOW_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.tray = tray
        self.notifier = notifier or DesktopNotifier()
        self.coalescer = Coalescer(window_s)
        self.shown: list[Alert] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._flush)
        session.bridge.coreEvent.connect(self._on_event)

    def _on_event(self, ev: Event) -> None:
        alert = alert_for(ev)
        if alert is None or self.session.mode != "hosted" or self.session.closed:
            return
        self._show(self.coalescer.add(alert, time.monotonic()))

    def _flush(self) -> None:
        self._show(self.coalescer.due(time.monotonic()))

    def _show(self, alerts: list[Alert]) -> None:
        due = self.coalescer.next_due()
        if due is not None:
            self._timer.start(max(1, int((due - time.monotonic()) * 1000) + 1))
        if not alerts or not self._enabled():
            return
        for alert in alerts:
            self.shown.append(alert)
            if self.tray is not None:
                self.tray.notify(alert.title, alert.message, critical=alert.topic != "thresholds")
            else:
                run_task(self._sender(alert), lambda _ok: None, self._failed)

    def _sender(self, alert: Alert) -> Callable[[], bool]:
        notifier = self.notifier
        return lambda: notifier.notify(alert)

    def _enabled(self) -> bool:
        try:
            return bool(self.session.wallet.get_setting("desktop_notifications"))
        except Exception:
            return True

    @staticmethod
    def _failed(exc: BaseException) -> None:
        log.info("desktop notification failed: %s", exc)

    def close(self) -> None:
        self._timer.stop()
        self.notifier.close()
