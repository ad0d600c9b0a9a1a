"""Desktop notifications through the freedesktop notification service, without Qt.

``tokenwallet serve`` has no window and no tray; when it runs inside a desktop session it can
still pop a notification through ``org.freedesktop.Notifications`` on the session bus. jeepney
(pure-Python D-Bus, already installed with keyring on Linux) speaks to it. With no session bus,
no service, or no jeepney (Windows, macOS), :class:`DesktopNotifier` is silently off; after a
failure it tries again at most once a minute.
"""

from __future__ import annotations

import html
import logging
import threading
import time
from typing import Any

from tokenwallet.alerts.messages import Alert

log = logging.getLogger(__name__)

APP_NAME = "Token Wallet"
RETRY_AFTER_S = 60.0
TIMEOUT_S = 2.0
EXPIRE_MS = 8000
URGENCY = {"thresholds": 1, "refusals": 2, "guards": 2}  # 1 normal, 2 critical


def notify_args(alert: Alert) -> tuple[Any, ...]:
    """The ``Notify`` call's arguments (signature ``susssasa{sv}i``).

    The body is escaped: servers may read it as markup, and a profile or model name is user text.
    """
    hints = {"urgency": ("y", URGENCY[alert.topic]), "desktop-entry": ("s", "tokenwallet")}
    return (APP_NAME, 0, "dialog-warning", alert.title, html.escape(alert.message), [], hints, EXPIRE_MS)


class DesktopNotifier:
    """Sends :class:`Alert` s to the notification service on ``bus`` ("SESSION" or an address)."""

    def __init__(self, bus: str = "SESSION") -> None:
        self.bus = bus
        self._conn: Any = None
        self._failed_at: float | None = None
        self._lock = threading.Lock()  # the app calls from pool threads; one D-Bus call at a time
        self.sent = 0

    def notify(self, alert: Alert) -> bool:
        """True when the service took it; False (quietly) when there is no service right now."""
        with self._lock:
            return self._notify(alert)

    def _notify(self, alert: Alert) -> bool:
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_AFTER_S:
            return False
        try:
            from jeepney import DBusAddress, MessageType, new_method_call

            if self._conn is None:
                from jeepney.io.blocking import open_dbus_connection

                self._conn = open_dbus_connection(self.bus)
            target = DBusAddress(
                "/org/freedesktop/Notifications",
                bus_name="org.freedesktop.Notifications",
                interface="org.freedesktop.Notifications",
            )
            msg = new_method_call(target, "Notify", "susssasa{sv}i", notify_args(alert))
            reply = self._conn.send_and_get_reply(msg, timeout=TIMEOUT_S)
            if reply.header.message_type == MessageType.error:
                raise RuntimeError(str(reply.body))
        except Exception as exc:  # no jeepney, no bus, no service: notifications are simply off
            if self._failed_at is None:
                log.info("desktop notifications unavailable: %s", exc)
            self._failed_at = time.monotonic()
            self.close()
            return False
        self._failed_at = None
        self.sent += 1
        return True

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                log.debug("closing the D-Bus connection failed", exc_info=True)
            self._conn = None
