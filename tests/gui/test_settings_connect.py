"""Settings (provider keys into the key store, no-keychain message, display, autostart) and the
Connect page (copyable lines, a real test request through the proxy)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from fakes.upstream import FakeUpstream
from tokenwallet.gui.app import build
from tokenwallet.gui.views.connect import ConnectPage
from tokenwallet.gui.views.dashboard import DashboardPage
from tokenwallet.gui.views.settings import SettingsPage
from tokenwallet.gui.workers import pending_tasks
from tokenwallet.secrets import NoKeychainError

from .conftest import App


def settings(app: App) -> SettingsPage:
    page = app.page("settings")
    assert isinstance(page, SettingsPage)
    app.idle()
    return page


def test_provider_key_goes_to_the_key_store(app: App) -> None:
    page = settings(app)
    app.keystore.delete("openai")
    page.reload_providers()
    app.idle()
    row = next(r for r in range(page.providers.rowCount()) if page.providers.item(r, 0).text() == "openai")
    assert page.providers.item(row, 3).text() == "not set"
    page.p_name.setCurrentText("openai")
    page.p_kind.setCurrentText("openai")
    page.p_url.setText(app.upstream.openai_base_url)
    page.p_key.setText("  sk-test-123  ")
    page.save_provider_button.click()
    app.idle()
    assert app.keystore.get("openai") == "sk-test-123"
    assert page.p_key.text() == ""  # the key does not linger in the form
    assert "memory" in page.p_status.text()
    assert page.providers.item(row, 3).text() == "stored"


def test_custom_provider_needs_a_base_url(app: App) -> None:
    page = settings(app)
    page.p_name.setCurrentText("myvllm")
    page.p_kind.setCurrentText("openai-compatible")
    page.p_url.setText("")
    page.save_provider_button.click()
    assert page.p_status.is_error() and "base URL" in page.p_status.text()
    page.p_url.setText("ftp://x")
    page.save_provider_button.click()
    assert page.p_status.is_error() and "http" in page.p_status.text()
    page.p_url.setText("http://127.0.0.1:9/v1")
    page.save_provider_button.click()
    assert app.wallet.provider_config("myvllm") is not None


class NoKeychain:
    """A key store standing in for a desktop without any keychain."""

    def _fail(self) -> NoKeychainError:
        return NoKeychainError(
            "no usable keychain (no Secret Service); start gnome-keyring or set PYTHON_KEYRING_BACKEND"
        )

    def get(self, provider: str) -> str | None:
        raise self._fail()

    def set(self, provider: str, key: str) -> None:
        raise self._fail()

    def delete(self, provider: str) -> None:
        raise self._fail()

    def backend_name(self) -> str:
        raise self._fail()


def test_no_keychain_gives_a_clear_way_forward(qtbot: QtBot, tmp_path: Path) -> None:
    session, window = build(tmp_path, keystore=NoKeychain(), use_tray=False, start_metering=False)
    try:
        window.show()
        # said at once on every page, before the user has tried anything
        qtbot.waitUntil(lambda: any(n.key == "keychain" for n in window.banner.notices), timeout=5000)
        (notice,) = [n for n in window.banner.notices if n.key == "keychain"]
        assert "No keychain for provider keys" in notice.label.text()
        assert "PYTHON_KEYRING_BACKEND" in notice.label.text()
        page = window.show_page("settings")
        assert isinstance(page, SettingsPage)
        qtbot.waitUntil(lambda: "No keychain" in page.keychain_label.text(), timeout=5000)
        assert "local providers" in page.keychain_label.text()  # the how-to is in the notice, once
        page.p_name.setCurrentText("openai")
        page.p_key.setText("sk-x")
        page.save_provider_button.click()
        qtbot.waitUntil(page.p_status.is_error, timeout=5000)
        assert "not stored" in page.p_status.text() and "keychain" in page.p_status.text()
    finally:
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
        window.hide()
        session.close()
        window.deleteLater()


def test_general_settings_are_checked_before_any_is_saved(app: App) -> None:
    page = settings(app)
    page.currency.setCurrentText("EUR")
    page.rate.setText("abc")
    page.save_button.click()
    assert page.g_status.is_error()
    assert app.wallet.get_setting("currency") == "USD"  # nothing half-saved
    page.rate.setText("0.5")
    page.thresholds.setText("60, 90")
    page.save_button.click()
    assert not page.g_status.is_error(), page.g_status.text()
    assert app.wallet.get_setting("currency") == "EUR"
    assert app.wallet.get_setting("default_thresholds") == (60, 90)
    assert app.session.display.money(2 * 10**9) == "€1.00"
    dash = app.page("dashboard")
    assert isinstance(dash, DashboardPage)
    app.idle()
    assert "€" in dash.headline.text()


def test_start_at_login_writes_an_autostart_entry(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    page = settings(app)
    page.login.setChecked(True)
    page.save_button.click()
    entry = tmp_path / "config" / "autostart" / "tokenwallet-serve.desktop"
    text = entry.read_text()
    assert "Exec=" in text and "-m tokenwallet serve --data-dir" in text and str(app.session.data_dir) in text
    page.login.setChecked(False)
    page.save_button.click()
    assert not entry.exists()


def test_connect_lines_and_test_connection(app: App, upstream: FakeUpstream) -> None:
    _, key = app.wallet.add_profile("alice")
    app.session.notify_changed()
    page = app.page("connect")
    assert isinstance(page, ConnectPage)
    assert "tw-…" in page.blocks["Shell (OpenAI tools)"].toPlainText()
    page.test_button.click()
    assert page.test_status.is_error()  # no key yet: says what to do
    page.key_field.setText(key)
    shell = page.blocks["Shell (OpenAI tools)"].toPlainText()
    assert f'OPENAI_BASE_URL="{app.url}/openai/v1"' in shell and f'OPENAI_API_KEY="{key}"' in shell
    assert f'ANTHROPIC_BASE_URL="{app.url}/anthropic"' in page.blocks["Shell (Anthropic tools)"].toPlainText()
    assert f"Bearer {key}" in page.blocks["curl"].toPlainText()
    assert "OpenAI(base_url=" in page.blocks["Python (openai SDK)"].toPlainText()
    with app.qtbot.waitSignal(page.tested, timeout=10_000) as blocker:
        page.test_button.click()
    assert str(blocker.args[0]).startswith("OK"), blocker.args
    app.qtbot.waitUntil(lambda: len(app.rows()) == 1, timeout=5000)  # settled as the response ends
    assert app.rows()[0].profile == "alice"


def test_new_key_from_the_connect_page_is_shown_once(app: App) -> None:
    app.wallet.add_profile("alice")
    app.session.notify_changed()
    page = app.page("connect")
    assert isinstance(page, ConnectPage)
    page.new_key()
    assert page.key_dialog is not None
    key = page.key_dialog.field.text()
    assert app.wallet.resolve_key(key) is not None and page.key_field.text() == key


def test_moving_the_meter_to_another_port(app: App) -> None:
    import socket

    import httpx

    page = settings(app)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        new_port = s.getsockname()[1]
    old_url = app.url
    page.port.setValue(new_port)
    page.save_button.click()
    assert page.restart_button.isVisibleTo(page)
    page.restart_button.click()
    app.qtbot.waitUntil(lambda: app.session.mode == "hosted" and app.session.port == new_port, timeout=10_000)
    assert httpx.get(f"http://127.0.0.1:{new_port}/tokenwallet/health").status_code == 200
    try:
        httpx.get(old_url + "/tokenwallet/health", timeout=1)
        old_answers = True
    except httpx.HTTPError:
        old_answers = False
    assert not old_answers
    assert str(new_port) in app.window.metering_label.text()


def test_a_new_provider_key_applies_to_the_next_call(app: App, upstream: FakeUpstream) -> None:
    """The hosted proxy caches provider keys; saving one in Settings must reach the very next call."""
    import openai

    _, key = app.wallet.add_profile("alice")
    app.session.notify_changed()
    client = openai.OpenAI(base_url=f"{app.url}/openai/v1", api_key=key, max_retries=0)
    ask = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}
    client.chat.completions.create(**ask)  # type: ignore[call-overload]
    old = upstream.last.headers["authorization"]
    page = settings(app)
    page.p_name.setCurrentText("openai")
    page.p_kind.setCurrentText("openai")
    page.p_url.setText(upstream.openai_base_url)
    page.p_key.setText("sk-rotated-456")
    page.save_provider_button.click()
    app.idle()
    client.chat.completions.create(**ask)  # type: ignore[call-overload]
    assert old != "Bearer sk-rotated-456"
    assert upstream.last.headers["authorization"] == "Bearer sk-rotated-456"


def test_connect_page_shows_tokenwallet_run_lines(app: App) -> None:
    from tokenwallet.gui.views.connect import RUN_TITLE

    app.wallet.add_profile("alice")
    app.session.notify_changed()
    page = app.page("connect")
    assert isinstance(page, ConnectPage)
    lines = page.blocks[RUN_TITLE].toPlainText().splitlines()
    # The test's wallet is not in the default place, so the lines name it.
    prefix = f"tokenwallet --data-dir {app.session.data_dir} run --profile alice --"
    assert lines[0] == f"{prefix} claude" and f"{prefix} codex" in lines
    assert all(line.startswith(prefix) for line in lines)
    assert "tw-" not in page.blocks[RUN_TITLE].toPlainText()  # no key needed: run makes one


def test_yuan_display_uses_the_wallets_cny_rate_and_sets_it(app: App) -> None:
    page = settings(app)
    assert page.rate.text() == "1"  # USD
    page.currency.setCurrentText("CNY")
    assert page.rate.text() == "7.25"  # the wallet's CNY rate, not the USD display rate left behind
    page.save_button.click()  # the dated default, untouched: stays a default
    assert not page.g_status.is_error(), page.g_status.text()
    assert app.wallet.get_setting("cny_per_usd") is None
    assert app.session.display.money(10**9) == "¥7.25"
    page.rate.setText("7.1")
    page.save_button.click()
    assert not page.g_status.is_error(), page.g_status.text()
    assert app.wallet.get_setting("cny_per_usd") == Decimal("7.1")  # calls in yuan are booked at it too
    assert app.wallet.get_setting("currency_rate") == Decimal(1)  # the other currencies' rate untouched
    assert app.session.display.money(10**9) == "¥7.10"
    page.load_general()
    assert page.rate.text() == "7.1"
