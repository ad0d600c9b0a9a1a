"""OpenAI images and audio, and Gemini's Imagen ``:predict``, in their wire formats.

Shapes follow the official ``openai`` SDK's types (``ImagesResponse`` with ``usage`` for GPT Image
models, ``Transcription`` with ``usage`` of type ``duration`` (whisper-1) or ``tokens``
(gpt-4o-*-transcribe), the speech SSE events ``speech.audio.delta``/``speech.audio.done``,
``transcript.text.delta``/``transcript.text.done``) and the Imagen REST answer (``predictions``).

Deterministic figures: GPT Image output tokens per image from OpenAI's size/quality table (auto →
medium); input text tokens len(prompt)//4 (min 1), 65 image tokens per input image; whisper bills
the uploaded WAV's length in whole seconds (rounded up); gpt-4o transcription bills 10 audio
tokens a second. Scenario knobs that apply: error_status, no_usage, output_tokens, input_tokens,
extra_usage (merged into ``usage``, e.g. a negative count).
"""

from __future__ import annotations

import base64
import io
import json
import math
import struct
import wave
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ._common import JSON, Recorded, Scenario, dumps, json_response

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
GPT_IMAGE_TOKENS = {
    ("low", "1024x1024"): 272,
    ("low", "1024x1536"): 408,
    ("low", "1536x1024"): 400,
    ("medium", "1024x1024"): 1056,
    ("medium", "1024x1536"): 1584,
    ("medium", "1536x1024"): 1568,
    ("high", "1024x1024"): 4160,
    ("high", "1024x1536"): 6240,
    ("high", "1536x1024"): 6208,
}
INPUT_IMAGE_TOKENS = 65
AUDIO_TOKENS_PER_S = 10
MP3_FRAME = b"\xff\xfb\x90\x00" + bytes(413)  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz: 417 bytes, 26 ms


def mp3_bytes(seconds: float) -> bytes:
    """Silent MP3 frames lasting about ``seconds`` (what a TTS answer looks like to a reader)."""
    return MP3_FRAME * max(1, round(seconds * 44_100 / 1152))


