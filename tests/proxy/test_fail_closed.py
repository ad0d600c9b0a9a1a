"""Issue 8: nothing spends without being counted.

Path spellings, endpoints that cost money, unknown writes: each is metered, refused, or (opt-in,
never under a blocking budget or for a household member) let through and recorded at $0.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import httpx
import openai
import pytest

from tokenwallet.billing import household
from tokenwallet.core.money import Amount
from tokenwallet.wallet.types import Scope

from .conftest import Env

ALICE = Scope("profile", "alice")
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 20}
MESSAGE = {"model": "claude-haiku-4-5", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}]}
GEMINI = {"contents": [{"parts": [{"text": "hi"}]}]}

# The spellings the issue reproduced, and more of the same family.
SPELLINGS = [
    "/openai/v1/./chat/completions",
    "/openai/v1/x/../chat/completions",
    "/openai/v1/%2e/chat/completions",
    "/openai/v1/%2E%2E/v1/chat/completions",
    "/openai/v1/chat/completions/.",
    "/openai/v1/chat/completions/",
    "/openai/v1//chat/completions",
    "/openai/v1/chat%2fcompletions",
    "/openai/v1/chat%5ccompletions",
    "/openai/v1/chat\\completions",
    "/openai/./v1/chat/completions",
    "/anthropic/v1/./messages",
    "/anthropic/v1/messages/..",
    "/gemini/v1beta/models/x/../gemini-2.5-pro:generateContent",
    "/gemini/v1beta/models/%2e%2e/models/gemini-2.5-pro:generateContent",
]


def raw_post(env: Env, path: str, body: object, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST with the path exactly as written (httpx and the SDKs would normalise it first)."""
    u = urlsplit(env.url)
    conn = http.client.HTTPConnection(u.hostname or "127.0.0.1", u.port, timeout=10)
    try:
        data = json.dumps(body).encode()
        conn.request("POST", path, body=data, headers={"content-type": "application/json", **headers})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def auth(env: Env, path: str) -> dict[str, str]:
    if path.startswith("/anthropic"):
        return {"x-api-key": env.key, "anthropic-version": "2023-06-01"}
    if path.startswith("/gemini"):
        return {"x-goog-api-key": env.key}
    return {"authorization": "Bearer " + env.key}


def body_for(path: str) -> object:
    return MESSAGE if path.startswith("/anthropic") else GEMINI if path.startswith("/gemini") else CHAT


@pytest.mark.parametrize("path", SPELLINGS)
def test_path_spellings_are_refused_in_the_callers_format(env: Env, path: str) -> None:
    status, raw = raw_post(env, path, body_for(path), auth(env, path))
    assert status == 400, raw
    err = json.loads(raw)["error"]
    assert "canonical" in err["message"]
    assert env.upstream.requests == [] and env.rows() == [] and env.holds() == []


def test_a_spent_blocking_budget_sees_zero_billable_requests_upstream(env: Env) -> None:
    """The whole list from the issue, with a blocking envelope that nothing fits: no request goes up."""
    env.wallet.set_budget(ALICE, Amount("usd", 1), period="month", action="block")
    h = {"authorization": "Bearer " + env.key}
    for path in SPELLINGS:
        status, _ = raw_post(env, path, body_for(path), auth(env, path))
        assert status in (400, 402), path
    o = env.url + "/openai/v1"
    calls: list[tuple[str, str, dict[str, object]]] = [
        ("POST", o + "/chat/completions", {**CHAT, "n": 128, "max_tokens": 4000}),
        ("POST", o + "/chat/completions", CHAT),
        ("POST", o + "/completions", {"model": "gpt-3.5-turbo-instruct", "prompt": "hi", "best_of": 5}),
        ("POST", o + "/responses", {"model": "gpt-4o-mini", "input": "hi"}),
        ("POST", o + "/embeddings", {"model": "text-embedding-3-small", "input": "hi"}),
        ("POST", o + "/images/generations", {"model": "dall-e-3", "prompt": "a cat", "n": 1}),
        ("POST", o + "/audio/speech", {"model": "tts-1", "input": "hello", "voice": "alloy"}),
        ("POST", o + "/batches", {"input_file_id": "file-1", "endpoint": "/v1/chat/completions"}),
        ("POST", o + "/fine_tuning/jobs", {"model": "gpt-4o-mini", "training_file": "file-1"}),
        ("POST", o + "/files", {"purpose": "batch"}),
        ("POST", o + "/realtime/sessions", {"model": "gpt-4o-realtime-preview"}),
        ("POST", o + "/some/new/endpoint", {"model": "gpt-4o"}),
        ("PUT", o + "/some/new/endpoint", {}),
        ("POST", env.url + "/anthropic/v1/messages", MESSAGE),
        ("POST", env.url + "/anthropic/messages", MESSAGE),
        ("POST", env.url + "/anthropic/v1/messages/batches", {"requests": []}),
        ("POST", env.url + "/anthropic/v1/complete", {"model": "claude-2", "prompt": "hi"}),
        ("POST", env.url + "/gemini/v1beta/models/gemini-2.5-flash:generateContent", GEMINI),
        ("POST", env.url + "/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent", GEMINI),
        (
            "POST",
            env.url + "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
            {**GEMINI, "generationConfig": {"candidateCount": 8}},
        ),
        ("POST", env.url + "/gemini/v1beta/models/imagen-4.0-generate-001:predict", {"instances": []}),
        ("POST", env.url + "/gemini/v1beta/models/gemini-2.5-flash:batchGenerateContent", {}),
        ("POST", env.url + "/gemini/v1beta/models/gemini-embedding-001:embedContent", {}),
        ("POST", env.url + "/gemini/v1beta/cachedContents", {}),
    ]
    with httpx.Client(timeout=10) as client:
        for method, url, body in calls:
            hdrs = dict(h)
            if "/anthropic" in url:
                hdrs = {"x-api-key": env.key, "anthropic-version": "2023-06-01"}
            elif "/gemini" in url:
                hdrs = {"x-goog-api-key": env.key}
            r = client.request(method, url, json=body, headers=hdrs)
            assert r.status_code in (400, 402, 403), (url, r.status_code, r.text)
            assert "error" in r.json(), url
    assert env.upstream.requests == []
    assert env.holds() == []


