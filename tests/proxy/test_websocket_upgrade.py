"""WebSocket upgrades get 426 from the meter at once and nothing reaches the provider (issue 8).

The handshakes are sent over raw sockets, byte for byte as the clients send them, because an HTTP
client library would not send an upgrade; the real Codex CLI is in test_codex_cli.py.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fakes.upstream import FakeUpstream
from tokenwallet.proxy.upgrade import CODE
from tokenwallet.wallet import Wallet

from .conftest import PROVIDER_KEYS, Env, configure

ROOT = Path(__file__).resolve().parents[2]


def handshake(env: Env, path: str, *, method: str = "GET", extra: dict[str, str] | None = None) -> bytes:
    return raw_handshake(env.url, env.key, path, method=method, extra=extra)


def raw_handshake(
    url: str, key: str, path: str, *, method: str = "GET", extra: dict[str, str] | None = None
) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    headers = {
        "Host": f"{host}:{port}",
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
        "Authorization": f"Bearer {key}",
        **(extra or {}),
    }
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(head.encode() + b"\r\n")
        answer = b""
        while chunk := sock.recv(65536):  # the meter closes the connection after its answer
            answer += chunk
    return answer


def parse(answer: bytes) -> tuple[int, dict[str, str], Any]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, json.loads(body)


# (path, what the caller speaks): Codex's Responses WebSocket, Realtime, Gemini Live, an
# Anthropic route, an OpenAI-compatible preset, and the wallet's own API.
CASES = [
    ("/openai/v1/responses", "openai"),
    ("/openai/v1/realtime?model=gpt-4o-realtime-preview", "openai"),
    ("/gemini/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", "gemini"),
    ("/anthropic/v1/messages", "anthropic"),
    ("/openrouter/api/v1/responses", "openai"),
    ("/tokenwallet/events", "openai"),
]


@pytest.mark.parametrize(("path", "wire"), CASES)
def test_upgrade_is_refused_with_426_and_never_forwarded(env: Env, path: str, wire: str) -> None:
    status, headers, body = parse(handshake(env, path))
    assert status == 426
    assert headers["connection"] == "close"
    assert headers["content-type"] == "application/json"
    if wire == "anthropic":
        assert body["type"] == "error"
        message = body["error"]["message"]
    elif wire == "gemini":
        assert body["error"]["code"] == 426
        message = body["error"]["message"]
    else:
        assert body["error"]["code"] == CODE
        message = body["error"]["message"]
    assert "does not meter the WebSocket transport" in message and "HTTP" in message
    assert path.partition("?")[0] in message
    assert env.key not in message
    assert env.upstream.requests == []
    assert env.rows() == [] and env.holds() == []


def test_every_spelling_of_an_upgrade_is_refused(env: Env) -> None:
    """No wallet key, a POST to a metered path, odd casing, Upgrade without Connection: all 426."""
    variants: list[tuple[str, dict[str, str]]] = [
        ("GET", {"Authorization": "Bearer tw-not-a-key"}),
        ("POST", {"Content-Length": "2"}),
        ("GET", {"Upgrade": "WebSocket", "Connection": "keep-alive, Upgrade"}),
        ("GET", {"Connection": "keep-alive"}),
    ]
    for method, extra in variants:
        path = "/openai/v1/chat/completions" if method == "POST" else "/openai/v1/responses"
        status, _, body = parse(handshake(env, path, method=method, extra=extra))
        assert status == 426, (method, extra)
        assert body["error"]["code"] == CODE
    assert env.upstream.requests == []
    assert env.rows() == [] and env.holds() == []


def test_a_websocket_scope_is_refused_too(env: Env) -> None:
    """Under a server with a WebSocket library the handshake arrives as a "websocket" scope: the
    same 426 through the websocket.http.response extension, or a close before accept (a 403)."""
    app = env.proxy.app
    loop = env.proxy.loop
    assert app is not None and loop is not None

    async def call(extensions: dict[str, Any]) -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = []
        scope = {
            "type": "websocket",
            "path": "/openai/v1/realtime",
            "raw_path": b"/openai/v1/realtime",
            "query_string": b"model=gpt-4o-realtime-preview",
            "headers": [(b"authorization", f"Bearer {env.key}".encode())],
            "extensions": extensions,
        }

        async def receive() -> dict[str, Any]:
            return {"type": "websocket.connect"}

        async def send(message: Any) -> None:
            sent.append(dict(message))

        await app(scope, receive, send)
        return sent

    # On the proxy's own loop, where its meter lives.
    sent = asyncio.run_coroutine_threadsafe(call({"websocket.http.response": {}}), loop).result(5)
    assert [m["type"] for m in sent] == ["websocket.http.response.start", "websocket.http.response.body"]
    assert sent[0]["status"] == 426
    assert json.loads(sent[1]["body"])["error"]["code"] == CODE
    sent = asyncio.run_coroutine_threadsafe(call({}), loop).result(5)
    assert [m["type"] for m in sent] == ["websocket.close"]
    assert env.upstream.requests == []


def test_plain_requests_still_pass(env: Env) -> None:
    """The check looks for the websocket upgrade only: an ordinary call is metered as before."""
    reply = env.openai().responses.create(model="gpt-4o-mini", input="hi")
    assert reply.usage is not None
    assert len(env.upstream.requests) == 1
    assert env.last_row().cost_nano > 0


def test_the_serving_log_does_not_advise_installing_websockets(
    tmp_path: Path, upstream: FakeUpstream
) -> None:
    """uvicorn warns "No supported WebSocket library detected, pip install …" on each upgrade it
    does not handle; the meter answers those on purpose, so `tokenwallet serve` must not say so."""
    upstream.reset()
    with Wallet.open(tmp_path / "wallet.db") as w:
        key = configure(w, upstream)
    env = {**os.environ, "TW_TEST_KEYS": json.dumps(PROVIDER_KEYS), "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.proxy.runner", str(tmp_path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        assert ready.startswith("READY"), ready
        url = f"http://127.0.0.1:{ready.split()[1]}"
        status, _, _ = parse(raw_handshake(url, key, "/openai/v1/responses"))
        assert status == 426
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "WebSocket library" not in err and "Unsupported upgrade" not in err, err
    assert upstream.requests == []
