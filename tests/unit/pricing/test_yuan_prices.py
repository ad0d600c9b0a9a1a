"""Prices set in yuan: the shipped table, exact CNY → nano-USD at the rate in force, never ¥ as $."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tokenwallet.core.money import usd_to_nano
from tokenwallet.core.usage import Usage
from tokenwallet.pricing import (
    ModelPrice,
    PriceBook,
    Tiers,
    UnknownModelError,
    fx,
    suggest_cheaper,
    yuan_table,
)
from tokenwallet.wallet.providers import PRESETS

CN_PROVIDERS = ("qwen-cn", "moonshot-cn", "zhipu", "minimax-cn", "volcengine", "qianfan", "siliconflow")
USAGE = Usage(input_tokens=12_345, cache_read_tokens=6_000, output_tokens=2_222, reasoning_tokens=500)


def test_the_table_covers_every_cny_provider_with_a_source_and_date() -> None:
    for provider in CN_PROVIDERS:
        assert provider in PRESETS
        entries = yuan_table.entries(provider)
        assert entries, provider
        for e in entries:
            assert e.currency == "CNY"
            assert e.source.startswith("https://"), e
            assert e.as_of[:4] in ("2025", "2026"), e


def test_a_yuan_price_is_converted_once_at_the_rate_never_booked_as_dollars() -> None:
    book = PriceBook(fx_rates={"CNY": Decimal("7.12")})
    price = book.lookup("moonshot-cn", "kimi-k2-0905-preview")
    assert (price.currency, price.usd_rate) == ("CNY", Decimal("7.12"))
    # by hand: ¥4 per 1M uncached input, ¥1 per 1M cache hits, ¥16 per 1M output
    cny = (Decimal(12_345) * 4 + Decimal(6_000) * 1 + Decimal(2_222) * 16) / 1_000_000
    assert price.cost_native(USAGE) == cny == Decimal("0.090932")
    assert price.cost_nano(USAGE) == usd_to_nano(cny / Decimal("7.12")) == 12_771_348
    assert book.cost(price, USAGE) == 12_771_348
    assert price.cost_nano(USAGE) != usd_to_nano(cny)  # the yuan figure is never taken as dollars


def test_the_rate_in_force_prices_the_call_and_travels_in_its_json() -> None:
    before = PriceBook().lookup("qianfan", "ernie-4.5-turbo-128k")
    after = PriceBook(fx_rates={"CNY": Decimal("7")}).lookup("qianfan", "ernie-4.5-turbo-128k")
    assert before.usd_rate == fx.DEFAULTS["CNY"].per_usd == Decimal("7.25")
    assert before.cost_native(USAGE) == after.cost_native(USAGE)
    assert before.cost_nano(USAGE) < after.cost_nano(USAGE)
    stored = json.loads(before.to_json())
    assert stored["v"] == 2 and stored["currency"] == "CNY" and stored["usd_rate"] == "7.25"
    again = ModelPrice.from_json(before.to_json())
    assert again == before and again.cost_nano(USAGE) == before.cost_nano(USAGE)


def test_usd_prices_keep_their_old_json() -> None:
    price = PriceBook().lookup("openai", "gpt-4o")
    stored = json.loads(price.to_json())
    assert stored["v"] == 1 and "currency" not in stored and "usd_rate" not in stored


def test_a_price_in_another_currency_needs_its_rate() -> None:
    with pytest.raises(ValueError, match="exchange rate"):
        ModelPrice("x", "y", "test", currency="CNY", input_mtok=Decimal(1))
    too_new = json.loads(PriceBook().lookup("qianfan", "ernie-x1-turbo-32k").to_json()) | {"v": 3}
    with pytest.raises(ValueError, match="newer"):
        ModelPrice.from_dict(too_new)


def test_aliases_and_long_context_tiers() -> None:
    book = PriceBook()
    ark = book.lookup("volcengine", "doubao-1-5-pro-32k-250115")
    assert ark.catalog_id == "doubao-1-5-pro-32k" and ark.input_mtok == Decimal("0.8")
    flash = book.lookup("qwen-cn", "qwen-flash")
    long_call = Usage(input_tokens=200_000, output_tokens=1_000)
    # above 128K input every token pays the second tier: ¥0.6 in, ¥6 out per 1M
    assert flash.cost_native(long_call) == (Decimal(200_000) * Decimal("0.6") + 1_000 * 6) / 1_000_000
    assert "¥0.15 in / ¥1.5 out" in flash.describe() and "7.25 CNY per USD" in flash.describe()


def test_a_model_the_table_does_not_know_is_not_guessed() -> None:
    with pytest.raises(UnknownModelError):
        PriceBook().lookup("moonshot-cn", "kimi-k9-preview")
    fallback = PriceBook(unknown_policy="fallback").lookup("volcengine", "ep-20250101-abcde")
    assert fallback.unpriced and fallback.currency == "USD"


def test_qwen_explicit_cache_writes_pay_the_write_rate() -> None:
    price = PriceBook().lookup("qwen-cn", "qwen-flash")
    usage = Usage(input_tokens=1_000, cache_read_tokens=2_000, cache_write_tokens=4_000, output_tokens=100)
    expected = (
        1_000 * Decimal("0.15") + 2_000 * Decimal("0.03") + 4_000 * Decimal("0.1875") + 100 * Decimal("1.5")
    )
    assert price.cost_native(usage) == expected / 1_000_000


def test_suggestions_include_chinese_models_in_the_same_tier() -> None:
    book = PriceBook(fx_rates={"CNY": Decimal("7.1")})
    mix = Usage(input_tokens=1_000_000, cache_read_tokens=200_000, output_tokens=100_000)
    found = suggest_cheaper(book, "openai", "gpt-4o", mix, limit=500, tiers=Tiers.load())
    kimi = [s for s in found if (s.provider, s.model) == ("moonshot-cn", "kimi-k2-0905-preview")]
    assert kimi and kimi[0].same_tier and kimi[0].tier == "high"
    cny = (Decimal(1_000_000) * 4 + Decimal(200_000) * 1 + Decimal(100_000) * 16) / 1_000_000
    assert kimi[0].cost_nano == usd_to_nano(cny / Decimal("7.1"))
    assert {s.provider for s in found} >= {"moonshot-cn", "qianfan", "volcengine"}
    # a yuan-priced model as the baseline: cheaper ones on its own platform come first
    own = suggest_cheaper(book, "moonshot-cn", "kimi-k2-turbo-preview", mix, limit=3, tiers=Tiers.load())
    assert own[0].provider == "moonshot-cn" and own[0].same_tier
    assert own[0].model in ("kimi-k2-0905-preview", "kimi-k2-thinking", "kimi-k2-0711-preview")


@pytest.mark.parametrize(
    ("provider", "model", "tier"),
    [
        ("volcengine", "doubao-1-5-pro-32k-250115", "high"),
        ("volcengine", "doubao-seed-1-6-flash-250615", "mid"),
        ("volcengine", "doubao-1-5-lite-32k", "small"),
        ("qianfan", "ernie-4.5-turbo-128k", "high"),
        ("minimax-cn", "MiniMax-M2", "high"),
        ("moonshot-cn", "moonshot-v1-8k", "mid"),
        ("zhipu", "glm-5.3-flash", "mid"),
        ("siliconflow", "deepseek-ai/DeepSeek-V3", "high"),
    ],
)
def test_chinese_models_have_tiers(provider: str, model: str, tier: str) -> None:
    assert Tiers.load().tier_of(provider, model) == tier


def test_rate_notes_say_whose_rate_it_is() -> None:
    default = fx.rate_from("CNY", None)
    assert not default.user_set and "default as of 2026-06" in default.note()
    mine = fx.rate_from("CNY", "7.12")
    assert mine.user_set and mine.note() == "7.12 CNY per USD (your rate)"
    with pytest.raises(fx.FxError):
        fx.parse_rate("0")
    with pytest.raises(fx.FxError):
        fx.currency_code("EUR")


def test_a_rows_original_amount_is_recovered_only_when_it_is_its_usage_at_its_price() -> None:
    price = PriceBook(fx_rates={"CNY": Decimal("7.12")}).lookup("moonshot-cn", "kimi-k2-0905-preview")
    native = fx.native_cost(price.to_json(), USAGE, price.cost_nano(USAGE))
    assert native == fx.NativeCost("CNY", Decimal("0.090932"), Decimal("7.12"))
    assert fx.native_cost(price.to_json(), USAGE, price.cost_nano(USAGE) + 1) is None
    usd = PriceBook().lookup("openai", "gpt-4o")
    assert fx.native_cost(usd.to_json(), USAGE, usd.cost_nano(USAGE)) is None
    shown = fx.Shown("CNY", Decimal("7.5"))  # the rate moved since: the row keeps its ¥ amount
    assert (
        shown.row_cost(price.cost_nano(USAGE), price.to_json(), USAGE) == "¥0.091"
    )  # not ¥0.096, today's rate
    assert shown.money(1_000_000_000) == "¥7.50"
