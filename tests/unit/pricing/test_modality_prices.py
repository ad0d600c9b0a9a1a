"""Audio, image and video token parts (issue 12): read from each API's usage, priced at their own
rates from genai-prices, never priced as text when the model has no rate for them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tokenwallet.core import modality
from tokenwallet.core.money import usd_to_nano
from tokenwallet.core.usage import Usage
from tokenwallet.pricing.book import PriceBook
from tokenwallet.pricing.holds import OutputPlan, worst_case, worst_output
from tokenwallet.pricing.model_price import ModelPrice, PriceTier
from tokenwallet.proxy.usage import UsageError, gemini_usage, openai_usage, responses_usage

REALTIME = ModelPrice(
    "openai",
    "gpt-realtime",
    "test",
    input_mtok=Decimal(4),
    output_mtok=Decimal(16),
    cache_read_mtok=Decimal("0.4"),
    input_audio_mtok=Decimal(32),
    output_audio_mtok=Decimal(64),
    cache_audio_read_mtok=Decimal("0.4"),
    input_image_mtok=Decimal(5),
)
TEXT_ONLY = ModelPrice("openai", "gpt-4o", "test", input_mtok=Decimal("2.5"), output_mtok=Decimal(10))


def nano(usd_times_million: Decimal | int) -> int:
    return usd_to_nano(Decimal(usd_times_million) / 10**6)


def test_each_part_is_charged_at_its_own_rate() -> None:
    u = Usage(
        input_tokens=1000,  # 500 text + 300 audio + 200 image
        input_audio_tokens=300,
        input_image_tokens=200,
        cache_read_tokens=100,  # 40 of them audio
        cache_audio_read_tokens=40,
        output_tokens=50,  # 20 text + 30 audio
        output_audio_tokens=30,
    )
    expected = 500 * 4 + 300 * 32 + 200 * 5 + 100 * Decimal("0.4") + 20 * 16 + 30 * 64
    assert REALTIME.cost_nano(u) == nano(expected)
    assert REALTIME.unpriced_parts(u) == []


def test_parts_a_price_lacks() -> None:
    audio = Usage(input_tokens=10, input_audio_tokens=5, output_tokens=4, output_audio_tokens=4)
    assert TEXT_ONLY.unpriced_parts(audio) == ["input audio", "output audio"]
    # images and video without their own rate are billed as text input: not "unpriced"
    seen = Usage(input_tokens=10, input_image_tokens=5, input_video_tokens=5)
    assert TEXT_ONLY.unpriced_parts(seen) == [] and TEXT_ONLY.cost_nano(seen) == nano(10 * Decimal("2.5"))
    # outside the proxy (which charges the hold instead) an unpriced part is never text-priced
    assert TEXT_ONLY.cost_nano(audio) > TEXT_ONLY.cost_nano(Usage(input_tokens=10, output_tokens=4))


def test_audio_rates_survive_the_price_json_and_tiers() -> None:
    tiered = ModelPrice(
        "gemini",
        "m",
        "test",
        input_mtok=Decimal(1),
        output_mtok=Decimal(2),
        input_audio_mtok=Decimal(3),
        tiers=(PriceTier(above=100, input_audio_mtok=Decimal(6)),),
    )
    assert ModelPrice.from_json(tiered.to_json()) == tiered
    small = Usage(input_tokens=100, input_audio_tokens=100)
    big = Usage(input_tokens=200, input_audio_tokens=200)
    assert (tiered.cost_nano(small), tiered.cost_nano(big)) == (nano(300), nano(1200))
    assert "audio in $3" in tiered.describe()
    assert "audio" not in TEXT_ONLY.to_json()  # a text model's stored price is what it always was


def test_the_hold_of_a_speaking_model_uses_its_audio_output_rate() -> None:
    book = PriceBook()
    wc = worst_case(book, REALTIME, OutputPlan(1000), 10)
    assert wc.cost_nano == nano(10 * 4 + 1000 * 64)
    assert worst_output(TEXT_ONLY, 10, 1000).output_audio_tokens == 0
    assert book.worst_case(REALTIME, 10, 1000) == wc.cost_nano


def test_genai_prices_audio_rates_are_read() -> None:
    price = PriceBook().lookup("openai", "gpt-realtime")
    assert (price.input_audio_mtok, price.output_audio_mtok) == (Decimal(32), Decimal(64))
    flash = PriceBook().lookup("gemini", "gemini-2.5-flash")
    assert flash.input_audio_mtok == Decimal(1) and flash.output_audio_mtok is None


def test_audio_rates_genai_prices_lacks_come_from_the_dated_table() -> None:
    book = PriceBook()
    preview = book.lookup("openai", "gpt-4o-audio-preview")
    assert (preview.input_audio_mtok, preview.output_audio_mtok) == (Decimal(40), Decimal(80))
    assert "audio_prices.toml (2026-11-29)" in preview.source
    assert book.lookup("openai", "gpt-4o-audio-preview-2024-10-01").input_audio_mtok is None  # other rates
    pro = book.lookup("gemini", "gemini-2.5-pro")  # audio in is billed like text, tiers included
    assert pro.input_audio_mtok == pro.input_mtok == Decimal("1.25")
    assert pro.rates_for(300_000).input_audio_mtok == Decimal("2.5")
    assert book.lookup("openai", "gpt-realtime").source.endswith(book.source)  # genai-prices had them


# -- reading the parts out of each API's usage ---------------------------------------------------


def test_openai_chat_audio_details() -> None:
    u = openai_usage(
        {
            "prompt_tokens": 100,
            "completion_tokens": 50,
            "prompt_tokens_details": {"audio_tokens": 60, "cached_tokens": 10, "image_tokens": 5},
            "completion_tokens_details": {"audio_tokens": 40, "reasoning_tokens": 0},
        }
    )
    assert u == Usage(
        input_tokens=90,
        cache_read_tokens=10,
        output_tokens=50,
        input_audio_tokens=60,
        input_image_tokens=5,
        output_audio_tokens=40,
    )


def test_media_that_only_fits_if_cached_is_charged_uncached() -> None:
    # 100 prompt tokens, 50 cached, 80 of them audio: at least 30 audio tokens were cached; the
    # usage does not say so, so they are charged at the (dearer) uncached audio rate.
    u = openai_usage(
        {
            "prompt_tokens": 100,
            "completion_tokens": 0,
            "prompt_tokens_details": {"audio_tokens": 80, "cached_tokens": 50},
        }
    )
    assert u is not None
    assert (u.input_tokens, u.cache_read_tokens, u.input_audio_tokens) == (80, 20, 80)
    assert u.total_input == 100


@pytest.mark.parametrize(
    "usage",
    [
        {"prompt_tokens": 10, "completion_tokens": 0, "prompt_tokens_details": {"audio_tokens": 11}},
        {"prompt_tokens": 10, "completion_tokens": 5, "completion_tokens_details": {"audio_tokens": 6}},
        {"prompt_tokens": 10, "completion_tokens": 0, "prompt_tokens_details": {"audio_tokens": -1}},
        {
            "prompt_tokens": 10,
            "completion_tokens": 5,
            "completion_tokens_details": {"audio_tokens": 3, "reasoning_tokens": 3},
        },
    ],
)
def test_media_parts_beyond_their_totals_are_not_believed(usage: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        openai_usage(usage)


def test_responses_audio_details() -> None:
    u = responses_usage(
        {
            "input_tokens": 40,
            "output_tokens": 20,
            "input_tokens_details": {"cached_tokens": 0, "audio_tokens": 30},
            "output_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 15},
        }
    )
    assert u is not None and (u.input_audio_tokens, u.output_audio_tokens) == (30, 15)


def test_gemini_modality_breakdown() -> None:
    u = gemini_usage(
        {
            "promptTokenCount": 1000,
            "cachedContentTokenCount": 400,
            "candidatesTokenCount": 100,
            "promptTokensDetails": [
                {"modality": "TEXT", "tokenCount": 100},
                {"modality": "AUDIO", "tokenCount": 500},
                {"modality": "VIDEO", "tokenCount": 300},
                {"modality": "IMAGE", "tokenCount": 100},
            ],
            "cacheTokensDetails": [{"modality": "AUDIO", "tokenCount": 400}],
            "candidatesTokensDetails": [{"modality": "AUDIO", "tokenCount": 100}],
        }
    )
    assert u == Usage(
        input_tokens=600,
        cache_read_tokens=400,
        output_tokens=100,
        input_audio_tokens=100,
        cache_audio_read_tokens=400,
        input_video_tokens=300,
        input_image_tokens=100,
        output_audio_tokens=100,
    )


@pytest.mark.parametrize(
    "details",
    [
        [{"modality": "AUDIO", "tokenCount": 11}],
        [{"modality": "AUDIO"}, "x"],
        [{"tokenCount": 3}],
        {"modality": "AUDIO", "tokenCount": 3},
    ],
)
def test_gemini_breakdowns_that_do_not_read_right(details: object) -> None:
    with pytest.raises(UsageError):
        gemini_usage({"promptTokenCount": 10, "promptTokensDetails": details})


def test_what_a_call_used_besides_text_in_words() -> None:
    u = Usage(input_tokens=400, input_audio_tokens=340, output_tokens=20, output_audio_tokens=12)
    assert modality.describe(u) == "340 audio tokens in, 12 audio tokens out"
    assert modality.describe(Usage(), '{"size":"1280x720","video_seconds":12}') == "12 s video 1280x720"
    assert modality.describe(Usage(), '{"audio_ms":61234}') == "62 s audio"
    assert modality.describe(Usage(input_tokens=5)) == ""


def test_images_a_gemini_model_generates_are_charged_and_held_at_the_image_rate() -> None:
    # gemini-2.5-flash-image (genai-prices): text out $2.50, image out $30 per 1M tokens.
    book = PriceBook()
    price = book.lookup("gemini", "gemini-2.5-flash-image")
    assert (price.output_mtok, price.output_image_mtok) == (Decimal("2.5"), Decimal(30))
    u = gemini_usage(
        {
            "promptTokenCount": 10,
            "candidatesTokenCount": 1300,
            "candidatesTokensDetails": [
                {"modality": "TEXT", "tokenCount": 10},
                {"modality": "IMAGE", "tokenCount": 1290},
            ],
        }
    )
    assert u is not None and u.output_image_tokens == 1290
    assert price.cost_nano(u) == nano(10 * Decimal("0.3") + 10 * Decimal("2.5") + 1290 * 30)
    assert worst_output(price, 0, 100).output_image_tokens == 100
    assert modality.describe(u) == "1,290 image tokens out"
