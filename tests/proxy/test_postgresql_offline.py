"""Offline tolerance (issue 14): PostgreSQL stops mid-run, the meter goes on within its float.

A real ``serve`` process (tests/proxy/runner.py) meters into a real PostgreSQL wallet; the test
stops the server (``pg_ctl stop -m fast``): calls within the offline float are answered and
journalled, the next one is refused in OpenAI's wire format naming the float's setting, and
nothing refused reaches the provider. Then the server starts again, the meter replays its journal
and is killed (SIGKILL) in the middle, after a ledger row was committed and before the call left the
journal; a new meter finishes the replay. The ledger has every answered call exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

import pgserver
from fakes.upstream import FakeUpstream
from pgserver import PgServer
from tokenwallet.core.money import Amount
from tokenwallet.wallet import HistoryFilter, Scope, Wallet
from tokenwallet.wallet.backend import ENV_URL

from .conftest import PROVIDER_KEYS, configure

ROOT = Path(__file__).resolve().parents[2]
MODEL = "gpt-4o-mini"
BODY = {"model": MODEL, "messages": [{"role": "user", "content": "count me"}], "max_tokens": 5}


@pytest.fixture
def server() -> Iterator[PgServer]:
    """A PostgreSQL server of this test's own: it is stopped and started again."""
    bindir = pgserver.binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (tools/bootstrap.sh installs Debian's postgresql)")
    pg = PgServer(bindir)
    pg.start()
    try:
        yield pg
    finally:
        pg.stop()


class Meter:
    """One ``serve`` subprocess on a data folder; ``die_after``: SIGKILL itself in a replay."""

    def __init__(self, data: Path, url: str, die_after: int = 0) -> None:
        env = {**os.environ, ENV_URL: url, "TW_TEST_KEYS": json.dumps(PROVIDER_KEYS),
               "PYTHONPATH": str(ROOT / "src")}  # fmt: skip
        module = ["tests.proxy.offline_runner", str(data), str(die_after)] if die_after else [
            "tests.proxy.runner", str(data)]  # fmt: skip
        self.proc = subprocess.Popen(
            [sys.executable, "-m", *module], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line.startswith("READY"), line
        self.base = f"http://127.0.0.1:{int(line.split()[1])}"

    def health(self) -> dict[str, Any]:
        with httpx.Client(timeout=30) as c:
            data: dict[str, Any] = c.get(self.base + "/tokenwallet/health").json()
        return data

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            finally:
                if self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def wait_for(what: str, ok: Callable[[], bool], timeout: float = 60, meter: Meter | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not ok():
        assert time.monotonic() < deadline, f"never happened: {what} ({meter and meter.health()})"
        time.sleep(0.05)


def test_offline_calls_within_the_float_are_journalled_and_replayed_exactly_once(
    server: PgServer, tmp_path: Path, upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    upstream.reset()
    url = server.new_database()
    monkeypatch.setenv(ENV_URL, url)
    with Wallet.open(tmp_path / "admin" / "wallet.db") as wallet:
        key = configure(wallet, upstream)
        wallet.set_budget(Scope("profile", "alice"), Amount("usd", 10**9), period="none", action="block")
    meters: list[Meter] = []
    try:
        meter = Meter(tmp_path / "laptop", url, die_after=2)
        meters.append(meter)
        with httpx.Client(timeout=30) as c:
            preview = c.post(meter.base + "/tokenwallet/preview", json={"provider": "openai", "body": BODY})
        worst = int(preview.json()["worst_case_nano"])
        # the fake reports what the meter reserved for: every call costs its worst case
        upstream.scenario(input_tokens=int(preview.json()["input_tokens"]), chunks=5)
        with Wallet.open(tmp_path / "admin" / "wallet.db") as wallet:  # three calls' worst case and a bit
            wallet.set_setting("offline_float_usd", f"{(3 * worst + worst // 2) / 10**9:.9f}")
        client = openai.OpenAI(base_url=meter.base + "/openai/v1", api_key=key, max_retries=0, timeout=30)
        with client:

            def call() -> str:
                raw = client.chat.completions.with_raw_response.create(
                    model=MODEL, messages=[{"role": "user", "content": "count me"}], max_tokens=5
                )
                return raw.headers["x-tokenwallet-call-id"]

            wait_for("the meter reads the new float", lambda: meter.health()["offline"]["float_usd_nano"]
                     == 3 * worst + worst // 2)  # fmt: skip
            answered = [call()]  # the database seen once: this profile and model have a float
            server.halt()
            answered += [call() for _ in range(3)]
            served = len(upstream.requests)
            with pytest.raises(openai.APIStatusError) as refused:
                call()
            assert refused.value.status_code == 503
            assert "offline float" in refused.value.message and "offline_float_usd" in refused.value.message
            body = refused.value.body
            assert isinstance(body, dict) and body["code"] == "offline_float_exceeded"
            assert len(upstream.requests) == served == 4  # the refused call never went upstream
            state = meter.health()["offline"]
            assert state["state"] == "offline" and state["journal_waiting"] == 3
            assert state["message"].startswith("offline: metering into the local journal, $")
            assert state["message"].endswith(" float used")
            with httpx.Client(timeout=30) as c:  # the budgets are in the wallet: not known now
                budgets = c.get(meter.base + "/tokenwallet/status")
            assert budgets.status_code == 503 and budgets.json()["error"]["message"] == state["message"]

        server.start()  # the meter replays, and dies after the second row is in the ledger
        assert meter.proc.wait(60) == -signal.SIGKILL
        meter = Meter(tmp_path / "laptop", url)  # a new meter finishes the replay
        meters.append(meter)
        wait_for("the journal is replayed", lambda: meter.health()["offline"]["journal_waiting"] == 0)
        assert meter.health()["offline"]["state"] == "online"
    finally:
        for m in meters:
            m.close()
    with Wallet.open(tmp_path / "admin" / "wallet.db") as wallet:
        rows = wallet.history(HistoryFilter(), limit=100)
        assert not wallet.holds()
        (st,) = wallet.status()
    assert sorted(r.call_id for r in rows) == sorted(answered)  # each answered call, exactly once
    offline = {r.call_id for r in rows if "offline" in r.flags.split(",")}
    assert offline == set(answered[1:])
    assert st.spent == sum(r.cost_nano for r in rows) and st.held == 0


@pytest.mark.parametrize("stop", ["fast", "immediate"])
def test_a_call_held_offline_and_still_running_when_the_database_returns_is_replayed(
    stop: str, server: PgServer, tmp_path: Path, upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    upstream.reset()
    url = server.new_database()
    monkeypatch.setenv(ENV_URL, url)
    with Wallet.open(tmp_path / "admin" / "wallet.db") as wallet:
        key = configure(wallet, upstream)
    meter = Meter(tmp_path / "laptop", url)
    try:
        headers = {"authorization": "Bearer " + key}
        with httpx.Client(timeout=30) as c:
            first = c.post(meter.base + "/openai/v1/chat/completions", json=BODY, headers=headers)
            assert first.status_code == 200
            server.halt(stop)
            upstream.once(hang_after=2)  # two chunks, then the answer stalls until the client leaves
            body = {**BODY, "stream": True}
            chat = meter.base + "/openai/v1/chat/completions"
            with c.stream("POST", chat, json=body, headers=headers) as r:
                assert r.status_code == 200
                call_id = r.headers["x-tokenwallet-call-id"]
                lines = r.iter_lines()
                assert sum(1 for line in (next(lines), next(lines)) if line.startswith("data:")) >= 1
                assert meter.health()["offline"]["journal_held"] == 1
                server.start()
                online = lambda: meter.health()["offline"]["state"] == "online"  # noqa: E731
                wait_for("the meter is online again", online, meter=meter)
            # the client left: the call ends now, after the database came back
            replayed = lambda: meter.health()["offline"]["replayed"] == 1  # noqa: E731
            wait_for("the late call is replayed", replayed, meter=meter)
            state = meter.health()["offline"]
            assert (state["journal_held"], state["journal_waiting"]) == (0, 0)
    finally:
        meter.close()
    with Wallet.open(tmp_path / "admin" / "wallet.db") as wallet:
        rows = {r.call_id: r for r in wallet.history(HistoryFilter(), limit=100)}
        assert not wallet.holds()
    assert set(rows) == {first.headers["x-tokenwallet-call-id"], call_id}
    assert "offline" in rows[call_id].flags.split(",") and rows[call_id].cost_nano > 0
