"""Audio, image and video through the real proxy (issue 12), with the official OpenAI SDK.

Audio tokens in a chat answer are charged at the model's audio rates (genai-prices), a usage with
audio tokens for a model without an audio price is charged its hold and flagged (never priced as
text), and Sora video jobs are held and charged per second by model and size from
resources/media_prices.toml. Every expected cost below is computed by hand from those rates.
"""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import openai
import pytest

from tokenwallet.core.money import Amount, usd_to_nano
from tokenwallet.pricing.media import MediaPrice, cost_nano
from tokenwallet.wallet.types import Scope

from .conftest import Env

ALICE = Scope("profile", "alice")
SORA = pytest.mark.filterwarnings("ignore:The Sora API:DeprecationWarning")  # the SDK marks it deprecated


def _usd(tokens_times_rate: int | Decimal) -> int:
    """nano-USD of a sum of tokens × USD-per-1M rates."""
    return usd_to_nano(Decimal(tokens_times_rate) / 10**6)


def test_audio_tokens_in_a_chat_answer_are_charged_at_the_audio_rates(env: Env) -> None:
    # gpt-audio (genai-prices): text in $2.50, audio in $32, text out $10, audio out $64 per 1M.
    env.upstream.once(
        extra_usage={
            "prompt_tokens": 100,
            "prompt_tokens_details": {"audio_tokens": 60, "cached_tokens": 0},
            "completion_tokens": 50,
            "completion_tokens_details": {"audio_tokens": 40, "reasoning_tokens": 0},
            "total_tokens": 150,
        }
    )
    env.openai().chat.completions.create(
        model="gpt-audio", messages=[{"role": "user", "content": "say hi"}], max_tokens=200
    )
    row = env.last_row()
    u = row.usage
    assert (u.input_tokens, u.input_audio_tokens, u.output_tokens, u.output_audio_tokens) == (100, 60, 50, 40)
    assert row.cost_nano == _usd(40 * Decimal("2.5") + 60 * 32 + 10 * 10 + 40 * 64) == 4_680_000
    assert not row.flags and not row.estimated


def test_an_audio_model_is_held_at_its_audio_output_rate(env: Env) -> None:
    # 1,000 output tokens of gpt-audio hold $0.064 as speech ($64 per 1M), $0.010 as text: a $0.05
    # blocking budget refuses the call only if the hold uses the audio rate.
    env.wallet.set_budget(ALICE, Amount("usd", usd_to_nano("0.05")), period="month", action="block")
    messages = [{"role": "user", "content": "x"}]
    with pytest.raises(openai.APIStatusError) as exc:
        env.openai().chat.completions.create(model="gpt-audio", messages=messages, max_tokens=1000)  # type: ignore[arg-type]
    assert exc.value.status_code == 402
    assert env.upstream.requests == []
    env.openai().chat.completions.create(model="gpt-4o", messages=messages, max_tokens=1000)  # type: ignore[arg-type]
    assert len(env.upstream.requests) == 1  # the same cap at a text rate fits


def test_audio_tokens_for_a_model_without_an_audio_price_are_charged_the_hold(env: Env) -> None:
    # gpt-4o has no audio price anywhere (genai-prices, audio_prices.toml): never price audio as text.
    env.upstream.once(
        extra_usage={
            "prompt_tokens": 30,
            "prompt_tokens_details": {"audio_tokens": 20},
            "completion_tokens": 10,
            "total_tokens": 40,
        }
    )
    env.openai().chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}], max_tokens=300
    )
    row = env.last_row()
    assert "unpriced_media" in row.flags and "invalid_usage" in row.flags and row.estimated
    assert "audio" in (row.error or "")
    assert row.usage.output_tokens == 300 and row.usage.input_audio_tokens == 0  # the hold's worst case
    assert row.cost_nano == _usd(row.usage.input_tokens * Decimal("2.5") + 300 * 10)


