"""The fake speaks Anthropic's Messages wire format: checked with the official SDK."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any, TypeVar

import anthropic
import pytest
from anthropic.types import ContentBlock, MessageParam, ThinkingConfigEnabledParam, ToolParam

from fakes.upstream import FakeUpstream
from tokenwallet.core.usage import Usage

# 42 characters of text: the fake reports 42 // 4 = 10 input tokens
MSG: list[MessageParam] = [{"role": "user", "content": "Summarise the plot of Hamlet in one line."}]
TOOLS: list[ToolParam] = [
    {
        "name": "get_weather",
        "description": "Weather for a city",
        "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
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


def text_of(block: ContentBlock) -> str:
    assert block.type == "text"
    return block.text


def client(fake: FakeUpstream) -> anthropic.Anthropic:
    return keep(anthropic.Anthropic(base_url=fake.url, api_key="sk-ant-upstream", max_retries=0))


def test_messages_non_stream_with_cache_fields(upstream: FakeUpstream) -> None:
    upstream.scenario(input_tokens=1000, cached_tokens=600, cache_write_5m=100, cache_write_1h=50, chunks=3)
    m = client(upstream).messages.create(model="claude-fake-model", max_tokens=64, messages=MSG)
    assert m.content[0].type == "text" and m.content[0].text == "tok tok tok "
    assert m.stop_reason == "end_turn"
    u = m.usage
    assert (u.input_tokens, u.cache_read_input_tokens, u.cache_creation_input_tokens, u.output_tokens) == (
        250,
        600,
        150,
        3,
    )
    assert u.cache_creation is not None
    assert (u.cache_creation.ephemeral_5m_input_tokens, u.cache_creation.ephemeral_1h_input_tokens) == (
        100,
        50,
    )
    rec = upstream.last
    # anthropic 2.x sends the key as a bearer token; older SDKs and curl examples use x-api-key
    sent = rec.headers.get("x-api-key") or rec.headers["authorization"].removeprefix("Bearer ")
    assert sent == "sk-ant-upstream" and "anthropic-version" in rec.headers
    assert rec.provider == "anthropic"
    assert rec.usage == Usage(
        input_tokens=250,
        cache_read_tokens=600,
        cache_write_tokens=100,
        cache_write_1h_tokens=50,
        output_tokens=3,
    )


def test_messages_stream_events_and_cumulative_usage(upstream: FakeUpstream) -> None:
    upstream.scenario(cached_tokens=4, chunks=4)
    kinds = []
    with client(upstream).messages.stream(model="claude-fake-small", max_tokens=64, messages=MSG) as s:
        for event in s:
            kinds.append(event.type)
        final = s.get_final_message()
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
    assert "message_delta" in kinds and "content_block_stop" in kinds
    assert text_of(final.content[0]) == "tok " * 4
    assert final.usage.input_tokens == 6 and final.usage.cache_read_input_tokens == 4
    assert final.usage.output_tokens == 4
    raw = list(client(upstream).messages.create(model="c", max_tokens=9, messages=MSG, stream=True))
    start = raw[0]
    assert start.type == "message_start" and start.message.usage.output_tokens == 1
    delta = next(e for e in raw if e.type == "message_delta")
    assert delta.usage.output_tokens == 4 and delta.usage.cache_read_input_tokens == 4


def test_thinking_adds_reasoning_to_output(upstream: FakeUpstream) -> None:
    upstream.scenario(reasoning_tokens=20, chunks=2)
    thinking: ThinkingConfigEnabledParam = {"type": "enabled", "budget_tokens": 1024}
    with client(upstream).messages.stream(
        model="claude-fake-model",
        max_tokens=2048,
        messages=MSG,
        thinking=thinking,
    ) as s:
        final = s.get_final_message()
    assert [b.type for b in final.content] == ["thinking", "text"]
    assert final.usage.output_tokens == 22
    assert upstream.last.usage is not None and upstream.last.usage.reasoning_tokens == 20


def test_tool_use_non_stream_and_stream(upstream: FakeUpstream) -> None:
    c = client(upstream)
    m = c.messages.create(model="c", max_tokens=50, messages=MSG, tools=TOOLS)
    block = m.content[-1]
    assert m.stop_reason == "tool_use" and block.type == "tool_use" and block.input == {"city": "x"}
    with c.messages.stream(model="c", max_tokens=50, messages=MSG, tools=TOOLS) as s:
        final = s.get_final_message()
    assert final.content[-1].type == "tool_use" and final.content[-1].input == {"city": "x"}
    none = c.messages.create(model="c", max_tokens=5, messages=MSG, tools=TOOLS, tool_choice={"type": "none"})
    assert none.stop_reason == "end_turn"


def test_count_tokens_and_async(upstream: FakeUpstream) -> None:
    assert client(upstream).messages.count_tokens(model="c", messages=MSG).input_tokens == 10

    async def run() -> str:
        ac = anthropic.AsyncAnthropic(base_url=upstream.url, api_key="k", max_retries=0)
        m = await ac.messages.create(model="c", max_tokens=5, messages=MSG)
        async with ac.messages.stream(model="c", max_tokens=5, messages=MSG) as s:
            text = "".join([t async for t in s.text_stream])
        await ac.close()
        assert text_of(m.content[0]) == text
        return text

    assert asyncio.run(run()) == "tok " * 5
