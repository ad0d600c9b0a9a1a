"""Which models a profile may call, and budgets per model or provider, through the real proxy.

The official SDKs talk to the proxy on loopback; the fake upstream records every request it gets,
so "refused" means zero requests upstream, no hold and no ledger row.
"""

from __future__ import annotations

import anthropic
import httpx
import openai
import pytest

from tokenwallet.billing import household as hh
from tokenwallet.core.events import CallRefused
from tokenwallet.core.money import Amount, parse_amount
from tokenwallet.wallet.types import Scope

from .conftest import Env

PIN = "4711"
HI = [{"role": "user", "content": "hi"}]
USD = 1_000_000_000


def refresh(env: Env) -> None:
    """Make the proxy re-read rules now instead of within the second (no timing in tests)."""
    env.proxy.app.meter.models.refresh(force=True)  # type: ignore[union-attr]


@pytest.fixture
def kid(env: Env) -> str:
    """A household child with a generous allowance (so only the model rules can refuse)."""
    hh.init_household(env.wallet, "mum", PIN)
    _, key = hh.add_member(env.wallet, "kid", parse_amount("50"), pin=PIN)
    refresh(env)
    return key


def test_a_child_cannot_call_a_model_outside_its_tier(env: Env, kid: str) -> None:
    with pytest.raises(openai.PermissionDeniedError) as oe:
        env.openai(key=kid).chat.completions.create(model="gpt-4o", messages=HI, max_tokens=20)  # type: ignore[arg-type]
    msg = oe.value.message
    assert "'kid'" in msg and "gpt-4o" in msg and "tier:small" in msg
    assert "tokenwallet model-rules allow --profile kid" in msg
    assert "An allowed cheaper model:" in msg  # offered, not done: the rules say block
    assert oe.value.body["code"] == "model_not_allowed"  # type: ignore[index]
    with pytest.raises(anthropic.PermissionDeniedError) as ae:
        env.anthropic(key=kid).messages.create(model="claude-sonnet-4-6", max_tokens=20, messages=HI)  # type: ignore[arg-type]
    assert ae.value.body["error"]["type"] == "permission_error"  # type: ignore[index]
    g = httpx.post(
        env.url + "/gemini/v1beta/models/gemini-2.5-pro:generateContent",
        json={"contents": [{"parts": [{"text": "hi"}]}]},
        headers={"x-goog-api-key": kid},
    )
    assert g.status_code == 403 and g.json()["error"]["status"] == "PERMISSION_DENIED"
    assert env.upstream.requests == [] and env.rows() == [] and env.holds() == []
    refused = [e for e in env.events if isinstance(e, CallRefused)]
    assert [e.model for e in refused] == ["gpt-4o", "claude-sonnet-4-6", "gemini-2.5-pro"]
    assert all(e.profile == "kid" and e.reason.startswith("model rule") for e in refused)


def test_a_child_may_call_small_models_and_the_owner_can_lift_the_rule(env: Env, kid: str) -> None:
    client = env.openai(key=kid)
    client.chat.completions.create(model="gpt-4.1-nano", messages=HI, max_tokens=20)  # type: ignore[arg-type]
    env.anthropic(key=kid).messages.create(model="claude-3-haiku", max_tokens=20, messages=HI)  # type: ignore[arg-type]
    assert [r.json["model"] for r in env.upstream.requests] == ["gpt-4.1-nano", "claude-3-haiku"]
    env.settled()
    assert {r.model for r in env.rows()} == {"gpt-4.1-nano", "claude-3-haiku"}
    env.wallet.change_model_rules("kid", allow=["openai/gpt-4o"])
    refresh(env)
    client.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=20)  # type: ignore[arg-type]
    assert env.upstream.last.json["model"] == "gpt-4o"
    with pytest.raises(openai.PermissionDeniedError):  # still nothing else
        client.chat.completions.create(model="o3", messages=HI, max_tokens=20)  # type: ignore[arg-type]


def test_rules_that_downgrade_send_an_allowed_cheaper_model(env: Env, kid: str) -> None:
    env.wallet.change_model_rules("kid", action="downgrade")
    refresh(env)
    r = httpx.post(
        env.url + "/openai/v1/chat/completions",
        json={"model": "gpt-4o", "messages": HI, "max_tokens": 50},
        headers={"authorization": "Bearer " + kid},
    )
    assert r.status_code == 200, r.text
    sent = env.upstream.last.json["model"]
    assert r.headers["x-tokenwallet-downgraded-from"] == "gpt-4o" and r.headers["x-tokenwallet-model"] == sent
    assert env.wallet.model_rules("kid").refusing("openai", sent, _tier_of()) is None
    row = env.last_row()
    assert row.model == sent and row.requested_model == "gpt-4o"


def test_a_deny_rule_for_an_adult_profile(env: Env) -> None:
    env.wallet.change_model_rules("alice", deny=["*opus*", "openrouter/*"])
    refresh(env)
    with pytest.raises(anthropic.PermissionDeniedError) as ae:
        env.anthropic().messages.create(model="claude-opus-4-1", max_tokens=20, messages=HI)  # type: ignore[arg-type]
    assert "deny *opus*" in ae.value.message
    with pytest.raises(openai.PermissionDeniedError):
        router = env.openai("openrouter")
        router.chat.completions.create(model="openai/gpt-4o-mini", messages=HI, max_tokens=5)  # type: ignore[arg-type]
    assert env.upstream.requests == []
    env.anthropic().messages.create(model="claude-sonnet-4-6", max_tokens=20, messages=HI)  # type: ignore[arg-type]
    assert len(env.upstream.requests) == 1


