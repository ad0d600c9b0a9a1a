"""Following the usage of a streamed answer, event by event.

The meter sees every SSE event on the side of the relay and does as little as it can per event: it
keeps the raw ``data`` of content events (parsed only if the provider's usage never arrives and
the output must be counted locally) and parses only the events that carry usage.
"""

from __future__ import annotations

import json
from typing import Any

from tokenwallet.core.usage import Usage
from tokenwallet.proxy.sse import SSEEvent
from tokenwallet.proxy.usage import (
    UsageError,
    answer_id,
    anthropic_usage,
    chat_usage_of,
    gemini_usage,
    openai_usage,
    provider_cost_nano,
    responses_usage,
)

_USAGE_NULL = (b',"usage":null', b', "usage": null')


class StreamMeter:
    """Follows one SSE stream of ``api`` ("chat", "completions", "responses", "anthropic", "gemini").

    ``strip_usage`` (OpenAI chat/completions where the proxy itself asked for usage): the extra
    usage-only chunk is dropped and the ``"usage":null`` the upstream adds to every other chunk is
    removed, so the client sees what it would have seen without the proxy.
    """

    __slots__ = (
        "_anth_delta",
        "_anth_start",
        "_last_usage",
        "_rid",
        "api",
        "content",
        "cost_nano",
        "done",
        "events",
        "strip_usage",
    )

    def __init__(self, api: str, *, strip_usage: bool = False) -> None:
        self.api = api
        self.strip_usage = strip_usage
        self.content: list[bytes] = []  # raw data of content events, parsed only when needed
        self.events = 0  # content events seen (≈ output tokens, for the live meter)
        self.cost_nano: int | None = None
        self.done = False  # the stream reached its normal end
        self._last_usage: bytes | None = None
        self._anth_start: Any = None
        self._anth_delta: Any = None
        self._rid = ""  # the provider's id of the answer, read from an event parsed anyway

    def feed(self, ev: SSEEvent) -> bytes | None:
        """Look at one event; returns the bytes to relay for it (``None`` drops it)."""
        data = ev.data
        api = self.api
        if api == "anthropic":
            name = ev.name
            if name == b"content_block_delta":
                self.content.append(data)
                self.events += 1
            elif name == b"message_start":
                self._anth_start = _loads(data)
            elif name == b"message_delta":
                self._anth_delta = _loads(data)
            elif name == b"message_stop":
                self.done = True
            return ev.raw
        if api == "responses":
            name = ev.name
            if name.endswith(b".delta"):
                self.content.append(data)
                self.events += 1
            elif name in (b"response.completed", b"response.incomplete", b"response.failed"):
                self._last_usage = data
                self.done = True
            return ev.raw
        if api == "gemini":
            if b'"usageMetadata"' in data:
                self._last_usage = data
            if b'"candidates"' in data:
                self.content.append(data)
                self.events += 1
            return ev.raw
        # OpenAI chat / completions
        if data == b"[DONE]":
            self.done = True
            return ev.raw
        if b'"usage":{' in data or b'"usage": {' in data:
            self._last_usage = data
            if self.strip_usage and (b'"choices":[]' in data or b'"choices": []' in data):
                return None
        else:
            self.content.append(data)
            self.events += 1
        if self.strip_usage:
            raw = ev.raw
            for pattern in _USAGE_NULL:
                if pattern in raw:
                    raw = raw.replace(pattern, b"")
            return raw
        return ev.raw

    def _start_usage(self) -> Any:
        start = self._anth_start
        message = start.get("message") if isinstance(start, dict) else None
        return message.get("usage") if isinstance(message, dict) else None

    def usage(self) -> Usage | None:
        """The provider's own usage for the stream, if it arrived (UsageError if it is not believable)."""
        if self.api == "anthropic":
            start = self._start_usage()
            delta = self._anth_delta.get("usage") if isinstance(self._anth_delta, dict) else None
            if not isinstance(start, dict) or not isinstance(delta, dict):
                return None  # the output count never arrived: estimate instead
            merged = dict(start)  # message_delta's counts are cumulative: they win
            merged.update({k: v for k, v in delta.items() if v is not None})
            return anthropic_usage(merged)
        if self._last_usage is None:
            return None
        body = _loads(self._last_usage)
        if not isinstance(body, dict):
            return None
        if self.api == "gemini":
            self._rid = answer_id("gemini", body)
            return gemini_usage(body.get("usageMetadata"))
        if self.api == "responses":
            resp = body.get("response")
            self._rid = answer_id("responses", resp)
            return responses_usage(resp.get("usage")) if isinstance(resp, dict) else None
        self._rid = answer_id(self.api, body)
        u = chat_usage_of(body)  # Moonshot puts a stream's usage inside its last choice
        self.cost_nano = provider_cost_nano(u)
        return openai_usage(u)

    def response_id(self) -> str:
        """The provider's id of the answer (call after :meth:`usage`).

        Read from events the meter parses anyway (Anthropic's ``message_start``, the usage
        event); only a stream whose usage never came costs one more parse, of its first event.
        """
        if self.api == "anthropic":
            start = self._anth_start
            message = start.get("message") if isinstance(start, dict) else None
            return answer_id("anthropic", message)
        if not self._rid and self.content and self.api != "responses":
            self._rid = answer_id(self.api, _loads(self.content[0]))
        return self._rid

    def anthropic_input(self) -> Usage | None:
        """Anthropic's input usage from ``message_start`` (known even when the stream is cut)."""
        start = self._start_usage()
        if not isinstance(start, dict):
            return None
        try:
            u = anthropic_usage({**start, "output_tokens": 0})
        except UsageError:
            return None  # the counted input stands in for it
        if u is None:
            return None
        return Usage(u.input_tokens, u.cache_read_tokens, u.cache_write_tokens, u.cache_write_1h_tokens)

    def text(self) -> str:
        """Everything streamed so far as text (content, reasoning, tool arguments), for counting."""
        parts: list[str] = []
        for data in self.content:
            obj = _loads(data)
            if isinstance(obj, dict):
                _collect_text(self.api, obj, parts)
        return "".join(parts)


def _loads(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def _collect_text(api: str, obj: dict[str, Any], out: list[str]) -> None:
    if api == "anthropic":
        delta = obj.get("delta")
        if isinstance(delta, dict):
            for key in ("text", "partial_json", "thinking"):
                v = delta.get(key)
                if isinstance(v, str):
                    out.append(v)
    elif api == "responses":
        v = obj.get("delta")
        if isinstance(v, str):
            out.append(v)
    elif api == "gemini":
        for cand in obj.get("candidates") or ():
            content = cand.get("content") if isinstance(cand, dict) else None
            for part in (content or {}).get("parts") or ():
                if isinstance(part, dict):
                    if isinstance(part.get("text"), str):
                        out.append(part["text"])
                    elif "functionCall" in part:
                        out.append(json.dumps(part["functionCall"]))
    else:
        for choice in obj.get("choices") or ():
            if not isinstance(choice, dict):
                continue
            if isinstance(choice.get("text"), str):  # legacy completions
                out.append(choice["text"])
            delta = choice.get("delta")
            if not isinstance(delta, dict):
                continue
            for key in ("content", "reasoning_content", "reasoning", "refusal"):
                v = delta.get(key)
                if isinstance(v, str):
                    out.append(v)
            for call in delta.get("tool_calls") or ():
                fn = call.get("function") if isinstance(call, dict) else None
                if isinstance(fn, dict):
                    for key in ("name", "arguments"):
                        if isinstance(fn.get(key), str):
                            out.append(fn[key])
