"""An answered call's settle waits for the loop's next idle moment (proxy.settling.LaterSettles).

The ledger must read, for the next call and for anyone asking the proxy, as if it had been written
at once. ``SETTLE_WITHIN`` is raised to a minute here so the settle is certainly still waiting when
the next thing happens: each test names what writes it.
"""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tokenwallet.core.money import Amount
from tokenwallet.proxy import settling
from tokenwallet.wallet.types import Scope

from .conftest import Env

MODEL = "gpt-4o-mini"
ALICE = Scope("profile", "alice")
BODY = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2000}


@pytest.fixture(autouse=True)
def _settle_within_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settling, "SETTLE_WITHIN", 60.0)


def _preview(env: Env, **extra: object) -> dict[str, int]:
    body = {**BODY, **extra}
    r = httpx.post(env.url + "/tokenwallet/preview", json={"provider": "openai", "body": body}, timeout=60)
    assert r.status_code == 200, r.text
    return {"nano": int(r.json()["worst_case_nano"]), "input": int(r.json()["input_tokens"])}


def _worst(env: Env, **extra: object) -> int:
    return _preview(env, **extra)["nano"]


def _stream_remaining(env: Env, **extra: object) -> str:
    with httpx.stream(
        "POST",
        env.url + "/openai/v1/chat/completions",
        json={**BODY, "stream": True, **extra},
        headers={"authorization": "Bearer " + env.key},
        timeout=60,
    ) as r:
        assert r.status_code == 200
        remaining = r.headers["x-tokenwallet-remaining"]
        r.read()
    return remaining


def _call(env: Env, **extra: object) -> httpx.Response:
    return httpx.post(
        env.url + "/openai/v1/chat/completions",
        json={**BODY, **extra},
        headers={"authorization": "Bearer " + env.key},
        timeout=60,
    )


def _usd(nano: int) -> str:
    return f"{(Decimal(nano) / 10**9).normalize():f} USD"


def test_next_call_is_decided_as_if_the_last_had_settled(env: Env) -> None:
    worst = _worst(env)
    budget = worst * 3 // 2  # one worst case fits; two only once the first has cost what it cost
    env.wallet.set_budget(ALICE, Amount("usd", budget), period="month", action="block")
    first = _call(env)
    assert first.status_code == 200, first.text
    assert len(env.holds()) == 1 and env.rows() == []  # answered, its settle still waiting
    second = _call(env)
    assert second.status_code == 200, second.text  # the refusal made the waiting settle write first
    assert httpx.get(env.url + "/tokenwallet/health", timeout=60).status_code == 200  # writes the second's
    assert env.holds() == []
    rows = sorted(env.rows(), key=lambda r: r.id)
    ids = [first.headers["x-tokenwallet-call-id"], second.headers["x-tokenwallet-call-id"]]
    assert [r.call_id for r in rows] == ids
    spent = rows[0].cost_nano + rows[1].cost_nano
    assert second.headers["x-tokenwallet-remaining"].startswith(_usd(budget - spent) + ";")


def test_remaining_header_counts_the_call_before(env: Env) -> None:
    worst = _worst(env)
    budget = worst * 10
    env.wallet.set_budget(ALICE, Amount("usd", budget), period="month", action="block")
    assert _call(env).status_code == 200
    remaining = _stream_remaining(env)
    first = min(env.rows(), key=lambda row: row.id)  # written once the stream's first byte was out
    # A stream's header is read when it starts: its own hold, and the plain call before it settled
    assert remaining.startswith(_usd(budget - first.cost_nano - worst) + ";")
    env.proxy.stop(timeout=5)  # stopping writes the stream's own
    assert env.holds() == [] and len(env.rows()) == 2


def test_remaining_header_in_tokens_counts_the_call_before(env: Env) -> None:
    held = _preview(env)["input"] + BODY["max_tokens"]  # type: ignore[operator]
    budget = held * 10
    env.wallet.set_budget(ALICE, Amount("tokens", budget), period="month", action="block")
    assert _call(env).status_code == 200
    remaining = _stream_remaining(env)
    (first,) = env.rows()
    assert remaining == f"{budget - first.usage.total_tokens - held} tokens; envelope=profile:alice (month)"


def test_remaining_header_after_a_call_to_another_model(env: Env) -> None:
    # The waiting settle charged other envelopes (maybe): written before the stream's header is made.
    worst = _worst(env, model="gpt-4o")
    budget = worst * 10
    env.wallet.set_budget(ALICE, Amount("usd", budget), period="month", action="block")
    assert _call(env).status_code == 200
    remaining = _stream_remaining(env, model="gpt-4o")
    first = min(env.rows(), key=lambda row: row.id)
    assert remaining.startswith(_usd(budget - first.cost_nano - worst) + ";")


def test_stop_writes_a_waiting_settle(env: Env) -> None:
    r = _call(env)
    assert r.status_code == 200
    assert len(env.holds()) == 1
    env.proxy.stop(timeout=5)
    assert env.holds() == []
    (row,) = env.rows()
    assert row.call_id == r.headers["x-tokenwallet-call-id"] and row.status == 200


def test_remaining_header_names_the_envelope_that_becomes_tightest(env: Env) -> None:
    # Both envelopes are made after the plain call reserved: its hold held nothing on them, yet its
    # settle charges both. At the stream's reserve the money envelope has the smallest share left
    # (3/4, the token one 3/4 and a bit); once the plain call is charged, the token one has (its
    # tokens weigh more there than its cost in money). The header follows, exact.
    worst, held = _worst(env), _preview(env)["input"] + BODY["max_tokens"]  # type: ignore[operator]
    first = _call(env)
    assert first.status_code == 200
    used = int(first.json()["usage"]["total_tokens"])
    env.wallet.set_budget(ALICE, Amount("usd", 4 * worst), period="month", action="block")
    tokens_budget = 4 * held + 2 * used
    env.wallet.set_budget(Scope("wallet"), Amount("tokens", tokens_budget), period="month", action="block")
    remaining = _stream_remaining(env)
    assert remaining.startswith(f"{tokens_budget - held - used} tokens; envelope=wallet")
