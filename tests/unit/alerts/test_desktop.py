"""Desktop notifications over a real (private) D-Bus session bus, to a fake notification service."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from fakes.notifications import FakeNotifications, have_dbus_daemon
from tokenwallet.alerts import Alert
from tokenwallet.alerts.desktop import DesktopNotifier, notify_args

AT = datetime(2026, 11, 29, 14, 0, tzinfo=UTC)
pytestmark = pytest.mark.skipif(not have_dbus_daemon(), reason="needs dbus-daemon (tools/bootstrap.sh)")


@pytest.fixture
def service() -> Iterator[FakeNotifications]:
    with FakeNotifications() as s:
        yield s


def test_a_notification_reaches_the_service(service: FakeNotifications) -> None:
    n = DesktopNotifier(service.address)
    alert = Alert("guards", "Guard tripped", "Guard loop stopped <kid>'s agent & co", AT)
    assert n.notify(alert) and n.notify(alert)
    n.close()
    first, _second = service.wait_for(2)
    app, replaces, icon, title, body, actions, hints, expire = first
    assert (app, replaces, title, actions, expire) == ("Token Wallet", 0, "Guard tripped", [], 8000)
    assert body == "Guard loop stopped &lt;kid&gt;&#x27;s agent &amp; co"  # servers may read markup
    assert hints["urgency"] == ("y", 2) and icon == "dialog-warning"


def test_no_bus_is_quietly_off(tmp_path: object) -> None:
    n = DesktopNotifier(f"unix:path={tmp_path}/no-such-bus")
    assert n.notify(Alert("thresholds", "t", "m", AT)) is False
    assert n.notify(Alert("thresholds", "t", "m", AT)) is False  # and does not retry at once


def test_notify_args_signature() -> None:
    args = notify_args(Alert("thresholds", "Budget warning", "80 %", AT))
    assert args[6]["urgency"] == ("y", 1) and len(args) == 8
