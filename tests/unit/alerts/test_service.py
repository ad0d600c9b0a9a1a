"""The alert service on a real wallet and bus: configuration from the wallet, fan-out, desktop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.notifications import FakeNotifications, have_dbus_daemon
from fakes.receiver import Receiver
from tokenwallet.alerts import AlertService
from tokenwallet.alerts.desktop import DesktopNotifier
from tokenwallet.alerts.setup import add_webhook
from tokenwallet.alerts.webhooks import SenderOptions
from tokenwallet.core.events import BudgetCrossed, CallRefused, EventBus, GuardTripped
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import Wallet

FAST = SenderOptions(window_s=0.3, backoff_s=0.05, max_attempts=3, timeout_s=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


@pytest.fixture
def wallet(tmp_path: Path) -> Iterator[Wallet]:
    w = Wallet.open(tmp_path / "wallet.db")
    yield w
    w.close()


def crossed() -> BudgetCrossed:
    return BudgetCrossed(1, "profile:alice (month)", 80, 81, 2_000_000_000, "usd", "warn")


def refused(reason: str = "budget") -> CallRefused:
    return CallRefused("c1", "alice", None, "openai", "gpt-4o", reason, "profile:alice (month)", 1, 5, "usd")


def trip() -> GuardTripped:
    return GuardTripped(
        2, "wallet", "rate", "block", "21 calls in 60 s", "alice", "s", "gpt-4o", "tokenwallet guard lift 2"
    )


def test_events_reach_each_webhook_that_wants_them(wallet: Wallet, receiver: Receiver) -> None:
    keys = MemoryKeyStore()
    add_webhook(wallet, keys, receiver.url + "/all", format="json", header="X-Token: s3cret value")
    add_webhook(wallet, keys, receiver.url + "/guards", topics="guards")
    assert keys.get("webhook-1") is not None and "s3cret" not in keys.get("webhook-1")  # type: ignore[operator]
    bus = EventBus()
    service = AlertService(wallet.path, bus, keystore=keys, options=FAST)
    service.start()
    try:
        bus.publish(crossed())
        bus.publish(refused("guard"))  # its GuardTripped below is the alert
        bus.publish(trip())
        got = receiver.wait_for(3)
    finally:
        service.stop()
    got.sort(key=lambda r: r.path)
    assert [r.path for r in got] == ["/all", "/all", "/guards"]
    assert sorted(json.loads(r.body)["kind"] for r in got[:2]) == ["guard", "threshold"]
    assert all(r.headers["x-token"] == "s3cret value" for r in got[:2])
    assert got[2].text.startswith("Guard rate (wallet) stopped a call to gpt-4o by alice: 21 calls")
    assert "x-token" not in got[2].headers


def test_a_webhook_added_while_running_is_used(wallet: Wallet, receiver: Receiver) -> None:
    bus = EventBus()
    service = AlertService(wallet.path, bus, options=FAST, refresh_s=0.0)
    service.start()
    try:
        bus.publish(refused())  # no webhook yet: nothing to send
        other = Wallet.open(wallet.path)  # as `tokenwallet alerts webhook add` from another process
        other.add_webhook(receiver.url + "/late", topics="refusals")
        other.close()
        bus.publish(refused())
        (got,) = receiver.wait_for(1)
    finally:
        service.stop()
    assert got.path == "/late"


@pytest.mark.skipif(not have_dbus_daemon(), reason="needs dbus-daemon (tools/bootstrap.sh)")
def test_headless_desktop_notifications_are_coalesced_and_can_be_turned_off(wallet: Wallet) -> None:
    with FakeNotifications() as desktop:
        bus = EventBus()
        notifier = DesktopNotifier(desktop.address)
        service = AlertService(wallet.path, bus, desktop=notifier, options=FAST, refresh_s=0.0)
        service.start()
        try:
            for _ in range(200):
                bus.publish(refused())
            first, summary = desktop.wait_for(2)
            assert first[3] == "Call refused" and summary[3] == "Call refused (199 more)"
            wallet.set_setting("desktop_notifications", False)  # `tokenwallet alerts notify off`
            bus.publish(crossed())
            bus.publish(refused())
        finally:
            service.stop()
        assert len(desktop.calls) == 2
