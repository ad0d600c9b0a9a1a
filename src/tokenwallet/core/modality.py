"""What a call used besides text, in words for people: "12 s video", "340 audio tokens in".

Shared by ``tokenwallet history`` and the app's History page. The token parts come from the
usage record (``core.usage``), the media units from the ledger's ``units`` JSON (images, seconds
of audio or video, characters spoken; ``pricing.media``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from tokenwallet.core.usage import Usage

_TOKEN_WORDS = (
    ("input_audio_tokens", "audio tokens in"),
    ("cache_audio_read_tokens", "cached audio tokens"),
    ("output_audio_tokens", "audio tokens out"),
    ("input_image_tokens", "image tokens in"),
    ("input_video_tokens", "video tokens in"),
    ("output_image_tokens", "image tokens out"),
)


def _units(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def describe(usage: Usage, units: str = "") -> str:
    """The non-text parts of a call, comma-separated; "" for a text-only call."""
    parts: list[str] = []
    u = _units(units)
    if isinstance(u.get("video_seconds"), int):
        parts.append(f"{u['video_seconds']} s video" + (f" {u['size']}" if u.get("size") else ""))
    if isinstance(u.get("images"), int):
        parts.append(f"{u['images']} image" + ("s" if u["images"] != 1 else ""))
    if isinstance(u.get("audio_ms"), int):
        parts.append(f"{math.ceil(u['audio_ms'] / 1000)} s audio")
    if isinstance(u.get("characters"), int):
        parts.append(f"{u['characters']:,} characters spoken")
    for name, words in _TOKEN_WORDS:
        count = getattr(usage, name)
        if count:
            parts.append(f"{count:,} {words}")
    if isinstance(u.get("image_out"), int) and u["image_out"] and not usage.output_image_tokens:
        parts.append(f"{u['image_out']:,} image tokens out")
    return ", ".join(parts)
