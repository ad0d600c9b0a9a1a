"""Cheaper-model suggestions: cheaper for the mix, fits the context, same or nearby tier."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tokenwallet.core.usage import Usage
from tokenwallet.pricing import PriceBook, PriceOverride, Tiers, suggest_cheaper
from tokenwallet.pricing.suggest import mix_cost

MIX = Usage(input_tokens=2_000_000, cache_read_tokens=500_000, output_tokens=300_000)


@pytest.fixture(scope="module")
def book() -> PriceBook:
    return PriceBook()


@pytest.fixture(scope="module")
def tiers() -> Tiers:
    return Tiers.load()


@pytest.mark.parametrize(
    ("provider", "model", "tier"),
    [
        ("openai", "gpt-5", "frontier"),
        ("openai", "gpt-5-mini", "mid"),
        ("openai", "gpt-5-nano", "small"),
        ("openai", "gpt-4o", "high"),
        ("openai", "gpt-4o-mini-2024-07-18", "mid"),
        ("anthropic", "claude-opus-4-1", "frontier"),
        ("anthropic", "claude-sonnet-4-5", "high"),
        ("anthropic", "claude-haiku-4-5", "mid"),
        ("anthropic", "claude-3-haiku-20240307", "small"),
        ("gemini", "gemini-2.5-pro", "frontier"),
        ("gemini", "gemini-2.5-flash", "mid"),
        ("gemini", "gemini-2.5-flash-lite", "small"),
        ("deepseek", "deepseek-chat", "high"),
        ("qwen", "qwen-max", "high"),
        ("qwen", "qwen-turbo", "small"),
        ("mistral", "mistral-large-latest", "high"),
        ("openrouter", "openai/gpt-4o", "high"),
        ("openai", "text-embedding-3-small", None),
    ],
)
def test_shipped_tiers(tiers: Tiers, provider: str, model: str, tier: str | None) -> None:
    assert tiers.tier_of(provider, model) == tier


def test_suggestions_are_cheaper_nearby_and_sorted(book: PriceBook, tiers: Tiers) -> None:
    found = suggest_cheaper(book, "openai", "gpt-4o", MIX, calls=200, limit=20)
    assert found
    baseline = mix_cost(book.lookup("openai", "gpt-4o"), MIX, 200)
    for s in found:
        assert s.baseline_nano == baseline
        assert s.cost_nano < baseline and s.saving_nano == baseline - s.cost_nano
        assert s.saving_pct == (s.saving_nano * 100) // baseline
        assert s.tier in ("frontier", "high", "mid") and s.same_tier == (s.tier == "high")
        assert (s.provider, s.model) != ("openai", "gpt-4o")
        assert ":" not in s.model and s.provider != "openrouter"
    # same provider + same tier first, then biggest saving
    firsts = [s for s in found if s.provider == "openai" and s.same_tier]
    assert found[: len(firsts)] == firsts
    rest = found[len(firsts) :]
    assert [s.saving_nano for s in rest] == sorted((s.saving_nano for s in rest), reverse=True)
    assert any(s.model.startswith("gpt-4.1") for s in firsts)
    assert not any(s.model in ("gpt-4o-2024-08-06", "gpt-4o-2024-11-20") for s in found)  # aliases of itself


def test_limit_and_same_provider_only(book: PriceBook) -> None:
    found = suggest_cheaper(book, "anthropic", "claude-opus-4-1", MIX, providers=["anthropic"], limit=3)
    assert len(found) == 3 and all(s.provider == "anthropic" for s in found)
    assert all(s.tier in ("frontier", "high") for s in found)
    assert suggest_cheaper(book, "anthropic", "claude-opus-4-1", MIX, limit=0) == []


def test_context_needed_filters_small_windows(book: PriceBook) -> None:
    found = suggest_cheaper(book, "openai", "gpt-4.1", MIX, context_needed=300_000, limit=50)
    assert found
    assert all(s.context_window is not None and s.context_window >= 300_000 for s in found)


def test_no_suggestions_for_unknown_untiered_or_cheapest(book: PriceBook) -> None:
    assert suggest_cheaper(book, "openai", "gpt-99-imaginary", MIX) == []
    assert suggest_cheaper(book, "openai", "text-embedding-3-large", MIX) == []  # no tier
    assert suggest_cheaper(book, "ollama", "llama3", MIX) == []  # free already
    assert suggest_cheaper(book, "openai", "gpt-4o", Usage()) == []  # nothing to save on


def test_average_call_picks_the_long_context_tier_not_the_sum(book: PriceBook) -> None:
    price = book.lookup("anthropic", "claude-sonnet-4-5")
    week = Usage(input_tokens=1_000_000, output_tokens=100_000)  # 100 calls of 10k tokens
    assert mix_cost(price, week, calls=100) == 3_000_000_000 + 1_500_000_000
    assert mix_cost(price, week, calls=1) == 6_000_000_000 + 2_250_000_000  # one huge prompt


def test_user_tiers_file_overrides_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "model_tiers.toml").write_text('[small]\nany = ["gpt-4o"]\n[frontier]\nacme = ["acme-*"]\n')
    tiers = Tiers.load(tmp_path)
    assert tiers.tier_of("openai", "gpt-4o") == "small"  # same length pattern: the user's file wins
    assert tiers.tier_of("acme", "acme-ultra") == "frontier"
    assert tiers.tier_of("other", "acme-ultra") is None  # provider-specific pattern
    assert tiers.order == ["frontier", "high", "mid", "small"]


def test_overridden_models_are_candidates(book: PriceBook, tmp_path: Path) -> None:
    (tmp_path / "model_tiers.toml").write_text('[high]\nacme = ["acme-pro"]\n')
    priced = PriceBook([PriceOverride("acme", "acme-pro", Decimal("0.01"), Decimal("0.02"))])
    found = suggest_cheaper(priced, "openai", "gpt-4o", MIX, providers=["openai", "acme"], data_dir=tmp_path)
    assert found[0].provider == "openai"  # same provider + tier still leads
    assert any(s.provider == "acme" and s.model == "acme-pro" and s.same_tier for s in found)
