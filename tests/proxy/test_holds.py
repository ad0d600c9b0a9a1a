"""The hold covers the real worst case: every output-cap field, × n / best_of / candidateCount.

And what the hold is computed from must be readable: a field it depends on that is not a whole
number in range, a number too large to hold, or JSON nested too deep is a 400 in the caller's own
wire format — never a 500, never forwarded.
"""

from __future__ import annotations

import json
from typing import Any

import anthropic
import httpx
import openai
import pytest

from tokenwallet.core.money import Amount
from tokenwallet.pricing import pricebook_for
from tokenwallet.wallet.types import Scope

from .conftest import Env

ALICE = Scope("profile", "alice")
HI = [{"role": "user", "content": "hi"}]
GEMINI = "/gemini/v1beta/models/gemini-2.5-flash:generateContent"


def preview(env: Env, body: dict[str, Any], provider: str = "openai", endpoint: str | None = None) -> Any:
    spec: dict[str, Any] = {"provider": provider, "body": body}
    if provider == "gemini":
        spec["model"] = "gemini-2.5-flash"
    if endpoint:
        spec["endpoint"] = endpoint
    r = httpx.post(env.url + "/tokenwallet/preview", json=spec)
    assert r.status_code == 200, r.text
    return r.json()


def output_cost(env: Env, provider: str, model: str, tokens: int) -> int:
    book = pricebook_for(env.wallet)
    return book.worst_case(book.lookup(provider, model), 0, tokens)


def test_n_128_is_refused_by_a_small_blocking_budget(env: Env) -> None:
    """The reproduction from issue 8: n=128 × 4000 tokens on gpt-4o is $5.12, not $0.04."""
    env.wallet.set_budget(ALICE, Amount("usd", 50_000_000), period="month", action="block")
    client = env.openai()
    with pytest.raises(openai.APIStatusError) as e:
        client.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=4000, n=128)  # type: ignore[call-overload]
    assert e.value.status_code == 402 and "5.12" in e.value.message
    assert env.upstream.requests == [] and env.rows() == [] and env.holds() == []
    # one generation of the same size fits: the cap was read, only n made it too big
    client.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=4000, n=1)
    assert env.last_row().cost_nano > 0


@pytest.mark.parametrize(
    ("endpoint", "body", "cap", "choices"),
    [
        ("chat/completions", {"model": "gpt-4o", "messages": HI, "max_tokens": 30, "n": 4}, 30, 4),
        # both cap fields: the larger one counts (providers differ in which one they read)
        (
            "chat/completions",
            {"model": "gpt-4o", "messages": HI, "max_completion_tokens": 50, "max_tokens": 70},
            70,
            1,
        ),
        ("completions", {"model": "gpt-3.5-turbo-instruct", "prompt": "hi"}, 16, 1),  # the API's default
        (
            "completions",
            {"model": "gpt-3.5-turbo-instruct", "prompt": "hi", "max_tokens": 9, "n": 2, "best_of": 5},
            9,
            5,
        ),
        (  # a list of prompts: each is answered n times
            "completions",
            {"model": "gpt-3.5-turbo-instruct", "prompt": ["a", "b", "c"], "max_tokens": 9, "n": 2},
            9,
            6,
        ),
        ("responses", {"model": "gpt-4o", "input": "hi", "max_output_tokens": 40}, 40, 1),
        ("embeddings", {"model": "text-embedding-3-small", "input": "hi"}, 0, 1),
    ],
)
def test_preview_reports_the_hold_of_each_openai_endpoint(
    env: Env, endpoint: str, body: dict[str, Any], cap: int, choices: int
) -> None:
    p = preview(env, body, endpoint=endpoint)
    assert (p["max_output_tokens"], p["choices"]) == (cap, choices)
    book = pricebook_for(env.wallet)
    price = book.lookup("openai", body["model"])
    assert p["worst_case_nano"] == book.worst_case(price, p["input_tokens"], cap * choices)


