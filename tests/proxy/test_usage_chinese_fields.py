"""Each Chinese provider's own usage fields, read exactly; counts that disagree are refused."""

from __future__ import annotations

from typing import Any

import pytest

from tokenwallet.core.usage import Usage
from tokenwallet.proxy.usage import UsageError, chat_usage_of, openai_usage, usage_from_body


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        (  # DeepSeek: hits and misses beside the prompt, the same hits in prompt_tokens_details
            {
                "prompt_tokens": 100,
                "completion_tokens": 30,
                "total_tokens": 130,
                "prompt_tokens_details": {"cached_tokens": 64},
                "prompt_cache_hit_tokens": 64,
                "prompt_cache_miss_tokens": 36,
                "completion_tokens_details": {"reasoning_tokens": 12},
            },
            Usage(input_tokens=36, cache_read_tokens=64, output_tokens=30, reasoning_tokens=12),
        ),
        (  # DeepSeek with only the miss count: the rest of the prompt was a hit
            {"prompt_tokens": 100, "completion_tokens": 3, "prompt_cache_miss_tokens": 90},
            Usage(input_tokens=90, cache_read_tokens=10, output_tokens=3),
        ),
        (  # Moonshot v1 context caching: cached_tokens at the top level
            {"prompt_tokens": 500, "completion_tokens": 20, "total_tokens": 520, "cached_tokens": 480},
            Usage(input_tokens=20, cache_read_tokens=480, output_tokens=20),
        ),
        (  # Qwen explicit cache: writes are inside the prompt too, billed at the write rate
            {
                "prompt_tokens": 3000,
                "completion_tokens": 10,
                "prompt_tokens_details": {
                    "cached_tokens": 1000,
                    "cache_creation_input_tokens": 1500,
                    "cache_creation": {"ephemeral_5m_input_tokens": 1500},
                    "cache_type": "ephemeral",
                },
            },
            Usage(input_tokens=500, cache_read_tokens=1000, cache_write_tokens=1500, output_tokens=10),
        ),
        (  # Qianfan: plain counts
            {"prompt_tokens": 7, "completion_tokens": 9, "total_tokens": 16},
            Usage(input_tokens=7, output_tokens=9),
        ),
    ],
    ids=["deepseek", "deepseek-miss-only", "moonshot-v1", "qwen-explicit-cache", "qianfan"],
)
def test_provider_fields(usage: dict[str, Any], expected: Usage) -> None:
    assert openai_usage(usage) == expected


@pytest.mark.parametrize(
    "usage",
    [
        {
            "prompt_tokens": 100,
            "completion_tokens": 1,
            "prompt_cache_hit_tokens": 60,
            "prompt_cache_miss_tokens": 30,
        },
        {
            "prompt_tokens": 100,
            "completion_tokens": 1,
            "prompt_tokens_details": {"cached_tokens": 0},
            "prompt_cache_hit_tokens": 50,
        },
        {"prompt_tokens": 100, "completion_tokens": 1, "prompt_cache_miss_tokens": 101},
        {
            "prompt_tokens": 100,
            "completion_tokens": 1,
            "cached_tokens": 30,
            "prompt_tokens_details": {"cached_tokens": 20},
        },
        {
            "prompt_tokens": 100,
            "completion_tokens": 1,
            "prompt_tokens_details": {"cached_tokens": 60, "cache_creation_input_tokens": 50},
        },
        {"prompt_tokens": 100, "completion_tokens": 1, "cached_tokens": -1},
    ],
    ids=["hit+miss≠prompt", "two-hit-counts", "miss>prompt", "kimi-two-counts", "cache>prompt", "negative"],
)
def test_contradictions_are_usage_errors(usage: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        openai_usage(usage)


def test_moonshot_stream_usage_rides_in_the_finishing_choice() -> None:
    inner = {"prompt_tokens": 19, "completion_tokens": 13, "total_tokens": 32}
    chunk = {"id": "cmpl-1", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop", "usage": inner}]}
    assert chat_usage_of(chunk) is inner
    assert usage_from_body("chat", chunk) == (Usage(input_tokens=19, output_tokens=13), None)
    assert chat_usage_of({"choices": [{"delta": {"content": "x"}}]}) is None
