"""Images in a request: their size read from the header, their tokens by each provider's rule."""

from __future__ import annotations

import base64
import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakes._vision import data_url, png
from tokenwallet.tokens import ImageDataError, count_request
from tokenwallet.tokens.images import MAX_JPEG_SEGMENTS, ImageSize, data_url_bytes, image_size
from tokenwallet.tokens.vision import (
    anthropic_tokens,
    image_tokens,
    openai_rule,
    worst_image_tokens,
)


def gif(w: int, h: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", w, h) + b"\x00\x00\x00;"


def jpeg(w: int, h: int, app_segments: int = 2) -> bytes:
    app = b"\xff\xe1" + struct.pack(">H", 18) + b"Exif\x00\x00" + bytes(10)
    sof = b"\xff\xc2" + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app * app_segments + b"\xff\xff" + sof + b"\xff\xd9"


def webp_vp8x(w: int, h: int) -> bytes:
    body = b"VP8X" + struct.pack("<I", 10) + bytes(4) + (w - 1).to_bytes(3, "little")
    body += (h - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def webp_vp8l(w: int, h: int) -> bytes:
    bits = (w - 1) | ((h - 1) << 14)
    body = b"VP8L" + struct.pack("<I", 5) + b"\x2f" + bits.to_bytes(4, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def webp_vp8(w: int, h: int) -> bytes:
    frame = bytes(3) + b"\x9d\x01\x2a" + struct.pack("<HH", w, h)
    body = b"VP8 " + struct.pack("<I", len(frame)) + frame
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


SAMPLES = {
    "png": png(300, 200),
    "gif": gif(300, 200),
    "jpeg": jpeg(300, 200),
    "webp-vp8x": webp_vp8x(300, 200),
    "webp-vp8l": webp_vp8l(300, 200),
    "webp-vp8": webp_vp8(300, 200),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_format_reads_its_size(name: str) -> None:
    size = image_size(SAMPLES[name])
    assert (size.width, size.height) == (300, 200)
    assert size.format == name.split("-", maxsplit=1)[0]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_cut_short_image_is_a_clear_error_at_every_length(name: str) -> None:
    data = SAMPLES[name]
    # bytes up to the end of the size fields (the JPEG's frame header ends 6 bytes before its end)
    header = {"png": 24, "gif": 10, "jpeg": len(data) - 6, "webp-vp8l": 25}.get(name, 30)
    for n in range(header):
        with pytest.raises(ImageDataError):
            image_size(data[:n])


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.7 not an image", "not PNG, JPEG, GIF or WebP"),
        (gif(0, 10), "declares no pixels"),
        (jpeg(10, 0), "declares no pixels"),
        (b"\xff\xd8" + (b"\xff\xe1\x00\x04ab") * (MAX_JPEG_SEGMENTS + 1), "no frame header"),
        (b"\xff\xd8\xff\xe1\x00\x01", "corrupt"),
        (b"\x89PNG\r\n\x1a\n" + bytes(4) + b"IDAT" + bytes(8), "IHDR"),
    ],
)
def test_hostile_images_are_refused_in_words(data: bytes, message: str) -> None:
    with pytest.raises(ImageDataError, match=message):
        image_size(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64), st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"\xff\xd8", b"RIFF"]))
def test_any_bytes_give_a_size_or_image_data_error(data: bytes, prefix: bytes) -> None:
    try:
        size = image_size(prefix + data)
    except ImageDataError:
        return
    assert isinstance(size, ImageSize) and size.width >= 1 and size.height >= 1


def test_data_urls_are_strict_base64() -> None:
    assert data_url_bytes(data_url(b"abc")) == b"abc"
    for bad in ("data:image/png;base64,@@@@", "data:image/png,rawtext", "data:;base64,QUJ"):
        with pytest.raises(ImageDataError):
            data_url_bytes(bad)


# ---- the providers' rules, checked against the examples their docs give ------------------------


@pytest.mark.parametrize(
    "model, w, h, detail, tokens",
    [
        ("gpt-4o", 1024, 1024, "high", 765),  # OpenAI: 4 tiles × 170 + 85
        ("gpt-4o", 2048, 4096, "high", 1105),  # → 1024×2048 → 768×1536: 6 tiles
        ("gpt-4o", 4096, 8192, "low", 85),
        ("gpt-4o", 2049, 513, "auto", 1445),  # billed as two tile rows (API observation)
        ("gpt-4o", 2050, 513, None, 765),  # … and this one as one: Python rounding
        ("gpt-4o-mini", 128, 64, "high", 2833 + 5667),
        ("gpt-4o-mini", 128, 64, "low", 2833),
        ("gpt-4.1", 1024, 1024, "high", 765),
        ("gpt-5", 1024, 1024, "high", 70 + 4 * 140),
        ("o3", 512, 512, "high", 75 + 150),
        ("gpt-4.1-mini", 1024, 1024, "high", 1659),  # 1024 patches × 1.62, rounded up
        ("gpt-4.1-mini", 1024, 1024, "low", 1659),  # patches ignore detail
        ("gpt-4.1-nano", 1800, 2400, None, 3572),  # the docs' 1452 patches × 2.46
        ("o4-mini", 128, 64, None, 14),  # 8 patches × 1.72
        ("claude-sonnet-4-5", 1092, 1092, None, 1590),  # Anthropic's table
        ("claude-sonnet-4-5", 200, 200, None, 54),
    ],
)
def test_documented_examples(model: str, w: int, h: int, detail: str | None, tokens: int) -> None:
    assert image_tokens(model, w, h, detail) == tokens


