"""The audio, image and video parts of a usage, read out of each API's own fields (issue 12).

Split from :mod:`tokenwallet.proxy.usage`, whose rules hold here too: every count a whole number
in range, every part within its total, anything else a :class:`UsageError` (charged the hold).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tokenwallet.core.usage import Usage
from tokenwallet.proxy.usage_fields import UsageError, count, details, within


def modalities(m: dict[str, Any], key: str, whole: int) -> dict[str, int]:
    """Gemini's ``[{"modality": "AUDIO", "tokenCount": N}, …]``: tokens by modality, within ``whole``."""
    items = m.get(key)
    if items is None:
        return {}
    if not isinstance(items, list):
        raise UsageError(f"usage {key} is not a list")
    out: dict[str, int] = {}
    for item in items:
        if not isinstance(item, dict):
            raise UsageError(f"usage {key} has an entry that is not an object")
        modality = item.get("modality")
        if not isinstance(modality, str):
            raise UsageError(f"usage {key} has an entry without a modality")
        out[modality] = out.get(modality, 0) + count(item, "tokenCount")
    within(sum(out.values()), whole, f"{key} add up to more than their total")
    return out


def openai_media(
    ins: dict[str, Any] | None, outs: dict[str, Any] | None, reasoning: int, output: int
) -> dict[str, int]:
    """OpenAI's ``…_details.audio_tokens`` / ``image_tokens`` (chat, Responses, Realtime-class models)."""
    cached = details(ins, "cached_tokens_details") if ins is not None else None
    audio_out = count(outs, "audio_tokens")
    within(audio_out + reasoning, output, "more audio and reasoning tokens than output tokens")
    return {
        "input_audio_tokens": count(ins, "audio_tokens"),
        "input_image_tokens": count(ins, "image_tokens"),
        "cache_audio_read_tokens": count(cached, "audio_tokens"),
        "output_audio_tokens": audio_out,
    }


def with_media(text: Usage, media: dict[str, int]) -> Usage:
    """``text`` with its non-text parts; the input parts count the whole prompt, cached or not.

    Cached audio must be within the audio and the cache reads. The uncached parts must fit the
    uncached input; when they do not, the overlap can only have been cached media, and is charged
    as uncached (dearer than any cache rate, so never less than billed). What still does not fit
    is a UsageError.
    """
    if not any(media.values()):
        return text
    audio, image = media.get("input_audio_tokens", 0), media.get("input_image_tokens", 0)
    video, cached_audio = media.get("input_video_tokens", 0), media.get("cache_audio_read_tokens", 0)
    within(cached_audio, min(audio, text.cache_read_tokens), "more cached audio than audio or cache reads")
    uncached_media = audio - cached_audio + image + video
    shift = max(0, uncached_media - text.input_tokens)
    within(shift, text.cache_read_tokens - cached_audio, "more audio, image and video tokens than input")
    return replace(
        text,
        input_tokens=text.input_tokens + shift,
        cache_read_tokens=text.cache_read_tokens - shift,
        input_audio_tokens=audio - cached_audio,
        input_image_tokens=image,
        input_video_tokens=video,
        cache_audio_read_tokens=cached_audio,
        output_audio_tokens=media.get("output_audio_tokens", 0),
        output_image_tokens=media.get("output_image_tokens", 0),
    )
