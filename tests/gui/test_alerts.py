"""Alerts in the app: the Settings group (webhooks, desktop on/off) and coalesced desktop
notifications from refused calls through the hosted proxy, to a fake notification service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from fakes.notifications import FakeNotifications, have_dbus_daemon
from fakes.receiver import Receiver
from fakes.upstream import FakeUpstream
from tokenwallet.alerts import AlertService
from tokenwallet.alerts.coalesce import Coalescer
from tokenwallet.alerts.desktop import DesktopNotifier
from tokenwallet.core.events import CallRefused
from tokenwallet.core.money import Amount
from tokenwallet.gui.views.settings import SettingsPage
from tokenwallet.gui.views.settings_alerts import AlertsBox
from tokenwallet.paths import wallet_file
from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.types import Scope

from .conftest import PROVIDER_KEYS, App, close_app, make_app, point_at

ALICE = Scope("profile", "alice")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def alerts_box(app: App) -> AlertsBox:
    page = app.page("settings")
    assert isinstance(page, SettingsPage)
    return page.alerts


def test_add_test_remove_a_webhook_from_settings(app: App, receiver: Receiver) -> None:
    box = alerts_box(app)
    box.url.setText("ftp://example.test/x")
    box.add_button.click()
    assert box.status.is_error() and "http:// or https://" in box.status.text()
    assert app.wallet.webhooks() == []

    box.url.setText(receiver.url + "/family")
    box.format.setCurrentText("json")
    box.topics["thresholds"].setChecked(False)
    box.header.setText("Authorization: Bearer tk_family")
    box.add_button.click()
    app.idle()
    (hook,) = app.wallet.webhooks()
    assert (hook.format, hook.topics, hook.header_name) == ("json", ("refusals", "guards"), "Authorization")
    assert app.keystore.get("webhook-1") is not None and box.table.rowCount() == 1
    assert not box.status.is_error() and box.url.text() == "" and box.header.text() == ""

    box.table.selectRow(0)
    box.test_button.click()
    app.qtbot.waitUntil(lambda: "answered HTTP 200" in box.status.text(), timeout=5000)
    (got,) = receiver.received
    assert got.headers["authorization"] == "Bearer tk_family" and got.path == "/family"

    box.remove_button.click()
    assert app.wallet.webhooks() == [] and box.table.rowCount() == 0
    assert app.keystore.get("webhook-1") is None


def test_desktop_notifications_switch(app: App) -> None:
    box = alerts_box(app)
    assert box.desktop.isChecked()
    box.desktop.setChecked(False)
    assert app.wallet.get_setting("desktop_notifications") is False


@pytest.mark.skipif(not have_dbus_daemon(), reason="needs dbus-daemon (tools/bootstrap.sh)")
def test_a_burst_of_refusals_is_one_desktop_notification(app: App) -> None:
    _, key = app.wallet.add_profile("alice")
    app.wallet.set_budget(ALICE, Amount("usd", 1), period="month", action="block")
    refused: list[CallRefused] = []
    app.session.bridge.coreEvent.connect(
        lambda ev: refused.append(ev) if isinstance(ev, CallRefused) else None
    )
    with FakeNotifications() as desktop:
        alerts = app.window.desktop_alerts
        alerts.notifier = DesktopNotifier(desktop.address)
        alerts.coalescer = Coalescer(window_s=0.5)  # 60 s in the app
        body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}
        for _ in range(20):
            r = httpx.post(
                app.url + "/openai/v1/chat/completions", json=body, headers={"authorization": "Bearer " + key}
            )
            assert r.status_code == 402
        app.qtbot.waitUntil(lambda: len(refused) == 20, timeout=5000)
        app.idle()
        note = desktop.wait_for(1)[0]
        assert note[3] == "Call refused" and note[4].startswith("A call to gpt-4o-mini by alice was refused")
        # the other 19 come as one summary when the window ends (a QTimer in the GUI thread)
        app.qtbot.waitUntil(lambda: len(alerts.shown) == 2, timeout=5000)
        app.idle()
        _first, summary = desktop.wait_for(2)
        assert summary[3] == "Call refused (19 more)" and summary[4].startswith("19 more refused calls")
        alerts.notifier.close()


def test_a_window_following_a_serve_leaves_the_alerts_to_it(
    qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream, receiver: Receiver
) -> None:
    """One sender per wallet: the meter's host. The window sees the refusal but sends nothing."""
    home = tmp_path / "home"
    home.mkdir()
    path = wallet_file(home)
    w = Wallet.open(path)
    point_at(w, upstream)
    _, key = w.add_profile("alice")
    w.set_budget(ALICE, Amount("usd", 1), period="month", action="block")
    w.add_webhook(receiver.url + "/once", topics="refusals")
    w.close()
    serve = ProxyServer(path, port=0, keystore=MemoryKeyStore(PROVIDER_KEYS))
    serve.start()
    serve_alerts = AlertService(path, serve.bus)  # as `tokenwallet serve` runs it
    serve_alerts.start()
    try:
        app = make_app(qtbot, home, upstream, port=serve.port)
        try:
            assert app.session.mode == "attached" and app.session.alerts is None
            qtbot.waitUntil(lambda: app.session.follower is not None, timeout=5000)
            qtbot.wait(300)  # let the SSE reader connect before the call
            body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}
            r = httpx.post(
                serve.url + "/openai/v1/chat/completions",
                json=body,
                headers={"authorization": "Bearer " + key},
            )
            assert r.status_code == 402
            qtbot.waitUntil(lambda: any("refused" in t for t in app.window.banner.texts()), timeout=5000)
            (got,) = receiver.wait_for(1)
            assert got.path == "/once"
            serve_alerts.stop()
            assert len(receiver.received) == 1 and app.window.desktop_alerts.shown == []
        finally:
            close_app(app)
    finally:
        serve_alerts.stop()
        serve.stop()
