"""One wallet across devices (issue 14): two meters, two data folders, one PostgreSQL wallet.

Each meter is a real ``serve`` process (tests/proxy/runner.py) with its own data directory, as on
two machines; they share only the database. 100 calls race through both at once against a
blocking envelope with room for ten and a half calls: exactly ten may pass, whichever meter
takes them, and nothing may stay held.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import pgserver
from fakes.upstream import FakeUpstream
from pgserver import PgServer
from tokenwallet.core.money import Amount
from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import HistoryFilter, Scope, Wallet
from tokenwallet.wallet.backend import ENV_URL

from .conftest import PROVIDER_KEYS, configure

ROOT = Path(__file__).resolve().parents[2]
MODEL = "gpt-4o-mini"
BODY = {"model": MODEL, "messages": [{"role": "user", "content": "count me"}], "max_tokens": 5}


def _start(data: Path, url: str) -> tuple[subprocess.Popen[str], int]:
    env = {
        **os.environ,
        ENV_URL: url,
        "TW_TEST_KEYS": json.dumps(PROVIDER_KEYS),
        "PYTHONPATH": str(ROOT / "src"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.proxy.runner", str(data)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("READY"), line
    return proc, int(line.split()[1])


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture
def shared(
    pg_url: str, tmp_path: Path, upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Wallet, str, list[int]]]:
    """The PostgreSQL wallet (a handle of the test's own), alice's key, and two meters' ports."""
    upstream.reset()
    monkeypatch.setenv(ENV_URL, pg_url)
    wallet = Wallet.open(tmp_path / "test" / "wallet.db")
    procs: list[subprocess.Popen[str]] = []
    try:
        key = configure(wallet, upstream)
        ports = []
        for device in ("laptop", "desktop"):
            (tmp_path / device).mkdir()
            proc, port = _start(tmp_path / device, pg_url)
            procs.append(proc)
            ports.append(port)
        yield wallet, key, ports
    finally:
        for proc in procs:
            _stop(proc)
        wallet.close()


def test_two_meters_sharing_one_postgresql_wallet_never_overspend(
    shared: tuple[Wallet, str, list[int]], upstream: FakeUpstream
) -> None:
    wallet, key, ports = shared
    preview = httpx.post(
        f"http://127.0.0.1:{ports[0]}/tokenwallet/preview", json={"provider": "openai", "body": BODY}
    ).json()
    worst = int(preview["worst_case_nano"])
    # the fake reports exactly what the meters reserved for, so every call costs its worst case
    upstream.scenario(input_tokens=int(preview["input_tokens"]), chunks=5, latency=0.05)
    limit = worst * 10 + worst // 2
    wallet.set_budget(Scope("profile", "alice"), Amount("usd", limit), period="none", action="block")

    async def run() -> list[tuple[int, int]]:
        async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=100)) as c:

            async def one(i: int) -> tuple[int, int]:
                port = ports[i % 2]
                r = await c.post(
                    f"http://127.0.0.1:{port}/openai/v1/chat/completions",
                    json=BODY,
                    headers={"authorization": "Bearer " + key},
                )
                return port, r.status_code

            return await asyncio.gather(*(one(i) for i in range(100)))

    answers = asyncio.run(run())
    statuses = [s for _, s in answers]
    assert statuses.count(200) == 10 and statuses.count(402) == 90, statuses
    deadline = time.monotonic() + 30
    while wallet.holds():  # a call settles just after its answer went out
        assert time.monotonic() < deadline, "a call never settled"
        time.sleep(0.01)
    rows = wallet.history(HistoryFilter(), limit=1000)
    assert len(rows) == 10 and all(r.cost_nano == worst for r in rows)
    (st,) = wallet.status()
    assert st.held == 0
    assert st.spent == sum(r.cost_nano for r in rows) <= limit
    assert st.available == limit - st.spent


def test_the_meter_refuses_while_the_database_is_down_and_goes_on_after(
    tmp_path: Path, upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail closed: no call reaches the provider unmetered while the wallet cannot be written
    (here with no offline float: test_postgresql_offline.py has the journal); the same meter
    meters again once the database is back, with every row exactly once."""
    bindir = pgserver.binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (tools/bootstrap.sh installs Debian's postgresql)")
    server = PgServer(bindir)
    server.start()
    try:
        upstream.reset()
        monkeypatch.setenv(ENV_URL, server.new_database())
        path = tmp_path / "wallet.db"
        with Wallet.open(path) as wallet:
            key = configure(wallet, upstream)
            wallet.set_setting("offline_float_usd", 0)
            wallet.set_setting("offline_float_tokens", 0)
        proxy = ProxyServer(path, port=0, keystore=MemoryKeyStore(PROVIDER_KEYS), upstream_timeout=1.5)
        proxy.start()
        try:
            with httpx.Client(timeout=30) as c:

                def call() -> int:
                    r = c.post(
                        proxy.url + "/openai/v1/chat/completions",
                        json=BODY,
                        headers={"authorization": "Bearer " + key},
                    )
                    return r.status_code

                assert call() == 200
                server.halt()
                sent = len(upstream.requests)
                assert call() == 503  # wallet_unavailable, in the caller's wire format
                assert len(upstream.requests) == sent  # nothing went out unmetered
                server.start()
                deadline = time.monotonic() + 30
                while c.get(proxy.url + "/tokenwallet/health").json()["offline"]["state"] != "online":
                    assert time.monotonic() < deadline, "the meter never saw the database again"
                    time.sleep(0.05)
                assert call() == 200
        finally:
            proxy.stop(timeout=5)
        with Wallet.open(path) as wallet:
            deadline = time.monotonic() + 30
            while wallet.holds():
                assert time.monotonic() < deadline, "a call never settled"
                time.sleep(0.01)
            rows = wallet.history(HistoryFilter(), limit=100)
            assert len(rows) == len({r.call_id for r in rows}) == 2
    finally:
        server.stop()