def test_rules_by_model_name() -> None:
    assert openai_rule("openai/gpt-4o-mini-2024-07-18")[0] == openai_rule("gpt-4o-mini")[0]
    assert openai_rule("gpt-4.1-mini")[0] != openai_rule("gpt-4.1")[0]
    assert openai_rule("some-vision-model")[1] is False  # not documented: gpt-4o's rule assumed


SIDES = st.integers(1, 2**31 - 1)
MODELS = st.sampled_from(
    ["gpt-4o", "gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1-nano", "o4-mini", "gpt-5", "o3", "claude-opus-4"]
)


@settings(max_examples=400, deadline=None)
@given(MODELS, SIDES, SIDES, st.sampled_from([None, "low", "high", "auto"]))
def test_no_image_costs_more_than_the_worst_case_a_hold_takes(
    model: str, w: int, h: int, detail: str | None
) -> None:
    assert 0 < image_tokens(model, w, h, detail) <= worst_image_tokens(model, detail)


def test_huge_declared_sizes_cost_no_more_than_a_full_image() -> None:
    huge = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 2**32 - 1, 2**32 - 1)
    size = image_size(huge)
    assert image_tokens("gpt-4o", size.width, size.height) == 765
    assert anthropic_tokens(size.width, size.height) <= 1600


# ---- in a request ------------------------------------------------------------------------------


def _chat(url: str, model: str = "gpt-4o", detail: str = "auto") -> dict[str, Any]:
    part = {"type": "image_url", "image_url": {"url": url, "detail": detail}}
    return {"model": model, "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}, part]}]}


def test_an_inline_image_costs_its_size_in_the_count() -> None:
    text_only = count_request("openai", "chat/completions", _chat("https://x.test/a.png", detail="low"))
    count = count_request("openai", "chat/completions", _chat(data_url(png(1024, 1024))))
    assert count.image_tokens == 765 and count.images_unsized == 0
    assert count.tokens == text_only.tokens - 85 + 765
    mini = count_request("openai", "chat/completions", _chat(data_url(png(1024, 1024)), "gpt-4.1-mini"))
    assert mini.image_tokens == 1659


def test_a_remote_image_is_held_at_its_worst_case_and_said_so() -> None:
    count = count_request("openai", "chat/completions", _chat("https://x.test/cat.png"))
    assert count.image_tokens == 85 + 170 * 8 and count.images_unsized == 1
    assert "worst case" in count.method and not count.exact
    responses = {
        "model": "gpt-4o-mini",
        "input": [{"role": "user", "content": [{"type": "input_image", "image_url": "https://x.test/a"}]}],
    }
    assert count_request("openai", "responses", responses).image_tokens == 2833 + 5667 * 8


def test_anthropic_images_by_width_times_height() -> None:
    def body(source: dict[str, Any]) -> dict[str, Any]:
        return {
            "model": "claude-sonnet-4-5",
            "max_tokens": 100,
            "messages": [{"role": "user", "content": [{"type": "image", "source": source}]}],
        }

    data = base64.b64encode(png(1000, 1000)).decode()
    inline = count_request(
        "anthropic", "messages", body({"type": "base64", "media_type": "image/png", "data": data})
    )
    assert inline.image_tokens == 1334 and inline.images_unsized == 0
    remote = count_request("anthropic", "messages", body({"type": "url", "url": "https://x.test/a.png"}))
    assert remote.image_tokens == 1600 and remote.images_unsized == 1
    with pytest.raises(ImageDataError, match="not valid base64"):
        count_request("anthropic", "messages", body({"type": "base64", "data": "%%%"}))


def test_an_unreadable_inline_image_is_an_error_not_a_guess() -> None:
    not_image = data_url(b"<html>hello</html>", "image/png")
    with pytest.raises(ImageDataError, match="not PNG, JPEG, GIF or WebP"):
        count_request("openai", "chat/completions", _chat(not_image))
    with pytest.raises(ImageDataError, match="cut short"):
        count_request("openai", "chat/completions", _chat(data_url(png(10, 10)[:20])))


def test_newer_families_are_not_taken_for_documented_ones() -> None:
    from tokenwallet.tokens.vision import GPT_4O, OPENAI_RULES

    assert openai_rule("gpt-4o-2024-08-06") == (GPT_4O, True)
    assert openai_rule("chatgpt-4o-latest") == (GPT_4O, True)
    # gpt-5.4-nano is not gpt-5: an undocumented nano is billed like the documented nanos (patches)
    assert openai_rule("gpt-5.4-nano") == (OPENAI_RULES["gpt-4.1-nano"], False)
    assert openai_rule("gpt-5.4-mini") == (OPENAI_RULES["gpt-4.1-mini"], False)
    assert openai_rule("gpt-5.4") == (GPT_4O, False)


def test_big_images_are_sized_from_their_head_and_late_jpeg_frames_are_still_found() -> None:
    from tokenwallet.tokens.images import HEAD_CHARS, base64_image_size

    big_png = png(3000, 2000) + bytes(200_000)  # trailing bytes past the head are never decoded
    text = base64.b64encode(big_png).decode()
    assert len(text) > HEAD_CHARS
    assert base64_image_size(text[:HEAD_CHARS] + "!!!!" + text[HEAD_CHARS + 4 :]).width == 3000
    # a JPEG with 100 KB of metadata before its frame header: the whole image is read
    exif = (b"\xff\xe1" + struct.pack(">H", 65_000) + bytes(64_998)) * 2
    late = b"\xff\xd8" + exif + jpeg(640, 480)[2:]
    size = base64_image_size(base64.b64encode(late).decode())
    assert (size.width, size.height) == (640, 480)
    with pytest.raises(ImageDataError, match="not PNG"):
        base64_image_size(base64.b64encode(b"MZ" + bytes(100_000)).decode())
