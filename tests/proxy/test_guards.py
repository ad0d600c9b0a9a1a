"""Issue 10: guards and sessions through the real proxy, with the official SDK."""

from __future__ import annotations

import httpx
import openai
import pytest

from tokenwallet.core.events import GuardTripped
from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet.types import HistoryFilter

from .conftest import PROVIDER_KEYS, Env

MODEL = "gpt-4o-mini"


def ask(client: openai.OpenAI, text: str, model: str = MODEL) -> openai.types.chat.ChatCompletion:
    return client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": text}], max_tokens=20
    )


def refresh(env: Env) -> None:
    assert env.proxy.app is not None
    env.proxy.refresh()


def test_a_runaway_loop_is_stopped_and_a_normal_session_at_the_same_pace_is_not(env: Env) -> None:
    env.wallet.add_profile("worker")
    worker_key = env.wallet.new_key("worker")
    env.wallet.add_guard("profile:alice", "loop", 5, window_s=120)
    env.wallet.add_guard("profile:worker", "loop", 5, window_s=120)
    refresh(env)
    looping, normal = env.openai(), env.openai(key=worker_key)
    for _ in range(4):
        ask(looping, "Error: tests failed. Fix it.")
    with pytest.raises(openai.APIStatusError) as e:
        ask(looping, "Error: tests failed. Fix it.")
    assert e.value.status_code == 402
    msg = e.value.message
    assert "loop guard" in msg and "5 near-identical requests in 120 s" in msg
    assert "tokenwallet guard lift" in msg and "--session s-" in msg
    for i in range(20):  # the same pace, distinct requests: an agent doing its work
        ask(normal, f"step {i}: edit the next file")
    assert len(env.upstream.requests) == 4 + 20
    tripped = [ev for ev in env.events if isinstance(ev, GuardTripped)]
    assert tripped and tripped[0].profile == "alice" and tripped[0].action == "block"


def test_a_lift_for_the_session_lets_the_loop_go_on(env: Env) -> None:
    g = env.wallet.add_guard("profile:alice", "loop", 2, window_s=60)
    refresh(env)
    client = env.openai()
    ask(client, "again")
    with pytest.raises(openai.APIStatusError):
        ask(client, "again")
    session = env.last_row().session  # (last_row waits for the settle)
    env.wallet.lift_guard(g.id, session)
    refresh(env)
    ask(client, "again")
    assert len(env.upstream.requests) == 2


def test_rate_guard_answers_429_with_retry_after(env: Env) -> None:
    env.wallet.add_guard("profile:alice", "rate", 3, window_s=60)
    refresh(env)
    h = {"authorization": "Bearer " + env.key}
    body = {"model": MODEL, "messages": [{"role": "user", "content": "x"}], "max_tokens": 5}
    codes = [
        httpx.post(env.url + "/openai/v1/chat/completions", json={**body, "n": 1}, headers=h)
        for _ in range(4)
    ]
    assert [r.status_code for r in codes] == [200, 200, 200, 429]
    assert codes[-1].headers["retry-after"] == "60" and "rate guard" in codes[-1].json()["error"]["message"]


def test_a_money_guard_can_downgrade_instead(env: Env) -> None:
    env.wallet.add_guard("wallet", "request_money", 2_000_000, action="downgrade")  # $0.002 a call
    refresh(env)
    raw = env.openai().chat.completions.with_raw_response.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}], max_tokens=300
    )
    assert raw.headers["x-tokenwallet-downgraded-from"] == "gpt-4o"
    assert env.upstream.last.body["model"] != "gpt-4o"
    assert env.last_row().requested_model == "gpt-4o"


def test_a_session_budget_stops_its_session_only(env: Env) -> None:
    sid, key = env.wallet.start_session("alice", label="agent")
    assert key is not None
    one_call = 20 * 600 + 20 * 2400  # far above one call's real cost, below two worst cases
    env.wallet.add_guard(f"session:{sid}", "session_money", one_call * 1000)
    refresh(env)
    agent = env.openai(key=key)
    ask(agent, "one")
    env.settled()
    rows = env.wallet.history(HistoryFilter(session=sid), limit=10)
    assert len(rows) == 1 and rows[0].session == sid
    env.wallet.add_guard(f"session:{sid}", "session_money", rows[0].cost_nano + 1)
    refresh(env)
    with pytest.raises(openai.APIStatusError) as e:
        ask(agent, "two")
    assert "session money guard" in e.value.message
    ask(env.openai(), "another session is not stopped")


