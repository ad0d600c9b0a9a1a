"""``tokenwallet model-rules`` and per-model/provider budgets from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import Run

PIN = "4321"


def test_rules_round_trip(tw: Run) -> None:
    assert tw("profile", "add", "alice").code == 0
    r = tw("model-rules", "allow", "--profile", "alice", "GPT-4o*", "anthropic/*")
    assert r.code == 0 and r.out == "alice may call: gpt-4o*, anthropic/*; other models: refused.\n"
    assert tw("model-rules", "deny", "--profile", "alice", "gpt-4o-2024*").code == 0
    assert tw("model-rules", "action", "--profile", "alice", "downgrade").code == 0
    (shown,) = json.loads(tw("model-rules", "show", "--profile", "alice", "--json").out)
    assert shown == {
        "profile": "alice",
        "allow": ["gpt-4o*", "anthropic/*"],
        "deny": ["gpt-4o-2024*"],
        "action": "downgrade",
        "source": "own",
        "summary": "gpt-4o*, anthropic/*; never gpt-4o-2024*",
    }
    assert tw("model-rules", "remove", "--profile", "alice", "anthropic/*", "gpt-4o-2024*").code == 0
    assert "gpt-4o*; other models: downgraded" in tw("model-rules", "show").out
    r = tw("model-rules", "clear", "--profile", "alice")
    assert r.code == 0 and r.out == "alice may call: any model.\n"


def test_a_child_shows_its_default_and_only_the_owner_changes_it(tw: Run) -> None:
    assert tw("household", "init", "--owner", "mum", "--pin-stdin", stdin=f"{PIN}\n").code == 0
    r = tw("household", "add", "kid", "--allowance", "2", "--pin-stdin", stdin=f"{PIN}\n")
    assert r.code == 0, r.err
    assert "kid may call tier:small models only" in r.out and r.out.strip().splitlines()[-1].startswith("tw-")
    shown = tw("model-rules", "show").out
    assert "kid      tier:small (default for a household child); other models: refused" in shown
    before = tw("model-rules", "show", "--json").out
    for stdin in ("", "9999\n"):
        r = tw("model-rules", "allow", "--profile", "kid", "*", "--pin-stdin", stdin=stdin)
        assert r.code != 0 and len(r.err.strip().splitlines()) == 1 and r.out == ""
        r = tw("model-rules", "clear", "--profile", "kid", "--pin-stdin", stdin=stdin)
        assert r.code != 0 and len(r.err.strip().splitlines()) == 1
    assert tw("model-rules", "show", "--json").out == before
    r = tw("model-rules", "allow", "--profile", "kid", "gpt-4o-mini", "--pin-stdin", stdin=f"{PIN}\n")
    assert r.code == 0 and r.out == "kid may call: tier:small, gpt-4o-mini; other models: refused.\n"


def test_budgets_per_model_and_provider(tw: Run) -> None:
    assert tw("profile", "add", "alice").code == 0
    opus = ("--model", "anthropic/claude-opus-*")
    r = tw("budget", "set", *opus, "100", "--period", "month", "--action", "block")
    assert r.code == 0 and "model:anthropic/claude-opus-*: $100.00 per month, block" in r.out
    r = tw("budget", "set", "--provider", "openrouter", "--profile", "alice", "10", "--period", "week")
    assert r.code == 0 and "provider:openrouter for alice: $10.00 per week" in r.out
    status = json.loads(tw("status", "--json").out)
    assert [s["scope"] for s in status] == ["model:anthropic/claude-opus-*", "provider:openrouter for alice"]
    assert [s["scope"] for s in json.loads(tw("status", "--profile", "alice", "--json").out)] == [
        "model:anthropic/claude-opus-*",
        "provider:openrouter for alice",
    ]
    assert tw("budget", "remove", "--provider", "openrouter", "--profile", "alice").code == 0
    assert tw("topup", "--model", "anthropic/claude-opus-*", "5").code == 0
    (left,) = json.loads(tw("status", "--json").out)
    assert left["topups"] == 5_000_000_000


def test_preview_lists_the_model_budgets_that_apply(tw: Run, tmp_path: Path) -> None:
    prompt = tmp_path / "p.txt"
    prompt.write_text("hello there", encoding="utf-8")
    assert tw("profile", "add", "alice").code == 0
    assert tw("profile", "add", "bob").code == 0  # two profiles: a preview without --profile is for no one
    for args in (
        ("--model", "gpt-4o*"),
        ("--model", "claude-*"),
        ("--model", "gpt-4o", "--profile", "alice"),
    ):
        assert tw("budget", "set", *args, "1").code == 0
    data = json.loads(tw("preview", str(prompt), "--model", "gpt-4o", "--json").out)
    assert [e["scope"] for e in data["envelopes"]] == ["model:gpt-4o*"]
    data = json.loads(tw("preview", str(prompt), "--model", "gpt-4o", "--profile", "alice", "--json").out)
    assert [e["scope"] for e in data["envelopes"]] == ["model:gpt-4o*", "model:gpt-4o for alice"]
