"""The meter keeps the provider's id of every answer (issue 11), so an agent's own log of the same
request (``tokenwallet import``) is recognised and not counted twice.

Whole answers and streams, through the official SDKs where one exists, for each wire format.
"""

from __future__ import annotations

import json

import httpx

from .conftest import Env

MODEL = "gpt-4o-mini"
CLAUDE = "claude-haiku-4-5"
GEMINI = "gemini-2.5-flash"


def test_openai_chat_and_responses_ids(env: Env) -> None:
    env.upstream.scenario(input_tokens=100, chunks=3)
    c = env.openai()
    r = c.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=20)
    assert r.id.startswith("chatcmpl-") and env.last_row().response_id == r.id
    stream = c.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=20, stream=True
    )
    ids = {chunk.id for chunk in stream}
    assert len(ids) == 1 and env.last_row().response_id == ids.pop()

    resp = c.responses.create(model=MODEL, input="hi", max_output_tokens=20)
    assert resp.id.startswith("resp_") and env.last_row().response_id == resp.id
    with c.responses.stream(model=MODEL, input="hi", max_output_tokens=20) as s:
        final = s.get_final_response()
    assert env.last_row().response_id == final.id


def test_anthropic_message_ids(env: Env) -> None:
    env.upstream.scenario(input_tokens=80, cached_tokens=20, chunks=4)
    c = env.anthropic()
    m = c.messages.create(model=CLAUDE, max_tokens=50, messages=[{"role": "user", "content": "hi"}])
    assert m.id.startswith("msg_") and env.last_row().response_id == m.id
    with c.messages.stream(model=CLAUDE, max_tokens=50, messages=[{"role": "user", "content": "hi"}]) as s:
        final = s.get_final_message()
    row = env.last_row()
    assert row.response_id == final.id and row.source == "meter"


def test_gemini_response_ids(env: Env) -> None:
    env.upstream.scenario(input_tokens=60, chunks=3)
    body = {"contents": [{"role": "user", "parts": [{"text": "hello"}]}]}
    base = env.url + f"/gemini/v1beta/models/{GEMINI}"
    headers = {"x-goog-api-key": env.key}
    r = httpx.post(base + ":generateContent", json=body, headers=headers)
    assert env.last_row().response_id == r.json()["responseId"] != ""
    r = httpx.post(base + ":streamGenerateContent?alt=sse", json=body, headers=headers)
    first = json.loads(r.text.split("data: ", 2)[1].split("\n", 1)[0])
    assert env.last_row().response_id == first["responseId"]
    r = httpx.post(base + ":streamGenerateContent", json=body, headers=headers)
    assert env.last_row().response_id == json.loads(r.content)[0]["responseId"]


def test_a_stream_without_usage_still_keeps_its_id(env: Env) -> None:
    env.upstream.scenario(input_tokens=30, chunks=3, no_usage=True)
    stream = env.openai().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=20, stream=True
    )
    ids = {chunk.id for chunk in stream}
    row = env.last_row()
    assert row.estimated and row.response_id == ids.pop()
