"""Input tokens of a request body, per provider kind and endpoint (what the proxy reserves for)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from tokenwallet.tokens.counting import REPLY_PRIMING, TOKENS_PER_MESSAGE, TokenCount, _Counter, count_chat
from tokenwallet.tokens.images import ImageDataError, base64_image_size
from tokenwallet.tokens.vision import ANTHROPIC_MAX_TOKENS, anthropic_tokens

# Anthropic adds a tool-use system prompt whenever tools are given (its pricing docs list 313–346
# tokens for current models depending on tool_choice); we reserve the larger figure.
ANTHROPIC_TOOL_SYSTEM_PROMPT = 346
# Anthropic documents no token rule for a PDF document block; a page's text and image cost more
# than this, so the figure stays what it was (an estimate, marked so).
ANTHROPIC_DOCUMENT = 1600
# Gemini: 258 tokens per image tile (768×768); we assume one tile per inline image.
GEMINI_IMAGE = 258
# Per-message framing for estimated chat formats (role markers); small and on the safe side.
ESTIMATED_MESSAGE_OVERHEAD = 4


def count_request(kind: str, endpoint: str, body: Mapping[str, Any], model: str | None = None) -> TokenCount:
    """Input tokens of ``body`` as the provider bills them.

    ``kind``: ``openai`` | ``anthropic`` | ``gemini`` | ``openai-compatible``; ``endpoint``:
    ``chat/completions``, ``responses``, ``completions``, ``embeddings``, ``messages``,
    ``generateContent`` (a leading ``v1/`` or ``/`` and Gemini's ``models/x:`` prefix are ignored).
    ``model`` defaults to ``body["model"]``. OpenAI chat bodies give exactly ``prompt_tokens``.
    """
    name = str(model or body.get("model") or "")
    ep = endpoint.strip("/").removeprefix("v1/").removeprefix("v1beta/")
    if ep.endswith("chat/completions"):
        return count_chat(
            _list(body.get("messages")),
            name,
            tools=_list(body.get("tools")),
            functions=_list(body.get("functions")),
        )
    if "generatecontent" in ep.lower() or "counttokens" in ep.lower() or kind == "gemini":
        return _gemini(body, name)
    if ep.endswith("messages") and kind == "anthropic":
        return _anthropic(body, name)
    if ep.endswith("responses"):
        return _responses(body, name)
    if ep.endswith("embeddings"):
        return _prompt_like(body.get("input"), name)
    if ep.endswith("completions"):
        return _prompt_like(body.get("prompt"), name)
    if kind == "anthropic":
        return _anthropic(body, name)
    # Unknown endpoint: count whatever text the body carries, as an estimate.
    c = _Counter(name)
    c.json({k: v for k, v in body.items() if k != "model"})
    c.inexact("unknown endpoint")
    return c.result()


def guess_endpoint(kind: str, body: Mapping[str, Any], model: str) -> str | None:
    """Which endpoint a request body was written for (None: cannot tell), from its shape."""
    if kind == "anthropic":
        return "messages"
    if kind == "gemini" or "contents" in body:
        return "generateContent"
    if "messages" in body:
        return "chat/completions"
    if "input" in body:
        return "embeddings" if "embedding" in model else "responses"
    if "prompt" in body:
        return "completions"
    return None


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str | bytes) else []


def _prompt_like(value: Any, model: str) -> TokenCount:
    """completions ``prompt`` / embeddings ``input``: a string, strings, token ids, or lists of ids."""
    c = _Counter(model)
    items = [value] if isinstance(value, str) or not isinstance(value, list) else value
    if items and all(isinstance(i, int) for i in items):
        c.add(len(items))  # already tokenized
        return c.result()
    for item in items:
        if isinstance(item, str):
            c.text(item)
        elif isinstance(item, list) and all(isinstance(i, int) for i in item):
            c.add(len(item))
        elif item is not None:
            c.json(item)
    return c.result()


def _responses(body: Mapping[str, Any], model: str) -> TokenCount:
    """Responses API: ``instructions`` and ``input`` (a string or items) become chat messages.

    OpenAI publishes no worked example for this API, so the count is marked approximate even
    though it uses the model's own tokenizer and the chat-message framing.
    """
    messages: list[Any] = []
    if isinstance(body.get("instructions"), str):
        messages.append({"role": "developer", "content": body["instructions"]})
    inp = body.get("input")
    if isinstance(inp, str):
        messages.append({"role": "user", "content": inp})
    else:
        for item in _list(inp):
            if isinstance(item, Mapping) and item.get("type", "message") == "message":
                messages.append({k: v for k, v in item.items() if k not in ("type", "id", "status")})
            else:
                messages.append(item)
    tools = [t for t in _list(body.get("tools")) if isinstance(t, Mapping)]
    functions = [t for t in tools if t.get("type") == "function"]
    count = count_chat(messages, model, functions=functions)
    extra = 0 if len(functions) == len(tools) else 1
    return replace(
        count, tokens=count.tokens + extra, exact=False, method=_approx(count.method, "responses input")
    )


def _approx(method: str, why: str) -> str:
    if method.startswith("estimate"):
        return method
    if "(approximate:" in method:
        return method.replace("(approximate: ", f"(approximate: {why}, ", 1)
    return f"{method} (approximate: {why})"


def _anthropic(body: Mapping[str, Any], model: str) -> TokenCount:
    """Anthropic messages: ``system`` (string or blocks), ``messages`` with content blocks, ``tools``."""
    c = _Counter(model)
    system = body.get("system")
    if isinstance(system, str):
        c.text(system)
    else:
        _anthropic_blocks(c, _list(system))
    for message in _list(body.get("messages")):
        c.add(ESTIMATED_MESSAGE_OVERHEAD)
        if not isinstance(message, Mapping):
            c.json(message)
            continue
        content = message.get("content")
        if isinstance(content, str):
            c.text(content)
        else:
            _anthropic_blocks(c, _list(content))
    tools = _list(body.get("tools"))
    if tools:
        c.add(ANTHROPIC_TOOL_SYSTEM_PROMPT)
        for tool in tools:
            c.json(tool)
    c.add(REPLY_PRIMING)
    c.inexact("anthropic")
    return c.result()


def _anthropic_blocks(c: _Counter, blocks: list[Any]) -> None:
    for block in blocks:
        if not isinstance(block, Mapping):
            c.json(block)
            continue
        kind = block.get("type")
        if kind == "text" and isinstance(block.get("text"), str):
            c.text(block["text"])
        elif kind == "thinking" and isinstance(block.get("thinking"), str):
            c.text(block["thinking"])
        elif kind == "image":
            _anthropic_image(c, block.get("source"))
        elif kind == "document":
            c.add(ANTHROPIC_DOCUMENT)
        elif kind == "tool_result":
            content = block.get("content")
            if isinstance(content, str):
                c.text(content)
            else:
                _anthropic_blocks(c, _list(content))
        else:  # tool_use and anything newer
            c.json({k: v for k, v in block.items() if k not in ("cache_control", "id")})


def _anthropic_image(c: _Counter, source: Any) -> None:
    """``source``: ``{"type": "base64", "data": …}`` (size read), ``url`` or ``file`` (worst case)."""
    if isinstance(source, Mapping) and source.get("type") == "base64":
        data = source.get("data")
        if not isinstance(data, str):
            raise ImageDataError("the image's source.data is not a base64 string")
        size = base64_image_size(data)
        tokens = anthropic_tokens(size.width, size.height)
        c.tokens += tokens
        c.image_tokens += tokens
        c.inexact("images")
    else:
        c.tokens += ANTHROPIC_MAX_TOKENS
        c.image_tokens += ANTHROPIC_MAX_TOKENS
        c.images_unsized += 1
        c.inexact("remote images at their worst case")


def _gemini(body: Mapping[str, Any], model: str) -> TokenCount:
    """Gemini generateContent: ``contents[].parts[]``, ``systemInstruction``, ``tools``."""
    c = _Counter(model)
    system = body.get("systemInstruction") or body.get("system_instruction")
    if isinstance(system, Mapping):
        _gemini_parts(c, _list(system.get("parts")))
    elif isinstance(system, str):
        c.text(system)
    contents = body.get("contents")
    if isinstance(contents, str):
        contents = [{"parts": [{"text": contents}]}]
    for content in _list(contents):
        c.add(ESTIMATED_MESSAGE_OVERHEAD)
        if isinstance(content, Mapping):
            _gemini_parts(c, _list(content.get("parts")))
        elif isinstance(content, str):
            c.text(content)
    for tool in _list(body.get("tools")):
        c.json(tool)
    c.inexact("gemini")
    return c.result()


def _gemini_parts(c: _Counter, parts: list[Any]) -> None:
    for part in parts:
        if isinstance(part, str):
            c.text(part)
        elif not isinstance(part, Mapping):
            c.json(part)
        elif isinstance(part.get("text"), str):
            c.text(part["text"])
        elif "inlineData" in part or "inline_data" in part or "fileData" in part or "file_data" in part:
            c.add(GEMINI_IMAGE)
        else:
            c.json(part)


__all__ = ["TOKENS_PER_MESSAGE", "count_request", "guess_endpoint"]
