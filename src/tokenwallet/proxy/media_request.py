"""What an image or audio request asks for: read before it is sent, to hold its worst case.

JSON bodies (image generation, speech, Imagen ``:predict``) and multipart/form-data uploads (image
edits and variations, transcription and translation) are read into one :class:`MediaRequest`.
The multipart parser is python-multipart (Starlette's own), fed the body the proxy already read
within ``max_body_bytes``; it is bounded in parts and field sizes. A request the meter cannot read
is refused (400), never forwarded uncounted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tokenwallet.proxy.errors import ProxyError

MAX_PARTS = 64  # form fields + files; the APIs take ~15
MAX_FIELD_BYTES = 256 * 1024  # a text field (gpt-image prompts reach 32,000 characters)
MAX_IMAGES = 10  # `n` and Imagen's images per call: the APIs allow at most 10 (Imagen 4)
MAX_VIDEO_SECONDS = 120  # Sora 2 makes 4, 8 or 12 seconds (extensions up to 20)
DEFAULT_VIDEO_MODEL = "sora-2"  # what POST /v1/videos makes when the request names no model
_IMAGE_FIELDS = frozenset({"image", "image[]", "mask"})


@dataclass(slots=True)
class Upload:
    name: str
    filename: str | None
    data: bytes


@dataclass(slots=True)
class MediaRequest:
    """The fields of a media request that decide its price."""

    model: str
    n: int = 1
    size: str | None = None
    quality: str | None = None
    text: str = ""  # prompt / text to speak / transcription prompt (its tokens or characters)
    instructions: str = ""  # gpt-4o-mini-tts voice instructions (billed as input text tokens)
    stream: bool = False
    response_format: str | None = None
    partial_images: int = 0
    input_images: int = 0
    audio: Upload | None = None
    seconds: int | None = None  # video: the length asked for (None: the model's default)
    fields: dict[str, str] = field(default_factory=dict)


def _bad(message: str) -> ProxyError:
    return ProxyError(400, message, "invalid_request")


def _content_type(headers: list[tuple[bytes, bytes]]) -> str:
    found = [value for name, value in headers if name == b"content-type"]
    if len(found) > 1:  # the meter and the provider might read different ones
        raise _bad("The request has more than one Content-Type header.")
    return found[0].decode("latin-1") if found else ""


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object that names a key twice is refused: the provider may read the other one."""
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _bad("The request's JSON names a key twice.")
    return out


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], list[Upload]]:
    """(text fields, file parts) of a multipart/form-data body; ProxyError 400 when unreadable."""
    from python_multipart.exceptions import MultipartParseError
    from python_multipart.multipart import MultipartParser, parse_options_header

    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        raise _bad("The multipart/form-data request names no boundary.")
    fields: dict[str, str] = {}
    uploads: list[Upload] = []
    state: dict[str, Any] = {"headers": {}, "field": b"", "value": b"", "data": [], "size": 0, "end": False}

    def part_begin() -> None:
        if len(fields) + len(uploads) >= MAX_PARTS:
            raise _bad(f"The form has more than {MAX_PARTS} parts.")
        state.update(headers={}, data=[], size=0)

    def header_field(data: bytes, start: int, end: int) -> None:
        state["field"] += data[start:end]

    def header_value(data: bytes, start: int, end: int) -> None:
        state["value"] += data[start:end]

    def header_end() -> None:
        state["headers"][state["field"].lower()] = state["value"]
        state["field"], state["value"] = b"", b""

    def part_data(data: bytes, start: int, end: int) -> None:
        state["data"].append(data[start:end])
        state["size"] += end - start

    def part_end() -> None:
        _, opts = parse_options_header(state["headers"].get(b"content-disposition", b""))
        name = opts.get(b"name", b"").decode("utf-8", "replace")
        filename = opts.get(b"filename")
        data = b"".join(state["data"])
        if filename is not None:
            uploads.append(Upload(name, filename.decode("utf-8", "replace"), data))
        elif state["size"] > MAX_FIELD_BYTES:
            raise _bad(f"The form field {name!r} is longer than {MAX_FIELD_BYTES} bytes.")
        elif name in fields:  # the meter and the provider might read different ones
            raise _bad(f"The form repeats the field {name!r}.")
        else:
            fields[name] = data.decode("utf-8", "replace")

    def on_end() -> None:
        state["end"] = True

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": part_begin,
            "on_part_data": part_data,
            "on_part_end": part_end,
            "on_header_field": header_field,
            "on_header_value": header_value,
            "on_header_end": header_end,
            "on_end": on_end,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except MultipartParseError as exc:
        raise _bad(f"The multipart/form-data body cannot be read ({exc}).") from None
    if not state["end"]:
        raise _bad("The multipart/form-data body ends before its closing boundary.")
    return fields, uploads


