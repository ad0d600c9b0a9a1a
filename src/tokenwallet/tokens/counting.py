"""Counting text and OpenAI chat messages.

Chat messages are counted the way OpenAI's cookbook ("How to count tokens with tiktoken")
documents and verifies against the API's ``prompt_tokens``:

- every message costs ``tokens_per_message`` = 3 (``<|start|>{role}`` … ``<|end|>``) plus the
  tokens of each of its string fields (role, content, name), and a ``name`` costs 1 more;
- every reply is primed with ``<|start|>assistant<|message|>``: 3 tokens;
- function/tool definitions are rendered by OpenAI into a TypeScript-like namespace in the system
  prompt; the cookbook's constants reproduce that count (7 tokens to open each function on o200k
  models, 10 on cl100k; 3 per property list and per property; −3 + 3 per item for enums; 12 to
  close the tools block).

Anything the cookbook does not cover (images, multi-part content, tool calls in the history,
nested parameter schemas) is still counted, but the result says ``exact=False``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tokenwallet.tokens.encodings import get_encoding
from tokenwallet.tokens.images import data_url_image_size
from tokenwallet.tokens.models import (
    Family,
    chat_framing_verified,
    encoding_name_for,
    estimate_tokens,
    family_for,
)
from tokenwallet.tokens.vision import image_tokens, worst_image_tokens

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3
# num_tokens_for_tools() constants from the cookbook, per encoding family.
FUNC_INIT = {"o200k_base": 7, "cl100k_base": 10}
PROP_INIT = 3
PROP_KEY = 3
ENUM_INIT = -3
ENUM_ITEM = 3
FUNC_END = 12


@dataclass(frozen=True, slots=True)
class TokenCount:
    """A token count and how it was obtained.

    ``exact`` is True only when we ran the model's own tokenizer with a method the provider
    documents; ``method`` names the encoding or the estimate ("estimate: claude ≈ 3.5 chars/token").
    """

    tokens: int
    exact: bool
    method: str
    image_tokens: int = 0  # the part of ``tokens`` that is images (tokens.vision)
    images_unsized: int = 0  # remote images whose size the meter cannot read: counted at worst case

    def __add__(self, other: TokenCount) -> TokenCount:
        method = self.method if self.method == other.method else f"{self.method} + {other.method}"
        return TokenCount(
            self.tokens + other.tokens,
            self.exact and other.exact,
            method,
            self.image_tokens + other.image_tokens,
            self.images_unsized + other.images_unsized,
        )


def encode_len(text: str, encoding: str) -> int:
    """Tokens in ``text``; special-token strings in user text count as ordinary text, as the API does."""
    if not text:
        return 0
    return len(get_encoding(encoding).encode_ordinary(text))


def count_text(text: str, model: str) -> TokenCount:
    """Tokens in a plain text for ``model``: exact with tiktoken for OpenAI models, else an estimate."""
    enc = encoding_name_for(model)
    if enc is not None:
        return TokenCount(encode_len(text, enc), True, enc)
    fam = family_for(model)
    return TokenCount(estimate_tokens(text, fam), False, fam.method)


def image_cost(model: str, url: str | None, detail: str | None = None) -> tuple[int, int]:
    """(tokens, 1 if the size was unknown) of one image; ImageDataError for an unreadable data: URL.

    A remote URL (or a file id) has a size only the provider sees: the hold takes the worst case.
    """
    if url is not None and url[:5].lower() == "data:":
        size = data_url_image_size(url)
        return image_tokens(model, size.width, size.height, detail), 0
    return worst_image_tokens(model, detail), 1


class _Counter:
    """Adds up pieces of a request with one tokenizer (or one estimate family)."""

    def __init__(self, model: str) -> None:
        self.encoding = encoding_name_for(model)
        self.family: Family | None = None if self.encoding else family_for(model)
        self.model = model
        self.tokens = 0
        self.exact = self.encoding is not None
        self.notes: list[str] = []
        self.image_tokens = 0
        self.images_unsized = 0

    def text(self, text: str) -> None:
        if self.encoding is not None:
            self.tokens += encode_len(text, self.encoding)
        else:
            assert self.family is not None
            self.tokens += estimate_tokens(text, self.family)

    def json(self, value: Any) -> None:
        """Structured data we cannot render exactly as the provider does: count its compact JSON."""
        self.text(json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str))
        self.inexact("structured")

    def add(self, n: int) -> None:
        self.tokens += n

    def image(self, url: str | None, detail: str | None = None) -> None:
        """An image given as a data: URL (its size is read) or a remote URL (worst case)."""
        tokens, unsized = image_cost(self.model, url, detail)
        self.tokens += tokens
        self.image_tokens += tokens
        self.images_unsized += unsized
        self.inexact("images" if not unsized else "remote images at their worst case")

    def inexact(self, why: str) -> None:
        self.exact = False
        if why not in self.notes:
            self.notes.append(why)

    def result(self) -> TokenCount:
        if self.encoding is not None:
            method = self.encoding
            if self.notes:
                method += f" (approximate: {', '.join(self.notes)})"
            return TokenCount(self.tokens, self.exact, method, self.image_tokens, self.images_unsized)
        assert self.family is not None
        return TokenCount(self.tokens, False, self.family.method, self.image_tokens, self.images_unsized)


def count_chat(
    messages: Sequence[Mapping[str, Any]],
    model: str,
    *,
    tools: Sequence[Mapping[str, Any]] | None = None,
    functions: Sequence[Mapping[str, Any]] | None = None,
) -> TokenCount:
    """Input tokens of an OpenAI chat completion request: equals the API's ``prompt_tokens``
    for the cookbook's message and tool shapes."""
    c = _Counter(model)
    if c.encoding is not None and not chat_framing_verified(model):
        c.inexact("chat framing as published for gpt-4o")
    _chat_messages(c, messages)
    fns: list[Mapping[str, Any]] = []
    for item in [*(tools or ()), *(functions or ())]:
        fn = item.get("function", item) if isinstance(item, Mapping) else item
        if isinstance(fn, Mapping) and (
            not isinstance(item, Mapping) or item.get("type", "function") == "function"
        ):
            fns.append(fn)
        else:  # built-in tools (web search, …) or malformed entries: counted, not exact
            c.json(item)
            c.inexact("non-function tools")
    if fns:
        _functions(c, fns)
    return c.result()


