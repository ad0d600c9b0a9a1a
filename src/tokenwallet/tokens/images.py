"""Width and height of an image sent inline in a request, read from its header.

Providers bill an image by its pixel size, so the meter must know it before the call. Only the
header is read (PNG ``IHDR``, GIF's logical screen, WebP's ``VP8 ``/``VP8L``/``VP8X`` chunk, JPEG's
first start-of-frame segment); nothing is decoded, so a hostile image cannot make us allocate its
declared size. Everything that is not one of these four formats, is cut short, or declares no
pixels raises :class:`ImageDataError` with a sentence saying which — never an ``IndexError``.

Pillow is not a dependency of the app; four header layouts are short enough to read by hand, and
reading only headers is what we want anyway.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from dataclasses import dataclass

# JPEG markers that start a frame and carry its size (SOF0–SOF15 minus DHT, JPG and DAC).
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
# Markers without a length field (TEM, RST0–7, SOI, EOI).
_STANDALONE = frozenset({0x01, *range(0xD0, 0xDA)})
# A JPEG header longer than this many segments is not a photo but an attack on our loop.
MAX_JPEG_SEGMENTS = 1024
HEAD_CHARS = 64 * 1024  # base64 characters decoded first (48 KB of image), a multiple of 4
_DATA_URL = re.compile(r"^data:([\w.+-]+/[\w.+-]+)?((?:;[\w.+-]+=[\w.+-]+)*);base64,", re.ASCII)


class ImageDataError(ValueError):
    """An inline image whose size cannot be read: not an image, an unknown format, or cut short."""


@dataclass(frozen=True, slots=True)
class ImageSize:
    width: int
    height: int
    format: str  # "png" | "jpeg" | "gif" | "webp"


def image_size(data: bytes) -> ImageSize:
    """The pixel size declared in the header of ``data`` (PNG, JPEG, GIF or WebP)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        size = _png(data)
    elif data.startswith((b"GIF87a", b"GIF89a")):
        size = _gif(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        size = _webp(data)
    elif data.startswith(b"\xff\xd8"):
        size = _jpeg(data)
    else:
        raise ImageDataError("the image is not PNG, JPEG, GIF or WebP")
    if size.width < 1 or size.height < 1:
        raise ImageDataError(f"the {size.format.upper()} image declares no pixels")
    return size


def base64_image_size(text: str) -> ImageSize:
    """The size of a base64 image, decoding only its first 48 KB when the header is in there (it
    is for PNG, GIF and WebP, and for most JPEGs): the meter counts on the request's path."""
    head = text[:HEAD_CHARS]
    if len(text) > HEAD_CHARS:
        try:
            return image_size(base64_bytes(head))
        except ImageDataError as exc:
            if "cut short" not in str(exc) and "no frame header" not in str(exc):
                raise
    return image_size(base64_bytes(text))


def data_url_image_size(url: str) -> ImageSize:
    """The size of the image in a ``data:[type];base64,…`` URL."""
    m = _DATA_URL.match(url)
    if m is None:
        raise ImageDataError("the image URL is a data: URL but not a base64 one")
    return base64_image_size(url[m.end() :])


def data_url_bytes(url: str) -> bytes:
    """The bytes of a ``data:[type];base64,…`` URL (strict base64: a stray character is an error)."""
    m = _DATA_URL.match(url)
    if m is None:
        raise ImageDataError("the image URL is a data: URL but not a base64 one")
    return base64_bytes(url[m.end() :])


def base64_bytes(text: str) -> bytes:
    """Strict base64 (Anthropic's ``source.data``, the payload of a data: URL)."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ImageDataError("the image data is not valid base64") from None


def _need(data: bytes, end: int, fmt: str) -> None:
    if len(data) < end:
        raise ImageDataError(f"the {fmt} image is cut short (its header is incomplete)")


def _png(data: bytes) -> ImageSize:
    _need(data, 24, "PNG")
    if data[12:16] != b"IHDR":
        raise ImageDataError("the PNG image does not start with its IHDR header")
    width, height = struct.unpack(">II", data[16:24])
    return ImageSize(width, height, "png")


def _gif(data: bytes) -> ImageSize:
    _need(data, 10, "GIF")
    width, height = struct.unpack("<HH", data[6:10])
    return ImageSize(width, height, "gif")


def _webp(data: bytes) -> ImageSize:
    _need(data, 16, "WebP")
    chunk = data[12:16]
    _need(data, 25 if chunk == b"VP8L" else 30, "WebP")
    if chunk == b"VP8 ":  # lossy: a key frame's start code, then 14-bit sizes
        if data[23:26] != b"\x9d\x01\x2a":
            raise ImageDataError("the WebP image's VP8 frame has no start code")
        width, height = struct.unpack("<HH", data[26:30])
        return ImageSize(width & 0x3FFF, height & 0x3FFF, "webp")
    if chunk == b"VP8L":  # lossless: a signature byte, then 14 bits each of width-1, height-1
        if data[20] != 0x2F:
            raise ImageDataError("the WebP image's VP8L chunk has no signature")
        bits = int.from_bytes(data[21:25], "little")
        return ImageSize((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, "webp")
    if chunk == b"VP8X":  # extended: 24-bit canvas width-1 and height-1
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return ImageSize(width, height, "webp")
    raise ImageDataError("the WebP image has no VP8, VP8L or VP8X chunk")


def _jpeg(data: bytes) -> ImageSize:
    pos = 2
    for _ in range(MAX_JPEG_SEGMENTS):
        _need(data, pos + 2, "JPEG")
        if data[pos] != 0xFF:
            raise ImageDataError("the JPEG image's segments are corrupt")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker in _STANDALONE:
            if marker == 0xD9:
                break  # end of image before any frame
            pos += 2
            continue
        _need(data, pos + 4, "JPEG")
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if length < 2:
            raise ImageDataError("the JPEG image's segments are corrupt")
        if marker in _SOF:
            _need(data, pos + 9, "JPEG")
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return ImageSize(width, height, "jpeg")
        if marker == 0xDA:
            break  # scan data before a frame header
        pos += 2 + length
    raise ImageDataError("the JPEG image has no frame header")
