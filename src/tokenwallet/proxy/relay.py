"""Streaming answers: relayed chunk by chunk, metered on the side, settled however they end.

Nothing is buffered: each upstream chunk goes to the client as it arrives, except when the proxy
itself asked an OpenAI-style upstream for usage (then the client gets whole events, so the extra
usage chunk can be left out). A copy of each event goes to a :class:`StreamMeter`; a checkpoint of
the output so far goes on the hold every quarter second, for crash recovery.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import replace
from typing import Any

import httpx

from tokenwallet.core.usage import Usage
from tokenwallet.proxy.bounds import DisconnectWatch
from tokenwallet.proxy.call import Call
from tokenwallet.proxy.calls import Planner
from tokenwallet.proxy.charging import judge, settle
from tokenwallet.proxy.errors import error_body
from tokenwallet.proxy.sse import SSESplitter
from tokenwallet.proxy.stream_usage import StreamMeter
from tokenwallet.proxy.transport import direct_body
from tokenwallet.proxy.usage import UsageError, answer_id, gemini_usage

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_GEMINI_TEXT = re.compile(rb'"text":\s*"((?:[^"\\]|\\.)*)"')


async def relay_stream(
    planner: Planner,
    call: Call,
    resp: httpx.Response,
    headers: list[tuple[bytes, bytes]],
    *,
    strip: bool,
    sse: bool,
    receive: Receive,
    send: Send,
) -> None:
    """Relay a streaming answer chunk by chunk, follow its usage on the side, then settle the call.

    The relay runs in the request's own task: the headers (held by ``protocol._HeadFirst``) leave
    with the first chunk in one write when the provider sent it with its own headers, in the step
    that received them. A client that hangs up cancels the relay (:class:`DisconnectWatch`, one
    task waiting on ``receive``; the last write of the answer is followed by no ``await``, so the
    end of the response, which ``receive`` also reports, never cancels it). Settling happens in
    every case.
    """
    meter = StreamMeter(call.route.api, strip_usage=strip)
    await send({"type": "http.response.start", "status": resp.status_code, "headers": headers})
    raw: list[bytes] = []  # Gemini without alt=sse streams one JSON array: read it on the side
    failure: list[BaseException] = []
    client_gone = False
    try:
        with DisconnectWatch(receive, after=0) as watch:
            try:
                await _pump(planner, call, resp, meter, raw, strip=strip, sse=sse, send=send, failure=failure)
            except asyncio.CancelledError:
                client_gone = True  # the client left (or the proxy stops): the call still settles
                if not watch.absorb():
                    raise
            except Exception as exc:  # a failed send: the call is still settled below
                failure.append(exc)
    finally:
        settle_stream(planner, call, resp, meter, raw, sse=sse, client_gone=client_gone, failure=failure)


async def _pump(
    planner: Planner,
    call: Call,
    resp: httpx.Response,
    meter: StreamMeter,
    raw: list[bytes],
    *,
    strip: bool,
    sse: bool,
    send: Send,
    failure: list[BaseException],
) -> None:
    splitter = SSESplitter()
    body = direct_body(resp)  # FastTransport's: it knows when the last piece is in hand
    ended = False
    try:
        async for chunk in body.__aiter__() if body is not None else resp.aiter_bytes():
            if sse and strip:  # the events decide what the client sees: read them first
                kept = [b for b in map(meter.feed, splitter.feed(chunk)) if b is not None]
                if not kept:
                    continue
                await send({"type": "http.response.body", "body": b"".join(kept), "more_body": True})
            else:
                # The client first, metering second: on a fast link one read can hold the
                # whole stream, and parsing its events must not delay the first byte. The last
                # piece carries the end of the answer (one write, not two).
                # (In `finally`: if the client is gone, the provider's usage is still read.)
                ended = body is not None and body.ended()
                try:
                    await send({"type": "http.response.body", "body": chunk, "more_body": not ended})
                finally:
                    if sse:
                        for ev in splitter.feed(chunk):
                            meter.feed(ev)
                    else:
                        raw.append(chunk)
                        meter.events += 1
            if meter.events:
                planner.progress(call, meter.events, time.perf_counter())
        if strip and splitter.pending:
            await send({"type": "http.response.body", "body": splitter.pending, "more_body": True})
    except httpx.TransportError as exc:
        failure.append(exc)
        msg = f"{call.route.provider} broke off the stream ({type(exc).__name__})."
        await send(
            {
                "type": "http.response.body",
                "body": _stream_error(call.route.wire, msg),
                "more_body": True,
            }
        )
    if not ended:
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def settle_stream(
    planner: Planner,
    call: Call,
    resp: httpx.Response,
    meter: StreamMeter,
    raw: list[bytes],
    *,
    sse: bool,
    client_gone: bool,
    failure: list[BaseException],
) -> None:
    usage: Usage | UsageError | None
    text = ""
    rid = ""
    try:
        if sse:
            usage = meter.usage()
        else:
            usage, text, rid = _gemini_array(b"".join(raw))
    except UsageError as exc:
        usage = exc
    error = None
    status = resp.status_code
    if client_gone:
        status, error = 499, "client disconnected mid-stream"
    elif failure:
        status, error = 502, f"upstream stream cut: {type(failure[0]).__name__}"
    elif usage is None and not meter.done and sse:
        error = "stream ended early"
    if usage is not None:
        charge = judge(planner, call, usage, provider_cost=meter.cost_nano)
    else:
        base = meter.anthropic_input() if call.route.api == "anthropic" else None
        charge = judge(planner, call, None, text=lambda: meter.text() if sse else text, base=base)
    rid = meter.response_id() if sse else rid
    charge = replace(charge, response_id=rid) if rid else charge
    settle(planner, call, charge, status, error=error, later=True)


def _stream_error(wire: str, message: str) -> bytes:
    body = error_body(wire, 502, message, "upstream_error")
    if wire == "anthropic":
        return b"event: error\ndata: " + body + b"\n\n"
    return b"data: " + body + b"\n\n"


def _gemini_array(data: bytes) -> tuple[Usage | None, str, str]:
    """(usage, text, response id) of a Gemini stream sent as one JSON array (no ``alt=sse``)."""
    try:
        items = json.loads(data)
    except (ValueError, RecursionError):
        items = None
    rid = ""
    if isinstance(items, list):
        usage = None
        for item in items:
            rid = rid or answer_id("gemini", item)
            if isinstance(item, dict) and item.get("usageMetadata"):
                usage = gemini_usage(item["usageMetadata"])
        if usage is not None:
            return usage, "", rid
    texts = [m.group(1).decode("utf-8", "replace") for m in _GEMINI_TEXT.finditer(data)]
    return None, "".join(texts), rid