# -- budgets per model or provider ---------------------------------------------------------------


def test_a_blocking_model_envelope_refuses_only_that_model(env: Env) -> None:
    env.wallet.set_budget(Scope("model", "anthropic/claude-opus-*"), Amount("usd", 1), action="block")
    with pytest.raises(anthropic.APIStatusError) as ae:
        env.anthropic().messages.create(model="claude-opus-4-1", max_tokens=20, messages=HI)  # type: ignore[arg-type]
    assert ae.value.status_code == 402 and "model:anthropic/claude-opus-* (month)" in ae.value.message
    assert env.upstream.requests == []
    env.anthropic().messages.create(model="claude-sonnet-4-6", max_tokens=20, messages=HI)  # type: ignore[arg-type]
    env.openai().chat.completions.create(model="gpt-4o-mini", messages=HI, max_tokens=20)  # type: ignore[arg-type]
    assert len(env.upstream.requests) == 2


def test_a_provider_envelope_applies_to_every_model_of_that_provider(env: Env) -> None:
    env.wallet.set_budget(Scope("provider", "openrouter"), Amount("usd", 1), period="week", action="block")
    client = env.openai("openrouter")
    for model in ("openai/gpt-4o-mini", "anthropic/claude-sonnet-4.5"):
        with pytest.raises(openai.APIStatusError) as oe:
            client.chat.completions.create(model=model, messages=HI, max_tokens=20)  # type: ignore[arg-type]
        assert oe.value.status_code == 402 and "provider:openrouter (week)" in oe.value.message
    assert env.upstream.requests == []
    env.openai().chat.completions.create(model="gpt-4o-mini", messages=HI, max_tokens=20)  # type: ignore[arg-type]
    assert len(env.upstream.requests) == 1
    env.settled()
    (st,) = env.wallet.status()
    assert st.spent == 0 and st.held == 0  # the OpenAI call is not openrouter's


def test_a_model_envelope_that_downgrades_sends_a_model_outside_it(env: Env) -> None:
    opus = env.wallet.set_budget(Scope("model", "claude-opus-*"), Amount("usd", 1), action="downgrade")
    env.anthropic().messages.create(model="claude-opus-4-1", max_tokens=200, messages=HI)  # type: ignore[arg-type]
    sent = env.upstream.last.json["model"]
    assert sent != "claude-opus-4-1" and not sent.startswith("claude-opus")
    row = env.last_row()
    assert row.model == sent and row.requested_model == "claude-opus-4-1" and row.cost_nano > 0
    (st,) = [s for s in env.wallet.status() if s.envelope.id == opus.id]
    assert st.spent == 0 and st.held == 0


def test_a_budget_downgrade_never_picks_a_model_the_rules_refuse(env: Env) -> None:
    env.wallet.set_budget(Scope("model", "claude-opus-*"), Amount("usd", 1), action="downgrade")
    env.wallet.change_model_rules("alice", allow=["claude-opus-*"])
    refresh(env)
    with pytest.raises(anthropic.APIStatusError) as ae:
        env.anthropic().messages.create(model="claude-opus-4-1", max_tokens=200, messages=HI)  # type: ignore[arg-type]
    assert ae.value.status_code == 402 and "cheaper model that would fit" not in ae.value.message
    assert env.upstream.requests == []


def _tier_of():  # type: ignore[no-untyped-def]
    from tokenwallet.pricing.suggest import Tiers

    return Tiers.load().tier_of


def test_a_profile_with_rules_gets_no_call_the_meter_cannot_read(env: Env) -> None:
    """A batch could name any model: with model rules it is refused even after the unmetered opt-in."""
    env.wallet.set_setting("allow_unmetered_endpoints", True, profile="alice")
    env.wallet.change_model_rules("alice", deny=["o1-pro*"])
    env.proxy.app.meter.refresh(force=True)  # type: ignore[union-attr]
    refresh(env)
    body = {"input_file_id": "file-1", "endpoint": "/v1/chat/completions", "completion_window": "24h"}
    r = httpx.post(env.url + "/openai/v1/batches", json=body, headers={"authorization": "Bearer " + env.key})
    assert r.status_code == 403 and "model rules" in r.json()["error"]["message"]
    assert env.upstream.requests == []


def test_a_blocking_provider_envelope_stops_unmetered_calls_to_that_provider(env: Env) -> None:
    env.wallet.set_setting("allow_unmetered_endpoints", True, profile="alice")
    env.wallet.set_budget(Scope("provider", "openai"), Amount("usd", 10 * USD), action="block")
    env.proxy.app.meter.refresh(force=True)  # type: ignore[union-attr]
    body = {"input_file_id": "file-1", "endpoint": "/v1/chat/completions", "completion_window": "24h"}
    r = httpx.post(env.url + "/openai/v1/batches", json=body, headers={"authorization": "Bearer " + env.key})
    assert r.status_code == 403 and "provider:openai (month)" in r.json()["error"]["message"]
    assert env.upstream.requests == []


def test_a_child_makes_no_images_or_speech_outside_its_rules(env: Env) -> None:
    hh.init_household(env.wallet, "parent", "4826")
    key = hh.add_member(env.wallet, "kid2", Amount("usd", 10**9), pin="4826")[1]
    env.proxy.refresh()
    kid = env.openai(key=key)
    with pytest.raises(openai.PermissionDeniedError) as e:
        kid.images.generate(model="dall-e-3", prompt="a cat")
    assert "model rules" in e.value.message
    with pytest.raises(openai.PermissionDeniedError):
        kid.audio.speech.create(model="tts-1", voice="alloy", input="hello")
    assert env.upstream.requests == []
