"""The window opens, hosts the proxy, attaches to a running meter, and pauses metering."""

from __future__ import annotations

from pathlib import Path

import httpx
import openai
import pytest
from pytestqt.qtbot import QtBot

from fakes.upstream import FakeUpstream
from tokenwallet.core.events import CallSettled
from tokenwallet.gui.views.meter import MeterPage
from tokenwallet.paths import wallet_file
from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import Wallet

from .conftest import PROVIDER_KEYS, App, close_app, make_app


def test_window_hosts_the_proxy(app: App) -> None:
    assert app.window.windowTitle() == "Token Wallet"
    health = httpx.get(app.url + "/tokenwallet/health").json()
    assert health["status"] == "ok"
    assert Path(health["wallet"]).resolve() == app.session.wallet_path.resolve()
    assert "metering on" in app.window.metering_label.text()
    # no tray in the test: nothing offers "minimise to tray", closing the window would quit
    assert app.window.tray is None


def test_every_page_builds(app: App) -> None:
    for key in (
        "dashboard",
        "meter",
        "preview",
        "wallet",
        "connect",
        "history",
        "household",
        "clients",
        "settings",
    ):
        page = app.page(key)
        assert page.isVisible()
    app.idle()


def test_pause_makes_the_proxy_refuse_with_a_clear_message(app: App) -> None:
    _, key = app.wallet.add_profile("alice")
    app.window.pause_button.click()
    assert app.wallet.get_setting("paused") is True
    assert app.window.pause_button.text() == "Resume metering"
    client = openai.OpenAI(base_url=app.url + "/openai/v1", api_key=key, max_retries=0)
    with pytest.raises(openai.APIStatusError) as err:
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    assert "paused" in err.value.message.lower()
    assert any("paused" in t for t in app.window.banner.texts())
    app.window.pause_button.click()
    assert not any("paused" in t for t in app.window.banner.texts())
    assert app.wallet.get_setting("paused") is False
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    assert reply.choices[0].message.content


def test_attaches_to_a_running_serve_on_the_same_wallet(
    qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    path = wallet_file(home)
    w = Wallet.open(path)
    from .conftest import point_at

    point_at(w, upstream)
    _, key = w.add_profile("bob")
    w.close()
    serve = ProxyServer(path, port=0, keystore=MemoryKeyStore(PROVIDER_KEYS))
    serve.start()
    try:
        app = make_app(qtbot, home, upstream, port=serve.port)
        try:
            assert app.session.mode == "attached", app.session.mode_text
            assert "following" in app.window.metering_label.text()
            meter = app.page("meter")
            assert isinstance(meter, MeterPage)
            qtbot.waitUntil(lambda: app.session.follower is not None, timeout=5000)
            qtbot.wait(300)  # let the SSE reader connect before the call
            client = openai.OpenAI(base_url=serve.url + "/openai/v1", api_key=key, max_retries=0)
            client.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}]
            )
            qtbot.waitUntil(
                lambda: meter.model.rowCount() == 1 and meter.model.at(0).state == "settled", timeout=5000
            )
            row = app.rows()[0]
            assert meter.model.at(0).cost_nano == row.cost_nano
        finally:
            close_app(app)
    finally:
        serve.stop()


def test_port_held_by_something_else_says_so(qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    try:
        app = make_app(qtbot, tmp_path / "home", upstream, port=sock.getsockname()[1])
        try:
            assert app.session.mode == "off"
            assert "in use" in app.session.mode_text and "Settings" in app.session.mode_text
            assert any("in use" in t for t in app.window.banner.texts())
        finally:
            close_app(app)
    finally:
        sock.close()


def test_bridge_delivers_events_from_other_threads_in_the_gui_thread(app: App) -> None:
    import threading

    from PySide6.QtCore import QThread

    from tokenwallet.core.usage import Usage

    seen: list[bool] = []
    app.session.bridge.coreEvent.connect(
        lambda _e: seen.append(QThread.currentThread() is app.window.thread())
    )
    ev = CallSettled(
        "c1", 1, "p", None, "openai", "m", "chat/completions", Usage(input_tokens=1), 5, False, 200
    )
    threads = [
        threading.Thread(target=lambda: [app.session.bus.publish(ev) for _ in range(50)]) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    app.qtbot.waitUntil(lambda: len(seen) == 200, timeout=5000)
    assert all(seen)


def test_tray_tooltip_and_menu_where_a_tray_exists(
    qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream
) -> None:
    """Offscreen has no system tray, so the tray is forced on here to check what it would show."""
    from tokenwallet.core.money import Amount
    from tokenwallet.gui.app import build
    from tokenwallet.wallet.types import Scope

    session, window = build(tmp_path / "home", keystore=MemoryKeyStore(), use_tray=True, start_metering=False)
    try:
        session.wallet.add_profile("alice")
        session.wallet.set_budget(Scope("profile", "alice"), Amount("usd", 12 * 10**9), period="month")
        session.notify_changed()
        tray = window.tray
        assert tray is not None
        assert tray.toolTip() == "Token Wallet — alice: $12.00 left (month)"
        tray.pause_action.trigger()
        assert session.wallet.get_setting("paused") is True
        assert "metering paused" in tray.toolTip()
        assert window.pause_button.isChecked()
        tray.pause_action.trigger()
        assert session.wallet.get_setting("paused") is False
        assert [a.text() for a in tray.menu.actions() if a.text()] == [
            "Open Token Wallet",
            "Pause metering",
            "Quit (stops metering)",
        ]
        window.show()
        window.close()  # with a tray, closing hides the window and metering goes on
        assert not window.isVisible()
        with qtbot.waitSignal(window.quitRequested, timeout=1000):
            tray.quit_action.trigger()
    finally:
        session.close()
        window.deleteLater()


def test_tokenwallet_without_a_command_opens_the_window(tmp_path: Path) -> None:
    """The CLI entry point: `tokenwallet --data-dir D` runs the app (here it quits after the first paint)."""
    import os
    import socket
    import subprocess
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    w = Wallet.open(wallet_file(tmp_path))
    w.set_setting("proxy_port", port)
    w.close()
    env = {**os.environ, "TOKENWALLET_EXIT_AFTER_PAINT": "1", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "tokenwallet", "--data-dir", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_a_file_that_is_not_a_wallet_is_reported_not_crashed_on(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "wallet.db").write_text("my shopping list")
    env = {**os.environ, "TOKENWALLET_EXIT_AFTER_PAINT": "1", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "tokenwallet", "--data-dir", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "not a Token Wallet file" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "wallet.db").read_text() == "my shopping list"  # untouched


def test_a_fresh_wallet_shows_the_whole_wallet_and_no_keychain_warning(app: App) -> None:
    """First start: the picker reads "Whole wallet" (not blank); with a keychain, no warning."""
    assert app.window.profile_box.count() == 1
    assert app.window.profile_box.currentText() == "Whole wallet"
    app.idle()
    assert not [n for n in app.window.banner.notices if n.key == "keychain"]
