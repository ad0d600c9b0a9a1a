"""Budgets in the call path: refusals in each wire format, downgrade, warn, concurrency."""

from __future__ import annotations

import asyncio

import anthropic
import httpx
import openai
import pytest

from tokenwallet.core.events import BudgetCrossed, CallRefused
from tokenwallet.core.money import Amount
from tokenwallet.wallet.types import Scope

from .conftest import Env

MODEL = "gpt-4o-mini"
ALICE = Scope("profile", "alice")


def preview(env: Env, body: dict[str, object], provider: str = "openai") -> dict[str, object]:
    r = httpx.post(env.url + "/tokenwallet/preview", json={"provider": provider, "body": body})
    assert r.status_code == 200, r.text
    data: dict[str, object] = r.json()
    return data


def test_refusal_in_each_wire_format(env: Env) -> None:
    env.wallet.set_budget(ALICE, Amount("usd", 1), period="month", action="block")  # 1 nano-USD: nothing fits
    with pytest.raises(openai.APIStatusError) as oe:
        env.openai().chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], max_tokens=50
        )
    assert oe.value.status_code == 402
    assert "profile:alice (month)" in oe.value.message and "left" in oe.value.message
    assert oe.value.response.headers["x-tokenwallet-remaining"].endswith("envelope=profile:alice (month)")
    with pytest.raises(anthropic.APIStatusError) as ae:
        env.anthropic().messages.create(
            model="claude-haiku-4-5", max_tokens=50, messages=[{"role": "user", "content": "hi"}]
        )
    assert ae.value.status_code == 402
    assert ae.value.body["type"] == "error" and ae.value.body["error"]["type"] == "billing_error"  # type: ignore[index]
    g = httpx.post(
        env.url + "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
        json={"contents": [{"parts": [{"text": "hi"}]}]},
        headers={"x-goog-api-key": env.key},
    )
    assert g.status_code == 402 and g.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert env.upstream.requests == [] and env.rows() == [] and env.holds() == []
    assert sum(isinstance(e, CallRefused) for e in env.events) == 3


def test_refusal_names_a_cheaper_model_that_fits(env: Env) -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1000}
    mini = preview(env, {**body, "model": MODEL})
    env.wallet.set_budget(ALICE, Amount("usd", int(mini["worst_case_nano"]) * 2), action="block")  # type: ignore[call-overload]
    r = httpx.post(
        env.url + "/openai/v1/chat/completions", json=body, headers={"authorization": "Bearer " + env.key}
    )
    assert r.status_code == 402
    assert "cheaper model that would fit" in r.json()["error"]["message"]


def test_downgrade_rewrites_the_model(env: Env) -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1000}
    mini = preview(env, {**body, "model": MODEL})
    env.wallet.set_budget(ALICE, Amount("usd", int(mini["worst_case_nano"]) * 2), action="downgrade")  # type: ignore[call-overload]
    r = httpx.post(
        env.url + "/openai/v1/chat/completions", json=body, headers={"authorization": "Bearer " + env.key}
    )
    assert r.status_code == 200, r.text
    assert r.headers["x-tokenwallet-downgraded-from"] == "gpt-4o"
    sent = env.upstream.last.json["model"]
    assert sent != "gpt-4o"
    row = env.last_row()
    assert row.model == sent and row.requested_model == "gpt-4o"


def test_warn_publishes_each_threshold_once(env: Env) -> None:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}
    env.upstream.scenario(chunks=5)
    httpx.post(
        env.url + "/openai/v1/chat/completions", json=body, headers={"authorization": "Bearer " + env.key}
    )
    one = env.last_row().cost_nano
    env.wallet.set_budget(ALICE, Amount("usd", one * 4), action="warn", thresholds=(50, 80))
    for _ in range(6):  # goes past 100 %: warn never refuses
        r = httpx.post(
            env.url + "/openai/v1/chat/completions", json=body, headers={"authorization": "Bearer " + env.key}
        )
        assert r.status_code == 200
    crossed = [e.threshold_pct for e in env.events if isinstance(e, BudgetCrossed)]
    assert sorted(crossed) == sorted(set(crossed)) and 50 in crossed and 80 in crossed


def test_100_concurrent_calls_against_room_for_10(env: Env) -> None:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "count me"}], "max_tokens": 5}
    p = preview(env, body)
    worst = int(p["worst_case_nano"])  # type: ignore[call-overload]
    # the fake reports exactly what the proxy reserved for, so every call costs its worst case
    env.upstream.scenario(input_tokens=int(p["input_tokens"]), chunks=5, latency=0.05)  # type: ignore[call-overload]
    env.wallet.set_budget(ALICE, Amount("usd", worst * 10 + worst // 2), period="none", action="block")

    async def run() -> list[int]:
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=100)) as c:

            async def one() -> int:
                r = await c.post(
                    env.url + "/openai/v1/chat/completions",
                    json=body,
                    headers={"authorization": "Bearer " + env.key},
                )
                return r.status_code

            return await asyncio.gather(*(one() for _ in range(100)))

    statuses = asyncio.run(run())
    assert statuses.count(200) == 10 and statuses.count(402) == 90
    rows = env.rows()
    assert len(rows) == 10 and all(r.cost_nano == worst for r in rows)
    (st,) = env.wallet.status()
    assert st.held == 0 and env.holds() == []
    assert st.spent == sum(r.cost_nano for r in rows)
    assert st.available == worst * 10 + worst // 2 - st.spent
