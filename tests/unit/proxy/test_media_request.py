"""Reading media requests: JSON and multipart/form-data, bounded, refused when unreadable."""

from __future__ import annotations

import json

import pytest

from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.media_request import MAX_FIELD_BYTES, MAX_PARTS, parse_media

BOUNDARY = "tw-test-boundary"
FORM = [(b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())]
JSON_CT = [(b"content-type", b"application/json")]


def form(fields: dict[str, str], files: dict[str, bytes] | None = None) -> bytes:
    out = b""
    for name, value in fields.items():
        out += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, data in (files or {}).items():
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="a.wav"\r\n'
        out += head.encode() + b"Content-Type: audio/wav\r\n\r\n" + data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def test_transcription_form_is_read() -> None:
    body = form({"model": "whisper-1", "prompt": "names"}, {"file": b"RIFF...."})
    req = parse_media("audio/transcriptions", None, FORM, body)
    assert (req.model, req.text, req.audio is not None and req.audio.data) == (
        "whisper-1",
        "names",
        b"RIFF....",
    )


def test_edit_counts_every_image_part() -> None:
    body = form({"model": "gpt-image-1", "prompt": "x", "n": "2"}, {"image[]": b"png", "mask": b"png"})
    req = parse_media("images/edits", None, FORM, body)
    assert (req.n, req.input_images) == (2, 2)


def test_a_repeated_form_field_is_refused() -> None:
    body = form({"model": "whisper-1"}, {"file": b"RIFF"})
    twice = body.replace(b"--" + BOUNDARY.encode() + b"--", form({"model": "gpt-4o-transcribe"})[:-4], 1)
    with pytest.raises(ProxyError) as exc:
        parse_media("audio/transcriptions", None, FORM, twice + b"--\r\n")
    assert "repeats the field 'model'" in exc.value.message


def test_imagen_defaults_to_four_images_per_instance() -> None:
    body = json.dumps({"instances": [{"prompt": "a"}, {"prompt": "b"}], "parameters": {"sampleCount": 2}})
    assert parse_media("predict", "imagen-4.0-generate-001", JSON_CT, body.encode()).n == 4
    body = json.dumps({"instances": [{"prompt": "a"}]})
    assert parse_media("predict", "imagen-4.0-generate-001", JSON_CT, body.encode()).n == 4


@pytest.mark.parametrize(
    ("endpoint", "headers", "body", "says"),
    [
        ("audio/transcriptions", FORM, form({"model": "whisper-1"}), "exactly one audio file"),
        ("audio/transcriptions", FORM, form({"model": "whisper-1"})[:-20], "closing boundary"),
        ("audio/transcriptions", [(b"content-type", b"multipart/form-data")], b"", "no boundary"),
        ("images/edits", FORM, form({"model": "gpt-image-1", "prompt": "x"}), "no image"),
        ("images/generations", FORM, form({"model": "m", "p": "x" * (MAX_FIELD_BYTES + 1)}), "longer than"),
        ("images/generations", FORM, form({f"f{i}": "1" for i in range(MAX_PARTS + 1)}), "more than"),
        ("images/generations", JSON_CT, b'{"model": "dall-e-2", "n": 1e30}', '"n"'),
        ("images/generations", JSON_CT, b'{"model": "dall-e-2", "n": true}', '"n"'),
        ("images/generations", JSON_CT, b"[" * 100_000, "neither JSON"),
        ("audio/speech", JSON_CT, b'{"model": "tts-1", "voice": "alloy"}', "no text to speak"),
        ("predict", JSON_CT, b'{"instances": [{}], "parameters": {"sampleCount": 11}}', "sampleCount"),
        ("images/generations", JSON_CT, b'{"prompt": "x"}', "names no model"),
        ("images/generations", JSON_CT, b'{"model": "dall-e-2", "model": "gpt-image-1"}', "key twice"),
        ("images/generations", FORM + JSON_CT, b'{"model": "dall-e-2"}', "more than one Content-Type"),
    ],
)
def test_what_cannot_be_read_is_refused(
    endpoint: str, headers: list[tuple[bytes, bytes]], body: bytes, says: str
) -> None:
    with pytest.raises(ProxyError) as exc:
        parse_media(endpoint, "imagen-3.0-generate-002" if endpoint == "predict" else None, headers, body)
    assert exc.value.status == 400 and says in exc.value.message
