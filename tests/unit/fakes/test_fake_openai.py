"""The fake speaks OpenAI's wire format: checked with the official SDK pointed straight at it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any, TypeVar

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam, ChatCompletionToolParam
from openai.types.responses import FunctionToolParam, ResponseFailedEvent, ResponseIncompleteEvent

from fakes.upstream import FakeUpstream
from tokenwallet.core.usage import Usage

# 41 characters of text: the fake reports 41 // 4 = 10 input tokens
MSG: list[ChatCompletionMessageParam] = [
    {"role": "user", "content": "What is the weather like in Paris today?"}
]
TOOLS: list[ChatCompletionToolParam] = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        },
    }
]


T = TypeVar("T")

_OPEN: list[Any] = []  # SDK clients made by a test, closed after it (no unclosed-socket warnings)


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def keep(c: T) -> T:
    _OPEN.append(c)
    return c


def client(fake: FakeUpstream) -> openai.OpenAI:
    return keep(openai.OpenAI(base_url=fake.openai_base_url, api_key="sk-upstream", max_retries=0))


def test_chat_non_stream_usage_details(upstream: FakeUpstream) -> None:
    upstream.scenario(cached_tokens=4, reasoning_tokens=7, chunks=3)
    r = client(upstream).chat.completions.create(model="gpt-4o-mini", messages=MSG)
    assert r.choices[0].message.content == "tok tok tok "
    assert r.choices[0].finish_reason == "stop"
    assert r.usage is not None
    assert (r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens) == (10, 10, 20)
    assert r.usage.prompt_tokens_details and r.usage.prompt_tokens_details.cached_tokens == 4
    assert r.usage.completion_tokens_details and r.usage.completion_tokens_details.reasoning_tokens == 7
    rec = upstream.last
    assert rec.headers["authorization"] == "Bearer sk-upstream"
    assert rec.json["model"] == "gpt-4o-mini" and rec.provider == "openai" and not rec.stream
    assert rec.usage == Usage(input_tokens=6, cache_read_tokens=4, output_tokens=10, reasoning_tokens=7)


def test_chat_stream_without_include_usage_has_no_usage_chunk(upstream: FakeUpstream) -> None:
    chunks = list(client(upstream).chat.completions.create(model="m", messages=MSG, stream=True))
    assert all(c.choices for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "tok " * 5
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks)
    assert upstream.last.usage is None and upstream.last.finished and upstream.last.chunks_sent == 5


def test_chat_stream_with_include_usage_ends_with_usage_only_chunk(upstream: FakeUpstream) -> None:
    upstream.scenario(input_tokens=100, cached_tokens=60, reasoning_tokens=2, chunks=4)
    stream = client(upstream).chat.completions.create(
        model="m",
        messages=MSG,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.prompt_tokens == 100 and chunks[-1].usage.completion_tokens == 6
    assert all(c.usage is None for c in chunks[:-1])
    assert upstream.last.usage == Usage(
        input_tokens=40, cache_read_tokens=60, output_tokens=6, reasoning_tokens=2
    )


def test_chat_tool_call_non_stream_and_stream(upstream: FakeUpstream) -> None:
    c = client(upstream)
    r = c.chat.completions.create(model="m", messages=MSG, tools=TOOLS, tool_choice="required")
    calls = r.choices[0].message.tool_calls or []
    call = calls[0]
    assert call.type == "function" and r.choices[0].finish_reason == "tool_calls"
    assert call.function.name == "get_weather" and json.loads(call.function.arguments) == {"city": "x"}
    parts = []
    with c.chat.completions.stream(model="m", messages=MSG, tools=TOOLS) as s:
        for event in s:
            if event.type == "tool_calls.function.arguments.delta":
                parts.append(event.arguments_delta)
        final = s.get_final_completion()
    assert [t.function.name for t in final.choices[0].message.tool_calls or []] == ["get_weather"]
    assert json.loads("".join(parts)) == {"city": "x"}
    r2 = c.chat.completions.create(model="m", messages=MSG, tools=TOOLS, tool_choice="none")
    assert r2.choices[0].message.tool_calls is None


def test_async_chat_stream_and_non_stream(upstream: FakeUpstream) -> None:
    async def run() -> tuple[str, int]:
        ac = openai.AsyncOpenAI(base_url=upstream.openai_base_url, api_key="k", max_retries=0)
        r = await ac.chat.completions.create(model="m", messages=MSG)
        text = ""
        s = await ac.chat.completions.create(
            model="m",
            messages=MSG,
            stream=True,
            stream_options={"include_usage": True},
        )
        usage = 0
        async for chunk in s:
            text += "".join(ch.delta.content or "" for ch in chunk.choices)
            usage = chunk.usage.total_tokens if chunk.usage else usage
        await ac.close()
        assert r.choices[0].message.content == text
        return text, usage

    assert asyncio.run(run()) == ("tok " * 5, 15)


def test_responses_non_stream_and_stream(upstream: FakeUpstream) -> None:
    upstream.scenario(cached_tokens=3, reasoning_tokens=5, chunks=2)
    c = client(upstream)
    r = c.responses.create(model="o4-mini", input="Say hello to the test suite!")  # 28 chars -> 7
    assert r.output_text == "tok tok " and r.status == "completed"
    assert r.usage is not None and r.usage.input_tokens == 7 and r.usage.output_tokens == 7
    assert r.usage.input_tokens_details.cached_tokens == 3
    assert r.usage.output_tokens_details.reasoning_tokens == 5
    kinds = []
    with c.responses.stream(model="o4-mini", input="Say hello to the test suite!") as s:
        for event in s:
            kinds.append(event.type)
        final = s.get_final_response()
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"
    assert kinds.count("response.output_text.delta") == 2
    assert final.output_text == "tok tok " and final.usage and final.usage.total_tokens == 14
    assert upstream.last.usage == Usage(
        input_tokens=4, cache_read_tokens=3, output_tokens=7, reasoning_tokens=5
    )


@pytest.mark.parametrize("outcome", ["incomplete", "failed"])
def test_responses_incomplete_and_failed_streams(upstream: FakeUpstream, outcome: str) -> None:
    upstream.scenario(outcome=outcome)
    events = list(client(upstream).responses.create(model="o4-mini", input="hi", stream=True))
    last = events[-1]
    assert isinstance(last, ResponseIncompleteEvent | ResponseFailedEvent)
    assert last.type == f"response.{outcome}"
    assert last.response.status == outcome and last.response.usage is not None


def test_responses_function_call(upstream: FakeUpstream) -> None:
    tools: list[FunctionToolParam] = [
        {
            "type": "function",
            "strict": False,
            "name": "lookup",
            "parameters": {"type": "object", "properties": {"n": {"type": "integer"}}},
        }
    ]
    r = client(upstream).responses.create(model="m", input="x", tools=tools)
    item = r.output[0]
    assert item.type == "function_call" and item.name == "lookup" and json.loads(item.arguments) == {"n": 1}


def test_completions_embeddings_models_files(upstream: FakeUpstream) -> None:
    c = client(upstream)
    comp = c.completions.create(model="gpt-3.5-turbo-instruct", prompt="Once upon a time")
    assert comp.choices[0].text == "tok " * 5 and comp.usage and comp.usage.prompt_tokens == 4
    chunks = list(
        c.completions.create(model="i", prompt="Once", stream=True, stream_options={"include_usage": True})
    )
    assert chunks[-1].usage is not None and chunks[-1].choices == []
    emb = c.embeddings.create(model="text-embedding-3-small", input=["abcdefgh", "ijkl"])  # base64 by default
    assert len(emb.data) == 2 and len(emb.data[0].embedding) == 8 and emb.usage.prompt_tokens == 3
    floats = c.embeddings.create(model="e", input="abcd", encoding_format="float", dimensions=3)
    assert len(floats.data[0].embedding) == 3
    assert next(m.id for m in c.models.list()) == "gpt-4o-mini"
    assert [f.id for f in c.files.list()] == ["file-fake0001"]


def test_openai_compatible_prefixes(upstream: FakeUpstream) -> None:
    for prefix in ("/api/v1", "/openai/v1", "/api/paas/v4"):
        c = keep(openai.OpenAI(base_url=upstream.url + prefix, api_key="k", max_retries=0))
        assert c.chat.completions.create(model="m", messages=MSG).usage is not None
        assert upstream.last.path == prefix + "/chat/completions"


def test_openrouter_cost_in_usage(upstream: FakeUpstream) -> None:
    upstream.scenario(extra_usage={"cost": 0.00042})
    r = client(upstream).chat.completions.create(model="m", messages=MSG)
    assert r.usage is not None and r.usage.model_extra == {"cost": 0.00042}
