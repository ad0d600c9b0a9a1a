"""Which tokenizer a model uses, and how to estimate tokens for models whose tokenizer we can't run.

OpenAI publishes its tokenizers (tiktoken), so OpenAI models are counted exactly. Anthropic, Google,
Alibaba (Qwen), DeepSeek, Mistral and the others either publish none or ship ones we do not bundle;
for those we estimate from the text length with a stated per-family ratio of characters per token.
The ratios are deliberately on the low side (more tokens) because the estimate feeds a budget
reservation: overestimating holds a little too much for a moment, underestimating lets a call
through that a blocking budget should have refused.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

# Exact names first, then prefixes (longest prefix wins). Mirrors tiktoken.model, extended for
# newer models tiktoken 0.14 does not know by name (gpt-5.x, gpt-6, o-series variants, codex).
_EXACT: dict[str, str] = {
    "gpt-4": "cl100k_base",
    "gpt-3.5-turbo": "cl100k_base",
    "gpt-3.5": "cl100k_base",
    "gpt-35-turbo": "cl100k_base",
    "davinci-002": "cl100k_base",
    "babbage-002": "cl100k_base",
    "text-embedding-ada-002": "cl100k_base",
    "text-embedding-3-small": "cl100k_base",
    "text-embedding-3-large": "cl100k_base",
}
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("gpt-4o", "o200k_base"),
    ("chatgpt-4o", "o200k_base"),
    ("gpt-4.1", "o200k_base"),
    ("gpt-4.5", "o200k_base"),
    ("gpt-5", "o200k_base"),
    ("gpt-6", "o200k_base"),
    ("gpt-oss", "o200k_base"),  # o200k_harmony = o200k_base + chat special tokens
    ("gpt-realtime", "o200k_base"),
    ("gpt-audio", "o200k_base"),
    ("gpt-image", "o200k_base"),
    ("codex-", "o200k_base"),
    ("computer-use-preview", "o200k_base"),
    ("omni-moderation", "o200k_base"),
    ("o1", "o200k_base"),
    ("o3", "o200k_base"),
    ("o4", "o200k_base"),
    ("gpt-4-", "cl100k_base"),  # gpt-4-turbo, gpt-4-0613, gpt-4-32k
    ("gpt-3.5-turbo", "cl100k_base"),
    ("gpt-35-turbo", "cl100k_base"),  # Azure deployment names
    ("text-embedding-3", "cl100k_base"),
)
_O_SERIES = re.compile(r"^o\d+(?:$|-)")


def normalise_model(model: str) -> str:
    """``openai/gpt-4o`` (OpenRouter), ``ft:gpt-4o-mini:org::id`` (fine-tunes) → ``gpt-4o…``."""
    m = model.strip().lower()
    if m.startswith("ft:"):
        m = m[3:].split(":", 1)[0]
    if "/" in m:
        m = m.rsplit("/", 1)[1]
    return m


@lru_cache(maxsize=4096)
def encoding_name_for(model: str) -> str | None:
    """The tiktoken encoding an OpenAI model uses, or ``None`` when it is not an OpenAI tokenizer model."""
    m = normalise_model(model)
    if m in _EXACT:
        return _EXACT[m]
    best: tuple[int, str] | None = None
    for prefix, enc in _PREFIXES:
        if m.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), enc)
    if best is not None:
        # "o1"… must not match "o1-like" names of other vendors: require o<digits> then end or dash
        if best[1] == "o200k_base" and m[:1] == "o" and m[1:2].isdigit() and not _O_SERIES.match(m):
            return None
        return best[1]
    return None


# Chat models whose message framing (3 per message, 1 per name, 3 reply priming, the tool
# constants) OpenAI's cookbook verified against the API's prompt_tokens. Newer models use the same
# tokenizer and very likely the same framing, but until OpenAI publishes it their chat counts are
# labelled approximate rather than exact.
_VERIFIED_CHAT = re.compile(
    r"^(?:gpt-3\.5-turbo|gpt-35-turbo|gpt-4(?:-\d{4}|-32k|-turbo)?(?:$|-)|gpt-4o|chatgpt-4o)"
)


def chat_framing_verified(model: str) -> bool:
    """True when OpenAI published worked chat examples for ``model``'s family (gpt-3.5, gpt-4, gpt-4o)."""
    return bool(_VERIFIED_CHAT.match(normalise_model(model)))


