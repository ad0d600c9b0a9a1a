"""A wallet that cannot be written (disk full, I/O error) on the call path.

Before the call: a clear 507/503 in the caller's format and nothing sent upstream. After it: the
call is settled once its ledger row is written, retried until it is, exactly once.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import httpx
import openai
import pytest

from fakes.upstream import FakeUpstream
from tokenwallet.core.events import CallSettled
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.types import HistoryFilter

from .conftest import PROVIDER_KEYS, Env, configure

MODEL = "gpt-4o-mini"
CHAT: dict[str, Any] = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}
ROOT = Path(__file__).resolve().parents[2]


def _failing(monkeypatch: pytest.MonkeyPatch, name: str, message: str, times: int) -> list[int]:
    """Make ``Wallet.<name>`` raise WalletError(message) ``times`` times; returns the call counter."""
    real = getattr(Wallet, name)
    calls = [0]

    def method(self: Wallet, *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] <= times:
            raise WalletError(message)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Wallet, name, method)
    return calls


def test_a_full_disk_refuses_the_call_before_it_goes_out(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    _failing(monkeypatch, "reserve", "could not write to the wallet file: database or disk is full", 2)
    with pytest.raises(openai.APIStatusError) as oe:
        env.openai().chat.completions.create(**CHAT)
    assert oe.value.status_code == 507 and "disk is full" in oe.value.message
    assert oe.value.body["code"] == "wallet_disk_full"  # type: ignore[index]
    with pytest.raises(anthropic.APIStatusError) as ae:
        env.anthropic().messages.create(model="claude-haiku-4-5", max_tokens=5, messages=CHAT["messages"])
    assert ae.value.status_code == 507 and "disk is full" in ae.value.message
    assert env.upstream.requests == [] and env.holds() == [] and env.rows() == []
    assert env.openai().chat.completions.create(**CHAT).choices  # space again: calls go through


def test_an_unwritable_wallet_answers_503_with_the_reason(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    _failing(
        monkeypatch,
        "reserve",
        "the wallet file is busy or unwritable: attempt to write a readonly database",
        1,
    )
    with pytest.raises(openai.APIStatusError) as oe:
        env.openai().chat.completions.create(**CHAT)
    assert oe.value.status_code == 503 and "readonly database" in oe.value.message
    assert env.upstream.requests == []


@pytest.mark.parametrize("stream", [False, True])
def test_a_settle_that_fails_is_retried_until_the_row_is_written_once(
    env: Env, monkeypatch: pytest.MonkeyPatch, stream: bool
) -> None:
    attempts = _failing(
        monkeypatch, "settle", "could not write to the wallet file: database or disk is full", 3
    )
    client = env.openai()
    if stream:
        chunks = list(client.chat.completions.create(**CHAT, stream=True))
        assert chunks
    else:
        reply = client.chat.completions.create(**CHAT)  # the answer goes out before the settle
        assert reply.usage is not None
    env.settled()  # the hold stays until the row is written
    (row,) = env.rows()
    assert row.status == 200 and not row.estimated and row.usage.output_tokens == 5
    assert row.cost_nano == env.expected_cost("openai", MODEL, row.usage)
    assert attempts[0] == 4  # three failures, then the row
    assert env.announced(row.call_id).ledger_id == row.id
    assert len([e for e in env.events if isinstance(e, CallSettled)]) == 1
    assert all(s.held == 0 for s in env.wallet.status())


# -- a real write failure: the proxy in a process whose files may not grow (RLIMIT_FSIZE) --------


@pytest.fixture
def data(tmp_path: Path, upstream: FakeUpstream) -> Iterator[tuple[Path, str]]:
    upstream.reset()
    with Wallet.open(tmp_path / "wallet.db") as w:
        key = configure(w, upstream)
    yield tmp_path, key


def _start(data: Path, file_limit: int | None, **env_vars: str) -> tuple[subprocess.Popen[str], int]:
    def limit_files() -> None:  # in the child: files may not grow past the wallet's current size
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails with EFBIG instead

    env = {
        **os.environ,
        "TW_TEST_KEYS": json.dumps(PROVIDER_KEYS),
        "PYTHONPATH": str(ROOT / "src"),
        **env_vars,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.proxy.runner", str(data)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=limit_files,  # noqa: PLW1509  (no threads in the child before exec)
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("READY"), line
    return proc, int(line.split()[1])


def _stop(proc: subprocess.Popen[str]) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(15)
    finally:
        if proc.poll() is None:
            proc.kill()
        if proc.stdout is not None:
            proc.stdout.close()


def test_a_wallet_that_cannot_grow_refuses_calls_and_loses_none(
    data: tuple[Path, str], upstream: FakeUpstream
) -> None:
    path, key = data
    wallet = path / "wallet.db"
    proc, port = _start(path, wallet.stat().st_size)
    answered = 0
    refused = None
    try:
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/openai/v1", api_key=key, max_retries=0)
        with client:
            for _ in range(2000):  # each call adds WAL frames; the WAL may not outgrow the limit
                try:
                    client.chat.completions.create(**CHAT)
                except openai.APIStatusError as exc:
                    refused = exc
                    break
                answered += 1
        assert refused is not None, "the wallet never ran out of room"
        assert refused.status_code in (503, 507) and "wallet file" in refused.message
        assert len(upstream.requests) == answered  # the refused call never went out
        health = httpx.get(f"http://127.0.0.1:{port}/tokenwallet/health")
        assert health.status_code == 200  # the proxy itself is fine
    finally:
        _stop(proc)
    proc, _ = _start(path, None)  # room again: anything left half-done is settled now
    _stop(proc)
    with Wallet.open(wallet) as w:
        rows = w.history(HistoryFilter(), limit=5000)
        assert w.holds() == []
    assert len(rows) == answered == len({r.call_id for r in rows})  # every answered call, once


def test_a_settle_that_never_succeeds_is_charged_at_the_next_start(
    data: tuple[Path, str], upstream: FakeUpstream
) -> None:
    path, key = data
    proc, port = _start(path, None, TW_TEST_SETTLE_FAILS="1")
    try:
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/openai/v1", api_key=key, max_retries=0)
        with client:
            reply = client.chat.completions.create(**CHAT)
        assert reply.usage is not None and reply.usage.completion_tokens == 5
    finally:
        assert _stop(proc) == 0  # stops cleanly, the call still unsettled
    with Wallet.open(path / "wallet.db") as w:
        (hold,) = w.holds()  # kept, with its output checkpoint
        assert hold.output_tokens == 5
        assert w.history(HistoryFilter(), limit=10) == []
    proc, _ = _start(path, None)
    _stop(proc)
    with Wallet.open(path / "wallet.db") as w:
        (row,) = w.history(HistoryFilter(), limit=10)
        assert w.holds() == []
    assert row.estimated and row.usage.output_tokens == 5 and row.usage.input_tokens > 0
    assert row.cost_nano > 0 and row.error is not None and row.error.startswith("recovered")


# -- a really full disk: the proxy's wallet on a small tmpfs, in a user namespace -----------------

_ON_TMPFS = """
set -e
mount -t tmpfs -o size="$3" tmpfs "$1"
cp "$2/wallet.db" "$1/"
"$4" -m tests.proxy.runner "$1" &
child=$!
trap 'kill -TERM $child' TERM
wait $child || wait $child || true
cp "$1"/wallet.db* "$2/"
"""


def _user_namespaces() -> bool:
    try:
        done = subprocess.run(["unshare", "-r", "-m", "true"], check=False, capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def test_a_full_disk_answers_507_and_loses_no_call(data: tuple[Path, str], upstream: FakeUpstream) -> None:
    if not sys.platform.startswith("linux") or not _user_namespaces():
        pytest.skip("needs unprivileged user namespaces (unshare -r -m) to mount a small tmpfs")
    path, key = data
    mnt = path / "small-disk"
    mnt.mkdir()
    room = (path / "wallet.db").stat().st_size + 32 * 1024 + 64 * 1024  # the file, its -shm, a little WAL
    env = {**os.environ, "TW_TEST_KEYS": json.dumps(PROVIDER_KEYS), "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        ["unshare", "-r", "-m", "sh", "-c", _ON_TMPFS, "sh", str(mnt), str(path), str(room), sys.executable],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("READY"), line
    answered, refused = 0, None
    try:
        client = openai.OpenAI(
            base_url=f"http://127.0.0.1:{line.split()[1]}/openai/v1", api_key=key, max_retries=0
        )
        with client:
            for _ in range(2000):
                try:
                    client.chat.completions.create(**CHAT)
                except openai.APIStatusError as exc:
                    refused = exc
                    break
                answered += 1
    finally:
        assert _stop(proc) == 0  # the wallet files are copied back off the tmpfs
    assert refused is not None and refused.status_code == 507, refused
    assert "the disk is full" in refused.message and refused.body["code"] == "wallet_disk_full"  # type: ignore[index]
    assert len(upstream.requests) == answered
    proc, _ = _start(path, None)
    _stop(proc)
    with Wallet.open(path / "wallet.db") as w:
        rows = w.history(HistoryFilter(), limit=5000)
        assert w.holds() == []
    assert len(rows) == answered == len({r.call_id for r in rows})