def _chat_messages(c: _Counter, messages: Sequence[Any]) -> None:
    for message in messages:
        c.add(TOKENS_PER_MESSAGE)
        if not isinstance(message, Mapping):
            c.json(message)
            continue
        for key, value in message.items():
            if value is None:
                continue
            if isinstance(value, str):
                c.text(value)
                if key == "name":
                    c.add(TOKENS_PER_NAME)
                elif key not in ("role", "content"):
                    c.inexact(f"message field {key}")
            elif key == "content" and isinstance(value, list):
                _content_parts(c, value)
            else:
                c.json(value)
    c.add(REPLY_PRIMING)


def _content_parts(c: _Counter, parts: list[Any]) -> None:
    c.inexact("multi-part content")
    for part in parts:
        if not isinstance(part, Mapping):
            c.json(part)
            continue
        kind = part.get("type")
        if kind in ("text", "input_text", "output_text") and isinstance(part.get("text"), str):
            c.text(part["text"])
        elif kind in ("image_url", "input_image"):
            # chat: {"image_url": {"url", "detail"}}; Responses: {"image_url": "...", "detail"}
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, Mapping) else image
            detail = part.get("detail") or (image.get("detail") if isinstance(image, Mapping) else None)
            c.image(url if isinstance(url, str) else None, detail if isinstance(detail, str) else None)
        else:
            c.json(part)


def _functions(c: _Counter, functions: Sequence[Mapping[str, Any]]) -> None:
    func_init = FUNC_INIT.get(c.encoding or "", FUNC_INIT["o200k_base"])
    for function in functions:
        c.add(func_init)
        name = str(function.get("name", ""))
        desc = str(function.get("description", ""))
        c.text(f"{name}:{desc.removesuffix('.')}")
        params = function.get("parameters") or {}
        props = params.get("properties") if isinstance(params, Mapping) else None
        if not isinstance(props, Mapping) or not props:
            continue
        c.add(PROP_INIT)
        for key, prop in props.items():
            c.add(PROP_KEY)
            if not isinstance(prop, Mapping):
                c.json(prop)
                continue
            enum = prop.get("enum")
            if isinstance(enum, list):
                c.add(ENUM_INIT)
                for item in enum:
                    c.add(ENUM_ITEM)
                    c.text(str(item))
            p_type = prop.get("type", "")
            p_desc = str(prop.get("description", "")).removesuffix(".")
            c.text(f"{key}:{p_type}:{p_desc}")
            extra = set(prop) - {"type", "description", "enum"}
            if extra or not isinstance(p_type, str):
                # nested objects, arrays' items, defaults…: rendered by OpenAI in ways the cookbook
                # does not document; count their JSON so a reservation still covers them
                c.json({k: prop[k] for k in sorted(extra)})
    c.add(FUNC_END)