def test_gemini_candidate_count_and_both_spellings(env: Env) -> None:
    body = {"contents": [{"parts": [{"text": "hi"}]}], "generationConfig": {"maxOutputTokens": 100}}
    one = preview(env, body, "gemini", "generateContent")
    eight = preview(
        env,
        {**body, "generationConfig": {"maxOutputTokens": 100, "candidateCount": 8}},
        "gemini",
        "generateContent",
    )
    snake = preview(
        env,
        {**body, "generation_config": {"max_output_tokens": 100, "candidate_count": 8}},
        "gemini",
        "generateContent",
    )
    assert one["choices"] == 1 and eight["choices"] == snake["choices"] == 8
    assert eight["worst_case_nano"] - one["worst_case_nano"] == output_cost(
        env, "gemini", "gemini-2.5-flash", 700
    )
    assert snake["worst_case_nano"] == eight["worst_case_nano"]
    # and the proxy holds exactly that: a budget between the two refuses 8 candidates
    env.wallet.set_budget(ALICE, Amount("usd", one["worst_case_nano"] + 1), action="block")
    r = httpx.post(
        env.url + GEMINI,
        json={**body, "generationConfig": {"maxOutputTokens": 100, "candidateCount": 8}},
        headers={"x-goog-api-key": env.key},
    )
    assert r.status_code == 402 and r.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert env.upstream.requests == []
    r = httpx.post(env.url + GEMINI, json=body, headers={"x-goog-api-key": env.key})
    assert r.status_code == 200, r.text


def test_best_of_is_held_as_generations(env: Env) -> None:
    body = {"model": "gpt-3.5-turbo-instruct", "prompt": "hi", "max_tokens": 100}
    plain = preview(env, body, endpoint="completions")
    env.wallet.set_budget(ALICE, Amount("usd", plain["worst_case_nano"] * 2), action="block")
    client = env.openai()
    with pytest.raises(openai.APIStatusError) as e:
        client.completions.create(model="gpt-3.5-turbo-instruct", prompt="hi", max_tokens=100, best_of=5)
    assert e.value.status_code == 402
    client.completions.create(model="gpt-3.5-turbo-instruct", prompt="hi", max_tokens=100)
    assert len(env.upstream.requests) == 1


BAD_CHOICES = [True, 0, -2, 1.5, "3", 129, 10**30]


@pytest.mark.parametrize("value", BAD_CHOICES)
def test_invalid_n_is_a_400_in_openai_format(env: Env, value: Any) -> None:
    with pytest.raises(openai.BadRequestError) as e:
        env.openai().chat.completions.create(model="gpt-4o-mini", messages=HI, n=value)
    err = e.value.body
    assert isinstance(err, dict) and err["code"] == "invalid_request_field"
    assert "n must be" in e.value.message
    assert env.upstream.requests == [] and env.holds() == []


def test_invalid_best_of_and_candidate_count(env: Env) -> None:
    with pytest.raises(openai.BadRequestError) as e:
        env.openai().completions.create(model="gpt-3.5-turbo-instruct", prompt="hi", best_of=False)  # type: ignore[arg-type]
    assert "best_of must be a whole number" in e.value.message
    r = httpx.post(
        env.url + GEMINI,
        json={"contents": [{"parts": [{"text": "hi"}]}], "generationConfig": {"candidateCount": 2.0}},
        headers={"x-goog-api-key": env.key},
    )
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["status"] == "INVALID_ARGUMENT" and "generationConfig.candidateCount" in err["message"]
    assert env.upstream.requests == []


