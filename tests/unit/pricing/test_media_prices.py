"""Media prices: the shipped table is dated and sourced, costs are exact and reproducible from JSON."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokenwallet.pricing.media import (
    MediaPrice,
    UnknownMediaModel,
    cost_nano,
    cost_usd,
    media_price,
    units_json,
)
from tokenwallet.proxy.media_audio import audio_ms, worst_case_ms
from tokenwallet.proxy.media_units import usage_units
from tokenwallet.resources import resource_path


def test_every_table_entry_names_its_source_and_date() -> None:
    with resource_path("media_prices.toml").open("rb") as fh:
        table = tomllib.load(fh)
    entries = [e for name, models in table.items() if name != "fallback" for e in models.values()]
    assert len(entries) >= 7
    for entry in [*entries, table["fallback"]]:
        assert entry["source"] and entry["as_of"][:2] == "20"
        for rate in entry.get("per_image", {}).values():
            assert Decimal(rate) > 0  # strings, read exactly


@pytest.mark.parametrize(
    ("provider", "model", "kind", "billing"),
    [
        ("openai", "dall-e-3", "images", "image"),
        ("openai", "dall-e-2", "images", "image"),
        ("openai", "gpt-image-1", "images", "tokens"),
        ("openai", "gpt-image-1-mini", "images", "tokens"),
        ("openai", "tts-1", "speech", "characters"),
        ("openai", "tts-1-hd", "speech", "characters"),
        ("openai", "gpt-4o-mini-tts", "speech", "tokens"),
        ("openai", "whisper-1", "transcription", "audio"),
        ("openai", "gpt-4o-transcribe", "transcription", "tokens"),
        ("openai", "gpt-4o-mini-transcribe", "transcription", "tokens"),
        ("gemini", "imagen-4.0-generate-001", "images", "image"),
        ("gemini", "imagen-3.0-generate-002", "images", "image"),
        ("groq", "whisper-large-v3", "transcription", "audio"),
    ],
)
def test_known_media_models_and_how_they_bill(provider: str, model: str, kind: str, billing: str) -> None:
    assert media_price(provider, model).billing(kind) == billing


def test_a_model_with_no_rate_for_the_endpoint_has_no_billing() -> None:
    assert media_price("openai", "whisper-1").billing("images") is None
    assert media_price("openai", "dall-e-3").billing("speech") is None


def test_unknown_models_are_refused_or_charged_the_dearest_rate() -> None:
    with pytest.raises(UnknownMediaModel):
        media_price("openai", "dall-e-9")
    fb = media_price("openai", "dall-e-9", fallback=True)
    assert fb.unpriced and fb.image_rate("1024x1024", "hd") == Decimal("0.25")
    assert media_price("ollama", "anything", local=True).billing("images") == "free"


def test_costs_are_exact_and_reproducible_from_the_stored_json() -> None:
    cases = [
        (media_price("openai", "dall-e-3"), {"images": 2, "size": "1792x1024", "quality": "hd"}, "0.24"),
        (media_price("openai", "dall-e-3"), {"images": 1}, "0.04"),  # defaults: 1024x1024 standard
        (media_price("openai", "dall-e-3"), {"images": 1, "size": "9x9"}, "0.12"),  # unknown: dearest
        (media_price("openai", "tts-1"), {"characters": 1234}, "0.01851"),
        (media_price("openai", "whisper-1"), {"audio_ms": 61_234}, "0.0061234"),
        (
            media_price("openai", "gpt-image-1"),
            {"text_in": 10, "image_in": 100, "image_out": 4160},
            "0.16745",
        ),
    ]
    for price, units, usd in cases:
        assert cost_usd(price, units) == Decimal(usd)
        again = MediaPrice.from_json(price.to_json())
        assert cost_nano(again, units) == cost_nano(price, units)
        assert again.to_json() == price.to_json()


def test_units_are_integers_or_names_only() -> None:
    assert units_json({"images": 2, "size": "1024x1024"}) == '{"images":2,"size":"1024x1024"}'
    with pytest.raises(TypeError):
        units_json({"audio_ms": 1.5})
    with pytest.raises(TypeError):
        units_json({"images": True})


def test_gpt_image_output_tokens_hold_the_largest_figure_for_auto() -> None:
    price = media_price("openai", "gpt-image-1")
    assert price.image_output_tokens("1024x1024", "low") == 272
    assert price.image_output_tokens("auto", "high") == 6240
    assert price.image_output_tokens(None, None) == 6240


def test_usage_is_validated() -> None:
    good = {
        "input_tokens": 50,
        "input_tokens_details": {"text_tokens": 10, "image_tokens": 40},
        "output_tokens": 272,
    }
    assert usage_units("images", good) == {"text_in": 10, "image_in": 40, "image_out": 272}
    assert usage_units("images", {**good, "output_tokens": -1}) is None
    assert usage_units("images", {**good, "input_tokens": 5}) is None  # parts above the total
    assert usage_units("images", {**good, "output_tokens": 2.5}) is None
    assert usage_units("images", {"input_tokens": 7, "output_tokens": 3}) == {"image_in": 7, "image_out": 3}
    speech = {"input_tokens": 4, "output_tokens": 90, "total_tokens": 94}
    assert usage_units("speech", speech) == {"text_in": 4, "audio_out": 90}


def test_audio_length() -> None:
    from fakes._media import mp3_bytes, wav_bytes

    assert audio_ms(wav_bytes(2.5)) == 2500
    mp3 = audio_ms(mp3_bytes(10))
    assert mp3 is not None and 9_900 <= mp3 <= 10_100
    assert audio_ms(b"\x1a\x45\xdf\xa3 webm is not read") is None
    assert audio_ms(b"") is None
    assert audio_ms(bytes(48_000), "pcm") == 1000
    assert worst_case_ms(750) == 1000  # 6 kbit/s


_MODELS = [
    ("openai", "dall-e-3"),
    ("openai", "gpt-image-1"),
    ("openai", "tts-1"),
    ("openai", "whisper-1"),
    ("openai", "gpt-4o-transcribe"),
    ("gemini", "imagen-4.0-fast-generate-001"),
]


@given(
    model=st.sampled_from(_MODELS),
    counts=st.dictionaries(
        st.sampled_from(["images", "characters", "audio_ms", "text_in", "image_in", "audio_in", "image_out"]),
        st.integers(min_value=0, max_value=10**9),
    ),
    size=st.sampled_from([None, "1024x1024", "1792x1024", "bogus"]),
)
def test_any_row_recomputes_to_the_same_cost(
    model: tuple[str, str], counts: dict[str, int], size: str | None
) -> None:
    price = media_price(*model)
    units: dict[str, object] = {**counts, **({"size": size} if size else {})}
    cost = cost_nano(price, units)
    assert cost >= 0
    assert cost_nano(MediaPrice.from_json(price.to_json()), json.loads(units_json(units))) == cost
