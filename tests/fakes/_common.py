"""Shared pieces of the fake upstream: the scenario knobs, per-call token plan, SSE driving.

The provider modules (``_openai``, ``_anthropic``, ``_gemini``) build their wire frames from a
:class:`Call`; this module turns a list of frames into a stream that honours the scenario's
delays, cuts, hangs and mid-stream errors, and records what was sent.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from starlette.responses import Response, StreamingResponse

from tokenwallet.core.usage import Usage

from . import _vision

JSON = dict[str, Any]
CHUNK_TEXT = "tok "  # one content chunk; tiktoken counts "tok " as one token, so chunks == tokens


class CutStream(Exception):
    """Raised inside a streaming body to drop the connection without finishing the response."""


@dataclass(frozen=True)
class Scenario:
    """What the fake does with the next requests. Every field has a matching ``x-fake-*`` header.

    Token counts are *totals as the fake reports them*: ``input_tokens`` is every prompt token
    (cached ones included); each provider module maps them into its own fields.
    """

    input_tokens: int | None = None  # None: len(all prompt text) // 4, at least 1
    output_tokens: int | None = None  # visible output tokens; None: one per chunk
    cached_tokens: int = 0  # cache reads (part of input_tokens)
    cache_write_5m: int = 0  # Anthropic cache writes, default lifetime (part of input_tokens)
    cache_write_1h: int = 0  # Anthropic cache writes, 1 hour (part of input_tokens)
    reasoning_tokens: int = 0  # extra output spent thinking (added to output on the wire)
    chunks: int = 5  # content chunks in a stream (and tokens of a non-stream answer)
    chunk_delay: float = 0.0  # seconds between content chunks
    latency: float = 0.0  # seconds before the response starts
    error_status: int | None = None  # answer this HTTP status with the provider's error body
    error_message: str = "fake upstream error"
    hang: bool = False  # never answer (until the fake stops)
    hang_after: int | None = None  # stream: send this many content chunks, then stall
    cut_after: int | None = None  # stream: send this many content chunks, then drop the connection
    error_after: int | None = None  # stream: send this many content chunks, then an in-stream error
    no_usage: bool = False  # never report usage (non-stream: no usage field; stream: no usage frame)
    tool_call: bool | None = None  # None: call a tool when the request offers tools (and allows it)
    outcome: str = "completed"  # Responses API: "completed" | "incomplete" | "failed"
    extra_usage: Mapping[str, Any] = field(default_factory=dict)  # merged into usage (OpenRouter cost…)
    # crafted usage: negative, 10**15, floats… go through extra_usage (it overrides any usage field)
    raw_body: bytes | None = None  # answer 200 with exactly these bytes as application/json
    dialect: str = "openai"  # chat usage as a Chinese provider reports it (``_china.DIALECTS``)
    # chat prompts counted as OpenAI bills them (cookbook framing, o200k_base) instead of chars // 4
    openai_count: bool = False

    def merged_with_headers(self, headers: Mapping[str, str]) -> Scenario:
        """Apply ``x-fake-<field-with-dashes>`` request headers on top of this scenario."""
        changes: dict[str, Any] = {}
        for f in fields(self):
            raw = headers.get("x-fake-" + f.name.replace("_", "-"))
            if raw is None or f.name in ("extra_usage", "raw_body"):
                continue
            changes[f.name] = _parse_knob(f.name, raw)
        # the shared referee harness spells delays in milliseconds; accept its headers too
        for name, key in (("chunk_delay", "x-fake-chunk-delay-ms"), ("latency", "x-fake-latency-ms")):
            if key in headers:
                changes[name] = float(headers[key]) / 1000.0
        return replace(self, **changes) if changes else self


def _parse_knob(name: str, raw: str) -> Any:
    if name in ("hang", "no_usage", "openai_count"):
        return raw.strip().lower() in ("1", "true", "yes")
    if name == "tool_call":
        return None if raw.strip().lower() in ("", "auto") else raw.strip().lower() in ("1", "true", "yes")
    if name in ("chunk_delay", "latency"):
        return float(raw)
    if name in ("error_message", "outcome", "dialect"):
        return raw
    return int(raw)


@dataclass
class Recorded:
    """One request the fake received, and what it answered."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names, auth headers included
    body: Any  # parsed JSON (None when the body was empty or not JSON)
    raw: bytes
    provider: str = ""  # "openai" | "anthropic" | "gemini" | "" (unknown route)
    status: int = 0
    stream: bool = False
    usage: Usage | None = None  # the final usage the fake reported; None if none was delivered
    chunks_sent: int = 0  # content chunks written to the socket (streams)
    finished: bool = False  # the response went out completely
    cancelled: bool = False  # the client hung up before the answer started (latency or hang)
    image_tokens: int = 0  # the part of the billed input that was images (fakes._vision)

    @property
    def json(self) -> JSON:
        """The body as a dict (asserts it was a JSON object)."""
        assert isinstance(self.body, dict), f"body is not a JSON object: {self.raw[:200]!r}"
        return self.body