@pytest.mark.parametrize("value", [1e30, 2**62, -1, 0, 12.0, "100", [100], 2**31])
def test_numeric_caps_out_of_range_are_400s(env: Env, value: Any) -> None:
    with pytest.raises(openai.BadRequestError) as e:
        env.openai().chat.completions.create(model="gpt-4o", messages=HI, max_tokens=value)
    assert "max_tokens" in e.value.message
    with pytest.raises(anthropic.BadRequestError) as ae:
        # (an explicit timeout: else the SDK itself balks at a huge non-streaming max_tokens)
        env.anthropic().messages.create(
            model="claude-haiku-4-5",
            max_tokens=value,
            messages=HI,  # type: ignore[list-item]
            timeout=10,
        )
    assert ae.value.body["error"]["type"] == "invalid_request_error"  # type: ignore[index]
    assert "max_tokens" in ae.value.message
    r = httpx.post(
        env.url + "/openai/v1/responses",
        json={"model": "gpt-4o", "input": "hi", "max_output_tokens": value},
        headers={"authorization": "Bearer " + env.key},
    )
    assert r.status_code == 400 and "max_output_tokens" in r.json()["error"]["message"]
    assert env.upstream.requests == [] and env.rows() == [] and env.holds() == []


def _raw(env: Env, body: bytes, path: str = "/openai/v1/chat/completions") -> httpx.Response:
    headers = {"authorization": "Bearer " + env.key, "x-api-key": env.key, "content-type": "application/json"}
    return httpx.post(env.url + path, content=body, headers=headers, timeout=10)


def test_huge_integers_and_deep_json_are_400s(env: Env) -> None:
    head = b'{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"max_tokens":'
    for digits in (1000, 4000, 10_000):  # Python converts up to 4300 digits, then refuses
        r = _raw(env, head + b"9" * digits + b"}")
        assert r.status_code == 400, (digits, r.text)
        assert r.json()["error"]["type"] == "invalid_request_error"
    for depth in (200, 990, 100_000):
        nested = b"[" * depth + b"]" * depth
        r = _raw(env, b'{"model":"gpt-4o","messages":' + nested + b"}")
        assert r.status_code == 400, (depth, r.text)
        assert "nests JSON deeper" in r.json()["error"]["message"]
        anthropic_body = b'{"model":"claude-haiku-4-5","max_tokens":5,"x":' + nested + b"}"
        r = _raw(env, anthropic_body, "/anthropic/v1/messages")
        assert r.status_code == 400 and r.json()["type"] == "error", (depth, r.text)
    # an ordinary deep-ish tool schema is fine
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(40):
        schema = {"type": "object", "properties": {"x": schema}}
    tools = [{"type": "function", "function": {"name": "f", "parameters": schema}}]
    env.openai().chat.completions.create(model="gpt-4o-mini", messages=HI, tools=tools, max_tokens=5)  # type: ignore[arg-type]
    assert len(env.upstream.requests) == 1 and env.last_row().status == 200


ODD_NUMBERS = [b"1e308", b"-1e308", b"1e999", b"NaN", b"-Infinity", str(2**62).encode(), b"9" * 4000, b"-0"]
FIELDS = ["temperature", "max_tokens", "n", "seed", "stream", "stream_options", "messages", "tools", "model"]


def test_odd_numbers_in_any_field_never_make_a_500(env: Env) -> None:
    """Whatever number lands in whatever field: an answer or a 400, never the proxy's own 500.

    (A body the proxy cannot fault goes to the provider, which judges it: the fake upstream itself
    falls over on some of them, and that 500 is the provider's, relayed.)
    """
    statuses = set()
    for field in [*FIELDS, "content"]:
        for number in ODD_NUMBERS:
            body: dict[str, Any] = {"model": "gpt-4o-mini", "messages": HI, "max_tokens": 5}
            if field == "content":
                body["messages"] = [{"role": "user", "content": "@"}]
            else:
                body[field] = "@"
            seen = len(env.upstream.requests)
            r = _raw(env, json.dumps(body).encode().replace(b'"@"', number))
            statuses.add(r.status_code)
            if r.status_code >= 500:  # only ever the upstream's own answer, relayed
                assert "Token Wallet" not in r.text, (field, number[:20], r.text)
                assert len(env.upstream.requests) == seen + 1
    assert statuses >= {200, 400}
    env.settled()
    assert env.holds() == [] and all(row.cost_nano >= 0 for row in env.rows())
