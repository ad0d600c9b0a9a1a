"""The provider's answer id, read from the events the stream meter parses anyway (issue 11)."""

from __future__ import annotations

import json

from tokenwallet.proxy.sse import SSEEvent
from tokenwallet.proxy.stream_usage import StreamMeter
from tokenwallet.proxy.usage import MAX_ANSWER_ID, answer_id


def ev(name: str, data: object) -> SSEEvent:
    raw = json.dumps(data).encode()
    return SSEEvent(name.encode(), raw, b"event: " + name.encode() + b"\ndata: " + raw + b"\n\n")


def test_answer_id_takes_only_a_plausible_string() -> None:
    assert answer_id("chat", {"id": "chatcmpl-1"}) == "chatcmpl-1"
    assert answer_id("gemini", {"responseId": "r1", "id": "no"}) == "r1"
    for body in ({"id": 5}, {"id": ""}, {"id": "x" * (MAX_ANSWER_ID + 1)}, ["id"], None):
        assert answer_id("chat", body) == ""


def test_anthropic_stream_id_from_message_start_even_when_cut() -> None:
    m = StreamMeter("anthropic")
    m.feed(
        ev(
            "message_start",
            {"type": "message_start", "message": {"id": "msg_9", "usage": {"input_tokens": 5}}},
        )
    )
    m.feed(ev("content_block_delta", {"delta": {"type": "text_delta", "text": "hi"}}))
    assert m.usage() is None and m.response_id() == "msg_9"  # no message_delta: cut, still known


def test_responses_and_chat_stream_ids() -> None:
    r = StreamMeter("responses")
    r.feed(ev("response.output_text.delta", {"delta": "a"}))
    done = {"response": {"id": "resp_7", "usage": {"input_tokens": 3, "output_tokens": 1}}}
    r.feed(ev("response.completed", done))
    assert r.usage() is not None and r.response_id() == "resp_7"
    c = StreamMeter("chat")
    c.feed(ev("", {"id": "chatcmpl-3", "choices": [{"delta": {"content": "x"}}]}))
    assert c.usage() is None and c.response_id() == "chatcmpl-3"  # no usage chunk: the first event's id
