"""On a household wallet the general money commands need the owner PIN too (no bypass via the CLI)."""

from __future__ import annotations

import json

import pytest
from cli_helpers import Run

PIN = "4321"


@pytest.fixture
def household(tw: Run) -> Run:
    r = tw("household", "init", "--owner", "mum", "--pin-stdin", stdin=f"{PIN}\n")
    assert r.code == 0, r.err
    r = tw("profile", "add", "kid", "--pin-stdin", stdin=f"{PIN}\n")
    assert r.code == 0, r.err
    return tw


GUARDED = [
    ("budget", "set", "--profile", "kid", "50"),
    ("budget", "set", "--model", "gpt-4o*", "50"),
    ("budget", "set", "--provider", "openrouter", "--profile", "kid", "50"),
    ("topup", "--profile", "kid", "5"),
    ("transfer", "--from", "mum", "--to", "kid", "1"),
    ("profile", "resume", "kid"),
    ("profile", "add", "sneaky"),
    ("profile", "new-key", "kid"),
    ("settings", "set", "paused", "on"),
    ("prices", "override", "set", "openai", "gpt-4o", "--input", "0", "--output", "0"),
    ("provider", "set", "openai", "--base-url", "https://attacker.example/v1"),
    ("key", "delete", "openai"),
]


@pytest.mark.parametrize("args", GUARDED, ids=[" ".join(a) for a in GUARDED])
def test_money_commands_need_the_owner_pin(household: Run, args: tuple[str, ...]) -> None:
    tw = household
    before = [tw("budget", "list", "--json").out, tw("profile", "list", "--json").out]
    for attempt in ([], ["--pin-stdin"]):
        stdin = "9999\n" if attempt else ""
        r = tw(*args, *attempt, stdin=stdin)
        assert r.code != 0 and len(r.err.strip().splitlines()) == 1, r.err
        assert "Traceback" not in r.err
    assert [tw("budget", "list", "--json").out, tw("profile", "list", "--json").out] == before


def test_the_right_pin_lets_the_change_through(household: Run) -> None:
    tw = household
    r = tw("budget", "set", "--profile", "kid", "5", "--period", "week", "--pin-stdin", stdin=f"{PIN}\n")
    assert r.code == 0, r.err
    assert json.loads(tw("budget", "list", "--json").out)[0]["scope"] == "profile:kid"
    # reading needs no PIN
    assert tw("status", "--json").code == 0


def test_provider_key_on_a_household_wallet_pin_first_then_key(household: Run) -> None:
    from tokenwallet.secrets import SERVICE
    from tokenwallet.secrets.memory import MemoryKeyring

    r = household("key", "set", "openai", "--pin-stdin", stdin="9999\nsk-kid-key\n")
    assert r.code != 0 and (SERVICE, "openai") not in MemoryKeyring._store
    r = household("key", "set", "openai", "--pin-stdin", stdin=f"{PIN}\nsk-owner-key\n")
    assert r.code == 0, r.err
    assert MemoryKeyring._store[(SERVICE, "openai")] == "sk-owner-key"
    assert "sk-owner-key" not in r.out + r.err
