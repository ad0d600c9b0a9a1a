"""The official anthropic SDK and raw Gemini calls through the proxy, with exact costs."""

from __future__ import annotations

import asyncio
import json

import anthropic
import httpx

from tokenwallet.core.usage import Usage

from .conftest import PROVIDER_KEYS, Env
from .test_openai import assert_exact

CLAUDE = "claude-haiku-4-5"
GEMINI = "gemini-2.5-flash"


def claude(env: Env) -> anthropic.Anthropic:
    return env.anthropic()


def test_messages_with_cache_reads_and_writes(env: Env) -> None:
    env.upstream.scenario(
        input_tokens=2000, cached_tokens=1200, cache_write_5m=300, cache_write_1h=100, chunks=9
    )
    r = claude(env).messages.create(
        model=CLAUDE, max_tokens=256, messages=[{"role": "user", "content": "hi"}]
    )
    assert r.content[0].type == "text"
    rec = env.upstream.last
    assert rec.path == "/v1/messages" and rec.headers["x-api-key"] == PROVIDER_KEYS["anthropic"]
    assert rec.usage == Usage(
        input_tokens=400,
        cache_read_tokens=1200,
        cache_write_tokens=300,
        cache_write_1h_tokens=100,
        output_tokens=9,
    )
    assert_exact(env, rec.usage, model=CLAUDE, provider="anthropic")


def test_messages_stream_sync_async_and_tools(env: Env) -> None:
    env.upstream.scenario(input_tokens=50, cached_tokens=10, chunks=5, reasoning_tokens=4)
    with claude(env).messages.stream(
        model=CLAUDE, max_tokens=100, messages=[{"role": "user", "content": "x"}]
    ) as stream:
        final = stream.get_final_message()
    assert final.usage.output_tokens == env.upstream.last.usage.output_tokens  # type: ignore[union-attr]
    assert_exact(env, env.upstream.last.usage, model=CLAUDE, provider="anthropic")

    tools = [
        {
            "name": "lookup",
            "description": "d",
            "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}},
        }
    ]

    async def run() -> None:
        c = anthropic.AsyncAnthropic(base_url=env.url + "/anthropic", api_key=env.key, max_retries=0)
        m = await c.messages.create(
            model=CLAUDE,
            max_tokens=100,
            tools=tools,  # type: ignore[arg-type]
            messages=[{"role": "user", "content": "use the tool"}],
        )
        assert any(b.type == "tool_use" for b in m.content)
        assert_exact(env, env.upstream.last.usage, model=CLAUDE, provider="anthropic")
        s = await c.messages.create(
            model=CLAUDE,
            max_tokens=100,
            stream=True,
            tools=tools,  # type: ignore[arg-type]
            messages=[{"role": "user", "content": "use the tool"}],
        )
        types = [ev.type async for ev in s]
        assert types[0] == "message_start" and types[-1] == "message_stop"
        assert_exact(env, env.upstream.last.usage, model=CLAUDE, provider="anthropic")
        await c.close()

    asyncio.run(run())


def test_count_tokens_is_free_pass_through(env: Env) -> None:
    r = claude(env).messages.count_tokens(model=CLAUDE, messages=[{"role": "user", "content": "hello there"}])
    assert r.input_tokens > 0
    assert env.upstream.last.path == "/v1/messages/count_tokens"
    assert env.rows() == []


def test_gemini_generate_and_both_stream_forms(env: Env) -> None:
    env.upstream.scenario(input_tokens=120, cached_tokens=20, reasoning_tokens=6, chunks=4)
    body = {
        "contents": [{"role": "user", "parts": [{"text": "hello"}]}],
        "generationConfig": {"maxOutputTokens": 64},
    }
    base = env.url + f"/gemini/v1beta/models/{GEMINI}"
    r = httpx.post(base + ":generateContent", json=body, headers={"x-goog-api-key": env.key})
    assert r.status_code == 200, r.text
    rec = env.upstream.last
    assert rec.headers["x-goog-api-key"] == PROVIDER_KEYS["gemini"]
    assert_exact(env, rec.usage, model=GEMINI, provider="gemini")
    # ?key= (how some Gemini clients send it) works too, and never reaches the provider
    r = httpx.post(base + ":streamGenerateContent?alt=sse&key=" + env.key, json=body)
    assert r.status_code == 200 and r.text.count("data:") >= 4
    assert env.upstream.last.query == {"alt": "sse"}
    assert_exact(env, env.upstream.last.usage, model=GEMINI, provider="gemini")
    r = httpx.post(base + ":streamGenerateContent", json=body, headers={"x-goog-api-key": env.key})
    assert isinstance(json.loads(r.content), list)
    assert_exact(env, env.upstream.last.usage, model=GEMINI, provider="gemini")