@dataclass(frozen=True, slots=True)
class Family:
    """How we estimate a model family's tokens: ``chars_per_token`` for most text, one token per
    CJK character (Chinese, Japanese and Korean text packs far fewer characters into a token)."""

    name: str
    chars_per_token: Decimal
    note: str

    @property
    def method(self) -> str:
        return f"estimate: {self.name} ≈ {self.chars_per_token} chars/token"


# Ratios for English-like text. Sources: Anthropic's docs (a token ≈ 3.5 English characters),
# Google's Gemini docs (a token ≈ 4 characters), DeepSeek's docs (1 English character ≈ 0.3 token,
# i.e. ≈ 3.3 characters per token); the others are measured ballparks for their published
# tokenizers, rounded down so the estimate errs towards more tokens.
FAMILIES: dict[str, Family] = {
    "claude": Family("claude", Decimal("3.5"), "Anthropic: ~3.5 English characters per token"),
    "gemini": Family("gemini", Decimal("4"), "Google: ~4 characters per token"),
    "gemma": Family("gemma", Decimal("4"), "Gemma shares Gemini's tokenizer"),
    "deepseek": Family("deepseek", Decimal("3.3"), "DeepSeek: 1 English character ≈ 0.3 token"),
    "qwen": Family("qwen", Decimal("3.5"), "Qwen BPE (151k vocab)"),
    "mistral": Family("mistral", Decimal("3.5"), "Mistral Tekken / SentencePiece"),
    "llama": Family("llama", Decimal("3.8"), "Llama 3+ (128k tiktoken-style vocab)"),
    "glm": Family("glm", Decimal("3.5"), "Zhipu GLM"),
    "kimi": Family("kimi", Decimal("3.5"), "Moonshot Kimi"),
    "grok": Family("grok", Decimal("3.5"), "xAI Grok"),
    "command": Family("command", Decimal("3.5"), "Cohere Command"),
    "generic": Family("generic", Decimal("3"), "unknown tokenizer: a cautious 3 characters per token"),
}
_FAMILY_PATTERNS: tuple[tuple[str, str], ...] = (
    ("claude", "claude"),
    ("gemini", "gemini"),
    ("gemma", "gemma"),
    ("deepseek", "deepseek"),
    ("qwen", "qwen"),
    ("qwq", "qwen"),
    ("mistral", "mistral"),
    ("mixtral", "mistral"),
    ("codestral", "mistral"),
    ("devstral", "mistral"),
    ("magistral", "mistral"),
    ("pixtral", "mistral"),
    ("ministral", "mistral"),
    ("llama", "llama"),
    ("glm", "glm"),
    ("kimi", "kimi"),
    ("moonshot", "kimi"),
    ("grok", "grok"),
    ("command", "command"),
)


@lru_cache(maxsize=4096)
def family_for(model: str) -> Family:
    """The estimation family of a non-OpenAI model (``generic`` when nothing matches)."""
    m = model.lower()
    for needle, fam in _FAMILY_PATTERNS:
        if needle in m:
            return FAMILIES[fam]
    return FAMILIES["generic"]


# CJK ideographs, kana, hangul, and full-width forms.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def estimate_tokens(text: str, family: Family) -> int:
    """Characters / ratio, rounded up; each CJK character counts as one token."""
    if not text:
        return 0
    cjk = 0 if text.isascii() else len(_CJK.findall(text))
    other = len(text) - cjk
    return cjk + math.ceil(Decimal(other) / family.chars_per_token)
