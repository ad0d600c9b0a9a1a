"""Two app windows on one wallet: the second follows the first's meter and says so plainly; edits
made in either apply to the very next call and nothing is lost when both close."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import httpx
import openai
from pytestqt.qtbot import QtBot

from fakes.upstream import FakeUpstream
from tokenwallet.core.money import parse_amount
from tokenwallet.paths import wallet_file
from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import HistoryFilter, Scope, Wallet

from .conftest import PROVIDER_KEYS, close_app, make_app

MESSAGES = [{"role": "user", "content": "hi"}]


def deleted_journals() -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if "wallet.db" in target and target.endswith("(deleted)"):
            found.append(target)
    return found


def _status(url: str, key: str) -> int:
    client = openai.OpenAI(base_url=url + "/openai/v1", api_key=key, max_retries=0)
    try:
        client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, max_tokens=50)  # type: ignore[arg-type]
    except openai.APIStatusError as exc:
        return exc.status_code
    return 200


def test_a_second_window_follows_the_first_and_says_so(
    qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream
) -> None:
    upstream.reset()
    home = tmp_path / "home"
    first = make_app(qtbot, home, upstream)
    assert first.session.mode == "hosted", first.session.mode_text
    try:
        health = httpx.get(first.url + "/tokenwallet/health").json()
        assert health["host"] == "app" and health["pid"] == os.getpid()
        second = make_app(qtbot, home, upstream, port=first.session.port)
        try:
            assert second.session.mode == "attached", second.session.mode_text
            label = second.window.metering_label.text()
            assert f"following the Token Wallet window (pid {os.getpid()}) on this wallet" in label
            assert "tokenwallet serve" not in label
            # an edit in the second window applies to the first window's meter at once
            _, key = second.wallet.add_profile("carol")
            second.session.notify_changed()
            assert _status(first.url, key) == 200
            second.wallet.set_profile_paused("carol", True)
            second.session.notify_changed()
            assert _status(first.url, key) == 403
            second.wallet.set_profile_paused("carol", False)
            second.wallet.set_budget(Scope("profile", "carol"), parse_amount("0.000001"), action="block")
            assert _status(first.url, key) == 402
            # …and an edit in the first shows in the second
            first.wallet.add_profile("dave")
            assert "dave" in {p.name for p in second.wallet.profiles()}
            assert deleted_journals() == []
        finally:
            close_app(second)
        assert _status(first.url, key) == 402  # the first window meters on after the second closed
        assert deleted_journals() == []
    finally:
        close_app(first)
    conn = sqlite3.connect(wallet_file(home))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert {r[0] for r in conn.execute("SELECT name FROM profile")} >= {"carol", "dave"}
        assert conn.execute("SELECT count(*) FROM envelope WHERE action = 'block'").fetchone()[0] == 1
    finally:
        conn.close()
    w = Wallet.open(wallet_file(home))
    assert w.history_count(HistoryFilter()) == 1  # the one call that went through, settled once
    w.close()


def test_a_window_attached_to_serve_names_it(qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream) -> None:
    home = tmp_path / "home"
    home.mkdir()
    Wallet.open(wallet_file(home)).close()
    serve = ProxyServer(wallet_file(home), port=0, keystore=MemoryKeyStore(PROVIDER_KEYS))
    serve.start()
    try:
        app = make_app(qtbot, home, upstream, port=serve.port)
        try:
            assert app.session.mode == "attached"
            assert f"following 'tokenwallet serve' (pid {os.getpid()})" in app.window.metering_label.text()
        finally:
            close_app(app)
    finally:
        serve.stop()


def test_the_second_window_meters_on_when_the_first_closes(
    qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream
) -> None:
    upstream.reset()
    home = tmp_path / "home"
    first = make_app(qtbot, home, upstream)
    second = make_app(qtbot, home, upstream, port=first.session.port)
    try:
        assert second.session.mode == "attached", second.session.mode_text
        _, key = second.wallet.add_profile("erin")
        close_app(first)
        qtbot.waitUntil(lambda: second.session.mode == "hosted", timeout=10_000)
        assert second.session.port == first.session.port  # the same address: tools keep working
        assert "metering on" in second.window.metering_label.text()
        health = httpx.get(second.url + "/tokenwallet/health").json()
        assert health["host"] == "app" and health["pid"] == os.getpid()
        assert _status(second.url, key) == 200
        qtbot.waitUntil(lambda: second.wallet.history_count(HistoryFilter()) == 1, timeout=5000)
    finally:
        close_app(second)
