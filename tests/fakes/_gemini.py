"""Gemini REST wire format (v1beta): generateContent and streamGenerateContent, errors.

``promptTokenCount`` includes ``cachedContentTokenCount``; ``thoughtsTokenCount`` is reported
beside ``candidatesTokenCount``. Streams: with ``?alt=sse`` one ``data:`` event per chunk,
separated by CRLF CRLF as Google's servers do; without it a JSON array streamed piece by piece.
Every chunk carries the cumulative ``usageMetadata`` so far.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from tokenwallet.core.usage import Usage

from ._common import JSON, Call, dumps, json_response, new_id, sample_args, stream_response

_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def error_body(status: int, message: str) -> JSON:
    return {"error": {"code": status, "message": message, "status": _STATUS.get(status, "UNKNOWN")}}


def error_response(status: int, message: str) -> Response:
    return json_response(error_body(status, message), status)


def _usage(call: Call) -> Usage:
    sc = call.sc
    return Usage(
        input_tokens=call.input_total - sc.cached_tokens,
        cache_read_tokens=sc.cached_tokens,
        output_tokens=call.text_tokens + sc.reasoning_tokens,
        reasoning_tokens=sc.reasoning_tokens,
    )


def _metadata(call: Call, candidates: int) -> JSON:
    sc = call.sc
    meta: JSON = {"promptTokenCount": call.input_total}
    if candidates:
        meta["candidatesTokenCount"] = candidates
    meta["totalTokenCount"] = call.input_total + candidates + sc.reasoning_tokens
    if sc.cached_tokens:
        meta["cachedContentTokenCount"] = sc.cached_tokens
    meta["promptTokensDetails"] = [{"modality": "TEXT", "tokenCount": call.input_total}]
    if sc.reasoning_tokens:
        meta["thoughtsTokenCount"] = sc.reasoning_tokens
    meta.update(sc.extra_usage)
    return meta


def _tool(call: Call) -> tuple[str, JSON] | None:
    decls = [d for t in call.body.get("tools") or [] for d in t.get("functionDeclarations") or []]
    mode = ((call.body.get("toolConfig") or {}).get("functionCallingConfig") or {}).get("mode", "AUTO")
    if call.sc.tool_call is False or not decls or mode == "NONE":
        return None
    decl = decls[0]
    return str(decl.get("name", "tool")), sample_args(
        decl.get("parameters") or decl.get("parametersJsonSchema")
    )


def generate(call: Call, *, stream: bool, alt_sse: bool) -> Response:
    sc, rid, version = call.sc, new_id(""), call.model
    tool = _tool(call)

    def chunk(parts: list[JSON], candidates: int, finish: str | None) -> JSON:
        cand: JSON = {"content": {"parts": parts, "role": "model"}, "index": 0}
        if finish:
            cand["finishReason"] = finish
        out: JSON = {"candidates": [cand]}
        if not sc.no_usage:
            out["usageMetadata"] = _metadata(call, candidates)
        out["modelVersion"] = version
        out["responseId"] = rid
        return out

    recorded = None if sc.no_usage else _usage(call)
    if not stream:
        parts: list[JSON] = (
            [{"functionCall": {"name": tool[0], "args": tool[1]}}] if tool else [{"text": call.text()}]
        )
        call.rec.usage = recorded
        return json_response(chunk(parts, call.text_tokens, "STOP"))

    if tool:
        body = [chunk([{"functionCall": {"name": tool[0], "args": tool[1]}}], 0, None)]
    else:
        body = [chunk([{"text": p}], i + 1, None) for i, p in enumerate(call.pieces())]
    last = chunk([{"text": ""}], call.text_tokens, "STOP")
    err: Any = error_body(500, sc.error_message)
    if alt_sse:
        frames = [b"data: " + dumps(c) + b"\r\n\r\n" for c in body]
        return stream_response(
            call, [], frames, [b"data: " + dumps(last) + b"\r\n\r\n"], error_frame=frame(err), usage=recorded
        )
    # JSON array streamed as it is produced: "[{...}\r\n,{...}\r\n]"
    pieces = [(b"[" if i == 0 else b"\r\n,") + dumps(c) for i, c in enumerate(body)]
    tail = [(b"\r\n," if body else b"[") + dumps(last) + b"]"]
    resp = stream_response(call, [], pieces, tail, error_frame=b"\r\n," + dumps(err) + b"]", usage=recorded)
    resp.media_type = "application/json"
    resp.headers["content-type"] = "application/json; charset=UTF-8"
    return resp


def frame(obj: Any) -> bytes:
    return b"data: " + dumps(obj) + b"\r\n\r\n"


def models(_: Call | None = None) -> Response:
    names = ("gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash")
    data = [
        {"name": f"models/{n}", "displayName": n, "supportedGenerationMethods": ["generateContent"]}
        for n in names
    ]
    return json_response({"models": data})
