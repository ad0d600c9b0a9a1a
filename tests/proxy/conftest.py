"""A real proxy on a loopback port, a real wallet file, the fake upstream behind it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest

from fakes.upstream import FakeUpstream
from tokenwallet.core.events import CallSettled, Event, EventBus
from tokenwallet.pricing import pricebook_for
from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.types import HistoryFilter, LedgerRow

PROVIDER_KEYS = {
    "openai": "sk-real-openai",
    "anthropic": "sk-ant-real",
    "gemini": "AIza-real",
    "openrouter": "sk-or-real",
}


@pytest.fixture(scope="session")
def upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream() as fake:
        yield fake


@dataclass
class Env:
    """What a proxy test gets: the running proxy, its wallet (a second connection), keys, events."""

    proxy: ProxyServer
    wallet: Wallet
    upstream: FakeUpstream
    key: str  # wallet key of profile "alice"
    events: list[Event]
    path: Path
    clients: list[Any] = field(default_factory=list)

    def openai(self, provider: str = "openai", key: str | None = None) -> openai.OpenAI:
        """An official OpenAI client pointed at the proxy (closed at teardown)."""
        c = openai.OpenAI(base_url=f"{self.url}/{provider}/v1", api_key=key or self.key, max_retries=0)
        self.clients.append(c)
        return c

    def anthropic(self, key: str | None = None) -> anthropic.Anthropic:
        c = anthropic.Anthropic(base_url=self.url + "/anthropic", api_key=key or self.key, max_retries=0)
        self.clients.append(c)
        return c

    @property
    def url(self) -> str:
        return self.proxy.url

    def rows(self) -> list[LedgerRow]:
        return self.wallet.history(HistoryFilter(), limit=1000)

    def settled(self, timeout: float = 5.0) -> None:
        """Wait until no call is in flight (a stream settles just after its last byte went out)."""
        deadline = time.monotonic() + timeout
        while self.wallet.holds() or (self.proxy.app is not None and self.proxy.app.inflight):
            assert time.monotonic() < deadline, "a call never settled"
            time.sleep(0.005)

    def announced(self, call_id: str, timeout: float = 5.0) -> CallSettled:
        """The call's CallSettled: published on the proxy's thread just after the settle commits,
        so a test that saw the row may have to wait a moment for it."""
        deadline = time.monotonic() + timeout
        while True:
            for e in reversed(self.events):
                if isinstance(e, CallSettled) and e.call_id == call_id:
                    return e
            assert time.monotonic() < deadline, f"call {call_id} was never announced"
            time.sleep(0.005)

    def last_row(self) -> LedgerRow:
        self.settled()
        rows = self.rows()
        assert rows, "no ledger row"
        return max(rows, key=lambda r: r.id)

    def expected_cost(self, provider: str, model: str, usage: object) -> int:
        book = pricebook_for(self.wallet)
        return book.cost(book.lookup(provider, model), usage)  # type: ignore[arg-type]

    def holds(self) -> list[object]:
        return list(self.wallet.holds())


def configure(wallet: Wallet, upstream: FakeUpstream) -> str:
    """Point every provider at the fake upstream; returns alice's wallet key."""
    wallet.set_provider("openai", base_url=upstream.openai_base_url)
    wallet.set_provider("anthropic", base_url=upstream.url)
    wallet.set_provider("gemini", base_url=upstream.url)
    wallet.set_provider("openrouter", base_url=upstream.url + "/api/v1")
    wallet.set_provider("ollama", base_url=upstream.openai_base_url)
    _, key = wallet.add_profile("alice")
    return key


@pytest.fixture
def env(tmp_path: Path, upstream: FakeUpstream) -> Iterator[Env]:
    upstream.reset()
    path = tmp_path / "wallet.db"
    wallet = Wallet.open(path)
    key = configure(wallet, upstream)
    bus = EventBus()
    events: list[Event] = []
    bus.subscribe(events.append)
    proxy = ProxyServer(path, port=0, bus=bus, keystore=MemoryKeyStore(PROVIDER_KEYS), upstream_timeout=1.5)
    proxy.start()
    e = Env(proxy, wallet, upstream, key, events, path)
    try:
        yield e
    finally:
        for c in e.clients:
            c.close()
        proxy.stop(timeout=5)
        wallet.close()
