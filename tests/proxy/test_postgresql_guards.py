"""The guards stay atomic on a PostgreSQL wallet, whether the reserve runs on the meter's loop (a
server on this machine) or is awaited on a worker (another machine: proxy/remote_reserve.py, where
a call is counted before the await and taken back when it gets no hold).

Many calls at once against a guard that lets K through: exactly K pass, never more (each waiting
reserve already counts against the next call's check); calls an envelope refuses are not left
counted (the guard's allowance is all there once the envelope has room again).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fakes.upstream import FakeUpstream
from tokenwallet.core.money import Amount
from tokenwallet.proxy import ProxyServer, settling
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import Scope, Wallet
from tokenwallet.wallet.backend import ENV_URL

from .conftest import PROVIDER_KEYS, configure

BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "count me"}], "max_tokens": 5}
ALLOWED = 5


@pytest.fixture(params=["loop", "worker"])
def setup(
    request: pytest.FixtureRequest,
    pg_url: str,
    tmp_path: Path,
    upstream: FakeUpstream,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Wallet, ProxyServer, str]]:
    upstream.reset()
    monkeypatch.setenv(ENV_URL, pg_url)
    worker = request.param == "worker"  # the test's server is on this machine: the loop's case
    monkeypatch.setattr(settling, "off_loop", lambda wallet: worker)
    path = tmp_path / "wallet.db"
    wallet = Wallet.open(path)
    proxy = None
    try:
        key = configure(wallet, upstream)
        wallet.add_guard("profile:alice", "rate", ALLOWED, window_s=600)
        proxy = ProxyServer(path, port=0, keystore=MemoryKeyStore(PROVIDER_KEYS))
        proxy.start()
        assert proxy.app is not None and proxy.app.planner.retry.remote == worker
        yield wallet, proxy, key
    finally:
        if proxy is not None:
            proxy.stop(timeout=30)
        wallet.close()


def _at_once(proxy: ProxyServer, key: str, n: int) -> list[int]:
    async def calls() -> list[int]:
        async with httpx.AsyncClient(timeout=60) as c:

            async def one() -> int:
                r = await c.post(
                    proxy.url + "/openai/v1/chat/completions",
                    json=BODY,
                    headers={"authorization": "Bearer " + key},
                )
                return r.status_code

            return await asyncio.gather(*(one() for _ in range(n)))

    return asyncio.run(calls())


def test_many_calls_at_once_pass_a_rate_guard_exactly_as_often_as_it_allows(
    setup: tuple[Wallet, ProxyServer, str],
) -> None:
    _, proxy, key = setup
    codes = _at_once(proxy, key, 4 * ALLOWED)
    assert sorted(codes) == [200] * ALLOWED + [429] * (3 * ALLOWED)


def test_calls_an_envelope_refuses_are_taken_back_from_the_guard(
    setup: tuple[Wallet, ProxyServer, str],
) -> None:
    wallet, proxy, key = setup
    env = wallet.set_budget(Scope("profile", "alice"), Amount("usd", 0), period="none", action="block")
    codes = _at_once(proxy, key, 4 * ALLOWED)
    assert set(codes) <= {402, 429} and 402 in codes  # the envelope refused; no call got through
    wallet.remove_budget(env.id)  # envelopes are read by every reserve: no cache to wait for
    with httpx.Client(timeout=30) as c:
        after = [
            c.post(
                proxy.url + "/openai/v1/chat/completions",
                json=BODY,
                headers={"authorization": "Bearer " + key},
            ).status_code
            for _ in range(ALLOWED + 1)
        ]
    assert after == [200] * ALLOWED + [429]  # the refused calls left nothing counted