@dataclass
class Call:
    """Everything a provider handler needs for one request."""

    body: JSON
    sc: Scenario
    rec: Recorded
    release: asyncio.Event  # set when the fake stops: ends hangs
    model: str = ""

    @property
    def input_total(self) -> int:
        if self.sc.input_tokens is not None:
            return self.sc.input_tokens
        images = _vision.image_tokens(self.body, self.model or str(self.body.get("model", "")))
        self.rec.image_tokens = images
        if self.sc.openai_count:
            return _openai_chat_text(self.body) + images
        return max(1, _text_len(self.body) // 4) + images

    @property
    def text_tokens(self) -> int:
        return self.sc.output_tokens if self.sc.output_tokens is not None else self.sc.chunks

    @property
    def uncached_input(self) -> int:
        """Input billed at the plain price: total minus cache reads and (Anthropic) cache writes."""
        return max(
            0, self.input_total - self.sc.cached_tokens - self.sc.cache_write_5m - self.sc.cache_write_1h
        )

    def pieces(self) -> list[str]:
        """The answer text, one piece per stream chunk."""
        return [CHUNK_TEXT] * self.sc.chunks

    def text(self) -> str:
        return CHUNK_TEXT * self.text_tokens


_PROMPT_FIELDS = ("messages", "input", "system", "instructions", "contents", "systemInstruction", "prompt")


_NOT_TEXT = frozenset(
    {"role", "type", "id", "tool_call_id", "name", "cache_control", "mimeType", "mime_type"}
)


def _openai_chat_text(body: Mapping[str, Any]) -> int:
    """Text tokens of a chat body the way OpenAI's cookbook says the API counts them: 3 per message,
    its role and text, 3 to prime the reply (plain messages and text parts only)."""
    from tokenwallet.tokens import get_encoding

    enc = get_encoding("o200k_base")
    n = 3
    for message in body.get("messages") or []:
        n += 3 + len(enc.encode_ordinary(message["role"]))
        content = message.get("content")
        parts = [{"type": "text", "text": content}] if isinstance(content, str) else content
        for part in parts:
            if part.get("type") == "text":
                n += len(enc.encode_ordinary(part["text"]))
    return n


_IMAGE_TYPES = frozenset({"image_url", "input_image", "image"})


def _text_len(body: Mapping[str, Any]) -> int:
    """Characters of the prompt text (roles, types and ids left out): a stand-in tokenizer."""
    n = 0
    stack: list[Any] = [body.get(k) for k in _PROMPT_FIELDS]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            n += len(v)
        elif isinstance(v, dict) and v.get("type") not in _IMAGE_TYPES:  # images: _vision
            stack.extend(x for k, x in v.items() if k not in _NOT_TEXT)
        elif isinstance(v, list):
            stack.extend(v)
    return n


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def new_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:24]


def json_response(obj: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(dumps(obj), status_code=status, media_type="application/json", headers=headers)


def sample_args(schema: Any) -> JSON:
    """Deterministic arguments for a tool call: a value for every required property of the schema."""
    if not isinstance(schema, dict):
        return {}
    props = schema.get("properties") or {}
    required = schema.get("required") or list(props)
    out: JSON = {}
    for name in required:
        kind = (props.get(name) or {}).get("type", "string")
        kind = kind[0] if isinstance(kind, list) else kind
        out[name] = {"integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}.get(kind, "x")
    return out


def split_json(text: str, parts: int = 3) -> list[str]:
    """Cut a JSON string into a few pieces, as providers stream tool arguments."""
    step = max(1, -(-len(text) // parts))
    return [text[i : i + step] for i in range(0, len(text), step)] or [""]


def sse(data: Any, event: str | None = None, sep: bytes = b"\n\n") -> bytes:
    head = b"event: " + event.encode() + b"\n" if event else b""
    payload = data if isinstance(data, bytes) else dumps(data)
    return head + b"data: " + payload + sep


def stream_response(
    call: Call,
    head: Sequence[bytes],
    body: Sequence[bytes],
    tail: Sequence[bytes],
    *,
    error_frame: bytes,
    usage: Usage | None,
    headers: Mapping[str, str] | None = None,
) -> StreamingResponse:
    """An SSE response: ``head`` frames, one ``body`` frame per content chunk, then ``tail``.

    ``usage`` is recorded as delivered when the tail goes out (the tail carries the usage).
    """
    return StreamingResponse(
        _drive(call, head=head, body=body, tail=tail, error_frame=error_frame, usage=usage),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", **(headers or {})},
    )


async def _drive(
    call: Call,
    *,
    head: Sequence[bytes],
    body: Sequence[bytes],
    tail: Sequence[bytes],
    error_frame: bytes,
    usage: Usage | None,
) -> AsyncIterator[bytes]:
    sc, rec = call.sc, call.rec
    for frame in head:
        yield frame
    for i in range(len(body) + 1):
        if i == sc.cut_after:
            raise CutStream
        if i == sc.hang_after:
            await call.release.wait()
            raise CutStream
        if i == sc.error_after:
            yield error_frame
            rec.finished = True
            return
        if i == len(body):
            break
        if sc.chunk_delay and i:
            await asyncio.sleep(sc.chunk_delay)
        yield body[i]
        rec.chunks_sent += 1
    for frame in tail[:-1]:
        yield frame
    # Record before the last frame goes out: a client that stops reading at "[DONE]" or
    # "message_stop" may look at the record before this generator would resume.
    rec.usage = usage
    rec.finished = True
    if tail:
        yield tail[-1]
