"""Usage normalisation and SSE splitting, without a server."""

from __future__ import annotations

import json

from tokenwallet.core.usage import Usage
from tokenwallet.proxy.errors import error_body
from tokenwallet.proxy.routes import resolve, split_provider
from tokenwallet.proxy.sse import SSESplitter
from tokenwallet.proxy.stream_usage import StreamMeter
from tokenwallet.proxy.usage import (
    anthropic_usage,
    gemini_usage,
    openai_usage,
    provider_cost_nano,
    responses_usage,
)


def test_openai_cached_tokens_are_inside_prompt_tokens() -> None:
    u = openai_usage(
        {
            "prompt_tokens": 100,
            "completion_tokens": 30,
            "prompt_tokens_details": {"cached_tokens": 40},
            "completion_tokens_details": {"reasoning_tokens": 12},
        }
    )
    assert u == Usage(input_tokens=60, cache_read_tokens=40, output_tokens=30, reasoning_tokens=12)


def test_deepseek_cache_hits_and_openrouter_cost() -> None:
    u = openai_usage({"prompt_tokens": 50, "completion_tokens": 5, "prompt_cache_hit_tokens": 20})
    assert u == Usage(input_tokens=30, cache_read_tokens=20, output_tokens=5)
    assert provider_cost_nano({"cost": 0.0012}) == 1_200_000
    assert provider_cost_nano({"cost": None}) is None


def test_responses_anthropic_gemini() -> None:
    assert responses_usage(
        {
            "input_tokens": 10,
            "input_tokens_details": {"cached_tokens": 4},
            "output_tokens": 7,
            "output_tokens_details": {"reasoning_tokens": 3},
        }
    ) == Usage(6, 4, 0, 0, 7, 3)
    assert anthropic_usage(
        {
            "input_tokens": 5,
            "cache_read_input_tokens": 100,
            "cache_creation_input_tokens": 30,
            "cache_creation": {"ephemeral_5m_input_tokens": 10, "ephemeral_1h_input_tokens": 20},
            "output_tokens": 9,
        }
    ) == Usage(5, 100, 10, 20, 9, 0)
    assert gemini_usage(
        {
            "promptTokenCount": 50,
            "cachedContentTokenCount": 20,
            "candidatesTokenCount": 8,
            "thoughtsTokenCount": 4,
        }
    ) == Usage(30, 20, 0, 0, 12, 4)


def test_sse_splitter_handles_split_events_and_crlf() -> None:
    s = SSESplitter()
    assert s.feed(b'event: a\ndata: {"x"') == []
    evs = s.feed(b":1}\n\ndata: [DONE]\r\n\r\n")
    assert [(e.name, e.data) for e in evs] == [(b"a", b'{"x":1}'), (b"", b"[DONE]")]
    assert s.pending == b""


def _chunk(obj: dict[str, object]) -> bytes:
    return b"data: " + json.dumps(obj, separators=(",", ":")).encode() + b"\n\n"


def test_chat_stream_strips_only_what_the_proxy_added() -> None:
    meter = StreamMeter("chat", strip_usage=True)
    s = SSESplitter()
    body = (
        _chunk({"choices": [{"delta": {"content": "hi"}}], "usage": None})
        + _chunk({"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 1}})
        + b"data: [DONE]\n\n"
    )
    out = b"".join(b for b in map(meter.feed, s.feed(body)) if b is not None)
    assert out == _chunk({"choices": [{"delta": {"content": "hi"}}]}) + b"data: [DONE]\n\n"
    assert meter.usage() == Usage(input_tokens=3, output_tokens=1)
    assert meter.text() == "hi"


def test_anthropic_stream_usage_is_cumulative() -> None:
    meter = StreamMeter("anthropic")
    s = SSESplitter()
    raw = (
        b'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":11,'
        b'"cache_read_input_tokens":5,"output_tokens":1}}}\n\n'
        b'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta",'
        b'"text":"yo"}}\n\n'
        b'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":7}}\n\n'
    )
    for ev in s.feed(raw):
        meter.feed(ev)
    assert meter.usage() == Usage(input_tokens=11, cache_read_tokens=5, output_tokens=7)
    assert meter.text() == "yo"


def test_routes_and_error_shapes() -> None:
    assert split_provider("/openai/v1/chat/completions") == ("openai", "/v1/chat/completions")
    r = resolve("openai", "openai", "/v1/chat/completions", "POST")
    assert (r.upstream_path, r.endpoint, r.api) == ("/chat/completions", "chat/completions", "chat")
    assert not resolve("openai", "openai", "/v1/models", "GET").metered
    assert not resolve("anthropic", "anthropic", "/v1/messages/count_tokens", "POST").metered
    g = resolve("gemini", "gemini", "/v1beta/models/gemini-2.5-flash:streamGenerateContent", "POST")
    assert (g.path_model, g.stream_path, g.endpoint) == ("gemini-2.5-flash", True, "generateContent")
    assert json.loads(error_body("anthropic", 402, "m", "c")) == {
        "type": "error",
        "error": {"type": "billing_error", "message": "m"},
    }
    assert json.loads(error_body("gemini", 402, "m", "c"))["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert json.loads(error_body("openai", 402, "m", "c"))["error"]["code"] == "c"
