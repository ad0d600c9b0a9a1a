"""The units of a media call: its worst case before it is sent, and what the answer says it used.

Units are what :func:`tokenwallet.pricing.media.cost_usd` prices: ``images`` (with ``size`` and
``quality``), ``characters``, ``audio_ms``, or token classes ``text_in``/``image_in``/``audio_in``/
``text_out``/``image_out``/``audio_out``. Integers only.

The hold of a token-billed call needs bounds the APIs do not all publish; these are deliberate
over-estimates (the charge is the usage the answer reports, never the hold):
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

from tokenwallet.pricing.media import MediaPrice
from tokenwallet.proxy.media_request import MediaRequest

INPUT_IMAGE_TOKENS = 8_192  # per image given to an edit (a high-fidelity 1536px input is ~6k)
UNKNOWN_IMAGE_TOKENS = 16_384  # per output image of a token-billed model without a table
PARTIAL_IMAGE_TOKENS = 100  # each streamed partial image (OpenAI's image generation guide)
AUDIO_IN_TOKENS_PER_S = 20  # audio input tokens per second (OpenAI bills ~10 per second)
SPEECH_TOKENS_PER_CHAR = 4  # audio output tokens per character spoken (~1.3 at a normal pace)
SPEECH_MIN_TOKENS = 2_000
TRANSCRIPT_TOKENS = 2_000  # text out of a transcription, plus 8 per second of audio
TRANSCRIPT_TOKENS_PER_S = 8

TOKEN_UNITS = ("text_in", "image_in", "audio_in", "text_out", "image_out", "audio_out")
_IN = ("text_in", "image_in", "audio_in")


def worst_units(
    kind: str, billing: str, req: MediaRequest, price: MediaPrice, audio_ms: int | None
) -> dict[str, Any]:
    """What the call can cost at most, in units of ``billing`` ("tokens", "image", …)."""
    if billing == "image":
        units: dict[str, Any] = {"images": req.n}
        size, quality = req.size or price.default_size, req.quality or price.default_quality
        if size:
            units["size"] = size
        if quality:
            units["quality"] = quality
        return units
    if billing == "characters":
        return {"characters": len(req.text)}
    if billing == "audio":
        return {"audio_ms": audio_ms or 0}
    if billing == "video":  # billed at creation for what it asks: the hold is the exact price
        size = req.size or price.default_size or ""
        return {"video_seconds": req.seconds or price.default_seconds or 0, "size": size}
    if billing != "tokens":
        return {}
    text_in = _tokens(req.text + req.instructions, req.model)
    if kind == "images":
        per_image = price.image_output_tokens(req.size, req.quality) or UNKNOWN_IMAGE_TOKENS
        return {
            "text_in": text_in,
            "image_in": req.input_images * INPUT_IMAGE_TOKENS,
            "image_out": req.n * (per_image + req.partial_images * PARTIAL_IMAGE_TOKENS),
        }
    if kind == "speech":
        return {
            "text_in": text_in,
            "audio_out": max(len(req.text) * SPEECH_TOKENS_PER_CHAR, SPEECH_MIN_TOKENS),
        }
    seconds = math.ceil((audio_ms or 0) / 1000)
    return {
        "text_in": text_in,
        "audio_in": seconds * AUDIO_IN_TOKENS_PER_S,
        "text_out": TRANSCRIPT_TOKENS + seconds * TRANSCRIPT_TOKENS_PER_S,
    }


def _tokens(text: str, model: str) -> int:
    if not text:
        return 0
    from tokenwallet import tokens

    return tokens.count_text(text, model).tokens


def token_totals(units: dict[str, Any]) -> tuple[int, int]:
    """(input tokens, output tokens) of token units (0, 0 for other billing)."""
    ins = sum(int(units.get(k, 0)) for k in _IN)
    outs = sum(int(units.get(k, 0)) for k in TOKEN_UNITS if k not in _IN)
    return ins, outs


# -- the answer ----------------------------------------------------------------------------------


def _count(value: Any) -> int | None:
    """A token or image count from an answer: a non-negative integer, else None (invalid)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def usage_units(kind: str, usage: Any) -> dict[str, int] | None:
    """Token units from an OpenAI media ``usage`` object; None when it is missing or invalid
    (negative, not integers, or parts that add up to more than their total)."""
    if not isinstance(usage, dict):
        return None
    total_in, total_out = _count(usage.get("input_tokens")), _count(usage.get("output_tokens", 0))
    if total_in is None or total_out is None:
        return None
    ins = usage.get("input_tokens_details") or usage.get("input_token_details") or {}
    outs = usage.get("output_tokens_details") or usage.get("output_token_details") or {}
    if not isinstance(ins, dict) or not isinstance(outs, dict):
        return None
    media_in = "audio_in" if kind == "transcription" else "image_in"
    media_out = {"images": "image_out", "speech": "audio_out"}.get(kind, "text_out")
    units: dict[str, int] = {}
    if ins:
        media_key = "audio_tokens" if kind == "transcription" else "image_tokens"
        text, media = _count(ins.get("text_tokens", 0)), _count(ins.get(media_key, 0))
        if text is None or media is None or text + media > total_in:
            return None
        # What the parts leave unexplained is billed at the dearer (media) rate.
        units.update(text_in=text, **{media_in: total_in - text})
    else:  # no breakdown: all of it at the dearer rate of the two
        units[{"images": "image_in", "transcription": "audio_in"}.get(kind, "text_in")] = total_in
    if outs and kind == "images":
        text, image = _count(outs.get("text_tokens", 0)), _count(outs.get("image_tokens", 0))
        if text is None or image is None or text + image > total_out:
            return None
        units.update(text_out=text, image_out=total_out - text)
    else:
        units[media_out] = total_out
    return {k: v for k, v in units.items() if v}


def audio_units_from(body: Any) -> int | None:
    """``audio_ms`` a whisper-style answer reports: ``usage.seconds`` or verbose_json's ``duration``."""
    if not isinstance(body, dict):
        return None
    usage = body.get("usage")
    seconds = usage.get("seconds") if isinstance(usage, dict) and usage.get("type") == "duration" else None
    if seconds is None:
        seconds = body.get("duration")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds < 10**7:
        return None
    return math.ceil(Decimal(repr(seconds)) * 1000)  # exact: the seconds as written, in whole ms


def images_returned(body: Any) -> int | None:
    """Images an answer carries: OpenAI's ``data`` list, Imagen's ``predictions`` with an image."""
    if not isinstance(body, dict):
        return None
    data = body.get("data")
    if isinstance(data, list):
        return len(data)
    preds = body.get("predictions")
    if isinstance(preds, list):
        return sum(1 for p in preds if isinstance(p, dict) and ("bytesBase64Encoded" in p or "image" in p))
    return None


def sse_events(text: str) -> list[dict[str, Any]]:
    """The JSON ``data:`` payloads of an SSE stream (others skipped)."""
    out: list[dict[str, Any]] = []
    for line in text.splitlines():
        if line.startswith("data:"):
            try:
                value = json.loads(line[5:].strip())
            except (ValueError, RecursionError):
                continue
            if isinstance(value, dict):
                out.append(value)
    return out
