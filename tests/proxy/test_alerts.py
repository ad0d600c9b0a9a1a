"""Alerts through the real proxy: refused calls and budget warnings reach a webhook on loopback,
a stuck webhook never holds a call, and ``tokenwallet serve`` sends them itself."""

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

from fakes.notifications import FakeNotifications, have_dbus_daemon
from fakes.receiver import Receiver
from fakes.upstream import FakeUpstream
from tokenwallet.alerts import AlertService
from tokenwallet.alerts.webhooks import SenderOptions
from tokenwallet.core.events import BudgetCrossed
from tokenwallet.core.money import Amount
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.types import Scope

from .conftest import Env, configure

ALICE = Scope("profile", "alice")
BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}
FAST = SenderOptions(window_s=0.3, backoff_s=0.05, max_attempts=3, timeout_s=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


@pytest.fixture
def alerts(env: Env) -> Iterator[AlertService]:
    service = AlertService(env.path, env.proxy.bus, options=FAST, refresh_s=0.0)
    service.start()
    yield service
    service.stop()


def call(env: Env) -> httpx.Response:
    # a 5 s client timeout: a call path waiting on a webhook would fail here, not merely run slow
    return httpx.post(
        env.url + "/openai/v1/chat/completions",
        json=BODY,
        headers={"authorization": "Bearer " + env.key},
        timeout=5,
    )


def test_a_refused_call_sends_a_refusal_webhook(env: Env, receiver: Receiver, alerts: AlertService) -> None:
    env.wallet.add_webhook(receiver.url + "/phone", topics="refusals")
    env.wallet.set_budget(ALICE, Amount("usd", 1), period="month", action="block")  # nothing fits
    assert call(env).status_code == 402
    (got,) = receiver.wait_for(1)
    assert got.headers["title"] == "Call refused" and got.headers["priority"] == "4"
    assert got.text.startswith("A call to gpt-4o-mini by alice was refused: budget profile:alice (month) has")
    assert env.key not in got.text and "sk-" not in got.text  # no wallet or provider key leaves


def test_a_threshold_crossing_is_one_alert(env: Env, receiver: Receiver, alerts: AlertService) -> None:
    env.wallet.add_webhook(receiver.url + "/json", format="json", topics="thresholds,refusals")
    env.upstream.scenario(chunks=5)
    assert call(env).status_code == 200
    one = env.last_row().cost_nano
    env.wallet.set_budget(ALICE, Amount("usd", one * 4), action="warn", thresholds=(50,))
    for _ in range(4):
        assert call(env).status_code == 200
    env.settled()
    assert sum(isinstance(e, BudgetCrossed) for e in env.events) == 1
    (got,) = receiver.wait_for(1)
    alerts.stop()  # drains the queue: nothing else was on its way
    body = json.loads(got.body)
    assert body["kind"] == "threshold" and body["envelope"] == "profile:alice (month)"
    assert body["amounts"]["unit"] == "USD" and "." in body["amounts"]["available"]
    assert len(receiver.received) == 1


def test_a_stuck_webhook_never_holds_a_call(env: Env, receiver: Receiver, alerts: AlertService) -> None:
    receiver.hold()  # every POST hangs until the end of the test
    env.wallet.add_webhook(receiver.url + "/stuck", topics="refusals,thresholds")
    env.upstream.scenario(chunks=5)
    assert call(env).status_code == 200
    one = env.last_row().cost_nano
    env.wallet.set_budget(ALICE, Amount("usd", one * 3), action="block", thresholds=(30, 60))
    answers = [call(env).status_code for _ in range(30)]
    receiver.wait_for(1)  # the first alert is stuck in the receiver …
    assert answers.count(200) >= 1 and answers.count(402) >= 20  # … and every call was answered
    env.settled()
    rows = env.rows()
    assert len(rows) == 1 + answers.count(200) and env.holds() == []
    assert sum(r.cost_nano for r in rows) <= one * 4


@pytest.mark.skipif(not have_dbus_daemon(), reason="needs dbus-daemon (tools/bootstrap.sh)")
def test_serve_sends_the_alerts_itself(tmp_path: Path, upstream: FakeUpstream, receiver: Receiver) -> None:
    """The headless meter hosts the alert service: a refused call through `serve` reaches the
    webhook, and the desktop's notification service on the session bus `serve` was started in."""
    upstream.reset()
    data = tmp_path / "home"
    data.mkdir()
    wallet = Wallet.open(data / "wallet.db")
    key = configure(wallet, upstream)
    wallet.add_webhook(receiver.url + "/serve", format="json", topics="refusals")
    # a local provider needs no key (this process's keychain is empty); a 1-token budget refuses all
    wallet.set_budget(ALICE, Amount("tokens", 1), period="month", action="block")
    wallet.close()
    with FakeNotifications() as desktop:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tokenwallet", "--data-dir", str(data), "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": desktop.address},
        )
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if "http://" not in line:  # serve did not start: say why rather than an IndexError
                proc.kill()
                pytest.fail(f"serve printed {line!r}; stderr: {proc.communicate(timeout=10)[1]!r}")
            url = line.split()[5]
            body = {**BODY, "model": "llama3.2"}
            r = httpx.post(
                f"{url}/ollama/v1/chat/completions", json=body, headers={"authorization": "Bearer " + key}
            )
            assert r.status_code == 402, r.text
            (got,) = receiver.wait_for(1)
            sent = json.loads(got.body)
            assert sent["kind"] == "refusal" and got.path == "/serve" and "llama3.2" in sent["message"]
            (note,) = desktop.wait_for(1)
            assert note[0] == "Token Wallet" and note[3] == "Call refused" and note[4] == sent["message"]
            proc.send_signal(signal.SIGINT)
            _out, err = proc.communicate(timeout=30)
            assert proc.returncode == 0 and "Traceback" not in err, err
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
