"""A private D-Bus session bus with a fake ``org.freedesktop.Notifications`` service (jeepney).

``dbus-daemon`` (Debian package ``dbus-daemon``, in tools/bootstrap.sh) runs one bus for the test;
the fake service records every ``Notify`` call's arguments and answers with an id, as a desktop's
notification daemon would.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from types import TracebackType
from typing import Any

from jeepney import MessageType, message_bus, new_method_return
from jeepney.io.blocking import open_dbus_connection


def have_dbus_daemon() -> bool:
    return shutil.which("dbus-daemon") is not None


class FakeNotifications:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self._stop = threading.Event()
        self._proc = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        self.address = self._proc.stdout.readline().strip()
        self._conn = open_dbus_connection(self.address)
        reply = self._conn.send_and_get_reply(message_bus.RequestName("org.freedesktop.Notifications"))
        assert reply.body == (1,), reply.body  # primary owner
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                msg = self._conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            except Exception:
                return
            if msg.header.message_type != MessageType.method_call:
                continue
            member = msg.header.fields.get(3)  # HeaderFields.member
            if member == "Notify":
                self.calls.append(tuple(msg.body))
                self._conn.send(new_method_return(msg, "u", (len(self.calls),)))

    def wait_for(self, count: int, timeout: float = 10.0) -> list[tuple[Any, ...]]:
        deadline = time.monotonic() + timeout
        while len(self.calls) < count:
            assert time.monotonic() < deadline, f"{len(self.calls)} of {count} notifications arrived"
            time.sleep(0.01)
        return list(self.calls)

    def __enter__(self) -> FakeNotifications:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(2)
        self._conn.close()
        self._proc.terminate()
        self._proc.wait(10)
        if self._proc.stdout is not None:
            self._proc.stdout.close()
