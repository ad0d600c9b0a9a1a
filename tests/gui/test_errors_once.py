"""Errors in words, once: a meter port held by another program, and a missing keychain."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tokenwallet.gui.app import build
from tokenwallet.gui.views.settings import SettingsPage
from tokenwallet.gui.workers import pending_tasks
from tokenwallet.secrets import NoKeychainError

EXPLANATION = "no usable keychain (no Secret Service); see the headless recipe"


class _NotFound(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


@pytest.fixture
def other_program() -> Iterator[int]:
    """Another web server holding a loopback port (answers 404 to everything)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_port_in_use_is_said_once_in_words(qtbot: QtBot, tmp_path: Path, other_program: int) -> None:
    session, window = build(tmp_path, use_tray=False, port=other_program, keystore=_Keys())
    try:
        window.show()
        width = window.width()
        qtbot.waitUntil(lambda: session.mode == "off", timeout=10_000)
        notices = [n.label.text() for n in window.banner.notices if n.key == "metering"]
        assert notices == [
            f"Metering is off: Port {other_program} on 127.0.0.1 is in use by another program; "
            "pick another port in Settings."
        ]
        everything = " ".join([*window.banner.texts(), window.metering_label.text()])
        assert "Errno" not in everything and everything.count("in use") == 1
        assert window.metering_label.text().endswith("metering is off")
        assert window.pause_button.isHidden()  # nothing to pause
        assert window.width() == width  # the reason did not widen the window
    finally:
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
        window.hide()
        session.close()
        window.deleteLater()


class _Keys:
    """An in-memory key store, or one standing in for a desktop without any keychain."""

    def __init__(self, *, missing: bool = False) -> None:
        self.missing = missing
        self.keys: dict[str, str] = {}

    def _check(self) -> None:
        if self.missing:
            raise NoKeychainError(EXPLANATION)

    def get(self, provider: str) -> str | None:
        self._check()
        return self.keys.get(provider)

    def set(self, provider: str, key: str) -> None:
        self._check()
        self.keys[provider] = key

    def delete(self, provider: str) -> None:
        self._check()
        self.keys.pop(provider, None)

    def backend_name(self) -> str:
        self._check()
        return "memory"


def test_no_keychain_is_explained_once_after_a_save(qtbot: QtBot, tmp_path: Path) -> None:
    session, window = build(tmp_path, keystore=_Keys(missing=True), use_tray=False, start_metering=False)
    try:
        window.show()
        page = window.show_page("settings")
        assert isinstance(page, SettingsPage)
        qtbot.waitUntil(lambda: "No keychain" in page.keychain_label.text(), timeout=5000)
        page.p_name.setCurrentText("openai")
        page.p_key.setText("sk-x")
        page.save_provider_button.click()
        qtbot.waitUntil(page.p_status.is_error, timeout=5000)
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
        assert "not stored" in page.p_status.text() and "no keychain" in page.p_status.text()
        shown = [*window.banner.texts(), page.keychain_label.text(), page.p_status.text()]
        assert sum(text.count(EXPLANATION) for text in shown) == 1  # the notice, and only it
        assert [n.key for n in window.banner.notices].count("keychain") == 1
        assert (
            "Local providers" in page.keychain_label.text() or "local providers" in page.keychain_label.text()
        )
    finally:
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
        window.hide()
        session.close()
        window.deleteLater()