def test_gemini_audio_input_tokens_are_charged_at_the_audio_rate(env: Env) -> None:
    # gemini-2.5-flash (genai-prices): text/image/video in $0.30, audio in $1.00, out $2.50 per 1M.
    env.upstream.once(
        extra_usage={
            "promptTokenCount": 1000,
            "promptTokensDetails": [
                {"modality": "TEXT", "tokenCount": 150},
                {"modality": "IMAGE", "tokenCount": 50},
                {"modality": "AUDIO", "tokenCount": 800},
            ],
            "candidatesTokenCount": 100,
            "totalTokenCount": 1100,
        }
    )
    body = {"contents": [{"role": "user", "parts": [{"text": "transcribe this"}]}]}
    with httpx.Client(timeout=10) as client:
        r = client.post(
            env.url + "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
            json=body,
            headers={"x-goog-api-key": env.key},
        )
    assert r.status_code == 200
    row = env.last_row()
    assert (row.usage.input_audio_tokens, row.usage.input_image_tokens) == (800, 50)
    assert row.cost_nano == _usd(200 * Decimal("0.3") + 800 * 1 + 100 * Decimal("2.5")) == 1_110_000


# -- video (Sora 2) ------------------------------------------------------------------------------


def _recomputed(units: str, price_json: str) -> int:
    return cost_nano(MediaPrice.from_json(price_json), json.loads(units))


@SORA
def test_a_video_job_is_charged_per_second_at_creation_and_its_reads_are_free(env: Env) -> None:
    client = env.openai()
    video = client.videos.create(model="sora-2-pro", prompt="a lighthouse", seconds="8", size="1792x1024")
    assert (video.model, video.seconds, video.size) == ("sora-2-pro", "8", "1792x1024")
    row = env.last_row()
    assert (row.endpoint, row.model, row.status) == ("videos", "sora-2-pro", 200)
    assert json.loads(row.units) == {"video_seconds": 8, "size": "1792x1024"}
    assert row.cost_nano == usd_to_nano("4.00") == _recomputed(row.units, row.price_json)  # 8 s × $0.50
    assert "media_prices.toml" in row.price_source and not row.estimated
    assert client.videos.retrieve(video.id).status == "completed"
    assert client.videos.download_content(video.id).read().startswith(b"\x00\x00\x00\x18ftyp")
    assert len(env.rows()) == 1  # polling and downloading are free reads


@SORA
def test_a_video_with_the_api_defaults_is_four_seconds_of_sora_2_at_720x1280(env: Env) -> None:
    env.openai().videos.create(prompt="rain on a window", model="sora-2")
    row = env.last_row()
    assert json.loads(row.units) == {"video_seconds": 4, "size": "720x1280"}
    assert row.cost_nano == usd_to_nano("0.40")  # 4 s × $0.10


@SORA
def test_a_remix_is_charged_the_originals_model_size_and_seconds(env: Env) -> None:
    client = env.openai()
    original = client.videos.create(model="sora-2", prompt="a cat", seconds="12", size="1280x720")
    remix = client.videos.remix(original.id, prompt="the cat, in the snow")
    assert remix.remixed_from_video_id == original.id
    row = env.last_row()
    assert (row.endpoint, row.model) == ("videos/remix", "sora-2")
    assert json.loads(row.units) == {"video_seconds": 12, "size": "1280x720"}
    assert row.cost_nano == usd_to_nano("1.20")  # 12 s × $0.10


@SORA
def test_a_remix_of_a_video_the_provider_does_not_know_is_refused(env: Env) -> None:
    with pytest.raises(openai.BadRequestError) as exc:
        env.openai().videos.remix("video_0123456789abcdef", prompt="again")
    assert "cannot price this remix" in exc.value.message
    assert [r.method for r in env.upstream.requests] == ["GET"]  # the read only, never the remix
    assert env.rows() == []


