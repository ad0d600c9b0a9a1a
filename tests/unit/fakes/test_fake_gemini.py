"""The fake speaks Gemini's REST format (v1beta), checked with raw httpx as a client would see it."""

from __future__ import annotations

import json

import httpx

from fakes.upstream import FakeUpstream, iter_sse
from tokenwallet.core.usage import Usage

BODY = {"contents": [{"role": "user", "parts": [{"text": "Tell me a joke about penguins"}]}]}  # 29 -> 7


def test_generate_content_usage_metadata(upstream: FakeUpstream) -> None:
    upstream.scenario(cached_tokens=2, reasoning_tokens=11, chunks=3)
    r = httpx.post(
        upstream.url + "/v1beta/models/gemini-2.5-flash:generateContent",
        json=BODY,
        headers={"x-goog-api-key": "AIza-upstream"},
    )
    assert r.status_code == 200
    d = r.json()
    assert d["candidates"][0]["content"]["parts"][0]["text"] == "tok tok tok "
    assert d["candidates"][0]["finishReason"] == "STOP"
    meta = d["usageMetadata"]
    assert meta["promptTokenCount"] == 7 and meta["cachedContentTokenCount"] == 2
    assert meta["candidatesTokenCount"] == 3 and meta["thoughtsTokenCount"] == 11
    assert meta["totalTokenCount"] == 21 and d["modelVersion"] == "gemini-2.5-flash"
    rec = upstream.last
    assert rec.headers["x-goog-api-key"] == "AIza-upstream" and rec.provider == "gemini"
    assert rec.usage == Usage(input_tokens=5, cache_read_tokens=2, output_tokens=14, reasoning_tokens=11)


def test_stream_generate_content_sse(upstream: FakeUpstream) -> None:
    upstream.scenario(chunks=4)
    url = upstream.url + "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse"
    with httpx.stream("POST", url, json=BODY) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = r.read()
    assert b"\r\n\r\n" in raw
    chunks = [json.loads(data) for _, data in iter_sse(raw)]
    assert len(chunks) == 5
    text = "".join(p.get("text", "") for c in chunks for p in c["candidates"][0]["content"]["parts"])
    assert text == "tok " * 4
    counts = [c["usageMetadata"].get("candidatesTokenCount", 0) for c in chunks]
    assert counts == [1, 2, 3, 4, 4]  # cumulative: the last chunk is the call's usage
    assert chunks[-1]["candidates"][0]["finishReason"] == "STOP"
    assert upstream.last.stream and upstream.last.query == {"alt": "sse"}


def test_stream_generate_content_json_array(upstream: FakeUpstream) -> None:
    r = httpx.post(upstream.url + "/v1beta/models/gemini-2.0-flash:streamGenerateContent", json=BODY)
    arr = r.json()
    assert isinstance(arr, list) and len(arr) == 6 and arr[-1]["usageMetadata"]["candidatesTokenCount"] == 5


def test_function_call_and_error_shape(upstream: FakeUpstream) -> None:
    tools = [
        {
            "functionDeclarations": [
                {"name": "find", "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}
            ]
        }
    ]
    r = httpx.post(upstream.url + "/v1beta/models/g:generateContent", json={**BODY, "tools": tools})
    assert r.json()["candidates"][0]["content"]["parts"][0]["functionCall"] == {
        "name": "find",
        "args": {"q": "x"},
    }
    upstream.once(error_status=429, error_message="quota")
    r = httpx.post(upstream.url + "/v1beta/models/g:generateContent", json=BODY)
    assert r.status_code == 429
    assert r.json() == {"error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}}
