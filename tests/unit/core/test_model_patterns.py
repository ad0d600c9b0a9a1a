"""Model patterns and rule sets: the syntax, tiers, deny-wins, and Python = SQLite GLOB."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenwallet.core.model_patterns import (
    ModelPattern,
    PatternError,
    RuleSet,
    parse_patterns,
    provider_pattern,
)
from tokenwallet.pricing.suggest import Tiers

TIERS = Tiers.load()


@pytest.mark.parametrize(
    ("pattern", "provider", "model", "expected"),
    [
        ("gpt-4o*", "openai", "gpt-4o-mini", True),
        ("gpt-4o*", "azure", "GPT-4o", True),  # case does not matter
        ("gpt-4o*", "openrouter", "openai/gpt-4o", False),  # a bare model glob is the whole model id
        ("*gpt-4o*", "openrouter", "openai/gpt-4o", True),  # * crosses the vendor's /
        ("*/gpt-4o*", "openrouter", "openai/gpt-4o", False),  # = any provider, model gpt-4o*
        ("anthropic/*", "anthropic", "claude-opus-4-5", True),
        ("anthropic/*", "openrouter", "anthropic/claude-opus-4.5", False),  # before the first / = provider
        ("openrouter/*/claude-*", "openrouter", "anthropic/claude-sonnet-4.5", True),
        ("openrouter/*/claude-*", "openrouter", "openai/gpt-4o", False),
        ("openrouter/anthropic/*", "openrouter", "anthropic/claude-3-haiku", True),
        ("anthropic/claude-opus-*", "anthropic", "claude-sonnet-4-5", False),
        ("gpt-4o", "openai", "gpt-4o-mini", False),  # no wildcard: exactly that model
        ("o?-mini", "openai", "o3-mini", True),
        ("ollama/llama3:8b", "ollama", "llama3:8b", True),
        ("vertex/claude-3-5-sonnet@*", "vertex", "claude-3-5-sonnet@20240620", True),
    ],
)
def test_pattern_examples(pattern: str, provider: str, model: str, expected: bool) -> None:
    assert ModelPattern.parse(pattern).matches(provider, model) is expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("gpt 4o", "spaces"),
        ("gpt-[45]o", "wildcards"),
        ("/gpt-4o", "PROVIDER/MODEL"),
        ("openai/", "PROVIDER/MODEL"),
        ("tier:", "tier:NAME"),
        ("tier:Sm all", "spaces"),
        ("x" * 201, "at most"),
        ("gpt\x00", "control"),
    ],
)
def test_bad_patterns_say_why(text: str, why: str) -> None:
    with pytest.raises(PatternError, match=why):
        ModelPattern.parse(text)


def test_provider_pattern_is_every_model_of_that_provider() -> None:
    p = provider_pattern("OpenRouter")
    assert p.text == "openrouter"
    assert p.matches("openrouter", "anthropic/claude-opus-4.5") and not p.matches("openai", "gpt-4o")
    for bad in ("", "a/b", "tier:small"):
        with pytest.raises(PatternError):
            provider_pattern(bad)


def test_tiers_match_through_the_shipped_table() -> None:
    small = ModelPattern.parse("tier:small")
    assert small.tier == "small"
    assert small.matches("openai", "gpt-4.1-nano", TIERS.tier_of)
    assert small.matches("openrouter", "meta-llama/llama-3.2-3b-instruct", TIERS.tier_of)
    assert not small.matches("openai", "gpt-4o", TIERS.tier_of)
    assert not small.matches("openai", "text-embedding-3-small", TIERS.tier_of)  # excluded: no tier
    assert not small.matches("openai", "gpt-4.1-nano")  # no tier table: a tier matches nothing


def test_rule_sets_deny_wins_and_an_empty_allow_list_allows_everything() -> None:
    assert RuleSet().refusing("openai", "o1-pro", TIERS.tier_of) is None
    child = RuleSet(parse_patterns(["tier:small"]))
    assert child.refusing("openai", "gpt-4.1-nano", TIERS.tier_of) is None
    assert child.refusing("openai", "gpt-4o", TIERS.tier_of) == "allow only tier:small"
    rules = RuleSet(parse_patterns(["gpt-4o*", "anthropic/*"]), parse_patterns(["gpt-4o-2024*"]))
    assert rules.refusing("openai", "gpt-4o-mini", None) is None
    assert rules.refusing("anthropic", "claude-opus-4-5", None) is None
    assert rules.refusing("openai", "gpt-4o-2024-08-06", None) == "deny gpt-4o-2024*"
    assert rules.refusing("openai", "o3", None) == "allow only gpt-4o*, anthropic/*"
    deny_only = RuleSet(deny=parse_patterns(["*opus*"]))
    assert deny_only.refusing("openai", "gpt-4o", None) is None
    assert deny_only.refusing("anthropic", "claude-opus-4-1", None) == "deny *opus*"
    assert rules.describe() == "gpt-4o*, anthropic/*; never gpt-4o-2024*"


def test_parse_patterns_dedupes_in_order() -> None:
    assert [p.text for p in parse_patterns(["B*", "a", "b*"])] == ["b*", "a"]


# -- the SQL side agrees with the Python side ---------------------------------------------------

_CHARS = "ab-./:*?"
names = st.text(alphabet="ab-./:", min_size=1, max_size=12)
globs = st.text(alphabet=_CHARS, min_size=1, max_size=10)


@settings(max_examples=400, deadline=None)
@given(pattern=globs, provider=st.text(alphabet="ab-", min_size=1, max_size=6), model=names)
def test_python_and_sqlite_glob_agree(pattern: str, provider: str, model: str) -> None:
    """reserve() matches per-model envelopes with SQLite's GLOB; the proxy with fnmatchcase."""
    try:
        p = ModelPattern.parse(pattern)
    except PatternError:
        return
    conn = sqlite3.connect(":memory:")
    try:
        (sql,) = conn.execute(
            "SELECT ? GLOB ? AND ? GLOB ?", (provider.lower(), p.provider_glob, model.lower(), p.model_glob)
        ).fetchone()
    finally:
        conn.close()
    assert bool(sql) == p.matches(provider, model)