def test_unpriced_endpoints_need_an_opt_in(env: Env) -> None:
    url = env.url + "/openai/v1/batches"
    body = {"input_file_id": "file-1", "endpoint": "/v1/chat/completions", "completion_window": "24h"}
    h = {"authorization": "Bearer " + env.key}
    r = httpx.post(url, json=body, headers=h)
    assert r.status_code == 403
    msg = r.json()["error"]["message"]
    assert "POST /v1/batches" in msg and "allow_unmetered_endpoints" in msg and "--profile alice" in msg
    # Unknown writes say the same, naming the path.
    r = httpx.post(env.url + "/openai/v1/brand/new", json={}, headers=h)
    assert r.status_code == 403 and "POST /v1/brand/new" in r.json()["error"]["message"]
    assert env.upstream.requests == []

    env.wallet.set_setting("allow_unmetered_endpoints", True, profile="alice")
    env.proxy.app.meter.refresh(force=True)  # type: ignore[union-attr]
    r = httpx.post(url, json=body, headers=h)
    assert r.status_code == 404  # the fake upstream has no batches API: what matters is it got there
    assert [q.path for q in env.upstream.requests] == ["/v1/batches"]
    assert env.upstream.requests[0].headers["authorization"] == "Bearer sk-real-openai"
    row = env.last_row()
    assert row.flags == "unmetered" and row.cost_nano == 0 and row.endpoint == "POST /v1/batches"

    # …but never under a blocking budget…
    env.wallet.set_budget(ALICE, Amount("usd", 10**12), period="month", action="block")
    r = httpx.post(url, json=body, headers=h)
    assert r.status_code == 403 and "blocks spending it cannot count" in r.json()["error"]["message"]
    assert len(env.upstream.requests) == 1


def test_household_members_never_make_unmetered_calls(env: Env) -> None:
    household.init_household(env.wallet, "parent", "4826")
    key = household.add_member(
        env.wallet, "kid", Amount("usd", 10**12), pin="4826", kind="adult", hard=False
    )[1]
    env.wallet.set_setting("allow_unmetered_endpoints", True, profile="kid")
    r = httpx.post(
        env.url + "/openai/v1/fine_tuning/jobs",
        json={"model": "gpt-4o-mini", "training_file": "file-1"},
        headers={"authorization": "Bearer " + key},
    )
    assert r.status_code == 403 and "household member" in r.json()["error"]["message"]
    assert env.upstream.requests == []


def test_reads_and_free_endpoints_pass_with_the_provider_key(env: Env) -> None:
    client = env.openai()
    assert [m.id for m in client.models.list()]
    c = env.anthropic().messages.count_tokens(
        model="claude-haiku-4-5", messages=[{"role": "user", "content": "hi"}]
    )
    assert c.input_tokens > 0
    assert env.rows() == []


def test_refused_endpoints_say_why(env: Env) -> None:
    with pytest.raises(openai.PermissionDeniedError) as e:
        env.openai().post("/realtime/sessions", body={"model": "gpt-4o-realtime-preview"}, cast_to=object)
    assert "Realtime sessions hand out keys" in e.value.message
    assert env.upstream.requests == []


def test_the_ai_sdk_anthropic_url_is_metered(env: Env) -> None:
    r = httpx.post(
        env.url + "/anthropic/messages",
        json=MESSAGE,
        headers={"x-api-key": env.key, "anthropic-version": "2023-06-01"},
    )
    assert r.status_code == 200, r.text
    assert env.upstream.last.path == "/v1/messages"
    row = env.last_row()
    assert row.endpoint == "messages" and row.cost_nano > 0


def test_method_overrides_are_not_forwarded(env: Env) -> None:
    r = httpx.get(
        env.url + "/openai/v1/models",
        headers={"authorization": "Bearer " + env.key, "x-http-method-override": "POST"},
    )
    assert r.status_code == 200
    assert "x-http-method-override" not in env.upstream.last.headers


def test_a_key_named_twice_is_refused(env: Env) -> None:
    body = b'{"model": "gpt-4o-mini", "model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}'
    r = httpx.post(
        env.url + "/openai/v1/chat/completions",
        content=body,
        headers={"authorization": "Bearer " + env.key, "content-type": "application/json"},
    )
    assert r.status_code == 400 and "'model' twice" in r.json()["error"]["message"]
    nested = (
        b'{"contents": [{"parts": [{"text": "hi"}]}],'
        b' "generationConfig": {"maxOutputTokens": 5, "maxOutputTokens": 99999}}'
    )
    g = httpx.post(
        env.url + "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
        content=nested,
        headers={"x-goog-api-key": env.key, "content-type": "application/json"},
    )
    assert g.status_code == 400 and g.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert env.upstream.requests == []
