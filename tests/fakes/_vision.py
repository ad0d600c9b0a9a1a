"""Images in the fake upstream's prompts: billed the way the providers' docs say, written apart from
``tokenwallet.tokens.vision`` so a test comparing the meter's preview with the fake's bill compares
two readings of the docs, not one function with itself. Also: builders of real image bytes.

- OpenAI tiles (gpt-4o, 4.1, 4o-mini…): low = base; else fit 2048², shortest side to 768 (Python
  ``round``), base + tile × 512-px tiles. Patches (4.1-mini, 4.1-nano, o4-mini): 32-px patches,
  at most 1536 after scaling, × multiplier, rounded up.
- Anthropic: fit a 1568-px long edge and 1,600 tokens' worth of pixels, width × height / 750.

The fake cannot download a remote image URL; it bills one as a 768 × 2048 PNG, the largest bill
the tile rule can produce, so tests can check a hold covers the worst case.
"""

from __future__ import annotations

import base64
import math
import struct
import zlib
from collections.abc import Iterator, Mapping
from typing import Any

REMOTE_SIZE = (768, 2048)
TILES = {  # bare-model name → (base, per tile); the longest matching name wins
    "gpt-4o": (85, 170),
    "gpt-4.1": (85, 170),
    "gpt-4o-mini": (2833, 5667),
    "gpt-5": (70, 140),
    "o1": (75, 150),
    "o3": (75, 150),
}
PATCHES = {
    "gpt-4.1-mini": 1.62,
    "gpt-4.1-nano": 2.46,
    "o4-mini": 1.72,
    "gpt-5-mini": 1.62,
    "gpt-5-nano": 2.46,
}


def png(width: int, height: int) -> bytes:
    """A real PNG (8-bit grey, all black) of ``width`` × ``height``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(width) for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def data_url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _png_size(url: str) -> tuple[int, int]:
    if not url.startswith("data:"):
        return REMOTE_SIZE
    raw = base64.b64decode(url.split(",", 1)[1])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "the fake reads PNG images only"
    width, height = struct.unpack(">II", raw[16:24])
    return width, height


def openai_tokens(model: str, url: str, detail: str | None) -> int:
    width, height = _png_size(url)
    bare = model.lower().rsplit("/", 1)[-1]

    def named(p: str) -> bool:  # the name itself or a dated/suffixed version of it
        return bare == p or bare.startswith(p + "-")

    patch = max((p for p in PATCHES if named(p)), key=len, default="")
    tile = max((p for p in TILES if named(p)), key=len, default="")
    if not patch and not tile:  # undocumented: the rule of its kind
        patch = "gpt-4.1-nano" if "-nano" in bare else "gpt-4.1-mini" if "-mini" in bare else ""
        tile = "" if patch else "gpt-4o"
    if len(patch) > len(tile):
        return _patches(width, height, PATCHES[patch])
    base, per_tile = TILES[tile]
    if detail == "low":
        return base
    w, h = float(width), float(height)
    if max(w, h) > 2048:
        s = 2048 / max(w, h)
        w, h = round(w * s), round(h * s)
    if min(w, h) > 768:
        s = 768 / min(w, h)
        w, h = round(w * s), round(h * s)
    return base + per_tile * math.ceil(w / 512) * math.ceil(h / 512)


def _patches(width: int, height: int, multiplier: float) -> int:
    n = math.ceil(width / 32) * math.ceil(height / 32)
    if n > 1536:
        r = math.sqrt(32 * 32 * 1536 / (width * height))
        r *= min(
            math.floor(width * r / 32) / (width * r / 32), math.floor(height * r / 32) / (height * r / 32)
        )
        n = math.ceil(width * r / 32) * math.ceil(height * r / 32)
    # rounded up as the meter does; the multiplier is applied to a whole patch count
    return math.ceil(round(min(n, 1536) * multiplier, 6))


def anthropic_tokens(source: Mapping[str, Any]) -> int:
    if source.get("type") == "base64":
        width, height = _png_size("data:," + str(source.get("data")))
    else:
        width, height = REMOTE_SIZE
    w, h = float(width), float(height)
    if w > 1568 and w >= h:
        w, h = 1568.0, h * 1568 / w
    elif h > 1568:
        w, h = w * 1568 / h, 1568.0
    if w * h > 1600 * 750:
        s = math.sqrt(1600 * 750 / (w * h))
        w, h = w * s, h * s
    w, h = max(1, math.floor(w)), max(1, math.floor(h))
    return min(1600, math.ceil(w * h / 750))


def image_parts(body: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every image part in a chat, Responses or Messages body."""
    stack: list[Any] = [body.get("messages"), body.get("input")]
    while stack:
        v = stack.pop()
        if isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, dict):
            if v.get("type") in ("image_url", "input_image", "image"):
                yield v
            else:
                stack.extend(v.values())


def image_tokens(body: Mapping[str, Any], model: str) -> int:
    total = 0
    for part in image_parts(body):
        if part.get("type") == "image":
            total += anthropic_tokens(part.get("source") or {})
            continue
        image = part.get("image_url")
        url = image.get("url") if isinstance(image, dict) else image
        detail = part.get("detail") or (image.get("detail") if isinstance(image, dict) else None)
        total += openai_tokens(model, str(url), detail)
    return total
