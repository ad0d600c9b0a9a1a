"""Usage is checked before it is charged: the real proxy, the official SDKs, crafted upstream usage.

Invalid usage is charged the hold's worst case and flagged ``invalid_usage`` (never credited);
output above the cap is charged as reported and flagged ``over_cap``; a successful answer without
usage is charged an estimate and flagged ``no_usage``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tokenwallet.core.events import from_json, to_json
from tokenwallet.core.usage import Usage
from tokenwallet.tokens import count_text

from .conftest import Env

MODEL = "gpt-4o-mini"
HI = [{"role": "user", "content": "hello there"}]
BODY: dict[str, Any] = {"model": MODEL, "messages": HI, "max_tokens": 40}


def hold_of(env: Env, body: dict[str, Any], provider: str = "openai", **spec: Any) -> dict[str, Any]:
    """What the proxy holds for ``body`` (its preview endpoint computes the hold the same way)."""
    r = httpx.post(env.url + "/tokenwallet/preview", json={"provider": provider, "body": body, **spec})
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def assert_charged_the_hold(env: Env, hold: dict[str, Any]) -> None:
    row = env.last_row()
    assert row.flags == "invalid_usage" and row.estimated
    assert row.cost_nano == hold["worst_case_nano"] > 0
    out = hold["max_output_tokens"] * hold["choices"]
    assert row.usage == Usage(input_tokens=hold["input_tokens"], output_tokens=out)
    assert row.error is not None and row.error.startswith("usage not believable")
    (st,) = env.wallet.status() or [None]
    if st is not None:
        assert st.spent == row.cost_nano
    settled = env.announced(row.call_id)
    assert settled.flags == "invalid_usage" and settled.cost_nano == row.cost_nano
    assert from_json(to_json(settled)) == settled


INVALID_OPENAI = [
    {"prompt_tokens": -5},
    {"completion_tokens": -1_000_000, "total_tokens": None},
    {"completion_tokens": 10**15, "total_tokens": None},
    {"completion_tokens": 10**9, "total_tokens": None},  # in range, but beyond gpt-4o-mini's window
    {"completion_tokens": 5.0},
    {"prompt_tokens": "12"},
    {"completion_tokens": None},
    {"completion_tokens": True},
    {"prompt_tokens_details": {"cached_tokens": 10**6}},  # more cached than prompt
    {"completion_tokens_details": {"reasoning_tokens": 999}},  # more reasoning than output
    {"total_tokens": 1},  # a total below its parts
    {"prompt_tokens_details": "lots"},
]


@pytest.mark.parametrize("crafted", INVALID_OPENAI)
def test_invalid_chat_usage_is_charged_the_hold(env: Env, crafted: dict[str, Any]) -> None:
    hold = hold_of(env, BODY)
    env.upstream.scenario(extra_usage=crafted)
    answer = env.openai().chat.completions.create(**BODY)
    assert answer.choices[0].message.content  # the client still gets its answer
    assert_charged_the_hold(env, hold)


def test_invalid_stream_usage_is_charged_the_hold(env: Env) -> None:
    hold = hold_of(env, BODY)
    env.upstream.scenario(extra_usage={"completion_tokens": -3, "total_tokens": None})
    with env.openai().chat.completions.create(**BODY, stream=True) as stream:
        text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == "tok " * 5
    assert_charged_the_hold(env, hold)


def test_invalid_anthropic_gemini_responses_usage(env: Env) -> None:
    body: dict[str, Any] = {"model": "claude-haiku-4-5", "max_tokens": 30, "messages": HI}
    hold = hold_of(env, body, "anthropic")
    env.upstream.scenario(extra_usage={"output_tokens": -7})
    env.anthropic().messages.create(**body)
    assert_charged_the_hold(env, hold)
    env.upstream.scenario(extra_usage={"cache_read_input_tokens": -4})
    with env.anthropic().messages.stream(**body) as s:
        s.get_final_message()
    assert_charged_the_hold(env, hold)

    gbody = {"contents": [{"parts": [{"text": "hello"}]}], "generationConfig": {"maxOutputTokens": 20}}
    hold = hold_of(env, gbody, "gemini", model="gemini-2.5-flash")
    env.upstream.scenario(extra_usage={"candidatesTokenCount": 10**15})
    r = httpx.post(
        env.url + "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
        json=gbody,
        headers={"x-goog-api-key": env.key},
    )
    assert r.status_code == 200
    assert_charged_the_hold(env, hold)

    rbody: dict[str, Any] = {"model": MODEL, "input": "hello", "max_output_tokens": 25}
    hold = hold_of(env, rbody, endpoint="responses")
    env.upstream.scenario(extra_usage={"input_tokens": -1, "total_tokens": None})
    env.openai().responses.create(**rbody)
    assert_charged_the_hold(env, hold)


def test_a_negative_or_absurd_provider_cost_is_not_believed(env: Env) -> None:
    body: dict[str, Any] = {"model": "openai/gpt-4o-mini", "messages": HI, "max_tokens": 40}
    hold = hold_of(env, body, "openrouter")
    for cost in (-1, "NaN", 1e12):
        env.upstream.scenario(extra_usage={"cost": cost})
        env.openai("openrouter").chat.completions.create(**body)
        assert_charged_the_hold(env, hold)
    assert all(r.cost_nano > 0 for r in env.rows())


def test_total_above_its_parts_is_charged_in_full(env: Env) -> None:
    env.upstream.scenario(input_tokens=10, chunks=5, extra_usage={"total_tokens": 10 + 5 + 50})
    env.openai().chat.completions.create(**{**BODY, "max_tokens": 100})
    row = env.last_row()
    assert row.usage == Usage(input_tokens=10, output_tokens=55, reasoning_tokens=50)
    assert row.flags == "" and not row.estimated
    assert row.cost_nano == env.expected_cost("openai", MODEL, row.usage)


def test_output_over_the_cap_is_charged_as_reported_and_flagged(env: Env) -> None:
    env.upstream.scenario(input_tokens=10, output_tokens=90)
    env.openai().chat.completions.create(model=MODEL, messages=HI, max_tokens=30, n=2)  # cap 60
    row = env.last_row()
    assert row.usage == Usage(input_tokens=10, output_tokens=90)
    assert row.flags == "over_cap" and not row.estimated
    assert row.cost_nano == env.expected_cost("openai", MODEL, row.usage)
    env.upstream.scenario(input_tokens=10, output_tokens=60)
    env.openai().chat.completions.create(model=MODEL, messages=HI, max_tokens=30, n=2)
    assert env.last_row().flags == ""


def test_answer_without_usage_is_estimated_not_free(env: Env) -> None:
    hold = hold_of(env, BODY)
    env.upstream.scenario(no_usage=True, chunks=7)
    env.openai().chat.completions.create(**BODY)
    row = env.last_row()
    out = count_text("tok " * 7, MODEL).tokens
    assert row.usage == Usage(input_tokens=hold["input_tokens"], output_tokens=out)
    assert row.flags == "no_usage" and row.estimated and row.status == 200
    assert row.cost_nano == env.expected_cost("openai", MODEL, row.usage) > 0
    # the same for Anthropic (tool input counted too) and a stream without a usage frame
    env.anthropic().messages.create(model="claude-haiku-4-5", max_tokens=30, messages=HI)
    assert env.last_row().flags == "no_usage" and env.last_row().cost_nano > 0
    with env.openai().chat.completions.create(**BODY, stream=True) as s:
        list(s)
    assert env.last_row().flags == "no_usage" and env.last_row().usage.output_tokens == out


def test_unparseable_answer_is_estimated_from_its_text(env: Env) -> None:
    broken = b'{"id":"x","choices":[{"message":{"role":"assistant","content":"' + b"word " * 200
    env.upstream.scenario(raw_body=broken)
    r = httpx.post(
        env.url + "/openai/v1/chat/completions", json=BODY, headers={"authorization": "Bearer " + env.key}
    )
    assert r.status_code == 200 and r.content == broken  # relayed as is
    row = env.last_row()
    assert row.flags == "no_usage" and row.estimated
    assert row.usage.output_tokens >= 200 and row.cost_nano > 0
    env.upstream.scenario(raw_body=b"[" * 5000 + b"]" * 5000)  # nested past the parser
    r = httpx.post(
        env.url + "/openai/v1/chat/completions", json=BODY, headers={"authorization": "Bearer " + env.key}
    )
    assert r.status_code == 200 and env.last_row().flags == "no_usage"


def test_an_error_answer_without_usage_still_costs_nothing(env: Env) -> None:
    env.upstream.scenario(error_status=429)
    r = httpx.post(
        env.url + "/openai/v1/chat/completions", json=BODY, headers={"authorization": "Bearer " + env.key}
    )
    assert r.status_code == 429
    row = env.last_row()
    assert row.cost_nano == 0 and row.flags == "" and env.holds() == []
