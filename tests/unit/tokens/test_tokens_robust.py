"""The proxy counts untrusted request bodies: counting must never raise, whatever the JSON, except
ImageDataError (an inline image it cannot read), which the proxy turns into a 400."""

from __future__ import annotations

import base64
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tokenwallet.tokens import ImageDataError, count_request

# Keys the counters look at, so generated bodies reach deep into every branch.
FIELD_NAMES = st.sampled_from(
    [
        "role",
        "content",
        "type",
        "text",
        "image_url",
        "input_image",
        "detail",
        "name",
        "parameters",
        "properties",
        "enum",
        "description",
        "function",
        "parts",
        "inlineData",
        "fileData",
        "tool_calls",
        "input",
        "source",
        "url",
        "data",
        "cache_control",
        "items",
        "thinking",
        "tool_result",
        "tool_use",
        "message",
        "function_call_output",
    ]
)
# data: URLs of random bytes (or not base64 at all) reach the image readers
DATA_URLS = st.binary(max_size=48).map(lambda b: "data:image/png;base64," + b.hex()) | st.binary(
    max_size=48
).map(lambda b: "data:image/png;base64," + base64.b64encode(b).decode())
SCALARS = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=40) | DATA_URLS
TYPES = st.sampled_from(
    [
        "text",
        "image_url",
        "input_image",
        "input_text",
        "function",
        "message",
        "image",
        "tool_result",
        "base64",
    ]
)
JSON = st.recursive(
    SCALARS | TYPES,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(FIELD_NAMES | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)
KEYS = st.sampled_from(
    [
        "messages",
        "tools",
        "functions",
        "input",
        "instructions",
        "prompt",
        "system",
        "contents",
        "systemInstruction",
    ]
)
CASES = st.sampled_from(
    [
        ("openai", "chat/completions"),
        ("openai", "responses"),
        ("openai", "completions"),
        ("openai", "embeddings"),
        ("openai-compatible", "chat/completions"),
        ("anthropic", "messages"),
        ("gemini", "generateContent"),
    ]
)
MODELS = st.sampled_from(["gpt-4o", "gpt-4", "claude-sonnet-4-5", "gemini-2.5-pro", "deepseek-chat", ""])


@settings(max_examples=200, deadline=None)
@given(case=CASES, model=MODELS, body=st.dictionaries(KEYS, JSON, max_size=4))
def test_any_json_body_counts_without_raising(
    case: tuple[str, str], model: str, body: dict[str, Any]
) -> None:
    try:
        count = count_request(case[0], case[1], body, model or None)
    except ImageDataError as exc:
        assert str(exc)  # a sentence for the caller, never an IndexError or struct.error
        return
    assert count.tokens >= 0
    assert isinstance(count.method, str) and count.method
