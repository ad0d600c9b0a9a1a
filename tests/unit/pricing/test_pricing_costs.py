"""Exact costs: published prices, every token class, tiers, and agreement with genai-prices."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tokenwallet.core.money import NANO_PER_USD, usd_to_nano
from tokenwallet.core.usage import Usage
from tokenwallet.pricing import ModelPrice, PriceBook, PriceTier

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def book() -> PriceBook:
    return PriceBook()


def usd(text: str) -> int:
    return usd_to_nano(Decimal(text))


def test_gpt4o_one_million_in_and_out_is_twelve_fifty(book: PriceBook) -> None:
    price = book.lookup("openai", "gpt-4o")
    assert (price.input_mtok, price.output_mtok) == (Decimal("2.5"), Decimal("10"))
    assert book.cost(price, Usage(input_tokens=1_000_000, output_tokens=1_000_000)) == usd("12.50")
    assert usd("12.50") == 12_500_000_000


def test_openai_cached_prompt_tokens(book: PriceBook) -> None:
    # API: prompt_tokens=10,000 of which cached_tokens=4,000; completion_tokens=1,000.
    # The adapter stores input = 10,000 − 4,000 uncached; cached reads cost $1.25/M on gpt-4o.
    usage = Usage(input_tokens=6_000, cache_read_tokens=4_000, output_tokens=1_000)
    cost = book.cost(book.lookup("openai", "gpt-4o"), usage)
    assert cost == usd("0.015") + usd("0.005") + usd("0.01") == 30_000_000


def test_anthropic_cache_reads_and_5m_1h_writes(book: PriceBook) -> None:
    price = book.lookup("anthropic", "claude-sonnet-4-0")
    assert price.cache_write_mtok == Decimal("3.75") and price.cache_write_1h_mtok == Decimal("6")
    usage = Usage(
        input_tokens=1_000,
        cache_read_tokens=10_000,
        cache_write_tokens=2_000,
        cache_write_1h_tokens=3_000,
        output_tokens=500,
    )
    # 1,000×3 + 10,000×0.30 + 2,000×3.75 + 3,000×6 + 500×15 = 39,000 µ$ per M → $0.039
    assert book.cost(price, usage) == usd("0.039")


def test_claude_long_context_tier_by_total_input(book: PriceBook) -> None:
    price = book.lookup("anthropic", "claude-sonnet-4-5")
    assert price.tiers and price.tiers[0].above == 200_000
    at_limit = Usage(input_tokens=190_000, cache_read_tokens=10_000, output_tokens=1_000)
    # exactly 200,000 total input: base rates (the tier applies *above* the threshold)
    assert book.cost(price, at_limit) == usd("0.57") + usd("0.003") + usd("0.015")
    above = Usage(input_tokens=240_000, cache_read_tokens=10_000, output_tokens=1_000)
    # 250,000 total input: every token at the long-context rates ($6 in, $0.60 cache read, $22.50 out)
    assert book.cost(price, above) == usd("1.44") + usd("0.006") + usd("0.0225")
    # cache reads count towards the threshold too
    cached = Usage(input_tokens=1_000, cache_read_tokens=200_000, output_tokens=0)
    assert book.cost(price, cached) == usd("0.006") + usd("0.12")


def test_gemini_thinking_tokens_are_output(book: PriceBook) -> None:
    price = book.lookup("gemini", "gemini-2.5-flash")
    # candidatesTokenCount=1,000 + thoughtsTokenCount=2,000 → output 3,000 of which reasoning 2,000
    usage = Usage(input_tokens=1_000, output_tokens=3_000, reasoning_tokens=2_000)
    assert book.cost(price, usage) == usd("0.0003") + usd("0.0075")


def test_gemini_pro_long_context_output_rate(book: PriceBook) -> None:
    price = book.lookup("gemini", "gemini-2.5-pro")
    usage = Usage(input_tokens=300_000, output_tokens=10_000, reasoning_tokens=4_000)
    assert book.cost(price, usage) == usd("0.75") + usd("0.15")


def test_reasoning_rate_when_a_model_has_one() -> None:
    price = ModelPrice(
        "x", "m", "override", input_mtok=Decimal(1), output_mtok=Decimal(4), reasoning_mtok=Decimal(2)
    )
    assert price.cost_nano(Usage(output_tokens=1_000_000, reasoning_tokens=250_000)) == usd("3.5")


def test_missing_cache_rates_fall_back_in_order() -> None:
    price = ModelPrice("x", "m", "override", input_mtok=Decimal(2), output_mtok=Decimal(8))
    usage = Usage(cache_read_tokens=1_000_000, cache_write_tokens=1_000_000, cache_write_1h_tokens=1_000_000)
    assert price.cost_nano(usage) == usd("6")  # all three at the input rate
    with_write = ModelPrice(
        "x", "m", "override", input_mtok=Decimal(2), output_mtok=Decimal(8), cache_write_mtok=Decimal(3)
    )
    assert with_write.cost_nano(Usage(cache_write_1h_tokens=1_000_000)) == usd("3")


def test_rounding_happens_once_half_to_even() -> None:
    price = ModelPrice("x", "m", "override", input_mtok=Decimal("0.0015"), output_mtok=Decimal("0.0025"))
    # 1 token at $0.0015/M = 1.5 nano → 2 (half to even); 1 output at 2.5 nano → 2; together 4 nano
    assert price.cost_nano(Usage(input_tokens=1)) == 2
    assert price.cost_nano(Usage(output_tokens=1)) == 2
    assert price.cost_nano(Usage(input_tokens=1, output_tokens=1)) == 4  # not 2 + 2 rounded apart
    assert price.cost_usd(Usage(input_tokens=1, output_tokens=1)) == Decimal("0.000000004")


def test_tier_selection_uses_highest_crossed_threshold() -> None:
    price = ModelPrice(
        "x",
        "m",
        "override",
        input_mtok=Decimal(1),
        output_mtok=Decimal(2),
        tiers=(
            PriceTier(100, input_mtok=Decimal(3)),
            PriceTier(1000, input_mtok=Decimal(5), output_mtok=Decimal(7)),
        ),
    )
    assert price.rates_for(100) == dataclasses.replace(price, tiers=())
    flat = ModelPrice("x", "m", "override", input_mtok=Decimal(1), output_mtok=Decimal(2))
    assert flat.rates_for(10**9) is flat
    assert price.rates_for(101).input_mtok == 3 and price.rates_for(101).output_mtok == 2
    assert price.rates_for(5000).input_mtok == 5 and price.rates_for(5000).output_mtok == 7


def test_price_in_force_at_the_call_timestamp(book: PriceBook) -> None:
    before = book.lookup("openai", "o3", at=datetime(2025, 6, 1, tzinfo=UTC))
    after = book.lookup("openai", "o3", at=datetime(2025, 6, 11, tzinfo=UTC))
    assert (before.input_mtok, after.input_mtok) == (Decimal(10), Decimal(2))
    # DeepSeek's off-peak discount follows the UTC time of day
    peak = book.lookup("deepseek", "deepseek-chat", at=datetime(2025, 3, 1, 10, 0, tzinfo=UTC))
    off_peak = book.lookup("deepseek", "deepseek-chat", at=datetime(2025, 3, 1, 20, 0, tzinfo=UTC))
    assert peak.input_mtok > off_peak.input_mtok


def test_worst_case_and_default_max_output(book: PriceBook) -> None:
    price = book.lookup("openai", "gpt-4o")
    assert book.default_max_output(price) == 16_384
    assert book.worst_case(price, 1_000, 500) == usd("0.0025") + usd("0.005")
    assert book.worst_case(price, 1_000, None) == usd("0.0025") + 16_384 * 10 * NANO_PER_USD // 1_000_000
    unknown_limits = ModelPrice("x", "mystery", "override", input_mtok=Decimal(1), output_mtok=Decimal(1))
    assert book.default_max_output(unknown_limits) == 8192
    # a long prompt reserves at the long-context rate
    claude = book.lookup("anthropic", "claude-sonnet-4-5")
    assert book.worst_case(claude, 300_000, 0) == usd("1.8")


def _genai_usage(u: Usage) -> object:
    from genai_prices import Usage as GUsage

    return GUsage(
        input_tokens=u.total_input,  # genai-prices counts cache reads and writes inside input_tokens
        cache_read_tokens=u.cache_read_tokens,
        cache_write_tokens=u.cache_write_tokens + u.cache_write_1h_tokens,
        cache_write_1h_tokens=u.cache_write_1h_tokens,
        output_tokens=u.output_tokens,
        output_reasoning_tokens=u.reasoning_tokens,
    )


USAGES = [
    Usage(input_tokens=1_234, output_tokens=567),
    Usage(input_tokens=10_000, cache_read_tokens=50_000, cache_write_tokens=3_000, output_tokens=2_000),
    Usage(input_tokens=150_000, cache_read_tokens=90_000, cache_write_1h_tokens=20_000, output_tokens=9_999),
    Usage(input_tokens=300_001, output_tokens=1, reasoning_tokens=1),
]


GENAI_ROUTE = {
    "gemini": ("google", ""),
    "moonshot": ("moonshotai", ""),
    "zhipu": ("zhipuai", ""),
    "qwen": ("openrouter", "qwen/"),
}
PROVIDERS = ["openai", "anthropic", "gemini", "deepseek", "mistral", "moonshot", "zhipu", "qwen", "groq"]


@pytest.mark.parametrize("provider", [*PROVIDERS, "together", "openrouter"])
def test_costs_agree_with_genai_prices_for_the_whole_catalog(book: PriceBook, provider: str) -> None:
    import genai_prices

    prices = book.catalog([provider], at=NOW)
    assert len(prices) >= 5
    checked = 0
    genai_id, prefix = GENAI_ROUTE.get(provider, (provider, ""))
    for price in prices:
        if price.currency != "USD":
            continue  # billed in yuan: priced from resources/cny_prices.toml (test_yuan_prices.py)
        for usage in USAGES:
            try:
                calc = genai_prices.calc_price(
                    _genai_usage(usage),
                    prefix + price.model,
                    provider_id=genai_id,
                    genai_request_timestamp=NOW,
                )
            except LookupError:
                break  # e.g. a zhipu model only Z.ai lists
            if calc.model_price.requests_kcount is not None:
                break  # per-request fees are outside a token usage record
            assert price.cost_nano(usage) == usd_to_nano(calc.total_price), (price.model, usage)
            checked += 1
    assert checked >= 10
