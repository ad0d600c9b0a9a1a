"""Only the user's own machine and pages talk to the meter: Host, Origin, CORS, keys in URLs."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import anthropic
import httpx
import openai
import pytest

from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore

from .conftest import PROVIDER_KEYS, Env

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5}
LOCAL = ["/tokenwallet/health", "/tokenwallet/status", "/tokenwallet/events"]


def _get(env: Env, path: str, **headers: str) -> httpx.Response:
    return httpx.get(env.url + path, headers=headers, timeout=5)


def _raw(env: Env, request: bytes) -> bytes:
    """Send bytes as they are (no client fixes up the Host) and read the whole answer."""
    with socket.create_connection(("127.0.0.1", env.proxy.port), timeout=5) as s:
        s.sendall(request)
        out = b""
        while b"\r\n\r\n" not in out or len(out.split(b"\r\n\r\n", 1)[1]) < _length(out):
            data = s.recv(65536)
            if not data:
                break
            out += data
        return out


def _length(head: bytes) -> int:
    for line in head.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost", "LocalHost:{port}", "[::1]:8787", "[::1]", "127.0.0.2:1"]
)
def test_loopback_host_names_are_answered(env: Env, host: str) -> None:
    r = _get(env, "/tokenwallet/health", host=host.format(port=env.proxy.port))
    assert r.status_code == 200 and r.json()["status"] == "ok"


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.nip.io",
        "localhost.evil.example",
        "[::1",
        "127.0.0.1:x",
    ],
)
@pytest.mark.parametrize("path", LOCAL)
def test_a_rebinding_host_is_refused_on_every_local_route(env: Env, host: str, path: str) -> None:
    r = _get(env, path, host=host.format(port=env.proxy.port))
    assert r.status_code == 421
    assert r.json()["error"]["code"] == "host_not_allowed" and "allowed_hosts" in r.json()["error"]["message"]


def test_a_rebinding_host_is_refused_on_provider_routes_in_their_wire_format(env: Env) -> None:
    bad = {"Host": "evil.example"}
    with pytest.raises(openai.APIStatusError) as oe:
        env.openai().with_options(default_headers=bad).chat.completions.create(**CHAT)  # type: ignore[call-overload]
    assert oe.value.status_code == 421 and "Host: evil.example" in oe.value.message
    with pytest.raises(anthropic.APIStatusError) as ae:
        env.anthropic().with_options(default_headers=bad).messages.create(
            model="claude-haiku-4-5", max_tokens=5, messages=[{"role": "user", "content": "hi"}]
        )
    assert ae.value.status_code == 421
    assert ae.value.body["type"] == "error"  # type: ignore[index]  # Anthropic's error shape
    gem = httpx.post(
        env.url + "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
        headers={"host": "evil.example", "x-goog-api-key": env.key},
        json={"contents": [{"parts": [{"text": "hi"}]}]},
    )
    assert gem.status_code == 421 and gem.json()["error"]["status"] == "PERMISSION_DENIED"
    assert env.upstream.requests == [] and env.rows() == []


def test_a_request_without_host_is_refused(env: Env) -> None:
    out = _raw(env, b"GET /tokenwallet/status HTTP/1.0\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 421") and b"Host: none" in out


def test_allowed_hosts_adds_names(env: Env) -> None:
    assert _get(env, "/tokenwallet/health", host="tools.lan").status_code == 421
    env.wallet.set_setting("allowed_hosts", "tools.lan, box:9000")
    env.proxy.refresh()
    assert _get(env, "/tokenwallet/health", host="tools.lan:8787").status_code == 200
    assert _get(env, "/tokenwallet/health", host="box:9000").status_code == 200
    assert _get(env, "/tokenwallet/health", host="box:9001").status_code == 421  # given with its port


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "null", "http://localhost.evil.example", "file://"]
)
def test_a_foreign_page_is_refused_everywhere(env: Env, origin: str) -> None:
    for path in LOCAL:
        r = _get(env, path, origin=origin)
        assert r.status_code == 403 and r.json()["error"]["code"] == "origin_not_allowed", path
        assert "access-control-allow-origin" not in r.headers
    r = httpx.post(
        env.url + "/tokenwallet/preview",
        headers={"origin": origin},
        json={"provider": "openai", "body": CHAT},
    )
    assert r.status_code == 403
    # a "simple" cross-site POST (text/plain, no preflight) with a key it found somewhere
    r = httpx.post(
        env.url + "/openai/v1/chat/completions",
        headers={"origin": origin, "content-type": "text/plain", "authorization": "Bearer " + env.key},
        content=httpx.Request("POST", "http://x", json=CHAT).content,
    )
    assert r.status_code == 403 and r.json()["error"]["type"] == "permission_error"
    assert env.upstream.requests == [] and env.rows() == []


def test_pages_on_this_machine_and_allowed_origins_get_cors_headers(env: Env) -> None:
    r = _get(env, "/tokenwallet/status", origin="http://localhost:5173")
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "http://localhost:5173"
    r = httpx.post(
        env.url + "/openai/v1/chat/completions",
        headers={"origin": "http://127.0.0.1:3000", "authorization": "Bearer " + env.key},
        json=CHAT,
    )
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"
    assert r.headers["access-control-expose-headers"] == "*" and "x-tokenwallet-call-id" in r.headers
    assert _get(env, "/tokenwallet/health", origin="https://app.example").status_code == 403
    env.wallet.set_setting("allowed_origins", "https://app.example")
    env.proxy.refresh()
    r = _get(env, "/tokenwallet/health", origin="https://app.example")
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://app.example"


def test_preflights(env: Env) -> None:
    ask = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, x-stainless-os",
        "access-control-request-private-network": "true",
    }
    url = env.url + "/openai/v1/chat/completions"
    r = httpx.options(url, headers={"origin": "http://localhost:8080", **ask})
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "http://localhost:8080"
    assert "POST" in r.headers["access-control-allow-methods"]
    assert r.headers["access-control-allow-headers"] == "authorization, content-type, x-stainless-os"
    assert r.headers["access-control-allow-private-network"] == "true"
    r = httpx.options(env.url + "/tokenwallet/preview", headers={"origin": "http://localhost:8080", **ask})
    assert r.status_code == 204
    for headers in ({"origin": "https://evil.example", **ask}, ask):
        r = httpx.options(url, headers=headers)
        assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    assert env.upstream.requests == []


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/openai/v1/chat/completions", CHAT),
        (
            "/anthropic/v1/messages",
            {"model": "claude-haiku-4-5", "max_tokens": 5, "messages": CHAT["messages"]},
        ),
        (
            "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
            {"contents": [{"parts": [{"text": "hi"}]}]},
        ),
        ("/openai/v1/models", None),
    ],
)
def test_a_wallet_key_in_the_url_never_goes_upstream(env: Env, path: str, body: object) -> None:
    query = f"?key={env.key}&k%65y={env.key}&alt=json"
    r = httpx.request("GET" if body is None else "POST", env.url + path + query, json=body)
    assert r.status_code == 200, r.text
    rec = env.upstream.last
    assert rec.query == {"alt": "json"}
    assert env.key not in str(rec.headers) and env.key not in rec.raw.decode()


@pytest.fixture
def locked(env: Env) -> Iterator[ProxyServer]:
    """A second proxy on the same wallet with the --allow-remote rules (a key on every route)."""
    proxy = ProxyServer(env.path, port=0, keystore=MemoryKeyStore(PROVIDER_KEYS), require_key=True)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop(timeout=5)


def test_off_loopback_every_route_needs_a_wallet_key(env: Env, locked: ProxyServer) -> None:
    for path in [*LOCAL[:2], "/tokenwallet/preview"]:
        method = "POST" if path.endswith("preview") else "GET"
        r = httpx.request(method, locked.url + path, json={"provider": "openai", "body": CHAT})
        assert r.status_code == 401 and r.json()["error"]["code"] == "wallet_key_required", path
        r = httpx.request(method, locked.url + path, headers={"authorization": "Bearer tw-not-a-key"})
        assert r.status_code == 401, path
    r = httpx.get(locked.url + "/tokenwallet/health", headers={"authorization": "Bearer " + env.key})
    assert r.status_code == 200
    r = httpx.get(locked.url + f"/tokenwallet/status?key={env.key}")
    assert r.status_code == 200
    # a provider's own key is not enough, even with pass-through metering switched on
    env.wallet.set_setting("passthrough_profile", "alice")
    locked.refresh()
    client = openai.OpenAI(base_url=locked.url + "/openai/v1", api_key="sk-real-openai", max_retries=0)
    with pytest.raises(openai.AuthenticationError, match="wallet key"):
        client.chat.completions.create(**CHAT)  # type: ignore[call-overload]
    client = openai.OpenAI(base_url=locked.url + "/openai/v1", api_key=env.key, max_retries=0)
    assert client.chat.completions.create(**CHAT).choices  # type: ignore[call-overload]
    # the Host and Origin rules still apply
    r = httpx.get(locked.url + "/tokenwallet/health", headers={"host": "evil.example", "x-api-key": env.key})
    assert r.status_code == 421
