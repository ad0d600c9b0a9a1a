"""Settings → Where the wallet lives, and the app on a shared PostgreSQL wallet (issue 14)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openai
import psycopg
import pytest
from pytestqt.qtbot import QtBot

from fakes.upstream import FakeUpstream
from tokenwallet.gui.views.settings import SettingsPage
from tokenwallet.wallet import backend
from tokenwallet.wallet.backend import ENV_URL

from .conftest import App, close_app, make_app


@pytest.fixture(autouse=True)
def no_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_URL, "")


def settings(app: App) -> SettingsPage:
    page = app.page("settings")
    assert isinstance(page, SettingsPage)
    app.idle()
    return page


def test_switching_between_the_file_and_a_shared_wallet(app: App, pg_url: str) -> None:
    box = settings(app).place
    home = app.session.data_dir
    assert "This computer's file" in box.now.text()
    box.url.setText("postgresql://tw:hunter2@/elsewhere")
    box.shared_button.click()
    assert box.status.is_error() and "password" in box.status.text() and "hunter2" not in box.status.text()
    assert not (home / "wallet-url").exists()
    box.url.setText(pg_url)
    box.shared_button.click()
    app.idle(timeout=20_000)
    assert not box.status.is_error(), box.status.text()
    assert "restart" in box.status.text() and (home / "wallet-url").read_text().strip() == pg_url
    with psycopg.connect(pg_url) as conn:  # reached, and the wallet made in it
        assert conn.execute("SELECT value FROM tw_meta WHERE name = 'user_version'").fetchone() is not None
    box.file_button.click()
    assert not (home / "wallet-url").exists() and "own wallet file" in box.status.text()


@pytest.fixture
def shared_app(qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream, pg_url: str) -> Iterator[App]:
    upstream.reset()
    backend.use(tmp_path / "home", pg_url)
    a = make_app(qtbot, tmp_path / "home", upstream)
    assert a.session.mode == "hosted", a.session.mode_text
    try:
        yield a
    finally:
        close_app(a)


def test_the_app_meters_into_the_shared_wallet(shared_app: App, pg_url: str) -> None:
    app = shared_app
    assert "A shared PostgreSQL wallet" in settings(app).place.now.text()
    assert not (app.session.data_dir / "wallet.db").exists()
    _, key = app.wallet.add_profile("alice")
    client = openai.OpenAI(base_url=app.url + "/openai/v1", api_key=key, max_retries=0)
    with client:
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    app.qtbot.waitUntil(lambda: len(app.rows()) == 1, timeout=10_000)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT COUNT(*) FROM ledger").fetchone() == (1,)