@SORA
def test_a_failed_video_creation_is_not_charged(env: Env) -> None:
    env.upstream.once(error_status=500)
    with pytest.raises(openai.InternalServerError):
        env.openai().videos.create(model="sora-2", prompt="x", seconds="8")
    row = env.last_row()
    assert (row.status, row.cost_nano) == (500, 0)
    assert env.wallet.holds() == []


@SORA
def test_a_video_size_without_a_price_is_refused_before_sending(env: Env) -> None:
    with pytest.raises(openai.BadRequestError) as exc:
        env.openai().videos.create(model="sora-2", prompt="x", size="1792x1024")  # a sora-2-pro size
    assert "1792x1024" in exc.value.message
    assert env.upstream.requests == []


@SORA
def test_a_video_past_a_blocking_budget_is_refused_before_it_reaches_the_provider(env: Env) -> None:
    env.wallet.set_budget(ALICE, Amount("usd", usd_to_nano("3.99")), period="month", action="block")
    client = env.openai()
    client.videos.create(model="sora-2-pro", prompt="x", seconds="8", size="1280x720")  # $2.40
    with pytest.raises(openai.APIStatusError) as exc:  # another $2.40 would make $4.80
        client.videos.create(model="sora-2-pro", prompt="x", seconds="8", size="1280x720")
    assert exc.value.status_code == 402
    assert len(env.upstream.requests) == 1  # the second never left the proxy
    assert sum(r.cost_nano for r in env.rows()) == usd_to_nano("2.40")


def test_a_video_hold_left_by_a_dead_process_is_charged_whole(env: Env) -> None:
    from datetime import UTC, datetime

    from tokenwallet.wallet.types import StaleHold

    assert env.proxy.app is not None
    binding = env.wallet.binding_for("alice")
    stale = StaleHold(
        1, "c1", binding, "openai", "sora-2", "videos", False, 0, 0, 800_000_000, datetime.now(UTC)
    )
    cost, _, source = env.proxy.app.meter.price_stale_hold(stale)
    assert (cost, source) == (800_000_000, "media hold (recovered)")


def test_a_json_video_request_is_read_too_and_a_bad_length_is_refused(env: Env) -> None:
    url, auth = env.url + "/openai/v1/videos", {"authorization": f"Bearer {env.key}"}
    with httpx.Client(timeout=10) as client:
        bad = client.post(url, json={"model": "sora-2", "prompt": "x", "seconds": "twelve"}, headers=auth)
        assert bad.status_code == 400 and "seconds" in bad.json()["error"]["message"]
        assert env.upstream.requests == []
        ok = client.post(url, json={"model": "sora-2", "prompt": "x", "seconds": 12}, headers=auth)
    assert ok.status_code == 200
    assert env.last_row().cost_nano == usd_to_nano("1.20")  # 12 s × $0.10


def test_an_image_a_gemini_model_generates_is_charged_at_the_image_rate(env: Env) -> None:
    # gemini-2.5-flash-image (genai-prices): in $0.30, text out $2.50, image out $30 per 1M tokens.
    env.upstream.once(
        extra_usage={
            "promptTokenCount": 12,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 12}],
            "candidatesTokenCount": 1300,
            "candidatesTokensDetails": [
                {"modality": "TEXT", "tokenCount": 10},
                {"modality": "IMAGE", "tokenCount": 1290},
            ],
            "totalTokenCount": 1312,
        }
    )
    body = {
        "contents": [{"role": "user", "parts": [{"text": "draw a kite"}]}],
        "generationConfig": {"maxOutputTokens": 2000},
    }
    with httpx.Client(timeout=10) as client:
        r = client.post(
            env.url + "/gemini/v1beta/models/gemini-2.5-flash-image:generateContent",
            json=body,
            headers={"x-goog-api-key": env.key},
        )
    assert r.status_code == 200
    row = env.last_row()
    assert row.usage.output_image_tokens == 1290
    assert row.cost_nano == _usd(12 * Decimal("0.3") + 10 * Decimal("2.5") + 1290 * 30)