def _int(value: Any, name: str, low: int, high: int, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad(f'"{name}" must be a whole number from {low} to {high}.')
    return value


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def parse_media(
    endpoint: str, path_model: str | None, headers: list[tuple[bytes, bytes]], body: bytes
) -> MediaRequest:
    """Read the request of a media ``endpoint`` (its ledger name, e.g. ``images/edits``)."""
    ctype = _content_type(headers)
    uploads: list[Upload] = []
    if ctype.lower().startswith("multipart/form-data"):
        form, uploads = parse_multipart(body, ctype)
        data: dict[str, Any] = dict(form)
    else:
        try:
            data = json.loads(body, object_pairs_hook=_no_repeats)
        except ProxyError:
            raise
        except (ValueError, RecursionError):
            raise _bad(
                "The request body is neither JSON nor multipart/form-data Token Wallet can read."
            ) from None
        if not isinstance(data, dict):
            raise _bad("The request body must be a JSON object.")
    if endpoint == "predict":
        return _imagen(path_model or "", data)
    if endpoint == "videos/remix":  # model, size and seconds are the original's (proxy.media_video)
        return MediaRequest("", text=_str(data.get("prompt")) or "")
    if endpoint == "videos":
        data.setdefault("model", DEFAULT_VIDEO_MODEL)
    model = data.get("model")
    if not isinstance(model, str) or not model:
        raise _bad('The request names no model (the "model" field is missing).')
    req = MediaRequest(model, fields={k: v for k, v in data.items() if isinstance(v, str)})
    req.size, req.quality = _str(data.get("size")), _str(data.get("quality"))
    req.response_format = _str(data.get("response_format"))
    req.stream = _true(data.get("stream")) or data.get("stream_format") == "sse"
    if endpoint.startswith("images/"):
        req.n = _int(data.get("n"), "n", 1, MAX_IMAGES, 1)
        req.partial_images = _int(data.get("partial_images"), "partial_images", 0, 3, 0)
        req.text = _str(data.get("prompt")) or ""
        refs = data.get("images")  # the JSON form of an edit: image references
        req.input_images = sum(1 for u in uploads if u.name in _IMAGE_FIELDS) + (
            len(refs) if isinstance(refs, list) else 0
        )
        if endpoint != "images/generations" and req.input_images == 0:
            raise _bad("The request carries no image to edit or vary.")
    elif endpoint == "videos":
        req.text = _str(data.get("prompt")) or ""
        req.seconds = video_seconds(data.get("seconds"))
        req.input_images = sum(1 for u in uploads if u.name == "input_reference")
    elif endpoint == "audio/speech":
        text = data.get("input")
        if not isinstance(text, str) or not text:
            raise _bad('The request has no text to speak (the "input" field).')
        req.text = text
        req.instructions = _str(data.get("instructions")) or ""
    else:  # audio/transcriptions, audio/translations
        files = [u for u in uploads if u.name == "file"]
        if len(files) != 1:
            raise _bad('The request must carry exactly one audio file (the "file" field).')
        req.audio = files[0]
        req.text = _str(data.get("prompt")) or ""
    return req


def video_seconds(value: Any) -> int | None:
    """The ``seconds`` of a video request or answer ("4", "8", "12" on the wire; a number is read
    too); None when absent. Anything else is refused: the hold depends on it."""
    if value is None or value == "":
        return None
    return _int(value, "seconds", 1, MAX_VIDEO_SECONDS, 0)


def _imagen(model: str, data: dict[str, Any]) -> MediaRequest:
    instances = data.get("instances")
    if not isinstance(instances, list) or not instances:
        raise _bad('The :predict request has no "instances".')
    params = data.get("parameters")
    params = params if isinstance(params, dict) else {}
    count = _int(params.get("sampleCount"), "parameters.sampleCount", 1, MAX_IMAGES, 4)
    prompts = [i.get("prompt") for i in instances if isinstance(i, dict)]
    text = "\n".join(p for p in prompts if isinstance(p, str))
    n = count * len(instances)
    if n > MAX_IMAGES:
        raise _bad(f"Token Wallet holds at most {MAX_IMAGES} images per :predict call.")
    return MediaRequest(model, n=n, size=_str(params.get("sampleImageSize")), text=text)
