"""What a media answer says was used: the units its call is charged.

The provider's own figures win: ``usage`` (token-billed models, whisper's seconds), the images
returned. Without them, an estimate from the request and the answer, marked ``estimated`` and
flagged ``no_usage``: the images returned at the table's tokens per image, the length of the
speech returned, the uploaded audio's length. Usage that is not valid (negative, not integers,
parts above their total) is charged the hold's worst case and flagged ``invalid_usage``.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from tokenwallet.proxy.media_audio import audio_ms
from tokenwallet.proxy.media_units import (
    TOKEN_UNITS,
    UNKNOWN_IMAGE_TOKENS,
    audio_units_from,
    images_returned,
    sse_events,
    usage_units,
)
from tokenwallet.proxy.media_video import job_units

if TYPE_CHECKING:
    from tokenwallet.proxy.media_wallet import MediaCall

# Estimates used only when an answer carries no usage, from OpenAI's own per-minute estimates:
# gpt-4o-mini-tts ≈ $0.015/min at $12/1M audio tokens (≈ 21 tokens a second of speech) and
# gpt-4o-transcribe ≈ $0.006/min at $6/1M (≈ 17 tokens a second of audio).
SPEECH_TOKENS_PER_S = 21
LISTEN_TOKENS_PER_S = 17

Units = dict[str, Any]
Answer = tuple[Units, bool, tuple[str, ...]]  # (units, estimated, flags)


def answer_units(call: MediaCall, status: int, ctype: str, answer: bytes | None) -> Answer:
    """The units to charge for an answer (``answer`` None: too large to have been kept)."""
    if status >= 400:
        return {}, False, ()  # the provider does not bill a refused call
    if call.billing in ("free", "characters"):  # the characters sent are known exactly up front
        return ({} if call.billing == "free" else call.worst), False, ()
    if answer is None:
        return call.worst, True, ("no_usage",)
    events: list[dict[str, Any]] | None = None
    body: Any = None
    if "event-stream" in ctype:
        events = sse_events(answer.decode("utf-8", "replace"))
    elif answer[:1] in (b"{", b"["):
        try:
            body = json.loads(answer)
        except (ValueError, RecursionError):
            body = None
    if call.billing == "image":
        return _images(call, body, events)
    if call.billing == "audio":
        return _audio(call, body)
    if call.billing == "video":  # the job object says what it was billed for; else what was asked
        units = job_units(body)
        return (units, False, ()) if units is not None else (call.worst, True, ("no_usage",))
    return _tokens(call, body, events, answer)


def _images(call: MediaCall, body: Any, events: list[dict[str, Any]] | None) -> Answer:
    if events is not None:
        n: int | None = sum(1 for e in events if str(e.get("type", "")).endswith(".completed"))
    else:
        n = images_returned(body)
    if n is None:
        return call.worst, True, ("no_usage",)
    return {**call.worst, "images": n}, False, ()


def _audio(call: MediaCall, body: Any) -> Answer:
    ms = audio_units_from(body)
    if ms is not None:
        return {"audio_ms": ms}, False, ()
    if call.measured_ms is not None:
        return {"audio_ms": call.measured_ms}, True, ("no_usage",)
    return call.worst, True, ("no_usage",)


def _tokens(call: MediaCall, body: Any, events: list[dict[str, Any]] | None, answer: bytes) -> Answer:
    kind = call.route.meter
    if events is not None:
        usages = [e["usage"] for e in events if "usage" in e]
    else:
        usages = [body["usage"]] if isinstance(body, dict) and "usage" in body else []
    if usages:
        total: Units = {}
        for raw in usages:
            units = usage_units(kind, raw)
            if units is None:
                return call.worst, True, ("invalid_usage",)
            for name, value in units.items():
                total[name] = total.get(name, 0) + value
        return total, False, ()
    return _estimate(call, body, events, answer), True, ("no_usage",)


def _estimate(call: MediaCall, body: Any, events: list[dict[str, Any]] | None, answer: bytes) -> Units:
    worst, kind = call.worst, call.route.meter
    units: Units = {k: worst[k] for k in ("text_in", "image_in") if worst.get(k)}
    if kind == "images":
        if events is not None:
            n: int | None = sum(1 for e in events if str(e.get("type", "")).endswith(".completed"))
        else:
            n = images_returned(body)
        if n is None:
            return worst
        per_image = call.price.image_output_tokens(call.req.size, call.req.quality) or UNKNOWN_IMAGE_TOKENS
        units["image_out"] = n * per_image
    elif kind == "speech":
        ms = audio_ms(answer, call.req.response_format or "mp3")
        if ms is None:
            return worst
        units["audio_out"] = math.ceil(ms * SPEECH_TOKENS_PER_S / 1000)
    else:
        if call.measured_ms is None:
            return worst
        units["audio_in"] = math.ceil(call.measured_ms * LISTEN_TOKENS_PER_S / 1000)
        text = body.get("text") if isinstance(body, dict) else answer.decode("utf-8", "replace")
        from tokenwallet import tokens

        units["text_out"] = tokens.count_text(text if isinstance(text, str) else "", call.req.model).tokens
    return {k: v for k, v in units.items() if k in TOKEN_UNITS and v}