def wav_bytes(seconds: float, rate: int = 8000) -> bytes:
    """A silent mono 16-bit WAV file."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack("<h", 0) * int(seconds * rate))
    return buf.getvalue()


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _usage(sc: Scenario, usage: JSON) -> JSON:
    return {**usage, **sc.extra_usage}


async def _form(request: Request) -> tuple[dict[str, str], dict[str, list[bytes]]]:
    fields: dict[str, str] = {}
    files: dict[str, list[bytes]] = {}
    async with request.form() as form:
        for name, value in form.multi_items():
            if isinstance(value, str):
                fields[name] = value
            else:
                files.setdefault(name, []).append(await value.read())
    return fields, files


async def images(request: Request, rec: Recorded, sc: Scenario, action: str) -> Response:
    if action == "generations":
        body: JSON = rec.body if isinstance(rec.body, dict) else {}
        inputs = 0
    else:
        fields, files = await _form(request)
        body = dict(fields)
        inputs = len(files.get("image", [])) + len(files.get("image[]", []))
    model = str(body.get("model") or "dall-e-2")
    n = int(body.get("n") or 1)
    out: JSON = {"created": 1_700_000_000, "data": []}
    for _ in range(n):
        if body.get("response_format") == "url":
            out["data"].append({"url": "https://images.example/fake.png"})
        else:
            out["data"].append({"b64_json": base64.b64encode(PNG_1PX).decode()})
    if model.startswith(("gpt-image", "chatgpt-image")) and not sc.no_usage:
        quality = str(body.get("quality") or "auto")
        quality = "medium" if quality == "auto" else quality
        size = str(body.get("size") or "1024x1024")
        size = "1024x1024" if size == "auto" else size
        text_in = sc.input_tokens if sc.input_tokens is not None else _tokens(str(body.get("prompt", "")))
        image_in = inputs * INPUT_IMAGE_TOKENS
        per = GPT_IMAGE_TOKENS[(quality, size)]
        output = sc.output_tokens if sc.output_tokens is not None else per * n
        usage = {
            "input_tokens": text_in + image_in,
            "input_tokens_details": {"text_tokens": text_in, "image_tokens": image_in},
            "output_tokens": output,
            "total_tokens": text_in + image_in + output,
        }
        out["usage"] = _usage(sc, usage)
    if str(body.get("stream")).lower() == "true":
        return _image_stream(rec, out, action, int(body.get("partial_images") or 0))
    return json_response(out)


def _image_stream(rec: Recorded, out: JSON, action: str, partials: int) -> Response:
    """GPT Image streaming: partial images, then one ``*.completed`` event with the usage."""
    rec.stream = True
    kind = "image_generation" if action == "generations" else "image_edit"
    b64 = base64.b64encode(PNG_1PX).decode()
    events: list[JSON] = [
        {"type": f"{kind}.partial_image", "b64_json": b64, "partial_image_index": i} for i in range(partials)
    ]
    done: JSON = {"type": f"{kind}.completed", "b64_json": b64}
    if "usage" in out:
        done["usage"] = out["usage"]
    events.append(done)
    rec.finished = True
    body = b"".join(b"event: " + e["type"].encode() + b"\ndata: " + dumps(e) + b"\n\n" for e in events)
    return Response(body, media_type="text/event-stream")


def speech(rec: Recorded, sc: Scenario) -> Response:
    body = rec.json
    text = str(body.get("input", ""))
    seconds = max(len(text) / 15, 0.5)  # 15 characters a second
    audio = mp3_bytes(seconds) if body.get("response_format", "mp3") == "mp3" else wav_bytes(seconds)
    if body.get("stream_format") != "sse":
        return Response(audio, media_type="audio/mpeg")
    rec.stream = True
    frames = [
        b"data: " + dumps({"type": "speech.audio.delta", "audio": base64.b64encode(audio).decode()}) + b"\n\n"
    ]
    done: JSON = {"type": "speech.audio.done"}
    if not sc.no_usage:
        out = sc.output_tokens if sc.output_tokens is not None else math.ceil(seconds * 20)
        text_in = sc.input_tokens if sc.input_tokens is not None else _tokens(text)
        done["usage"] = _usage(
            sc, {"input_tokens": text_in, "output_tokens": out, "total_tokens": text_in + out}
        )
    frames.append(b"data: " + dumps(done) + b"\n\n")
    rec.finished = True
    return Response(b"".join(frames), media_type="text/event-stream")


async def transcription(request: Request, rec: Recorded, sc: Scenario) -> Response:
    fields, files = await _form(request)
    rec.body = dict(fields)
    audio = files.get("file", [b""])[0]
    with wave.open(io.BytesIO(audio), "rb") as w:
        seconds = w.getnframes() / w.getframerate()
    model = fields.get("model", "whisper-1")
    text = "hello from the fake transcriber"
    usage: JSON
    if model.startswith("whisper"):
        usage = {"type": "duration", "seconds": math.ceil(seconds)}
    else:
        audio_tokens = math.ceil(seconds * AUDIO_TOKENS_PER_S)
        text_in = _tokens(fields["prompt"]) if fields.get("prompt") else 0
        out = sc.output_tokens if sc.output_tokens is not None else _tokens(text)
        usage = {
            "type": "tokens",
            "input_tokens": text_in + audio_tokens,
            "input_token_details": {"text_tokens": text_in, "audio_tokens": audio_tokens},
            "output_tokens": out,
            "total_tokens": text_in + audio_tokens + out,
        }
    usage = _usage(sc, usage)
    fmt = fields.get("response_format", "json")
    if fields.get("stream") == "true":
        rec.stream = True
        done: JSON = {"type": "transcript.text.done", "text": text}
        if not sc.no_usage:
            done["usage"] = usage
        delta = {"type": "transcript.text.delta", "delta": text}
        raw = b"data: " + dumps(delta) + b"\n\ndata: " + dumps(done) + b"\n\n"
        rec.finished = True
        return Response(raw, media_type="text/event-stream")
    if fmt in ("text", "srt", "vtt"):
        return Response(text, media_type="text/plain")
    answer: JSON = {"text": text}
    if fmt == "verbose_json":
        answer.update(task="transcribe", language="english", duration=seconds, segments=[])
    if not sc.no_usage:
        answer["usage"] = usage
    return json_response(answer)


def predict(rec: Recorded, model: str) -> Response:
    body = rec.json
    params = body.get("parameters") or {}
    count = int(params.get("sampleCount", 4)) * len(body.get("instances") or [])
    image = {"bytesBase64Encoded": base64.b64encode(PNG_1PX).decode(), "mimeType": "image/png"}
    return Response(json.dumps({"predictions": [image] * count}), media_type="application/json")


def route(path: str, method: str) -> str:
    """The media route name for ``path``, "" when it is not one."""
    if method != "POST":
        return ""
    for suffix in ("/images/generations", "/images/edits", "/images/variations"):
        if path.endswith(suffix):
            return "images-" + suffix.rsplit("/", 1)[1]
    if path.endswith("/audio/speech"):
        return "speech"
    if path.endswith(("/audio/transcriptions", "/audio/translations")):
        return "transcription"
    return "predict" if path.startswith("/v1beta/models/") and path.endswith(":predict") else ""


async def handle(request: Request, rec: Recorded, sc: Scenario, name: str, model: str) -> Any:
    if name.startswith("images-"):
        return await images(request, rec, sc, name.removeprefix("images-"))
    if name == "speech":
        return speech(rec, sc)
    if name == "transcription":
        return await transcription(request, rec, sc)
    return predict(rec, model)
