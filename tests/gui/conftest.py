"""The desktop app under test: real widgets offscreen, a real wallet file, the proxy hosted by the
window on a loopback port, and the fake upstream behind it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest
from pytestqt.qtbot import QtBot

from fakes.upstream import FakeUpstream
from tokenwallet.alerts.desktop import DesktopNotifier
from tokenwallet.gui.app import build, ensure_app
from tokenwallet.gui.mainwindow import MainWindow
from tokenwallet.gui.session import Session
from tokenwallet.gui.workers import pending_tasks
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.types import HistoryFilter, LedgerRow

PROVIDER_KEYS = {"openai": "sk-real-openai", "anthropic": "sk-ant-real"}


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The GUI tests read the window's English: on a developer's zh_CN desktop too (a process the
    tests start, such as ``tokenwallet`` itself, would otherwise follow the locale)."""
    monkeypatch.setenv("TOKENWALLET_LANG", "en")


@pytest.fixture(autouse=True)
def collect_own_garbage(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Close the SDK clients a test made and collect its garbage as it ends, so an unclosed socket
    fails the test that leaked it. Left to chance, the collector runs inside some later test, which
    then fails at random (pytest turns the ResourceWarning into an error)."""
    made: list[Any] = []
    for cls in (openai.OpenAI, anthropic.Anthropic):
        original = cls.__init__

        def init(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> None:
            _original(self, *args, **kwargs)
            made.append(self)

        monkeypatch.setattr(cls, "__init__", init)
    yield
    for client in made:
        client.close()
    gc.collect()


@pytest.fixture(scope="session")
def upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream() as fake:
        yield fake


def point_at(wallet: Wallet, upstream: FakeUpstream) -> None:
    """Send every provider the tests use to the fake upstream."""
    wallet.set_provider("openai", base_url=upstream.openai_base_url)
    wallet.set_provider("anthropic", base_url=upstream.url)
    wallet.set_provider("gemini", base_url=upstream.url)


@dataclass
class App:
    """What a GUI test gets: the session, the window, the fake upstream, the key store."""

    session: Session
    window: MainWindow
    upstream: FakeUpstream
    keystore: MemoryKeyStore
    qtbot: QtBot

    @property
    def wallet(self) -> Wallet:
        return self.session.wallet

    @property
    def url(self) -> str:
        return self.session.proxy_url

    def page(self, key: str) -> Any:
        return self.window.show_page(key)

    def rows(self) -> list[LedgerRow]:
        return self.wallet.history(HistoryFilter(), limit=10_000)

    def idle(self, timeout: int = 5000) -> None:
        """Wait until every background task reported and queued events were delivered."""
        self.qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=timeout)
        self.qtbot.wait(1)


def make_app(
    qtbot: QtBot, data_dir: Path, upstream: FakeUpstream, keys: dict[str, str] | None = None, port: int = 0
) -> App:
    ensure_app()
    data_dir.mkdir(parents=True, exist_ok=True)
    from tokenwallet.paths import wallet_file

    prep = Wallet.open(wallet_file(data_dir))
    point_at(prep, upstream)
    prep.close()
    keystore = MemoryKeyStore(dict(PROVIDER_KEYS if keys is None else keys))
    session, window = build(data_dir, keystore=keystore, use_tray=False, port=port)
    # no tray here, so notifications would go to the desktop's notification service: never to the
    # real one of whoever runs the tests (tests/gui/test_alerts.py brings a fake one)
    window.desktop_alerts.notifier = DesktopNotifier(f"unix:path={data_dir}/no-session-bus")
    window.show()
    qtbot.waitUntil(lambda: session.mode in ("hosted", "attached", "off"), timeout=10_000)
    return App(session, window, upstream, keystore, qtbot)


def close_app(app: App) -> None:
    app.qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    app.window.hide()
    app.session.close()
    app.window.deleteLater()
    app.qtbot.wait(1)


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream) -> Iterator[App]:
    upstream.reset()
    a = make_app(qtbot, tmp_path / "home", upstream)
    assert a.session.mode == "hosted", a.session.mode_text
    try:
        yield a
    finally:
        close_app(a)