def test_sessions_from_header_and_idle_gap(env: Env) -> None:
    client = env.openai()
    ask(client, "a")
    ask(client, "b")
    c = openai.OpenAI(
        base_url=f"{env.url}/openai/v1", api_key=env.key, max_retries=0,
        default_headers={"X-Tokenwallet-Session": "refactor-42"},
    )  # fmt: skip
    env.clients.append(c)
    ask(c, "c")
    env.settled()
    rows = sorted(env.rows(), key=lambda r: r.id)
    assert rows[0].session == rows[1].session and rows[0].session.startswith("s-")
    assert rows[2].session == "refactor-42"
    (s,) = env.wallet.sessions(session_id="refactor-42")
    assert s.source == "header" and s.calls == 1
    bad = httpx.post(
        env.url + "/openai/v1/chat/completions",
        json={"model": MODEL, "messages": [{"role": "user", "content": "x"}]},
        headers={"authorization": "Bearer " + env.key, "x-tokenwallet-session": "no spaces allowed"},
    )
    assert bad.status_code == 400 and "X-Tokenwallet-Session" in bad.json()["error"]["message"]


def test_guard_counters_survive_a_restart(env: Env) -> None:
    env.wallet.add_guard("profile:alice", "loop", 3, window_s=600)
    refresh(env)
    ask(env.openai(), "same")
    ask(env.openai(), "same")
    env.proxy.stop(timeout=5)
    again = ProxyServer(env.path, port=0, keystore=MemoryKeyStore(PROVIDER_KEYS))
    again.start()
    try:
        c = openai.OpenAI(base_url=f"{again.url}/openai/v1", api_key=env.key, max_retries=0)
        with pytest.raises(openai.APIStatusError) as e:
            ask(c, "same")
        assert "loop guard" in e.value.message
        c.close()
    finally:
        again.stop(timeout=5)


def test_household_children_get_guards_out_of_the_box(env: Env) -> None:
    from tokenwallet.billing import household
    from tokenwallet.core.money import Amount

    household.init_household(env.wallet, "parent", "4826")
    key = household.add_member(env.wallet, "kid", Amount("usd", 10**9), pin="4826")[1]
    refresh(env)
    kid = env.openai(key=key)
    for _ in range(4):
        ask(kid, "what is 2+2?", model="gpt-4.1-nano")
    with pytest.raises(openai.APIStatusError) as e:
        ask(kid, "what is 2+2?", model="gpt-4.1-nano")
    assert "loop guard" in e.value.message and "profile:kid" in e.value.message


def test_a_money_guard_refusal_names_the_cheaper_model_that_fits(env: Env) -> None:
    env.wallet.add_guard("profile:alice", "request_money", 2_000_000)  # $0.002 a call, block
    refresh(env)
    with pytest.raises(openai.APIStatusError) as e:
        env.openai().chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], max_tokens=300
        )
    assert e.value.status_code == 402
    assert (
        "request money guard" in e.value.message
        and "A cheaper model that would fit under it:" in e.value.message
    )
    assert env.upstream.requests == []


def test_a_fresh_session_header_per_call_does_not_reset_a_session_budget(env: Env) -> None:
    env.upstream.scenario(output_tokens=400)
    env.wallet.add_guard("profile:alice", "session_money", 600_000)  # each session of alice: $0.0006
    refresh(env)
    h = {"authorization": "Bearer " + env.key}
    body = {"model": MODEL, "messages": [{"role": "user", "content": "x"}], "max_tokens": 400}
    codes = [
        httpx.post(
            env.url + "/openai/v1/chat/completions",
            json=body,
            headers={**h, "x-tokenwallet-session": f"fresh-{i}"},
        ).status_code
        for i in range(5)
    ]
    assert codes[:2] == [200, 200] and codes[2:] == [402, 402, 402], codes
    env.settled()
    assert {r.session for r in env.rows()} == {"fresh-0", "fresh-1"}  # the ledger keeps the names
