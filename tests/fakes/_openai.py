"""OpenAI wire format: chat completions, legacy completions, embeddings, models, files, errors.

Shapes follow the official ``openai`` SDK's types (``ChatCompletion``, ``ChatCompletionChunk``,
``Completion``, ``CreateEmbeddingResponse``). The Responses API lives in ``_responses``.
"""

from __future__ import annotations

import base64
import json
import struct
import time
from typing import Any

from starlette.responses import Response

from tokenwallet.core.usage import Usage

from . import _china
from ._common import JSON, Call, dumps, json_response, new_id, sample_args, split_json, sse, stream_response

_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
}


def error_body(status: int, message: str) -> JSON:
    etype, code = _ERROR_TYPES.get(status, ("server_error", None))
    return {"error": {"message": message, "type": etype, "param": None, "code": code}}


def error_response(status: int, message: str) -> Response:
    return json_response(error_body(status, message), status, {"x-request-id": new_id("req_")})


def usage_of(call: Call) -> Usage:
    """The normalised usage the fake reports for an OpenAI call (cached tokens inside the prompt)."""
    if call.sc.dialect != "openai":
        return _china.usage_of(call)
    sc = call.sc
    return Usage(
        input_tokens=call.input_total - sc.cached_tokens,
        cache_read_tokens=sc.cached_tokens,
        output_tokens=call.text_tokens + sc.reasoning_tokens,
        reasoning_tokens=sc.reasoning_tokens,
    )


def _chat_usage(call: Call) -> JSON:
    if call.sc.dialect != "openai":
        return _china.chat_usage(call)
    sc = call.sc
    out = call.text_tokens + sc.reasoning_tokens
    return {
        "prompt_tokens": call.input_total,
        "completion_tokens": out,
        "total_tokens": call.input_total + out,
        "prompt_tokens_details": {"cached_tokens": sc.cached_tokens, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": sc.reasoning_tokens,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
        **call.sc.extra_usage,
    }


def _chat_tool(call: Call) -> tuple[str, str] | None:
    """(name, arguments JSON) of the tool to call, or None to answer with text."""
    tools = call.body.get("tools") or []
    choice = call.body.get("tool_choice")
    if call.sc.tool_call is False or not tools or choice == "none":
        return None
    if (
        call.sc.tool_call is None
        and choice not in (None, "auto", "required")
        and not isinstance(choice, dict)
    ):
        return None
    fn = tools[0].get("function") or tools[0]
    if isinstance(choice, dict):
        wanted = (choice.get("function") or {}).get("name") or choice.get("name")
        for t in tools:
            f = t.get("function") or t
            if f.get("name") == wanted:
                fn = f
    return str(fn.get("name", "tool")), json.dumps(sample_args(fn.get("parameters")))


def chat(call: Call) -> Response:
    cid, created, model = new_id("chatcmpl-"), int(time.time()), call.model
    tool = _chat_tool(call)
    sc = call.sc
    if not call.body.get("stream"):
        message: JSON = {"role": "assistant", "content": call.text(), "refusal": None, "annotations": []}
        finish = "stop"
        if tool:
            message["content"] = None
            message["tool_calls"] = [
                {
                    "id": new_id("call_"),
                    "type": "function",
                    "function": {"name": tool[0], "arguments": tool[1]},
                }
            ]
            finish = "tool_calls"
        obj: JSON = {
            "id": cid,
            "object": "chat.completion",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }
        if not sc.no_usage:
            obj["usage"] = _chat_usage(call)
        call.rec.usage = None if sc.no_usage else usage_of(call)
        return json_response(obj, headers={"x-request-id": new_id("req_")})

    include_usage = bool((call.body.get("stream_options") or {}).get("include_usage"))
    base: JSON = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model}
    base.update({"service_tier": "default", "system_fingerprint": "fp_fake"})

    def chunk(delta: JSON, finish: str | None = None) -> bytes:
        d = {**base, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
        if include_usage:
            d["usage"] = None
        return sse(d)

    if tool:
        call_id = new_id("call_")
        first = {
            "index": 0,
            "id": call_id,
            "type": "function",
            "function": {"name": tool[0], "arguments": ""},
        }
        head = [chunk({"role": "assistant", "content": None, "tool_calls": [first], "refusal": None})]
        body = [
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}) for p in split_json(tool[1])
        ]
        tail = [chunk({}, "tool_calls")]
    else:
        head = [chunk({"role": "assistant", "content": "", "refusal": None})]
        body = [chunk({"content": p}) for p in call.pieces()]
        tail = [chunk({}, "stop")]
    delivered: Usage | None = None
    if _china.usage_in_choice(call) and not sc.no_usage:  # Moonshot: usage in the finishing choice
        finish = tail.pop()
        last = json.loads(finish.removeprefix(b"data: ").strip())
        last.pop("usage", None)
        last["choices"][0]["usage"] = _chat_usage(call)
        tail.append(sse(last))
        delivered = usage_of(call)
    elif include_usage and not sc.no_usage:
        tail.append(sse({**base, "choices": [], "usage": _chat_usage(call)}))
        delivered = usage_of(call)
    tail.append(b"data: [DONE]\n\n")
    err = sse(error_body(500, sc.error_message))
    return stream_response(call, head, body, tail, error_frame=err, usage=delivered)


