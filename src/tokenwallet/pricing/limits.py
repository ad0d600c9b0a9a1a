"""Context windows and maximum output lengths that genai-prices does not carry.

genai-prices knows most context windows but no output limits. The maximum output matters to the
wallet: when a request sets no ``max_tokens`` the reservation must assume the model may write its
maximum. Values are the providers' published limits; the first matching pattern wins (so more
specific patterns come first). Unknown models get :data:`DEFAULT_MAX_OUTPUT`.
"""

from __future__ import annotations

import re
from functools import lru_cache

DEFAULT_MAX_OUTPUT = 8192

_MAX_OUTPUT: tuple[tuple[str, int], ...] = (
    # OpenAI
    (r"gpt-4o-mini", 16_384),
    (r"gpt-4o", 16_384),
    (r"gpt-4\.1", 32_768),
    (r"gpt-4\.5", 16_384),
    (r"gpt-4-turbo|gpt-4-\d{4}-preview", 4_096),
    (r"gpt-4-32k", 8_192),
    (r"gpt-4(?!\.)", 8_192),
    (r"gpt-3\.5", 4_096),
    (r"gpt-5|gpt-6", 128_000),
    (r"o1-mini", 65_536),
    (r"o1|o3|o4", 100_000),
    (r"gpt-oss", 131_072),
    # Anthropic
    (r"claude-opus-4-[01]|claude-4-opus|claude-opus-4(?:-\d{8})?$", 32_000),
    (r"claude-opus-4|claude-opus-5", 64_000),
    (r"claude-(?:sonnet|haiku)-[45]|claude-4-sonnet", 64_000),
    (r"claude-3-7-sonnet", 64_000),
    (r"claude-3-5", 8_192),
    (r"claude-3", 4_096),
    (r"claude", 8_192),
    # Google
    (r"gemini-[23]\.\d+-(?:pro|flash)", 65_536),
    (r"gemini-2\.0", 8_192),
    (r"gemini-1\.5", 8_192),
    # DeepSeek
    (r"deepseek-reasoner|deepseek-r1", 64_000),
    (r"deepseek-chat|deepseek-v3", 8_192),
    # Qwen, Moonshot, Zhipu, Mistral
    (r"qwen3-max|qwen-max", 32_768),
    (r"qwen-plus|qwen-flash|qwen-turbo|qwen3", 32_768),
    (r"kimi-k2", 32_768),
    (r"glm-4\.[5-9]|glm-5", 98_304),
    (r"mistral-large|mistral-medium|magistral", 32_768),
)

_CONTEXT: tuple[tuple[str, int], ...] = (
    (r"gemini-[23]\.\d+-pro|gemini-2\.5-flash", 1_048_576),
    (r"gpt-4\.5", 128_000),
    (r"mistral-large|mistral-medium|mistral-small|magistral", 128_000),
    (r"ministral|pixtral|mistral-nemo|devstral", 128_000),
)

_MAX_OUTPUT_RE = tuple((re.compile(p), n) for p, n in _MAX_OUTPUT)
_CONTEXT_RE = tuple((re.compile(p), n) for p, n in _CONTEXT)


def _bare(model: str) -> str:
    return model.lower().rsplit("/", 1)[-1]


@lru_cache(maxsize=4096)
def known_max_output(model: str) -> int | None:
    """The published maximum output tokens of ``model``, if our table knows it."""
    m = _bare(model)
    for rx, n in _MAX_OUTPUT_RE:
        if rx.search(m):
            return n
    return None


@lru_cache(maxsize=4096)
def known_context_window(model: str) -> int | None:
    """Context windows genai-prices leaves empty for some current models."""
    m = _bare(model)
    for rx, n in _CONTEXT_RE:
        if rx.search(m):
            return n
    return None
