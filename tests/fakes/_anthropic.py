"""Anthropic wire format: Messages (plain and streamed), count_tokens, errors.

Shapes follow the official ``anthropic`` SDK's types (``Message``, ``Usage`` with ``cache_creation``,
``RawMessageStreamEvent``). Anthropic reports cache reads and writes *beside* ``input_tokens``.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from tokenwallet.core.usage import Usage

from ._common import JSON, Call, dumps, json_response, new_id, sample_args, split_json, sse, stream_response

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}


def error_body(status: int, message: str) -> JSON:
    etype = _ERROR_TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")
    return {"type": "error", "error": {"type": etype, "message": message}, "request_id": new_id("req_")}


def error_response(status: int, message: str) -> Response:
    return json_response(error_body(status, message), status, {"request-id": new_id("req_")})


def _usage(call: Call) -> Usage:
    sc = call.sc
    return Usage(
        input_tokens=call.uncached_input,
        cache_read_tokens=sc.cached_tokens,
        cache_write_tokens=sc.cache_write_5m,
        cache_write_1h_tokens=sc.cache_write_1h,
        output_tokens=call.text_tokens + sc.reasoning_tokens,
        reasoning_tokens=sc.reasoning_tokens,
    )


def _wire_usage(call: Call, output_tokens: int) -> JSON:
    sc = call.sc
    return {
        "input_tokens": call.uncached_input,
        "cache_creation_input_tokens": sc.cache_write_5m + sc.cache_write_1h,
        "cache_read_input_tokens": sc.cached_tokens,
        "cache_creation": {
            "ephemeral_5m_input_tokens": sc.cache_write_5m,
            "ephemeral_1h_input_tokens": sc.cache_write_1h,
        },
        "output_tokens": output_tokens,
        "service_tier": "standard",
        **sc.extra_usage,
    }


def _tool(call: Call) -> tuple[str, JSON] | None:
    tools = [t for t in call.body.get("tools") or [] if "input_schema" in t]
    choice = call.body.get("tool_choice") or {"type": "auto"}
    if call.sc.tool_call is False or not tools or choice.get("type") == "none":
        return None
    tool = tools[0]
    if choice.get("type") == "tool":
        tool = next((t for t in tools if t.get("name") == choice.get("name")), tool)
    return str(tool["name"]), sample_args(tool.get("input_schema"))


def _thinking(call: Call) -> bool:
    thinking = call.body.get("thinking") or {}
    return bool(call.sc.reasoning_tokens) and thinking.get("type") in ("enabled", "adaptive")


def messages(call: Call) -> Response:
    sc = call.sc
    mid = new_id("msg_")
    tool = _tool(call)
    out_tokens = call.text_tokens + sc.reasoning_tokens
    content: list[JSON] = []
    if _thinking(call):
        content.append({"type": "thinking", "thinking": "Let me think.", "signature": "sig-fake"})
    if tool:
        content.append({"type": "text", "text": "Calling a tool."})
        content.append({"type": "tool_use", "id": new_id("toolu_"), "name": tool[0], "input": tool[1]})
    else:
        content.append({"type": "text", "text": call.text()})
    stop = "tool_use" if tool else "end_turn"
    usage = _usage(call)
    headers = {"request-id": new_id("req_")}
    if not call.body.get("stream"):
        obj: JSON = {
            "id": mid,
            "type": "message",
            "role": "assistant",
            "model": call.model,
            "content": content,
            "stop_reason": stop,
            "stop_sequence": None,
        }
        if not sc.no_usage:
            obj["usage"] = _wire_usage(call, out_tokens)
            call.rec.usage = usage
        return json_response(obj, headers=headers)

    def ev(kind: str, **fields: Any) -> bytes:
        return sse({"type": kind, **fields}, event=kind)

    start: JSON = {
        "id": mid,
        "type": "message",
        "role": "assistant",
        "model": call.model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
    }
    if not sc.no_usage:
        start["usage"] = _wire_usage(call, 1)
    head = [ev("message_start", message=start)]
    index = 0
    if _thinking(call):
        head.append(ev("content_block_start", index=0, content_block={"type": "thinking", "thinking": ""}))
        head.append(ev("ping"))
        delta = {"type": "thinking_delta", "thinking": "Let me think."}
        head.append(ev("content_block_delta", index=0, delta=delta))
        sig = {"type": "signature_delta", "signature": "sig-fake"}
        head.append(ev("content_block_delta", index=0, delta=sig))
        head.append(ev("content_block_stop", index=0))
        index = 1
    if tool:
        head.append(ev("content_block_start", index=index, content_block={"type": "text", "text": ""}))
        head.append(
            ev("content_block_delta", index=index, delta={"type": "text_delta", "text": "Calling a tool."})
        )
        head.append(ev("content_block_stop", index=index))
        index += 1
        block = {"type": "tool_use", "id": new_id("toolu_"), "name": tool[0], "input": {}}
        head.append(ev("content_block_start", index=index, content_block=block))
        pieces = split_json(dumps(tool[1]).decode())
        body = [
            ev("content_block_delta", index=index, delta={"type": "input_json_delta", "partial_json": p})
            for p in pieces
        ]
    else:
        head.append(ev("content_block_start", index=index, content_block={"type": "text", "text": ""}))
        if index == 0:
            head.append(ev("ping"))
        body = [
            ev("content_block_delta", index=index, delta={"type": "text_delta", "text": p})
            for p in call.pieces()
        ]
    tail = [ev("content_block_stop", index=index)]
    delta_usage = _wire_usage(call, out_tokens)
    del delta_usage["cache_creation"], delta_usage["service_tier"]  # message_delta carries the counts only
    final: JSON = {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None}}
    if not sc.no_usage:
        final["usage"] = delta_usage
    tail.append(sse(final, event="message_delta"))
    tail.append(ev("message_stop"))
    err = sse(error_body(529, sc.error_message), event="error")
    return stream_response(
        call, head, body, tail, error_frame=err, usage=None if sc.no_usage else usage, headers=headers
    )


def count_tokens(call: Call) -> Response:
    return json_response({"input_tokens": call.input_total})
