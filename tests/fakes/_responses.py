"""OpenAI Responses API wire format: plain and streamed, completed / incomplete / failed.

Shapes follow the official ``openai`` SDK's ``Response`` and its stream events; every stream event
goes out as ``event: <type>`` plus ``data:`` with a ``sequence_number``, as the real API does.
"""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.responses import Response

from ._common import JSON, Call, json_response, new_id, sample_args, split_json, sse, stream_response
from ._openai import usage_of


def _resp_usage(call: Call) -> JSON:
    sc = call.sc
    out = call.text_tokens + sc.reasoning_tokens
    return {
        "input_tokens": call.input_total,
        "input_tokens_details": {"cached_tokens": sc.cached_tokens, "cache_write_tokens": 0},
        "output_tokens": out,
        "output_tokens_details": {"reasoning_tokens": sc.reasoning_tokens},
        "total_tokens": call.input_total + out,
        **sc.extra_usage,
    }


def _responses_tool(call: Call) -> tuple[str, str] | None:
    tools = [t for t in call.body.get("tools") or [] if t.get("type") == "function"]
    choice = call.body.get("tool_choice")
    if call.sc.tool_call is False or not tools or choice == "none":
        return None
    fn = tools[0]
    if isinstance(choice, dict) and choice.get("name"):
        fn = next((t for t in tools if t.get("name") == choice["name"]), fn)
    return str(fn.get("name", "tool")), json.dumps(sample_args(fn.get("parameters")))


def responses(call: Call) -> Response:
    sc, body = call.sc, call.body
    rid, created = new_id("resp_"), int(time.time())
    tool = _responses_tool(call)
    status = sc.outcome if sc.outcome in ("completed", "incomplete", "failed") else "completed"

    def envelope(state: str, output: list[JSON], usage: JSON | None) -> JSON:
        return {
            "id": rid,
            "object": "response",
            "created_at": created,
            "status": state,
            "background": False,
            "error": {"code": "server_error", "message": sc.error_message} if state == "failed" else None,
            "incomplete_details": {"reason": "max_output_tokens"} if state == "incomplete" else None,
            "instructions": body.get("instructions"),
            "max_output_tokens": body.get("max_output_tokens"),
            "model": call.model,
            "output": output,
            "parallel_tool_calls": True,
            "previous_response_id": body.get("previous_response_id"),
            "reasoning": {"effort": None, "summary": None},
            "store": True,
            "temperature": 1.0,
            "text": {"format": {"type": "text"}},
            "tool_choice": body.get("tool_choice", "auto"),
            "tools": body.get("tools") or [],
            "top_p": 1.0,
            "truncation": "disabled",
            "usage": usage,
            "metadata": {},
        }

    items: list[JSON] = []
    if sc.reasoning_tokens:
        items.append({"id": new_id("rs_"), "type": "reasoning", "summary": []})
    msg_id = new_id("msg_")
    text = call.text()
    if tool:
        items.append(
            {
                "id": new_id("fc_"),
                "type": "function_call",
                "status": "completed",
                "arguments": tool[1],
                "call_id": new_id("call_"),
                "name": tool[0],
            }
        )
    else:
        part = {"type": "output_text", "annotations": [], "logprobs": [], "text": text}
        items.append(
            {"id": msg_id, "type": "message", "status": "completed", "role": "assistant", "content": [part]}
        )
    usage = None if sc.no_usage else _resp_usage(call)
    recorded = None if sc.no_usage else usage_of(call)
    if not body.get("stream"):
        call.rec.usage = recorded
        return json_response(envelope(status, items, usage), headers={"x-request-id": new_id("req_")})

    seq = iter(range(1_000_000))

    def ev(kind: str, **fields: Any) -> bytes:
        return sse({"type": kind, "sequence_number": next(seq), **fields}, event=kind)

    head = [
        ev("response.created", response=envelope("in_progress", [], None)),
        ev("response.in_progress", response=envelope("in_progress", [], None)),
    ]
    out_index = 0
    if sc.reasoning_tokens:
        head.append(ev("response.output_item.added", output_index=0, item=items[0]))
        head.append(ev("response.output_item.done", output_index=0, item=items[0]))
        out_index = 1
    last = items[-1]
    if tool:
        head.append(ev("response.output_item.added", output_index=out_index, item={**last, "arguments": ""}))
        chunks = [
            ev("response.function_call_arguments.delta", item_id=last["id"], output_index=out_index, delta=p)
            for p in split_json(tool[1])
        ]
        done = [
            ev(
                "response.function_call_arguments.done",
                item_id=last["id"],
                output_index=out_index,
                arguments=tool[1],
            )
        ]
    else:
        empty = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
        added = {**last, "status": "in_progress", "content": []}
        head.append(ev("response.output_item.added", output_index=out_index, item=added))
        where = {"item_id": msg_id, "output_index": out_index, "content_index": 0}
        head.append(ev("response.content_part.added", **where, part=empty))
        chunks = [ev("response.output_text.delta", **where, delta=p, logprobs=[]) for p in call.pieces()]
        text = "".join(call.pieces())
        full = {**empty, "text": text}
        final_item = {**last, "content": [full]}
        items[-1] = final_item
        done = [
            ev("response.output_text.done", **where, text=text, logprobs=[]),
            ev("response.content_part.done", **where, part=full),
        ]
    done.append(ev("response.output_item.done", output_index=out_index, item=items[-1]))
    done.append(ev(f"response.{status}", response=envelope(status, items, usage)))
    failed = envelope("failed", items[:-1], None)
    err = ev("response.failed", response=failed)
    return stream_response(call, head, chunks, done, error_frame=err, usage=recorded)