def completions(call: Call) -> Response:
    cid, created, model, sc = new_id("cmpl-"), int(time.time()), call.model, call.sc
    usage = {
        "prompt_tokens": call.input_total,
        "completion_tokens": call.text_tokens,
        "total_tokens": call.input_total + call.text_tokens,
        **sc.extra_usage,
    }
    recorded = Usage(input_tokens=call.input_total, output_tokens=call.text_tokens)
    base: JSON = {"id": cid, "object": "text_completion", "created": created, "model": model}
    base["system_fingerprint"] = "fp_fake"
    if not call.body.get("stream"):
        obj = {
            **base,
            "choices": [{"text": call.text(), "index": 0, "logprobs": None, "finish_reason": "stop"}],
        }
        if not sc.no_usage:
            obj["usage"] = usage
            call.rec.usage = recorded
        return json_response(obj)
    include_usage = bool((call.body.get("stream_options") or {}).get("include_usage"))

    def chunk(text: str, finish: str | None = None) -> bytes:
        d = {**base, "choices": [{"text": text, "index": 0, "logprobs": None, "finish_reason": finish}]}
        if include_usage:
            d["usage"] = None
        return sse(d)

    tail = [chunk("", "stop")]
    delivered: Usage | None = None
    if include_usage and not sc.no_usage:
        tail.append(sse({**base, "choices": [], "usage": usage}))
        delivered = recorded
    tail.append(b"data: [DONE]\n\n")
    body = [chunk(p) for p in call.pieces()]
    return stream_response(
        call, [], body, tail, error_frame=sse(error_body(500, sc.error_message)), usage=delivered
    )


def embeddings(call: Call) -> Response:
    raw = call.body.get("input")
    inputs = raw if isinstance(raw, list) and raw and not isinstance(raw[0], int) else [raw]
    dims = int(call.body.get("dimensions") or 8)
    b64 = call.body.get("encoding_format") == "base64"
    data = []
    for i, _ in enumerate(inputs):
        vec = [round((i + 1) / (k + 2), 4) for k in range(dims)]
        emb: Any = base64.b64encode(struct.pack(f"<{dims}f", *vec)).decode() if b64 else vec
        data.append({"object": "embedding", "index": i, "embedding": emb})
    obj: JSON = {"object": "list", "data": data, "model": call.model}
    if not call.sc.no_usage:
        obj["usage"] = {"prompt_tokens": call.input_total, "total_tokens": call.input_total}
        call.rec.usage = Usage(input_tokens=call.input_total)
    return json_response(obj)


def models(_: Call | None = None) -> Response:
    names = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "o4-mini")
    data = [{"id": n, "object": "model", "created": 1_700_000_000, "owned_by": "system"} for n in names]
    return json_response({"object": "list", "data": data})


def files(_: Call | None = None) -> Response:
    item = {
        "id": "file-fake0001",
        "object": "file",
        "bytes": 120,
        "created_at": 1_700_000_000,
        "filename": "data.jsonl",
        "purpose": "batch",
        "status": "processed",
        "expires_at": None,
        "status_details": None,
    }
    return Response(
        dumps(
            {
                "object": "list",
                "data": [item],
                "first_id": item["id"],
                "last_id": item["id"],
                "has_more": False,
            }
        ),
        media_type="application/json",
    )
