"""The official openai SDK through the proxy: every metered route, streams, tools, exact costs."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import httpx
import openai
import pytest

from tokenwallet.core.events import CallSettled, CallStarted
from tokenwallet.core.usage import Usage

from .conftest import PROVIDER_KEYS, Env

MODEL = "gpt-4o-mini"
TOOLS = [
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


def client(env: Env) -> openai.OpenAI:
    return env.openai()


def assert_exact(env: Env, usage: Usage | None, *, model: str = MODEL, provider: str = "openai") -> None:
    assert usage is not None
    row = env.last_row()
    if provider == "anthropic":  # Anthropic's wire usage has no reasoning count (thinking is inside output)
        usage = replace(usage, reasoning_tokens=0)
    assert row.usage == usage
    assert not row.estimated
    assert row.cost_nano == env.expected_cost(provider, model, usage)
    assert row.cost_nano > 0 or provider == "ollama"
    assert env.holds() == []


def test_chat_exact_cost_with_cached_and_reasoning(env: Env) -> None:
    env.upstream.scenario(input_tokens=1000, cached_tokens=600, reasoning_tokens=40, chunks=7)
    r = client(env).chat.completions.with_raw_response.create(
        model=MODEL, messages=[{"role": "user", "content": "hello"}], max_tokens=100
    )
    done = r.parse()
    assert done.choices[0].message.content == "tok " * 7
    assert r.headers["x-tokenwallet-remaining"] == "unlimited"
    rec = env.upstream.last
    assert rec.headers["authorization"] == "Bearer " + PROVIDER_KEYS["openai"]  # the real key, not tw-…
    assert env.key not in str(rec.headers)
    assert rec.usage == Usage(input_tokens=400, cache_read_tokens=600, output_tokens=47, reasoning_tokens=40)
    assert_exact(env, rec.usage)
    assert rec.raw == r.http_response.request.content  # forwarded byte for byte
    kinds = [type(e) for e in env.events]
    assert CallStarted in kinds and CallSettled in kinds


def test_chat_stream_looks_like_direct(env: Env) -> None:
    env.upstream.scenario(chunks=6, reasoning_tokens=3)
    body = {"model": MODEL, "messages": [{"role": "user", "content": "stream please"}], "stream": True}
    through = httpx.post(
        env.url + "/openai/v1/chat/completions", json=body, headers={"authorization": "Bearer " + env.key}
    ).content
    assert env.upstream.last.json["stream_options"] == {"include_usage": True}  # the proxy asked for usage
    usage = env.upstream.last.usage
    direct = httpx.post(env.upstream.openai_base_url + "/chat/completions", json=body).content
    norm = [line for line in through.split(b"\n") if b'"id"' not in line]
    assert b'"usage"' not in through  # neither the usage chunk nor "usage":null reached the client
    assert len(through.split(b"\n\n")) == len(direct.split(b"\n\n"))
    assert norm == [line for line in direct.split(b"\n") if b'"id"' not in line]
    assert_exact(env, usage)


def test_chat_stream_with_include_usage_sdk(env: Env) -> None:
    env.upstream.scenario(chunks=4, cached_tokens=0)
    stream = client(env).chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 4
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "tok " * 4
    assert_exact(env, env.upstream.last.usage)


def test_tool_calls_sync_and_stream(env: Env) -> None:
    c = client(env)
    msg = [{"role": "user", "content": "weather in Paris?"}]
    r = c.chat.completions.create(model=MODEL, messages=msg, tools=TOOLS)  # type: ignore[arg-type]
    call = r.choices[0].message.tool_calls
    assert call and call[0].function.name == "get_weather"  # type: ignore[union-attr]
    assert_exact(env, env.upstream.last.usage)
    stream = c.chat.completions.create(model=MODEL, messages=msg, tools=TOOLS, stream=True)  # type: ignore[arg-type]
    names = [
        tc.function.name
        for ch in stream
        if ch.choices
        for tc in (ch.choices[0].delta.tool_calls or [])
        if tc.function and tc.function.name
    ]
    assert names == ["get_weather"]
    assert_exact(env, env.upstream.last.usage)


def test_async_client_and_responses_api(env: Env) -> None:
    env.upstream.scenario(input_tokens=300, cached_tokens=100, reasoning_tokens=20, chunks=3)

    async def run() -> None:
        c = openai.AsyncOpenAI(base_url=env.url + "/openai/v1", api_key=env.key, max_retries=0)
        r = await c.responses.create(model=MODEL, input="hi", max_output_tokens=200)
        assert r.usage is not None and r.usage.output_tokens == 23
        assert_exact(env, env.upstream.last.usage)
        stream = await c.responses.create(model=MODEL, input="hi", stream=True)
        kinds = [ev.type async for ev in stream]
        assert kinds[-1] == "response.completed"
        assert_exact(env, env.upstream.last.usage)
        chat = await c.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "x"}], stream=True
        )
        assert [ch async for ch in chat]
        assert_exact(env, env.upstream.last.usage)
        await c.close()

    asyncio.run(run())


@pytest.mark.parametrize("outcome", ["incomplete", "failed"])
def test_responses_incomplete_and_failed_are_charged(env: Env, outcome: str) -> None:
    env.upstream.scenario(outcome=outcome, chunks=2)
    with httpx.stream(
        "POST",
        env.url + "/openai/v1/responses",
        json={"model": MODEL, "input": "x", "stream": True},
        headers={"authorization": "Bearer " + env.key},
    ) as r:
        assert f"response.{outcome}".encode() in r.read()
    assert_exact(env, env.upstream.last.usage)


def test_completions_embeddings_and_passthrough(env: Env) -> None:
    c = client(env)
    c.completions.create(model="gpt-3.5-turbo-instruct", prompt="say hi", max_tokens=5)
    assert_exact(env, env.upstream.last.usage, model="gpt-3.5-turbo-instruct")
    e = c.embeddings.create(model="text-embedding-3-small", input="hello world")
    assert e.data
    assert_exact(env, env.upstream.last.usage, model="text-embedding-3-small")
    n = len(env.rows())
    models = c.models.list()
    assert [m.id for m in models]
    assert len(env.rows()) == n  # pass-through: not metered
    assert env.upstream.last.headers["authorization"] == "Bearer " + PROVIDER_KEYS["openai"]


def test_openrouter_uses_its_own_cost_and_ollama_is_free(env: Env) -> None:
    env.upstream.scenario(extra_usage={"cost": 0.000123})
    c = env.openai("openrouter")
    c.chat.completions.create(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    assert env.upstream.last.path == "/api/v1/chat/completions"
    assert env.upstream.last.headers["authorization"] == "Bearer " + PROVIDER_KEYS["openrouter"]
    row = env.last_row()
    assert row.cost_nano == 123_000 and row.provider == "openrouter"
    env.upstream.scenario()
    c = env.openai("ollama")
    c.chat.completions.create(model="llama3.2", messages=[{"role": "user", "content": "hi"}])
    row = env.last_row()
    assert row.provider == "ollama" and row.cost_nano == 0 and row.usage.total_tokens > 0
    assert "authorization" not in env.upstream.last.headers  # no key stored for a local provider


def test_big_answers_one_after_another(env: Env) -> None:
    """A 3 MiB answer fills the upstream connection's buffer (reading pauses past 1 MiB); the
    connection still serves the next call once the answer is read."""
    text = "x" * (3 << 20)
    body = {
        "id": "chatcmpl-big",
        "object": "chat.completion",
        "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
    }
    env.upstream.scenario(raw_body=json.dumps(body).encode())
    c = client(env)
    for _ in range(3):
        r = c.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}], timeout=60)
        assert r.choices[0].message.content == text
    env.settled()
    assert [row.usage.output_tokens for row in env.rows()] == [7, 7, 7]
