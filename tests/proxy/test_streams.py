"""Streams that end badly: the client leaves, the server process is killed or stopped."""

from __future__ import annotations

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

from fakes.upstream import FakeUpstream
from tokenwallet.core.events import CallProgress
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.types import HistoryFilter

from .conftest import PROVIDER_KEYS, Env, configure

MODEL = "gpt-4o-mini"
BODY = {"model": MODEL, "messages": [{"role": "user", "content": "tell me a long story"}], "stream": True}
ROOT = Path(__file__).resolve().parents[2]


def test_client_disconnect_is_charged_input_plus_streamed_output(env: Env) -> None:
    env.upstream.once(chunks=200, chunk_delay=0.01)
    with (
        httpx.Client(timeout=10) as c,
        c.stream(
            "POST",
            env.url + "/openai/v1/chat/completions",
            json=BODY,
            headers={"authorization": "Bearer " + env.key},
        ) as r,
    ):
        got = b""
        for chunk in r.iter_raw():
            got += chunk
            if got.count(b"tok ") >= 30:
                break  # leave mid-stream: the connection closes with the client
    row = env.last_row()
    assert row.status == 499 and row.estimated and row.error == "client disconnected mid-stream"
    streamed = got.count(b"tok ")
    assert streamed <= row.usage.output_tokens <= streamed + 20  # what the proxy relayed before noticing
    assert row.usage.input_tokens > 0
    assert row.cost_nano == env.expected_cost("openai", MODEL, row.usage)
    assert env.upstream.last.chunks_sent < 200  # the proxy hung up on the provider too
    assert any(isinstance(e, CallProgress) for e in env.events)
    assert env.holds() == []


@pytest.fixture
def runner_env(tmp_path: Path, upstream: FakeUpstream) -> Iterator[tuple[Path, str]]:
    upstream.reset()
    with Wallet.open(tmp_path / "wallet.db") as w:
        key = configure(w, upstream)
    yield tmp_path, key


def _start(data: Path) -> tuple[subprocess.Popen[str], int, int]:
    env = {**os.environ, "TW_TEST_KEYS": json.dumps(PROVIDER_KEYS), "PYTHONPATH": str(ROOT / "src")}
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
    parts = line.split()
    return proc, int(parts[1]), int(parts[2].split("=")[1])


def _reap(proc: subprocess.Popen[str]) -> int:
    """Wait for the runner (killing it after 10 s) and close its pipe; returns its exit code."""
    try:
        code = proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()
    return code


def test_sigkill_mid_stream_then_restart_settles_once(
    runner_env: tuple[Path, str], upstream: FakeUpstream
) -> None:
    data, key = runner_env
    upstream.once(chunks=400, chunk_delay=0.01)
    proc, port, _ = _start(data)
    try:
        with (
            httpx.Client(timeout=10) as c,
            c.stream(
                "POST",
                f"http://127.0.0.1:{port}/openai/v1/chat/completions",
                json=BODY,
                headers={"authorization": "Bearer " + key},
            ) as r,
        ):
            # Kill once a progress checkpoint is on the hold (polled, not timed: a busy machine
            # may take longer than the checkpoint interval to get there). The iterator stays
            # referenced until after the kill: dropping it closes the response, and the meter
            # would then settle the call as a client disconnect before the kill lands.
            chunks = r.iter_raw()
            with Wallet.open(data / "wallet.db") as watch:
                for _ in chunks:
                    holds = watch.holds()
                    if holds and holds[0].output_tokens > 0:
                        break
                else:
                    pytest.fail("the stream ended before a checkpoint reached the hold")
            proc.send_signal(signal.SIGKILL)
            proc.wait(5)
            del chunks
    finally:
        _reap(proc)
    with Wallet.open(data / "wallet.db") as w:
        (hold,) = w.holds()
        assert hold.output_tokens > 0
        assert w.history(HistoryFilter(), limit=10) == []
    for expected_recovered in (1, 0):  # the second start finds nothing left to recover
        proc, _, recovered = _start(data)
        proc.send_signal(signal.SIGTERM)
        assert _reap(proc) == 0
        assert recovered == expected_recovered
    with Wallet.open(data / "wallet.db") as w:
        assert w.holds() == []
        (row,) = w.history(HistoryFilter(), limit=10)
        assert row.estimated and row.usage.output_tokens >= hold.output_tokens and row.usage.input_tokens > 0
        assert row.cost_nano > 0


def test_sigterm_lets_the_stream_in_flight_finish(
    runner_env: tuple[Path, str], upstream: FakeUpstream
) -> None:
    data, key = runner_env
    upstream.once(chunks=40, chunk_delay=0.02)
    proc, port, _ = _start(data)
    try:
        with (
            httpx.Client(timeout=10) as c,
            c.stream(
                "POST",
                f"http://127.0.0.1:{port}/openai/v1/chat/completions",
                json=BODY,
                headers={"authorization": "Bearer " + key},
            ) as r,
        ):
            it = r.iter_raw()
            first = next(it)
            proc.send_signal(signal.SIGTERM)
            t0 = time.monotonic()
            rest = b"".join(it)
        assert (first + rest).count(b"tok ") == 40 and b"[DONE]" in rest
        assert _reap(proc) == 0 and time.monotonic() - t0 < 8
    finally:
        _reap(proc)
    with Wallet.open(data / "wallet.db") as w:
        (row,) = w.history(HistoryFilter(), limit=10)
        assert not row.estimated and row.usage.output_tokens == 40 and w.holds() == []
