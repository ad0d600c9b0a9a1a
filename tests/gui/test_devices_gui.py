"""The app on a shared wallet (issue 14): the live meter shows another device's calls as they
happen, and the Devices table shows each meter and what it spends.

Device A is the app (hosting its meter, data folder ``home``); device B is a real ``tokenwallet
serve`` process on its own data folder; they share one PostgreSQL wallet.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from fakes.upstream import FakeUpstream
from tokenwallet.gui.views.devices_panel import EMPTY, DevicesPanel
from tokenwallet.gui.views.meter import MeterPage
from tokenwallet.wallet import backend
from tokenwallet.wallet.backend import ENV_URL

from .conftest import PROVIDER_KEYS, App, close_app, make_app

ROOT = Path(__file__).resolve().parents[2]
BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "from B"}], "max_tokens": 5}


@pytest.fixture
def shared_app(
    qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[App]:
    monkeypatch.setenv(ENV_URL, "")
    upstream.reset()
    backend.use(tmp_path / "home", pg_url)
    a = make_app(qtbot, tmp_path / "home", upstream)
    assert a.session.mode == "hosted", a.session.mode_text
    try:
        yield a
    finally:
        close_app(a)


@pytest.fixture
def meter_b(tmp_path: Path, pg_url: str) -> Iterator[int]:
    env = {**os.environ, ENV_URL: pg_url, "TW_TEST_KEYS": json.dumps(PROVIDER_KEYS),
           "PYTHONPATH": str(ROOT / "src")}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.proxy.runner", str(tmp_path / "b")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("READY"), line
        yield int(line.split()[1])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
            if proc.stdout is not None:
                proc.stdout.close()


def test_the_live_meter_shows_calls_metered_by_another_device(shared_app: App, meter_b: int) -> None:
    app = shared_app
    page = app.page("meter")
    assert isinstance(page, MeterPage)
    panel = page.devices
    assert isinstance(panel, DevicesPanel) and panel.isVisibleTo(page)
    assert app.session.feed is not None
    app.qtbot.waitUntil(app.session.feed.listening.is_set, timeout=10_000)
    _, key = app.wallet.add_profile("alice")
    with httpx.Client(timeout=30) as c:
        r = c.post(f"http://127.0.0.1:{meter_b}/openai/v1/chat/completions", json=BODY,
                   headers={"authorization": "Bearer " + key})  # fmt: skip
    assert r.status_code == 200
    # the call went through B, never through this window's meter: the feed brought it
    app.qtbot.waitUntil(
        lambda: page.model.rowCount() == 1 and page.model.at(0).state == "settled", timeout=10_000
    )
    (row,) = app.rows()
    shown = page.model.at(0)
    assert (shown.call_id, shown.cost_nano, shown.model) == (row.call_id, row.cost_nano, "gpt-4o-mini")
    assert "1 calls since the window opened" in page.summary.text()
    # both devices in the table: this window's meter and B, with B's call today
    app.qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10_000)
    app.idle()
    rows = {panel.model.at(i).this_device: panel.model.at(i) for i in range(2)}
    assert rows[False].calls_today == 1 and rows[False].cost_today_nano == row.cost_nano
    assert rows[True].calls_today == 0 and rows[True].serving
    assert panel.table.isVisibleTo(panel) and not panel.empty.isVisibleTo(panel)
    texts = [panel.model.index(i, 0).data() for i in range(2)]
    assert sum("(this computer)" in t for t in texts) == 1


def test_the_devices_table_is_hidden_on_a_wallet_file_and_says_when_it_is_empty(app: App) -> None:
    page = app.page("meter")
    assert isinstance(page, MeterPage)
    assert not page.devices.isVisibleTo(page) and app.session.feed is None
    page.devices._show([])
    assert page.devices.empty.text() == EMPTY and not page.devices.table.isVisibleTo(page.devices)
