"""/tokenwallet/health, status, preview, events; project tagging; prompt storage opt-in."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from tokenwallet.core.events import from_json
from tokenwallet.core.money import Amount, nano_to_usd
from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet.types import Scope

from .conftest import Env

BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello"}], "max_tokens": 20}


def call(env: Env, **headers: str) -> httpx.Response:
    return httpx.post(
        env.url + "/openai/v1/chat/completions",
        json=BODY,
        headers={"authorization": "Bearer " + env.key, **headers},
    )


def test_health_status_preview(env: Env) -> None:
    h = httpx.get(env.url + "/tokenwallet/health").json()
    assert h["status"] == "ok" and h["paused"] is False
    env.wallet.set_budget(Scope("profile", "alice"), Amount("usd", 5_000_000_000), action="block")
    r = call(env)
    cost = env.last_row().cost_nano
    left = nano_to_usd(5_000_000_000 - cost).normalize()
    assert r.headers["x-tokenwallet-remaining"] == f"{left:f} USD; envelope=profile:alice (month)"
    st = httpx.get(env.url + "/tokenwallet/status").json()
    (e,) = st["envelopes"]
    assert (
        e["envelope"] == "profile:alice (month)" and e["spent"] == env.last_row().cost_nano and e["held"] == 0
    )
    p = httpx.post(env.url + "/tokenwallet/preview", json={"provider": "openai", "body": BODY}).json()
    assert p["input_tokens"] > 0 and p["exact"] and p["max_output_tokens"] == 20 and p["worst_case_nano"] > 0
    assert (
        httpx.post(env.url + "/tokenwallet/preview", json={"provider": "nope", "body": BODY}).status_code
        == 404
    )


def test_events_stream_follows_calls(env: Env) -> None:
    got: list[dict[str, object]] = []
    ready = threading.Event()

    def follow() -> None:
        with httpx.stream("GET", env.url + "/tokenwallet/events", timeout=10) as r:
            for line in r.iter_lines():
                ready.set()
                if line.startswith("data:"):
                    got.append(json.loads(line[5:]))
                    if got[-1]["kind"] == "call_settled":
                        return

    t = threading.Thread(target=follow, daemon=True)
    t.start()
    assert ready.wait(5)
    call(env)
    t.join(5)
    kinds = [d["kind"] for d in got]
    assert kinds[:1] == ["call_started"] and kinds[-1] == "call_settled"
    settled = from_json(got[-1])
    assert settled.cost_nano == env.last_row().cost_nano  # type: ignore[attr-defined]


def test_project_header_and_prompt_storage(env: Env) -> None:
    env.wallet.add_project("acme")
    r = call(env, **{"x-tokenwallet-project": "acme"})
    assert r.status_code == 200
    row = env.last_row()
    assert row.project == "acme" and row.prompt_text is None  # prompts are not kept by default
    assert "x-tokenwallet-project" not in env.upstream.last.headers
    assert call(env, **{"x-tokenwallet-project": "nobody"}).status_code == 400
    env.wallet.set_setting("store_prompts", True, profile="alice")
    env.proxy.app.meter.refresh(force=True)  # type: ignore[union-attr]
    call(env)
    assert "hello" in (env.last_row().prompt_text or "")


def test_remote_bind_needs_the_flag_and_keys(env: Env) -> None:
    with pytest.raises(ValueError, match="allow-remote"):
        ProxyServer(env.path, host="0.0.0.0", port=0)
    remote = ProxyServer(env.path, host="0.0.0.0", port=0, allow_remote=True, keystore=MemoryKeyStore({}))
    remote.start()
    try:
        base = f"http://127.0.0.1:{remote.port}"
        assert httpx.get(base + "/tokenwallet/status").status_code == 401
        assert (
            httpx.get(
                base + "/tokenwallet/status", headers={"authorization": "Bearer " + env.key}
            ).status_code
            == 200
        )
        assert httpx.post(base + "/openai/v1/chat/completions", json=BODY).status_code == 401
    finally:
        remote.stop()
