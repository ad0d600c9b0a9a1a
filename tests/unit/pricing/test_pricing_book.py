"""PriceBook: lookup order, unknown models, overrides, local models, reproducible price JSON."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest

from tokenwallet.core.usage import Usage
from tokenwallet.pricing import ModelPrice, PriceBook, PriceOverride, UnknownModelError


def test_unknown_model_blocks_by_default_with_a_helpful_message() -> None:
    book = PriceBook()
    with pytest.raises(UnknownModelError) as err:
        book.lookup("openai", "gpt-99-imaginary")
    assert err.value.provider == "openai" and err.value.model == "gpt-99-imaginary"
    message = str(err.value)
    assert "gpt-99-imaginary" in message and "override" in message and "fallback" in message
    assert not book.is_known("openai", "gpt-99-imaginary")


def test_unknown_model_fallback_is_never_free() -> None:
    book = PriceBook(
        unknown_policy="fallback", fallback_input_mtok=Decimal("5"), fallback_output_mtok=Decimal("15")
    )
    price = book.lookup("mystery", "model-x")
    assert price.unpriced and price.source == "fallback"
    assert book.cost(price, Usage(input_tokens=1_000_000, output_tokens=1_000_000)) == 20_000_000_000
    assert not book.is_known("mystery", "model-x")


def test_bad_policy_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown_policy"):
        PriceBook(unknown_policy="free")  # type: ignore[arg-type]


def test_overrides_win_over_the_catalog() -> None:
    override = PriceOverride("openai", "GPT-4o", Decimal("1"), Decimal("2"), cache_read_mtok=Decimal("0.1"))
    book = PriceBook([override])
    price = book.lookup("OpenAI", "gpt-4o")
    assert price.source == "override" and not price.unpriced
    assert (price.input_mtok, price.output_mtok, price.cache_read_mtok) == (
        Decimal(1),
        Decimal(2),
        Decimal("0.1"),
    )
    assert book.lookup("openai", "gpt-4o-mini").source.startswith("genai-prices")


def test_wildcard_override_prices_a_whole_provider() -> None:
    book = PriceBook([PriceOverride("myserver", "*", Decimal("0.5"), Decimal("1.5"))])
    price = book.lookup("myserver", "anything-at-all")
    assert price.source == "override" and price.model == "anything-at-all"
    assert book.cost(price, Usage(input_tokens=2_000_000)) == 1_000_000_000


def test_override_makes_an_unknown_model_known() -> None:
    book = PriceBook([PriceOverride("acme", "acme-large", Decimal("3"), Decimal("9"))])
    assert book.is_known("acme", "acme-large")
    assert any(p.model == "acme-large" for p in book.catalog(["acme"]))


@pytest.mark.parametrize("provider", ["ollama", "lmstudio", "LMStudio"])
def test_local_providers_cost_nothing(provider: str) -> None:
    book = PriceBook()
    price = book.lookup(provider, "llama3.1:8b")
    assert price.source == "local" and not price.unpriced and price.is_free
    assert book.cost(price, Usage(input_tokens=10**9, output_tokens=10**9)) == 0


def test_configured_local_provider_and_override_precedence() -> None:
    book = PriceBook(
        [PriceOverride("ollama", "paid-model", Decimal(1), Decimal(1))], local_providers={"homelab"}
    )
    assert book.lookup("homelab", "qwen3:32b").source == "local"
    assert book.lookup("ollama", "paid-model").source == "override"  # an explicit price still wins


@pytest.mark.parametrize(
    ("provider", "model", "source"),
    [
        ("openai", "gpt-4o-2024-08-06", "genai-prices"),
        ("anthropic", "claude-3-5-haiku-20241022", "genai-prices"),
        ("gemini", "gemini-2.5-flash", "genai-prices"),
        ("deepseek", "deepseek-reasoner", "genai-prices"),
        ("qwen", "qwen-max", "via openrouter"),
        ("qwen", "qwen3-max", "via openrouter"),
        ("moonshot", "kimi-k2-0905-preview", "genai-prices"),
        ("zhipu", "glm-4.5", "genai-prices"),
        ("mistral", "mistral-large-latest", "genai-prices"),
        ("groq", "llama-3.3-70b-versatile", "genai-prices"),
        ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "genai-prices"),
        ("openrouter", "anthropic/claude-sonnet-4.5", "genai-prices"),
    ],
)
def test_every_preset_provider_maps_to_the_catalog(provider: str, model: str, source: str) -> None:
    price = PriceBook().lookup(provider, model)
    assert source in price.source and not price.unpriced
    assert price.input_mtok > 0 and price.output_mtok > 0
    assert price.provider == provider and price.model == model


def test_models_billed_by_something_else_than_tokens_are_unknown() -> None:
    book = PriceBook()
    with pytest.raises(UnknownModelError):
        book.lookup("openai", "whisper-1")  # billed per audio hour


def test_price_json_round_trip_reproduces_every_cost() -> None:
    book = PriceBook([PriceOverride("acme", "m", Decimal("0.1"), Decimal("0.3"))])
    usages = [
        Usage(
            input_tokens=123_457,
            cache_read_tokens=7,
            cache_write_tokens=99,
            cache_write_1h_tokens=5,
            output_tokens=3,
        ),
        Usage(input_tokens=250_001, output_tokens=70_000, reasoning_tokens=69_999),
    ]
    prices = book.catalog(["openai", "anthropic", "gemini", "deepseek", "qwen", "acme"])
    assert len(prices) > 50
    for price in prices:
        text = price.to_json()
        again = ModelPrice.from_json(text)
        assert again == price
        assert again.to_json() == text  # stable
        for usage in usages:
            assert book.cost(again, usage) == book.cost(price, usage)


def test_stored_price_json_recomputes_the_same_nanos() -> None:
    """A ledger row written today must cost the same when re-read by any later version."""
    stored = (
        '{"cache_read_mtok":"0.3","cache_write_1h_mtok":"6","cache_write_mtok":"3.75",'
        '"catalog_id":"claude-sonnet-4-5","context_window":200000,"input_mtok":"3","max_output":64000,'
        '"model":"claude-sonnet-4-5","output_mtok":"15","provider":"anthropic","source":"genai-prices 0.2.3",'
        '"tiers":[{"above":200000,"cache_read_mtok":"0.6","cache_write_1h_mtok":"12","cache_write_mtok":"7.5",'
        '"input_mtok":"6","output_mtok":"22.5"}],"unpriced":false,"v":1}'
    )
    price = ModelPrice.from_json(stored)
    usage = Usage(input_tokens=1_000, cache_read_tokens=2_000, cache_write_tokens=3_000, output_tokens=4_000)
    # tokens × USD per million = micro-dollars = 1,000 nano each: 3,000 + 600 + 11,250 + 60,000 µ$
    assert price.cost_nano(usage) == 74_850_000
    assert price.cost_nano(Usage(input_tokens=200_001)) == 1_200_006_000  # above the tier: $6/M
    assert PriceBook().lookup("anthropic", "claude-sonnet-4-5").to_json() == stored


def test_newer_price_json_version_is_refused() -> None:
    data = json.loads(PriceBook().lookup("openai", "gpt-4o").to_json())
    data["v"] = 99
    with pytest.raises(ValueError, match="newer"):
        ModelPrice.from_json(json.dumps(data))


def test_lookup_is_fast_once_cached() -> None:
    book = PriceBook()
    pairs = [
        ("openai", "gpt-4o"),
        ("anthropic", "claude-sonnet-4-5"),
        ("deepseek", "deepseek-chat"),
        ("ollama", "x"),
    ]
    for p, m in pairs:
        book.lookup(p, m)
    t = time.perf_counter()
    for _ in range(2_500):
        for p, m in pairs:
            book.lookup(p, m)
    per_lookup = (time.perf_counter() - t) / 10_000
    assert per_lookup < 50e-6  # measured ≈ 1–3 µs


def test_describe_for_people() -> None:
    text = PriceBook().lookup("anthropic", "claude-sonnet-4-5").describe()
    assert text.startswith("$3 in / $15 out per 1M tokens")
    assert "above 200,000 input tokens $6 in / $22.5 out" in text


def test_context_windows_and_output_limits() -> None:
    book = PriceBook()
    assert book.lookup("openai", "gpt-4o").context_window == 128_000
    assert book.lookup("gemini", "gemini-2.5-pro").context_window == 1_048_576
    assert book.lookup("anthropic", "claude-opus-4-1").max_output == 32_000
    assert book.lookup("anthropic", "claude-sonnet-4-5").max_output == 64_000


def test_cache_stays_bounded_when_clients_invent_model_names(monkeypatch: pytest.MonkeyPatch) -> None:
    from tokenwallet.pricing import book as book_module

    monkeypatch.setattr(book_module, "MAX_CACHED_MODELS", 50)
    book = PriceBook(unknown_policy="fallback")
    for i in range(200):
        assert book.lookup("openai", f"made-up-{i}").unpriced
    assert len(book._entries) <= 50
    assert book.lookup("openai", "gpt-4o").input_mtok == Decimal("2.5")
