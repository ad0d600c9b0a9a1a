"""Bounded local work: body caps, big bodies off the loop, slow headers, too many connections,
and a client that hangs up while the provider is still thinking."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import openai
import pytest

from tokenwallet import tokens
from tokenwallet.core.events import CallStarted
from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore

from .conftest import PROVIDER_KEYS, Env

MODEL = "gpt-4o-mini"


def _chat(text: str, **extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "messages": [{"role": "user", "content": text}], "max_tokens": 5, **extra}


@pytest.fixture
def start_proxy(env: Env) -> Iterator[Callable[..., ProxyServer]]:
    """Start another proxy on the env's wallet with other server parameters."""
    started: list[ProxyServer] = []

    def start(**kw: Any) -> ProxyServer:
        proxy = ProxyServer(env.path, port=0, keystore=MemoryKeyStore(PROVIDER_KEYS), **kw)
        proxy.start()
        started.append(proxy)
        return proxy

    try:
        yield start
    finally:
        for p in started:
            p.stop(timeout=5)


@pytest.fixture
def counting_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of the thread each request count ran in."""
    seen: list[str] = []
    real = tokens.count_request

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(tokens, "count_request", spy)
    return seen


def test_local_endpoints_have_a_body_cap(env: Env) -> None:
    url = env.url + "/tokenwallet/preview"
    r = httpx.post(url, content=b"x" * (5 * 1024 * 1024))  # default cap: 4 MiB
    assert r.status_code == 413 and "max_local_body_bytes" in r.json()["error"]["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap is counted as the body arrives
        for _ in range(80):
            yield b"y" * 65536

    r = httpx.post(url, content=chunks())
    assert r.status_code == 413
    env.wallet.set_setting("max_local_body_bytes", 1000)
    env.proxy.refresh()
    r = httpx.post(url, json={"provider": "openai", "body": _chat("x" * 2000)})
    assert r.status_code == 413
    r = httpx.post(url, json={"provider": "openai", "body": _chat("small")})
    assert r.status_code == 200 and r.json()["input_tokens"] > 0
    assert _health(env).status_code == 200  # the server is fine


def _health(env: Env) -> httpx.Response:
    return httpx.get(env.url + "/tokenwallet/health")


def test_a_big_preview_is_counted_off_the_event_loop(env: Env, counting_threads: list[str]) -> None:
    body = _chat("lorem ipsum dolor sit amet " * 20_000)  # ~540 KB
    expected = tokens.count_request("openai", "chat/completions", body).tokens
    counting_threads.clear()
    r = httpx.post(env.url + "/tokenwallet/preview", json={"provider": "openai", "body": body})
    assert r.status_code == 200 and r.json()["input_tokens"] == expected
    small = httpx.post(env.url + "/tokenwallet/preview", json={"provider": "openai", "body": _chat("hi")})
    assert small.status_code == 200
    assert counting_threads[0] != "tokenwallet-proxy"  # a worker thread, not the proxy's loop
    assert counting_threads[1] == "tokenwallet-proxy"  # small ones stay inline (cheaper)


def test_a_big_metered_call_is_counted_off_the_event_loop(env: Env, counting_threads: list[str]) -> None:
    body = _chat("lorem ipsum dolor sit amet " * 20_000)
    expected = tokens.count_request("openai", "chat/completions", body).tokens
    counting_threads.clear()
    reply = env.openai().chat.completions.create(**body)
    row = env.last_row()
    assert reply.usage is not None and row.status == 200
    (thread,) = counting_threads
    assert thread != "tokenwallet-proxy"
    (started,) = [e for e in env.events if isinstance(e, CallStarted)]
    assert started.input_tokens == expected


def _read_all(s: socket.socket) -> bytes:
    out = b""
    while data := s.recv(65536):
        out += data
    return out


def test_half_sent_headers_are_dropped(start_proxy: Callable[..., ProxyServer]) -> None:
    proxy = start_proxy(header_timeout=0.5)
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as slow:
        slow.sendall(b"GET /tokenwallet/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        out = _read_all(slow)  # returns once the proxy closes the connection
    assert out.startswith(b"HTTP/1.1 408") and b"came too late" in out
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as idle:
        assert _read_all(idle).startswith(b"HTTP/1.1 408")  # connected, never sent a byte
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as keep:
        # a whole request is answered; the next one on the same connection gets its own timer
        keep.sendall(b"GET /tokenwallet/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = keep.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        keep.sendall(b"GET /tokenwallet/health HTTP/1.1\r\nHo")
        assert _read_all(keep).startswith(b"HTTP/1.1 408")
    assert httpx.get(proxy.url + "/tokenwallet/health").status_code == 200


def test_a_body_that_takes_its_time_is_not_cut_by_the_header_timeout(
    env: Env, start_proxy: Callable[..., ProxyServer]
) -> None:
    proxy = start_proxy(header_timeout=0.3)
    body = json.dumps({"provider": "openai", "body": _chat("hello")}).encode()
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as s:
        s.sendall(
            b"POST /tokenwallet/preview HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
        )
        time.sleep(0.6)  # past the header timeout: the headers were complete, so no 408
        s.sendall(body)
        assert _read_all(s).startswith(b"HTTP/1.1 200")


def test_connections_are_capped(start_proxy: Callable[..., ProxyServer]) -> None:
    proxy = start_proxy(max_connections=3, header_timeout=30)
    idle = [socket.create_connection(("127.0.0.1", proxy.port), timeout=10) for _ in range(3)]
    try:
        _wait_connections(proxy, 3)
        assert httpx.get(proxy.url + "/tokenwallet/health").status_code == 503  # a fourth
        idle.pop().close()
        _wait_connections(proxy, 2)
        assert httpx.get(proxy.url + "/tokenwallet/health").status_code == 200  # a third
    finally:
        for s in idle:
            s.close()
    _wait_connections(proxy, 0)
    assert httpx.get(proxy.url + "/tokenwallet/health").status_code == 200


def _wait_connections(proxy: ProxyServer, n: int) -> None:
    server = proxy._server
    assert server is not None
    deadline = time.monotonic() + 5
    while len(server.server_state.connections) != n:
        assert time.monotonic() < deadline, len(server.server_state.connections)
        time.sleep(0.01)


@pytest.mark.parametrize("stream", [False, True])
def test_a_client_that_leaves_cancels_the_upstream_request_and_settles_at_once(
    env: Env, stream: bool
) -> None:
    env.upstream.once(hang=True)  # the provider thinks, and thinks
    body = json.dumps(_chat("a hard question", stream=stream)).encode()
    with socket.create_connection(("127.0.0.1", env.proxy.port), timeout=10) as s:
        s.sendall(
            b"POST /openai/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (env.key.encode(), len(body), body)
        )
        (rec,) = env.upstream.wait_for(1)
    # the socket is closed: the proxy hangs up on the provider and settles, long before its
    # upstream timeout (1.5 s here, 600 s by default) would have
    deadline = time.monotonic() + 5
    while not rec.cancelled:
        assert time.monotonic() < deadline, "the fake upstream never saw the request cancelled"
        time.sleep(0.01)
    row = env.last_row()
    assert row.status == 499 and row.estimated and row.error == "client disconnected before the answer"
    assert row.usage.input_tokens > 0 and row.usage.output_tokens == 0
    assert row.cost_nano == env.expected_cost("openai", MODEL, row.usage)
    assert env.holds() == []
    assert _health(env).status_code == 200


def test_an_answer_after_a_slow_provider_still_arrives(env: Env) -> None:
    env.upstream.once(latency=0.3)  # the watch for a leaving client must not cut a patient one
    reply = env.openai().chat.completions.create(**_chat("hello"))
    assert reply.choices[0].message.content
    assert env.last_row().status == 200


def test_openai_sdk_timeout_settles_as_499(env: Env) -> None:
    env.upstream.once(hang=True)
    client = openai.OpenAI(base_url=env.url + "/openai/v1", api_key=env.key, max_retries=0, timeout=0.3)
    env.clients.append(client)
    with pytest.raises(openai.APITimeoutError):
        client.chat.completions.create(**_chat("hello"))
    row = env.last_row()
    assert row.status == 499
