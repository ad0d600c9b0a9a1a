"""The usage checks without a server: each reader's rules, the settle policy, and a property test
that no usage a provider can send ever yields a negative (credited) or unbounded charge."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenwallet.core.events import EventBus
from tokenwallet.core.usage import Usage
from tokenwallet.pricing import PriceBook
from tokenwallet.proxy.call import Call
from tokenwallet.proxy.calls import Planner
from tokenwallet.proxy.charging import (
    INVALID_USAGE,
    NO_USAGE,
    OVER_CAP,
    answer_text,
    believable_tokens,
    charge_answer,
)
from tokenwallet.proxy.routes import resolve
from tokenwallet.proxy.stream_usage import StreamMeter
from tokenwallet.proxy.usage import (
    UsageError,
    anthropic_usage,
    gemini_usage,
    openai_usage,
    provider_cost_nano,
    responses_usage,
)
from tokenwallet.wallet.types import KeyBinding

BOOK = PriceBook()


def make_call(api: str = "chat", *, input_tokens: int = 100, max_out: int = 50, choices: int = 1) -> Call:
    provider, model, path = {
        "chat": ("openai", "gpt-4o-mini", "/v1/chat/completions"),
        "responses": ("openai", "gpt-4o-mini", "/v1/responses"),
        "embeddings": ("openai", "text-embedding-3-small", "/v1/embeddings"),
        "anthropic": ("anthropic", "claude-haiku-4-5", "/v1/messages"),
        "gemini": ("gemini", "gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:generateContent"),
    }[api]
    route = resolve(provider, provider if provider != "openai" else "openai", path, "POST")
    price = BOOK.lookup(provider, model)
    held = BOOK.cost(price, Usage(input_tokens=input_tokens, output_tokens=max_out))
    binding = KeyBinding(key_id=1, profile_id=1, profile="alice", project_id=None, project=None, paused=False)
    return Call(
        "c1", route, binding, model, None, False, input_tokens, max_out, price, "{}",
        1, held, None, 0.0, None, choices=choices,
    )  # fmt: skip


PLANNER = Planner(cast(Any, SimpleNamespace(book=BOOK, wallet=None)), EventBus())


def charge(api: str, answer: Any, status: int = 200, **kw: Any) -> Any:
    data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
    return charge_answer(PLANNER, make_call(api, **kw), status, "application/json", data)


# -- the readers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "u",
    [
        {"prompt_tokens": -1, "completion_tokens": 1},
        {"prompt_tokens": 1.0, "completion_tokens": 1},
        {"prompt_tokens": True, "completion_tokens": 1},
        {"prompt_tokens": "1", "completion_tokens": 1},
        {"prompt_tokens": None, "completion_tokens": 1},
        {"completion_tokens": 1},
        {"prompt_tokens": 1},
        {"prompt_tokens": 2**31, "completion_tokens": 1},
        {"prompt_tokens": 5, "completion_tokens": 1, "prompt_tokens_details": {"cached_tokens": 6}},
        {"prompt_tokens": 5, "completion_tokens": 1, "completion_tokens_details": {"reasoning_tokens": 2}},
        {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 5},
        {"prompt_tokens": 5, "completion_tokens": 1, "prompt_cache_hit_tokens": 9},
        {"prompt_tokens": 5, "completion_tokens": 1, "prompt_tokens_details": []},
        "usage",
        [],
    ],
)
def test_openai_usage_refuses(u: Any) -> None:
    with pytest.raises(UsageError):
        openai_usage(u)


def test_openai_usage_reads_right() -> None:
    assert openai_usage(None) is None
    assert openai_usage({"prompt_tokens": 7, "total_tokens": 7}, output=False) == Usage(input_tokens=7)
    u = {
        "prompt_tokens": 10,
        "completion_tokens": 4,
        "total_tokens": 20,  # six unitemised tokens: charged as output
        "prompt_tokens_details": None,
        "completion_tokens_details": {"reasoning_tokens": None},
    }
    assert openai_usage(u) == Usage(input_tokens=10, output_tokens=10, reasoning_tokens=6)


def test_responses_anthropic_gemini_rules() -> None:
    with pytest.raises(UsageError, match="output_tokens"):
        responses_usage({"input_tokens": 3})
    with pytest.raises(UsageError, match="cached"):
        responses_usage({"input_tokens": 3, "output_tokens": 1, "input_tokens_details": {"cached_tokens": 4}})
    with pytest.raises(UsageError, match="negative"):
        anthropic_usage({"input_tokens": 3, "output_tokens": -1})
    with pytest.raises(UsageError, match="lifetime"):
        anthropic_usage(
            {
                "input_tokens": 3,
                "output_tokens": 1,
                "cache_creation_input_tokens": 5,
                "cache_creation": {"ephemeral_5m_input_tokens": 4, "ephemeral_1h_input_tokens": 4},
            }
        )
    assert anthropic_usage({"input_tokens": 3, "output_tokens": 1, "cache_read_input_tokens": None}) == Usage(
        input_tokens=3, output_tokens=1
    )
    # Gemini leaves zero counts out; a total above its parts is charged in full
    assert gemini_usage({"totalTokenCount": 9}) == Usage(output_tokens=9, reasoning_tokens=9)
    with pytest.raises(UsageError, match="less than its parts"):
        gemini_usage({"promptTokenCount": 9, "totalTokenCount": 3})
    with pytest.raises(UsageError):
        gemini_usage({"promptTokenCount": 9, "cachedContentTokenCount": 10})


def test_provider_cost() -> None:
    assert provider_cost_nano({"cost": 0.0012}) == 1_200_000
    assert provider_cost_nano({"cost": None}) is None and provider_cost_nano({}) is None
    for bad in (-0.01, "NaN", "Infinity", 1e7):
        with pytest.raises(UsageError, match="believable"):
            provider_cost_nano({"cost": bad})
    for bad in ("abc", True, [1]):
        with pytest.raises(UsageError, match="not a number"):
            provider_cost_nano({"cost": bad})


def test_stream_meter_usage_errors_surface() -> None:
    from tokenwallet.proxy.sse import SSESplitter

    meter = StreamMeter("chat")
    frame = b'data: {"choices":[],"usage":{"prompt_tokens":-4,"completion_tokens":1}}\n\n'
    for ev in SSESplitter().feed(frame):
        meter.feed(ev)
    with pytest.raises(UsageError):
        meter.usage()
    anth = StreamMeter("anthropic")
    start = b'event: message_start\ndata: {"message":"not an object"}\n\n'
    for ev in SSESplitter().feed(start):
        anth.feed(ev)
    assert anth.usage() is None and anth.anthropic_input() is None


# -- the settle policy ---------------------------------------------------------------------------


def test_policy_table() -> None:
    ok = {"usage": {"prompt_tokens": 100, "completion_tokens": 20}, "choices": []}
    c = charge("chat", ok)
    assert (c.usage, c.flags, c.estimated) == (Usage(input_tokens=100, output_tokens=20), (), False)
    over = {"usage": {"prompt_tokens": 100, "completion_tokens": 51}}
    assert charge("chat", over).flags == (OVER_CAP,)
    assert charge("chat", over, choices=2, max_out=100).flags == ()
    bad = {"usage": {"prompt_tokens": -100, "completion_tokens": 20}}
    c = charge("chat", bad)
    assert c.flags == (INVALID_USAGE,) and c.usage == Usage(input_tokens=100, output_tokens=50)
    assert c.estimated and c.note and "negative" in c.note
    none = {"choices": [{"message": {"role": "assistant", "content": "one two three"}}]}
    c = charge("chat", none)
    assert c.flags == (NO_USAGE,) and c.estimated and c.usage.input_tokens == 100
    assert c.usage.output_tokens == 3
    assert charge("chat", none, status=500).usage == Usage()  # an error without usage: nothing
    assert charge("embeddings", {"data": []}).usage == Usage(input_tokens=100)


def test_believable_bound() -> None:
    call = make_call("chat", choices=3)
    assert believable_tokens(call) == 128_000 * 3  # gpt-4o-mini's window × choices
    huge = {"usage": {"prompt_tokens": 100, "completion_tokens": 128_000 * 3}}
    assert charge("chat", huge, choices=3).flags == (INVALID_USAGE,)
    fits = {"usage": {"prompt_tokens": 100, "completion_tokens": 128_000 * 3 - 100}}
    assert charge("chat", fits, choices=3).flags == (OVER_CAP,)
    # a hold larger than the catalog's window raises the bound: twice what was held
    assert believable_tokens(make_call("chat", input_tokens=500_000, max_out=10)) == 1_000_020


def test_answer_text_counts_generated_strings_only() -> None:
    anthropic_answer = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-haiku-4-5",
        "content": [
            {"type": "thinking", "thinking": "hmm", "signature": "x" * 500},
            {"type": "tool_use", "id": "t", "name": "f", "input": {"city": "Paris"}},
        ],
        "stop_reason": "tool_use",
    }
    text = answer_text("anthropic", json.dumps(anthropic_answer).encode())
    assert "hmm" in text and '{"city": "Paris"}' in text and "x" * 10 not in text
    assert "msg_1" not in text and "claude" not in text
    assert answer_text("chat", b"not json at all") == "not json at all"
    assert answer_text("embeddings", b'{"data":[{"embedding":"AAAA"}]}') == ""


# -- the property ------------------------------------------------------------------------------

_numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=0, max_value=300_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=5),
)
_KEYS = [
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "prompt_cache_hit_tokens",
    "input_tokens",
    "output_tokens",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
    "promptTokenCount",
    "candidatesTokenCount",
    "thoughtsTokenCount",
    "cachedContentTokenCount",
    "toolUsePromptTokenCount",
    "totalTokenCount",
    "cost",
]
_details = st.dictionaries(
    st.sampled_from(["cached_tokens", "reasoning_tokens", "ephemeral_5m_input_tokens"]), _numbers
)
_usage = st.dictionaries(st.sampled_from(_KEYS), _numbers) | st.fixed_dictionaries(
    {},
    optional={
        "prompt_tokens": _numbers,
        "completion_tokens": _numbers,
        "prompt_tokens_details": _details | _numbers,
        "completion_tokens_details": _details,
        "input_tokens_details": _details,
        "cache_creation": _details,
        "cost": _numbers,
    },
)


@settings(max_examples=400, deadline=None)
@given(api=st.sampled_from(["chat", "responses", "anthropic", "gemini"]), usage=_usage | _numbers)
def test_no_usage_ever_credits_or_runs_away(api: str, usage: Any) -> None:
    key = "usageMetadata" if api == "gemini" else "usage"
    try:
        data = json.dumps({key: usage, "choices": []}, allow_nan=True).encode()
    except (ValueError, OverflowError):
        return
    call = make_call(api)
    c = charge_answer(PLANNER, call, 200, "application/json", data)
    assert all(v >= 0 for v in c.usage.to_dict().values())
    cost = PLANNER.cost_of(call, c.usage, estimated=c.estimated, provider_cost=c.provider_cost)[0]
    assert cost >= 0
    if c.provider_cost is None:  # our own price: never above the hold unless the provider said so
        assert c.usage.total_tokens <= believable_tokens(call)
    else:
        assert cost <= 10 * max(BOOK.cost(call.price, c.usage), call.held_nano)
    if INVALID_USAGE in c.flags:
        assert cost == call.held_nano
