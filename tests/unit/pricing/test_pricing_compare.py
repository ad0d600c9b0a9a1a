"""pricing.compare: which models are compared, their rows, sorting, shares and the energy hook."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from fakes._vision import data_url, png
from tokenwallet.core.energy_text import wh_cell
from tokenwallet.core.money import Amount
from tokenwallet.pricing import PriceBook
from tokenwallet.pricing.compare import (
    CallEnergy,
    Prompt,
    candidate_prices,
    compare,
    percent_text,
    prompt_counter,
    row_dict,
    share_columns,
    share_of,
    sort_rows,
)
from tokenwallet.pricing.holds import OutputPlan
from tokenwallet.pricing.suggest import Tiers
from tokenwallet.tokens import count_text
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.types import Scope

TEXT = "Explain double-entry bookkeeping to a ten-year-old. " * 10


@pytest.fixture
def wallet(tmp_path: Path) -> Wallet:
    w = Wallet.open(tmp_path / "wallet.db")
    yield w  # type: ignore[misc]
    w.close()


def test_candidates_are_tiered_models_of_keyed_providers_and_presets() -> None:
    book, tiers = PriceBook(), Tiers.load()
    prices = candidate_prices(book, {"openai"}, ("openai", "gpt-4o"), tiers)
    names = {(p.provider, p.model) for p in prices}
    assert ("openai", "gpt-4o") in names
    assert {p.provider for p in prices} >= {"openai", "anthropic", "gemini", "mistral"}
    assert "openrouter" not in {p.provider for p in prices}  # it resells the others: only when keyed
    assert all(
        tiers.tier_of(p.provider, p.model) for p in prices if (p.provider, p.model) != ("openai", "gpt-4o")
    )
    assert not any("embedding" in p.model for p in prices)
    assert "openrouter" in {p.provider for p in candidate_prices(book, {"openrouter"}, None, tiers)}


def test_rows_count_with_each_models_tokenizer_and_price_the_hold() -> None:
    book = PriceBook()
    prices = [book.lookup("openai", "gpt-4o"), book.lookup("anthropic", "claude-haiku-4-5")]
    rows = compare(book, prices, prompt_counter(Prompt(TEXT)), OutputPlan(300), keyed={"openai"})
    by = {r.model: r for r in rows}
    gpt, claude = by["gpt-4o"], by["claude-haiku-4-5"]
    assert gpt.input_tokens == count_text(TEXT, "gpt-4o").tokens and gpt.exact and gpt.has_key
    assert not claude.exact and not claude.has_key
    assert gpt.cost_nano == book.worst_case(prices[0], gpt.input_tokens, 300)
    assert gpt.fits_context is True and gpt.output_tokens == 300
    # energy from core.energy (ecologits), the same figure a settled call of that size gets
    from tokenwallet.core.energy import energy_for

    impact = energy_for("openai", "gpt-4o", 300, None, "WOR")
    assert impact is not None and gpt.energy_wh == impact.wh_mid == row_dict(gpt)["energy_wh"]
    # a 200k output does not fit a 128k window
    long = compare(book, prices[:1], prompt_counter(Prompt(TEXT)), OutputPlan(200_000), keyed=())
    assert long[0].fits_context is False


def test_energy_says_when_it_comes_from_the_size_class() -> None:
    book = PriceBook()
    prices = [book.lookup("openai", "gpt-4o"), book.lookup("deepseek", "deepseek-chat")]
    rows = {
        r.model: r for r in compare(book, prices, prompt_counter(Prompt(TEXT)), OutputPlan(100), keyed=())
    }
    gpt, deepseek = rows["gpt-4o"], rows["deepseek-chat"]
    assert gpt.energy_wh is not None and not gpt.energy_estimated  # ecologits' data for gpt-4o
    assert deepseek.energy_wh is not None and deepseek.energy_estimated  # its tier's size class
    assert row_dict(deepseek)["energy_estimated"] is True and row_dict(gpt)["energy_estimated"] is False
    assert wh_cell(deepseek.energy_wh, estimated=True) == f"~{deepseek.energy_wh:.3g} Wh"
    assert wh_cell(gpt.energy_wh, estimated=False) == f"{gpt.energy_wh:.3g} Wh"
    assert wh_cell(None, estimated=False) == "—"


def test_the_energy_column_comes_from_one_function() -> None:
    book = PriceBook()
    prices = [book.lookup("openai", "gpt-4o"), book.lookup("openai", "gpt-4o-mini")]
    seen: list[tuple[str, str, int, int]] = []

    def energy(provider: str, model: str, inp: int, out: int) -> CallEnergy | None:
        seen.append((provider, model, inp, out))
        return CallEnergy(0.5, estimated=False) if model == "gpt-4o" else None

    rows = compare(book, prices, prompt_counter(Prompt(TEXT)), OutputPlan(100), keyed=(), energy=energy)
    assert {s[1] for s in seen} == {"gpt-4o", "gpt-4o-mini"} and all(s[3] == 100 for s in seen)
    ordered = sort_rows(rows, "energy", descending=True)
    assert [r.energy_wh for r in ordered] == [0.5, None]  # unknown last, whichever direction


def test_sorting_keeps_unknown_values_last_and_ties_by_cost() -> None:
    book = PriceBook()
    prices = [book.lookup("openai", m) for m in ("gpt-4o", "gpt-4o-mini", "gpt-4.1")]
    rows = compare(book, prices, prompt_counter(Prompt(TEXT)), OutputPlan(100), keyed=())
    unknown = replace(rows[0], fits_context=None, tier_rank=None)
    mixed = [unknown, *rows[1:]]
    for descending in (False, True):
        assert sort_rows(mixed, "fit", descending=descending)[-1] is unknown
        assert sort_rows(mixed, "tier", descending=descending)[-1] is unknown
    costs = [r.cost_nano for r in sort_rows(rows, "cost")]
    assert costs == sorted(costs)
    with pytest.raises(ValueError, match="sort by one of"):
        sort_rows(rows, "speed")


def test_shares_per_envelope_and_per_model(wallet: Wallet) -> None:
    wallet.add_profile("alice")
    wallet.set_budget(Scope("profile", "alice"), Amount("usd", 10**9), period="month", action="block")
    wallet.set_budget(Scope("provider", "openai"), Amount("tokens", 1000), period="day", action="warn")
    binding = wallet.binding_for("alice")
    book = PriceBook()
    prices = [book.lookup("openai", "gpt-4o"), book.lookup("anthropic", "claude-haiku-4-5")]
    rows = compare(
        book,
        prices,
        prompt_counter(Prompt(TEXT)),
        OutputPlan(2000),
        keyed=(),
        envelopes=lambda p, m: wallet.applicable(binding, provider=p, model=m),
    )
    by = {r.model: r for r in rows}
    month, day = share_columns(rows)
    gpt, claude = by["gpt-4o"], by["claude-haiku-4-5"]
    s = share_of(gpt, month.id)
    assert s is not None and s.share_bp == gpt.cost_nano * 10_000 // 10**9 and s.fits
    tokens = share_of(gpt, day.id)
    assert tokens is not None and tokens.need == gpt.input_tokens + 2000 and not tokens.fits
    assert gpt.refused is False  # the token budget only warns
    assert share_of(claude, day.id) is None  # openai's budget does not pay for claude


def test_percent_in_words() -> None:
    assert [percent_text(b) for b in (None, 0, 1, 35, 999, 1000, 123_456)] == [
        "nothing left",
        "under 0.01 %",
        "0.01 %",
        "0.35 %",
        "9.99 %",
        "10 %",
        "1,234 %",
    ]


def test_image_bodies_are_counted_once_per_tokenizer_and_image_rule() -> None:
    body = {
        "model": "gpt-4o",
        "messages": [
            {
                "role": "user",
                "content": [{"type": "image_url", "image_url": {"url": data_url(png(512, 512))}}],
            }
        ],
    }
    count = prompt_counter(Prompt("", body, "openai", "chat/completions"))
    assert count("openai", "gpt-4o").image_tokens == 85 + 170
    assert count("openai", "gpt-4o-mini").image_tokens == 2833 + 5667
    assert count("openai", "gpt-4.1-mini").image_tokens == 256 * 162 // 100 + 1  # 414.72 → 415
    assert count("anthropic", "claude-haiku-4-5").image_tokens == 350  # 512 × 512 / 750, rounded up
