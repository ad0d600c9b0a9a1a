"""A PostgreSQL wallet on another machine settles in a worker thread (proxy/settling.py), and
loses nothing for it (the test's server is on this machine: the meter is told it is not).

The settle's round trips must not hold up the meter's loop, but the meter must still write every
call before it stops: here 40 calls answered at once, the meter stopped the moment the last answer
arrived, and every row is there, exactly once, with no hold left.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import httpx
import pytest

from fakes.upstream import FakeUpstream
from tokenwallet.proxy import ProxyServer, settling
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import HistoryFilter, Wallet
from tokenwallet.wallet.backend import ENV_URL

from .conftest import PROVIDER_KEYS, configure

BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "count me"}], "max_tokens": 5}
CALLS = 40


def test_settles_run_off_the_loop_and_the_meter_waits_for_them_as_it_stops(
    pg_url: str, tmp_path: Path, upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    upstream.reset()
    monkeypatch.setenv(ENV_URL, pg_url)
    monkeypatch.setattr(settling, "off_loop", lambda wallet: True)
    path = tmp_path / "wallet.db"
    with Wallet.open(path) as wallet:
        key = configure(wallet, upstream)
    proxy = ProxyServer(path, port=0, keystore=MemoryKeyStore(PROVIDER_KEYS))
    proxy.start()
    settlers: set[str] = set()
    try:

        async def calls() -> list[int]:
            async with httpx.AsyncClient(timeout=60) as c:

                async def one() -> int:
                    r = await c.post(
                        proxy.url + "/openai/v1/chat/completions",
                        json=BODY,
                        headers={"authorization": "Bearer " + key},
                    )
                    settlers.update(t.name for t in threading.enumerate() if t.name.startswith("tw-settle"))
                    return r.status_code

                return await asyncio.gather(*(one() for _ in range(CALLS)))

        assert asyncio.run(calls()) == [200] * CALLS
    finally:
        proxy.stop(timeout=30)
    assert settlers, "no settle ran in a worker thread"
    with Wallet.open(path) as wallet:
        assert wallet.holds() == []  # no waiting: stop() waited for every settle on its way
        rows = wallet.history(HistoryFilter(), limit=1000)
        assert len(rows) == len({r.call_id for r in rows}) == CALLS
        assert sum(r.cost_nano for r in rows) > 0
