"""The control channel: errors in each provider's shape, hangs, cuts, latency, headers, recording."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, TypeVar

import anthropic
import httpx
import openai
import pytest
from anthropic.types import MessageParam
from openai.types.chat import ChatCompletionMessageParam

from fakes.upstream import FakeUpstream, iter_sse

MSG: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hello"}]
AMSG: list[MessageParam] = [{"role": "user", "content": "hello"}]


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


def oai(fake: FakeUpstream, timeout: float = 10.0) -> openai.OpenAI:
    return keep(openai.OpenAI(base_url=fake.openai_base_url, api_key="k", max_retries=0, timeout=timeout))


@pytest.mark.parametrize(
    ("status", "exc"),
    [(400, openai.BadRequestError), (429, openai.RateLimitError), (503, openai.InternalServerError)],
)
def test_openai_errors(upstream: FakeUpstream, status: int, exc: type[openai.APIStatusError]) -> None:
    upstream.once(error_status=status, error_message="nope")
    with pytest.raises(exc) as info:
        oai(upstream).chat.completions.create(model="m", messages=MSG)
    assert isinstance(info.value.body, dict) and info.value.body["message"] == "nope"
    assert upstream.last.status == status
    oai(upstream).chat.completions.create(model="m", messages=MSG)  # once: next is fine


def test_anthropic_errors_and_in_stream_error(upstream: FakeUpstream) -> None:
    c = keep(anthropic.Anthropic(base_url=upstream.url, api_key="k", max_retries=0))
    upstream.once(error_status=529, error_message="Overloaded")
    with pytest.raises(anthropic.APIStatusError) as info:
        c.messages.create(model="c", max_tokens=5, messages=AMSG)
    body = info.value.body
    assert (
        info.value.status_code == 529
        and isinstance(body, dict)
        and body["error"]["type"] == "overloaded_error"
    )
    upstream.once(error_after=2)
    with (
        pytest.raises(anthropic.APIStatusError),
        c.messages.stream(model="c", max_tokens=5, messages=AMSG) as s,
    ):
        s.get_final_message()
    assert upstream.last.chunks_sent == 2 and upstream.last.usage is None


def test_header_knobs_override_scenario(upstream: FakeUpstream) -> None:
    r = httpx.post(
        upstream.openai_base_url + "/chat/completions",
        json={"model": "m", "messages": MSG},
        headers={"x-fake-cached-tokens": "1", "x-fake-output-tokens": "42", "x-fake-input-tokens": "9"},
    )
    u = r.json()["usage"]
    assert (u["prompt_tokens"], u["completion_tokens"], u["prompt_tokens_details"]["cached_tokens"]) == (
        9,
        42,
        1,
    )


def test_latency_and_chunk_delay(upstream: FakeUpstream) -> None:
    upstream.scenario(latency=0.15)
    t = time.perf_counter()
    oai(upstream).chat.completions.create(model="m", messages=MSG)
    assert time.perf_counter() - t >= 0.15
    upstream.scenario(chunks=4, chunk_delay=0.05)
    t = time.perf_counter()
    list(oai(upstream).chat.completions.create(model="m", messages=MSG, stream=True))
    assert time.perf_counter() - t >= 0.15


def test_cut_stream_drops_connection_without_usage(upstream: FakeUpstream) -> None:
    upstream.scenario(cut_after=3, chunks=10)
    with pytest.raises(openai.APIConnectionError):
        list(
            oai(upstream).chat.completions.create(
                model="m",
                messages=MSG,
                stream=True,
                stream_options={"include_usage": True},
            )
        )
    rec = upstream.last
    assert rec.chunks_sent == 3 and rec.usage is None and not rec.finished


def test_hang_times_out_client(upstream: FakeUpstream) -> None:
    upstream.once(hang=True)
    with pytest.raises(openai.APITimeoutError):
        oai(upstream, timeout=0.3).chat.completions.create(model="m", messages=MSG)
    upstream.once(hang_after=2)
    got = []
    with (
        pytest.raises(httpx.ReadTimeout),
        httpx.stream(
            "POST",
            upstream.openai_base_url + "/chat/completions",
            json={"model": "m", "messages": MSG, "stream": True},
            timeout=1.0,  # generous: the two chunks must arrive even on a busy machine
        ) as r,
    ):
        for line in r.iter_lines():
            got.append(line)
    assert sum(1 for line in got if '"tok "' in line) == 2


def test_no_usage(upstream: FakeUpstream) -> None:
    upstream.scenario(no_usage=True)
    r = oai(upstream).chat.completions.create(model="m", messages=MSG)
    assert r.usage is None and upstream.last.usage is None
    raw = httpx.post(
        upstream.openai_base_url + "/chat/completions",
        json={"model": "m", "messages": MSG, "stream": True, "stream_options": {"include_usage": True}},
    ).content
    frames = [d for _, d in iter_sse(raw)]
    assert frames[-1] == "[DONE]" and '"usage":{' not in raw.decode()


def test_api_key_check_and_unknown_route(upstream: FakeUpstream) -> None:
    with FakeUpstream(api_key="sk-real") as strict:
        with pytest.raises(openai.AuthenticationError):
            oai(strict).chat.completions.create(model="m", messages=MSG)
        ok = keep(openai.OpenAI(base_url=strict.openai_base_url, api_key="sk-real", max_retries=0))
        assert ok.chat.completions.create(model="m", messages=MSG).id
        r = httpx.post(strict.url + "/v1/messages", json={}, headers={"x-api-key": "bad"})
        assert r.status_code == 401 and r.json()["error"]["type"] == "authentication_error"
    r = httpx.get(upstream.url + "/nowhere")
    assert r.status_code == 404 and "error" in r.json()
    r = httpx.post(upstream.openai_base_url + "/chat/completions", content=b"{not json")
    assert r.status_code == 400 and upstream.last.body is None and upstream.last.raw == b"{not json"


def test_records_in_order_and_wait_for(upstream: FakeUpstream) -> None:
    for i in range(3):
        httpx.post(upstream.url + "/v1/messages", json={"model": f"c{i}", "max_tokens": 1, "messages": MSG})
    recs = upstream.wait_for(3, finished=True)
    assert [r.json["model"] for r in recs] == ["c0", "c1", "c2"]
    upstream.reset()
    assert upstream.requests == []
