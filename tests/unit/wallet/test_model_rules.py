"""Model rules in the wallet, and model/provider envelopes in the one reserve transaction."""

from __future__ import annotations

import pytest

from tokenwallet.billing import household as hh
from tokenwallet.core.money import Amount, parse_amount
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.errors import NotFound, WalletError
from tokenwallet.wallet.types import Scope

from .conftest import BOTH_BACKENDS, rec, req, spend, w_call_id

backend = BOTH_BACKENDS

USD = 1_000_000_000
PIN = "4711"
OPUS = Scope("model", "anthropic/claude-opus-*")


def texts(rules: object) -> tuple[list[str], list[str]]:
    return [p.text for p in rules.allow], [p.text for p in rules.deny]  # type: ignore[attr-defined]


def test_profiles_start_open_and_rules_add_up(wallet: Wallet) -> None:
    wallet.add_profile("alice")
    assert wallet.model_rules("alice").open and wallet.model_rules_all() == {}
    wallet.change_model_rules("alice", allow=["GPT-4o*", "anthropic/*"])
    rules = wallet.change_model_rules("alice", deny=["gpt-4o-2024*"], allow=["gpt-4o*"])
    assert texts(rules) == (["gpt-4o*", "anthropic/*"], ["gpt-4o-2024*"]) and rules.source == "own"
    rules = wallet.change_model_rules("alice", remove=["anthropic/*"], action="downgrade")
    assert texts(rules) == (["gpt-4o*"], ["gpt-4o-2024*"]) and rules.action == "downgrade"
    alice = wallet.profile("alice").id
    assert list(wallet.model_rules_all()) == [alice]
    assert wallet.clear_model_rules("alice").open and wallet.model_rules_all() == {}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"allow": ["gpt-[4]o"]}, "wildcards"),
        ({"allow": ["tier:tiny"]}, "no tier named tiny"),
        ({"deny": [""]}, "empty"),
        ({"remove": ["o1*"]}, "no rule o1"),
        ({"allow": ["o1*"], "deny": ["o1*"]}, "both allowed and denied"),
        ({"action": "warn"}, "block or downgrade"),
    ],
)
def test_bad_changes_change_nothing(wallet: Wallet, kwargs: dict[str, object], message: str) -> None:
    wallet.add_profile("alice")
    wallet.change_model_rules("alice", allow=["gpt-4o*"])
    with pytest.raises(WalletError, match=message):
        wallet.change_model_rules("alice", **kwargs)  # type: ignore[arg-type]
    assert texts(wallet.model_rules("alice")) == (["gpt-4o*"], [])
    with pytest.raises(NotFound):
        wallet.change_model_rules("nobody", allow=["x"])


def test_a_household_child_gets_tier_small_until_the_owner_changes_it(wallet: Wallet) -> None:
    hh.init_household(wallet, "mum", PIN)
    hh.add_member(wallet, "kid", parse_amount("2"), pin=PIN)
    hh.add_member(wallet, "dad", parse_amount("20"), pin=PIN, kind="adult")
    kid = wallet.model_rules("kid")
    assert texts(kid) == (["tier:small"], []) and kid.source == "household" and kid.action == "block"
    assert wallet.model_rules("dad").open and wallet.model_rules("mum").open
    assert set(wallet.model_rules_all()) == {wallet.profile("kid").id}
    # one more model for the child keeps the default it started from
    more = wallet.change_model_rules("kid", allow=["gpt-4o-mini"])
    assert texts(more) == (["tier:small", "gpt-4o-mini"], [])
    assert wallet.model_rules("kid").source == "own"
    # clearing returns to the default, and anything at all is one explicit '*'
    assert wallet.clear_model_rules("kid").source == "household"
    wallet.change_model_rules("kid", allow=["*"])
    assert wallet.model_rules("kid").refusing("openai", "o1-pro", None) is None


# -- envelopes for some models or a provider ------------------------------------------------------


