"""Images, speech and transcription through the real proxy, with the official OpenAI SDK.

Each call must be held before it is sent and charged from what it produced, with the units in the
ledger row and a price from which the cost is recomputed exactly; a spent blocking budget refuses
every one of them with 402 before a byte reaches the provider.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import openai
import pytest

from fakes._media import PNG_1PX, wav_bytes
from tokenwallet.core.money import Amount, usd_to_nano
from tokenwallet.pricing.media import MediaPrice, cost_nano
from tokenwallet.wallet.types import LedgerRow, Scope

from .conftest import Env

ALICE = Scope("profile", "alice")


def recomputed(row: LedgerRow) -> int:
    """The cost of a ledger row from nothing but its units and its stored price."""
    return cost_nano(MediaPrice.from_json(row.price_json), json.loads(row.units))


def test_dalle3_is_charged_per_image_by_size_and_quality(env: Env) -> None:
    out = env.openai().images.generate(
        model="dall-e-3", prompt="a lighthouse", size="1024x1792", quality="hd"
    )
    assert len(out.data or []) == 1
    row = env.last_row()
    assert (row.endpoint, row.model, row.status) == ("images/generations", "dall-e-3", 200)
    assert json.loads(row.units) == {"images": 1, "size": "1024x1792", "quality": "hd"}
    assert row.cost_nano == usd_to_nano("0.12") == recomputed(row)
    assert "media_prices.toml" in row.price_source and not row.estimated
    assert env.upstream.last.json["quality"] == "hd"  # the body went up unchanged


def test_gpt_image_1_is_charged_its_reported_tokens(env: Env) -> None:
    prompt = "a red bicycle leaning on a wall, watercolour"
    env.openai().images.generate(model="gpt-image-1", prompt=prompt, size="1536x1024", quality="low", n=2)
    row = env.last_row()
    text_in = len(prompt) // 4
    assert json.loads(row.units) == {"text_in": text_in, "image_out": 800}
    assert (row.usage.input_tokens, row.usage.output_tokens) == (text_in, 800)
    expected = usd_to_nano(Decimal(text_in) * Decimal(5) / 10**6 + Decimal(800) * Decimal(40) / 10**6)
    assert row.cost_nano == expected == recomputed(row)
    assert row.price_source.startswith("genai-prices")


def test_gpt_image_stream_is_charged_from_its_completed_event(env: Env) -> None:
    stream = env.openai().images.generate(
        model="gpt-image-1", prompt="a kite", quality="medium", stream=True, partial_images=2
    )
    kinds = [event.type for event in stream]
    assert kinds == ["image_generation.partial_image"] * 2 + ["image_generation.completed"]
    row = env.last_row()
    assert row.stream and json.loads(row.units) == {"text_in": 1, "image_out": 1056}
    assert row.cost_nano == recomputed(row) and not row.estimated


def test_a_media_hold_left_by_a_dead_process_is_charged_whole(env: Env) -> None:
    from tokenwallet.wallet.types import StaleHold

    assert env.proxy.app is not None
    binding = env.wallet.binding_for("alice")
    stale = StaleHold(
        1, "c1", binding, "openai", "dall-e-3", "images/generations", False, 0, 0, 80_000, datetime.now(UTC)
    )
    cost, _, source = env.proxy.app.meter.price_stale_hold(stale)
    assert (cost, source) == (80_000, "media hold (recovered)")


def test_image_edit_multipart_counts_input_images(env: Env) -> None:
    image = ("in.png", io.BytesIO(PNG_1PX), "image/png")
    env.openai().images.edit(model="gpt-image-1", image=[image, image], prompt="add a hat", quality="medium")
    row = env.last_row()
    assert row.endpoint == "images/edits"
    assert json.loads(row.units) == {"text_in": 2, "image_in": 130, "image_out": 1056}
    assert row.cost_nano == recomputed(row)
    assert b"add a hat" in env.upstream.last.raw  # the multipart body went up as sent


def test_dalle2_variation(env: Env) -> None:
    with pytest.warns(DeprecationWarning):  # the SDK marks variations (DALL·E 2 only) deprecated
        env.openai().images.create_variation(
            model="dall-e-2", image=("in.png", PNG_1PX, "image/png"), n=3, size="256x256"
        )
    row = env.last_row()
    assert json.loads(row.units) == {"images": 3, "size": "256x256", "quality": "standard"}
    assert row.cost_nano == 3 * usd_to_nano("0.016") == recomputed(row)


def test_tts_1_is_charged_per_character(env: Env) -> None:
    text = "Hello there, this is spoken by the fake upstream. ✓"
    resp = env.openai().audio.speech.create(model="tts-1-hd", voice="alloy", input=text)
    assert resp.content.startswith(b"\xff\xfb")
    row = env.last_row()
    assert json.loads(row.units) == {"characters": len(text)}
    assert row.cost_nano == usd_to_nano(Decimal(len(text)) * 30 / 10**6) == recomputed(row)


def test_gpt_4o_mini_tts_sse_is_charged_its_usage(env: Env) -> None:
    client = env.openai()
    with client.audio.speech.with_streaming_response.create(
        model="gpt-4o-mini-tts", voice="alloy", input="x" * 150, stream_format="sse"
    ) as resp:
        raw = resp.read()
    assert b"speech.audio.done" in raw
    row = env.last_row()
    assert json.loads(row.units) == {"text_in": 37, "audio_out": 200}
    assert row.cost_nano == recomputed(row) and not row.estimated and row.stream


def test_gpt_4o_mini_tts_audio_without_usage_is_estimated_from_its_length(env: Env) -> None:
    env.openai().audio.speech.create(model="gpt-4o-mini-tts", voice="alloy", input="y" * 150)
    row = env.last_row()
    units = json.loads(row.units)
    assert row.estimated and "no_usage" in row.flags
    assert 200 <= units["audio_out"] <= 215  # ~10 s of MP3 at ~21 tokens a second
    assert row.cost_nano == recomputed(row)


def test_whisper_charges_the_reported_seconds(env: Env) -> None:
    audio = ("speech.wav", wav_bytes(2.5), "audio/wav")
    out = env.openai().audio.transcriptions.create(model="whisper-1", file=audio)
    assert out.text.startswith("hello")
    row = env.last_row()
    assert row.endpoint == "audio/transcriptions"
    assert json.loads(row.units) == {"audio_ms": 3000}
    assert row.cost_nano == usd_to_nano(Decimal("0.36") * 3 / 3600) == recomputed(row)


def test_translation_as_text_is_charged_the_measured_length(env: Env) -> None:
    audio = ("speech.wav", wav_bytes(1.75), "audio/wav")
    with pytest.warns(DeprecationWarning):  # the SDK marks translations (whisper-1 only) deprecated
        text = env.openai().audio.translations.create(model="whisper-1", file=audio, response_format="text")
    assert "hello" in str(text)
    row = env.last_row()
    assert row.endpoint == "audio/translations"
    assert json.loads(row.units) == {"audio_ms": 1750}
    assert row.estimated and "no_usage" in row.flags and row.cost_nano == recomputed(row)


def test_gpt_4o_transcribe_tokens_json_and_stream(env: Env) -> None:
    client = env.openai()
    audio = ("speech.wav", wav_bytes(3.0), "audio/wav")
    client.audio.transcriptions.create(model="gpt-4o-transcribe", file=audio, prompt="names: Ada")
    row = env.last_row()
    assert json.loads(row.units) == {"text_in": 2, "audio_in": 30, "text_out": 7}
    assert row.cost_nano == recomputed(row)
    stream = client.audio.transcriptions.create(
        model="gpt-4o-mini-transcribe", file=("s.wav", wav_bytes(1.0), "audio/wav"), stream=True
    )
    kinds = [event.type for event in stream]
    assert kinds == ["transcript.text.delta", "transcript.text.done"]
    row = env.last_row()
    assert row.stream and json.loads(row.units) == {"audio_in": 10, "text_out": 7}
    assert row.cost_nano == recomputed(row)


def test_imagen_predict_counts_the_images_returned(env: Env) -> None:
    r = httpx.post(
        env.url + "/gemini/v1beta/models/imagen-4.0-generate-001:predict",
        json={"instances": [{"prompt": "a fox"}], "parameters": {"sampleCount": 3}},
        headers={"x-goog-api-key": env.key},
    )
    assert r.status_code == 200 and len(r.json()["predictions"]) == 3
    row = env.last_row()
    assert (row.endpoint, row.model) == ("predict", "imagen-4.0-generate-001")
    assert json.loads(row.units) == {"images": 3}
    assert row.cost_nano == 3 * usd_to_nano("0.04") == recomputed(row)


def _variation(client: openai.OpenAI) -> object:
    with pytest.warns(DeprecationWarning):
        return client.images.create_variation(model="dall-e-2", image=("a.png", PNG_1PX, "image/png"))


def _translation(client: openai.OpenAI) -> object:
    with pytest.warns(DeprecationWarning):
        return client.audio.translations.create(model="whisper-1", file=("a.wav", wav_bytes(1), "audio/wav"))


def _every_media_call(env: Env) -> list[int]:
    """Each media endpoint once; returns the status codes."""
    client = env.openai()
    calls = [
        lambda: client.images.generate(model="dall-e-3", prompt="x"),
        lambda: client.images.generate(model="gpt-image-1", prompt="x"),
        lambda: client.images.edit(model="gpt-image-1", image=("a.png", PNG_1PX, "image/png"), prompt="x"),
        lambda: _variation(client),
        lambda: client.audio.speech.create(model="tts-1", voice="alloy", input="hello"),
        lambda: client.audio.speech.create(model="gpt-4o-mini-tts", voice="alloy", input="hello"),
        lambda: client.audio.transcriptions.create(
            model="whisper-1", file=("a.wav", wav_bytes(1), "audio/wav")
        ),
        lambda: _translation(client),
        lambda: client.audio.transcriptions.create(
            model="gpt-4o-transcribe", file=("a.wav", wav_bytes(1), "audio/wav")
        ),
    ]
    statuses = []
    for call in calls:
        with pytest.raises(openai.APIStatusError) as exc:
            call()
        statuses.append(exc.value.status_code)
    r = httpx.post(
        env.url + "/gemini/v1beta/models/imagen-3.0-generate-002:predict",
        json={"instances": [{"prompt": "x"}]},
        headers={"x-goog-api-key": env.key},
    )
    statuses.append(r.status_code)
    return statuses


def test_a_spent_blocking_budget_refuses_every_media_call_before_sending(env: Env) -> None:
    env.wallet.set_budget(ALICE, Amount("usd", 1), period="month", action="block")  # 1 nano-USD
    assert _every_media_call(env) == [402] * 10
    assert env.upstream.requests == [] and env.rows() == [] and env.holds() == []


def test_a_blocking_token_budget_refuses_per_image_and_per_second_calls(env: Env) -> None:
    env.wallet.set_budget(ALICE, Amount("tokens", 10**9), period="month", action="block")
    with pytest.raises(openai.APIStatusError) as exc:
        env.openai().images.generate(model="dall-e-3", prompt="x")
    assert exc.value.status_code == 402 and "counts tokens" in exc.value.message
    env.openai().images.generate(model="gpt-image-1", prompt="x", quality="low")  # token-billed: held
    assert len(env.upstream.requests) == 1
    assert env.last_row().usage.output_tokens == 272


def test_unknown_media_model_is_refused_unless_the_policy_says_fallback(env: Env) -> None:
    with pytest.raises(openai.BadRequestError) as exc:
        env.openai().images.generate(model="dall-e-9", prompt="x")
    assert "no price known for media model 'dall-e-9'" in exc.value.message
    assert env.upstream.requests == []
    env.wallet.set_setting("unknown_model_policy", "fallback")
    env.proxy.app.meter.refresh(force=True)  # type: ignore[union-attr]
    env.openai().images.generate(model="dall-e-9", prompt="x", n=2)
    row = env.last_row()
    assert row.unpriced and row.price_source == "fallback"
    assert row.cost_nano == 2 * usd_to_nano("0.25") == recomputed(row)


def test_a_client_that_leaves_is_charged_anyway(env: Env) -> None:
    env.upstream.once(latency=0.6)
    impatient = openai.OpenAI(base_url=env.url + "/openai/v1", api_key=env.key, max_retries=0, timeout=0.2)
    env.clients.append(impatient)
    with pytest.raises(openai.APITimeoutError):
        impatient.images.generate(model="dall-e-3", prompt="x")
    env.upstream.wait_for(1, finished=True)
    row = env.last_row()
    assert (row.status, json.loads(row.units)["images"]) == (200, 1)
    assert row.cost_nano == usd_to_nano("0.04")


def test_guards_see_media_calls(env: Env) -> None:
    env.wallet.add_guard("profile:alice", "request_money", usd_to_nano("0.10"))
    env.wallet.add_guard("profile:alice", "loop", 3, window_s=60)
    env.proxy.refresh()
    client = env.openai()
    with pytest.raises(openai.APIStatusError) as exc:  # $0.12 > the $0.10 per-request guard
        client.images.generate(model="dall-e-3", prompt="x", size="1792x1024", quality="hd")
    assert exc.value.status_code == 402 and "guard" in exc.value.message
    for i in range(4):  # different audio each time: not a loop
        client.audio.transcriptions.create(
            model="whisper-1", file=("a.wav", wav_bytes(1 + i / 10), "audio/wav")
        )
    for _ in range(2):
        client.audio.speech.create(model="tts-1", voice="alloy", input="again")
    with pytest.raises(openai.APIStatusError) as exc:  # the same text a third time: a loop
        client.audio.speech.create(model="tts-1", voice="alloy", input="again")
    assert exc.value.status_code == 402 and "loop guard" in exc.value.message
    assert len(env.upstream.requests) == 6


def test_upstream_error_charges_nothing(env: Env) -> None:
    env.upstream.once(error_status=400, error_message="Your prompt was rejected")
    with pytest.raises(openai.BadRequestError):
        env.openai().images.generate(model="dall-e-3", prompt="x")
    row = env.last_row()
    assert (row.status, row.cost_nano, row.units) == (400, 0, "{}")
    assert env.holds() == []


def test_invalid_usage_is_charged_the_hold_and_flagged(env: Env) -> None:
    env.upstream.once(extra_usage={"output_tokens": -4000})
    env.openai().images.generate(model="gpt-image-1", prompt="x", quality="high", size="1024x1024")
    row = env.last_row()
    assert "invalid_usage" in row.flags and row.estimated
    assert json.loads(row.units)["image_out"] == 4160
    assert row.cost_nano > 0 and row.cost_nano == recomputed(row)


def test_usage_above_the_hold_is_charged_as_reported_and_flagged(env: Env) -> None:
    env.upstream.once(output_tokens=9_999)
    env.openai().images.generate(model="gpt-image-1", prompt="x", quality="low", size="1024x1024")
    row = env.last_row()
    assert json.loads(row.units)["image_out"] == 9_999 and "over_cap" in row.flags
    assert row.cost_nano == recomputed(row) and not row.estimated


def test_an_upload_of_unreadable_length_is_held_as_6_kbit_audio(env: Env) -> None:
    webm = ("talk.webm", b"\x1a\x45\xdf\xa3" + bytes(74_996), "audio/webm")  # 75,000 bytes → 100 s
    held = usd_to_nano(Decimal("0.36") * 100 / 3600)
    env.wallet.set_budget(ALICE, Amount("usd", held - 1), period="month", action="block")
    with pytest.raises(openai.APIStatusError) as exc:
        env.openai().audio.transcriptions.create(model="whisper-1", file=webm)
    assert exc.value.status_code == 402 and "$0.0100" in exc.value.message
    assert env.upstream.requests == []


def test_a_request_the_meter_cannot_read_is_refused(env: Env) -> None:
    headers = {"authorization": "Bearer " + env.key, "content-type": "multipart/form-data; boundary=xyz"}
    r = httpx.post(
        env.url + "/openai/v1/audio/transcriptions", content=b"--xyz\r\nnot a part", headers=headers
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_request"
    r = httpx.post(
        env.url + "/openai/v1/images/generations",
        json={"model": "dall-e-2", "prompt": "x", "n": 1000},
        headers={"authorization": "Bearer " + env.key},
    )
    assert r.status_code == 400 and '"n"' in r.json()["error"]["message"]
    assert env.upstream.requests == []