def test_a_model_envelope_holds_only_calls_to_matching_models(wallet: Wallet) -> None:
    wallet.add_profile("alice")
    b = wallet.binding_for("alice")
    opus = wallet.set_budget(OPUS, Amount("usd", 10 * USD), action="block")
    assert str(opus.scope) == "model:anthropic/claude-opus-*" and opus.label == f"{opus.scope} (month)"
    other = wallet.reserve(req(b, 50 * USD, provider="anthropic", model="claude-sonnet-4-5"))
    assert other.hold_id is not None and other.statuses == []
    refused = wallet.reserve(req(b, 50 * USD, provider="anthropic", model="Claude-Opus-4-5"))
    assert refused.hold_id is None and refused.refused is not None and refused.refused.envelope.id == opus.id
    # the same model through OpenRouter is another provider: not this envelope
    via = wallet.reserve(req(b, 50 * USD, provider="openrouter", model="anthropic/claude-opus-4.5"))
    assert via.hold_id is not None
    spend(wallet, b, 3 * USD, provider="anthropic", model="claude-opus-4-1")
    (st,) = [s for s in wallet.status() if s.envelope.id == opus.id]
    assert st.spent == 3 * USD and st.available == 7 * USD


def test_a_provider_envelope_applies_to_all_its_models_and_can_be_for_one_profile(wallet: Wallet) -> None:
    wallet.add_profile("alice")
    wallet.add_profile("bob")
    ra, rb = wallet.binding_for("alice"), wallet.binding_for("bob")
    env = wallet.set_budget(Scope("provider", "openrouter", "alice"), Amount("usd", 10 * USD), action="block")
    assert str(env.scope) == "provider:openrouter for alice"
    for model in ("anthropic/claude-opus-4.5", "openai/gpt-4o", "meta-llama/llama-3.2-3b-instruct"):
        assert wallet.reserve(req(ra, 11 * USD, provider="openrouter", model=model)).refused is not None
        assert wallet.reserve(req(rb, 11 * USD, provider="openrouter", model=model)).hold_id is not None
    assert wallet.reserve(req(ra, 11 * USD, provider="openai", model="gpt-4o")).hold_id is not None
    assert [s.envelope.id for s in wallet.status(profile="alice")] == [env.id]
    assert wallet.status(profile="bob") == []


def test_settle_charges_the_envelope_of_the_model_actually_used(wallet: Wallet) -> None:
    """A call downgraded out of a model envelope is charged where its real model belongs."""
    wallet.add_profile("alice")
    b = wallet.binding_for("alice")
    opus = wallet.set_budget(OPUS, Amount("usd", USD), action="downgrade")
    opus_call = req(b, 2 * USD, provider="anthropic", model="claude-opus-4-5", allow_downgrade=True)
    first = wallet.reserve(opus_call)
    assert first.hold_id is None and first.downgrade is not None and first.downgrade.envelope.id == opus.id
    held = wallet.reserve(req(b, USD // 2, provider="anthropic", model="claude-sonnet-4-5"))
    assert held.hold_id is not None
    wallet.settle(held.hold_id, rec(b, w_call_id(wallet, held.hold_id), USD // 2, provider="anthropic",
                                    model="claude-sonnet-4-5"))  # fmt: skip
    (st,) = wallet.status()
    assert st.spent == 0 and st.held == 0


def test_scopes_parse_and_bad_model_scopes_are_refused(wallet: Wallet) -> None:
    for text in ("model:gpt-4o*", "provider:openrouter for alice", "model:anthropic/claude-opus-* for bob"):
        assert str(Scope.parse(text)) == text
    for bad in ("model:", "profile:alice for bob", "model:x for "):
        with pytest.raises(ValueError):
            Scope.parse(bad)
    with pytest.raises(WalletError, match="not by tier"):
        wallet.set_budget(Scope("model", "tier:small"), Amount("usd", USD))
    with pytest.raises(WalletError, match="wildcards"):
        wallet.set_budget(Scope("model", "gpt-[4]"), Amount("usd", USD))
    with pytest.raises(NotFound):
        wallet.set_budget(Scope("model", "gpt-4o", "nobody"), Amount("usd", USD))
    assert wallet.envelopes() == []


def test_removing_the_last_model_envelope_drops_its_scope_row(wallet: Wallet) -> None:
    a = wallet.set_budget(OPUS, Amount("usd", USD), period="month")
    b = wallet.set_budget(OPUS, Amount("usd", 5 * USD), period="week")
    assert a.scope == b.scope

    def scopes() -> int:
        return int(wallet._conn().execute("SELECT COUNT(*) FROM model_scope").fetchone()[0])

    wallet.remove_budget(a.id)
    assert scopes() == 1
    wallet.remove_budget(b.id)
    assert scopes() == 0
