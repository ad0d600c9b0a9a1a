"""Reading usage out of each API's own fields, into :class:`tokenwallet.core.usage.Usage`.

One function per wire format (streams use them too, see ``stream_usage``). Nothing a provider
reports is taken on trust: every count must be a whole number in range, the parts must fit their
totals (cached ≤ prompt, reasoning ≤ output, a stated total ≥ its parts), and anything else raises
:class:`UsageError` — the call is then charged its hold and flagged (``proxy.charging``). A stated
total *above* its parts is believed: the unitemised rest is charged as output (hidden thinking is
the usual cause), so a provider's total is never undercut.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from tokenwallet.core.money import usd_to_nano
from tokenwallet.core.usage import Usage
from tokenwallet.proxy.usage_fields import MAX_USAGE_FIELD, UsageError
from tokenwallet.proxy.usage_fields import count as _int
from tokenwallet.proxy.usage_fields import details as _part
from tokenwallet.proxy.usage_fields import within as _within
from tokenwallet.proxy.usage_media import modalities, openai_media, with_media

# Re-exported: callers import UsageError and MAX_USAGE_FIELD from here.
__all__ = ["MAX_PROVIDER_COST_USD", "MAX_USAGE_FIELD", "UsageError"]
MAX_PROVIDER_COST_USD = Decimal(1_000_000)  # no single call costs a million dollars


def _total(d: dict[str, Any], key: str, parts: int) -> int:
    """Tokens in the stated total beyond its parts (charged as output); fewer is inconsistent."""
    if d.get(key) is None:
        return 0
    total = _int(d, key)
    if total < parts:
        raise UsageError(f"usage {key} ({total}) is less than its parts ({parts})")
    return total - parts


def _cache_hits(u: dict[str, Any], details: dict[str, Any] | None, prompt: int) -> int:
    """Cache reads inside ``prompt_tokens``, wherever the provider reports them.

    | field                                   | who                                        |
    |-----------------------------------------|--------------------------------------------|
    | ``prompt_tokens_details.cached_tokens`` | OpenAI, Qwen, Kimi K2, GLM, Ark, MiniMax … |
    | ``prompt_cache_hit_tokens``             | DeepSeek (beside ``…_miss_tokens``)        |
    | ``prompt_tokens − prompt_cache_miss_…`` | DeepSeek: hits + misses = the prompt       |
    | ``cached_tokens`` (top level)           | Moonshot v1 context caching                |

    Every one that is present must give the same number: two counts that disagree are not a usage
    we can take at its word (UsageError: the call is charged its hold and flagged).
    """
    found: dict[str, int] = {}
    if details is not None and details.get("cached_tokens") is not None:
        found["prompt_tokens_details.cached_tokens"] = _int(details, "cached_tokens")
    for key in ("prompt_cache_hit_tokens", "cached_tokens"):
        if u.get(key) is not None:
            found[key] = _int(u, key)
    if u.get("prompt_cache_miss_tokens") is not None:
        miss = _int(u, "prompt_cache_miss_tokens")
        _within(miss, prompt, "more cache misses than prompt tokens")
        found["prompt_tokens - prompt_cache_miss_tokens"] = prompt - miss
    if len(set(found.values())) > 1:
        said = ", ".join(f"{k}={v}" for k, v in found.items())
        raise UsageError(f"usage reports cache hits that disagree ({said})")
    return next(iter(found.values()), 0)


def openai_usage(u: Any, *, output: bool = True) -> Usage | None:
    """Chat/completions/embeddings ``usage``: cached tokens are *inside* ``prompt_tokens``.

    ``output`` is False for embeddings, whose usage has no ``completion_tokens``. Cache reads are
    read from each provider's own field (:func:`_cache_hits`); Qwen's explicit-cache writes
    (``prompt_tokens_details.cache_creation_input_tokens``) are inside the prompt too and are
    billed at the cache-write rate.
    """
    if u is None:
        return None
    if not isinstance(u, dict):
        raise UsageError("usage is not an object")
    prompt = _int(u, "prompt_tokens", required=True)
    output_tokens = _int(u, "completion_tokens", required=output)
    details = _part(u, "prompt_tokens_details")
    cached = _cache_hits(u, details, prompt)
    written = _int(details, "cache_creation_input_tokens")
    _within(cached + written, prompt, "more cached tokens than prompt tokens")
    out_details = _part(u, "completion_tokens_details")
    reasoning = _int(out_details, "reasoning_tokens")
    _within(reasoning, output_tokens, "more reasoning tokens than completion tokens")
    hidden = _total(u, "total_tokens", prompt + output_tokens)
    text = Usage(
        input_tokens=prompt - cached - written,
        cache_read_tokens=cached,
        cache_write_tokens=written,
        output_tokens=output_tokens + hidden,
        reasoning_tokens=reasoning + hidden,
    )
    return with_media(text, openai_media(details, out_details, reasoning, output_tokens))


def chat_usage_of(body: dict[str, Any]) -> Any:
    """The ``usage`` of a chat answer or stream event: top level, or (Moonshot's streams) inside
    the choice that finished."""
    u = body.get("usage")
    if u is not None:
        return u
    for choice in body.get("choices") or ():
        if isinstance(choice, dict) and choice.get("usage") is not None:
            return choice["usage"]
    return None


def responses_usage(u: Any) -> Usage | None:
    """Responses API ``usage``: ``input_tokens`` includes ``input_tokens_details.cached_tokens``."""
    if u is None:
        return None
    if not isinstance(u, dict):
        raise UsageError("usage is not an object")
    prompt = _int(u, "input_tokens", required=True)
    output = _int(u, "output_tokens", required=True)
    in_details = _part(u, "input_tokens_details")
    cached = _int(in_details, "cached_tokens")
    _within(cached, prompt, "more cached tokens than input tokens")
    out_details = _part(u, "output_tokens_details")
    reasoning = _int(out_details, "reasoning_tokens")
    _within(reasoning, output, "more reasoning tokens than output tokens")
    hidden = _total(u, "total_tokens", prompt + output)
    text = Usage(
        input_tokens=prompt - cached,
        cache_read_tokens=cached,
        output_tokens=output + hidden,
        reasoning_tokens=reasoning + hidden,
    )
    return with_media(text, openai_media(in_details, out_details, reasoning, output))


def anthropic_usage(u: Any) -> Usage | None:
    """Messages ``usage``: cache reads and writes are reported *beside* ``input_tokens``."""
    if u is None:
        return None
    if not isinstance(u, dict):
        raise UsageError("usage is not an object")
    creation = _part(u, "cache_creation")
    write_total = _int(u, "cache_creation_input_tokens")
    if creation is not None:
        w1h = _int(creation, "ephemeral_1h_input_tokens")
        w5m = _int(creation, "ephemeral_5m_input_tokens")
        _within(w1h + w5m, write_total, "more cache writes by lifetime than in total")
        w5m = write_total - w1h  # the total is authoritative: the rest is the default lifetime
    else:
        w1h, w5m = 0, write_total
    return Usage(
        input_tokens=_int(u, "input_tokens", required=True),
        cache_read_tokens=_int(u, "cache_read_input_tokens"),
        cache_write_tokens=w5m,
        cache_write_1h_tokens=w1h,
        output_tokens=_int(u, "output_tokens", required=True),
    )


def gemini_usage(m: Any) -> Usage | None:
    """Gemini ``usageMetadata``: cached content is inside the prompt, thoughts beside candidates.

    Gemini leaves out counts that are zero (proto3 JSON), so no field is required; a
    ``totalTokenCount`` above the parts is charged in full, the rest as output.
    """
    if m is None or m == {}:
        return None
    if not isinstance(m, dict):
        raise UsageError("usageMetadata is not an object")
    prompt = _int(m, "promptTokenCount") + _int(m, "toolUsePromptTokenCount")
    cached = _int(m, "cachedContentTokenCount")
    _within(cached, prompt, "more cached tokens than prompt tokens")
    thoughts = _int(m, "thoughtsTokenCount")
    candidates = _int(m, "candidatesTokenCount")
    output = candidates + thoughts
    hidden = _total(m, "totalTokenCount", prompt + output)
    text = Usage(
        input_tokens=prompt - cached,
        cache_read_tokens=cached,
        output_tokens=output + hidden,
        reasoning_tokens=thoughts + hidden,
    )
    ins = modalities(m, "promptTokensDetails", _int(m, "promptTokenCount"))
    tools = modalities(m, "toolUsePromptTokensDetails", _int(m, "toolUsePromptTokenCount"))
    cache = modalities(m, "cacheTokensDetails", cached)
    outs = modalities(m, "candidatesTokensDetails", candidates)
    media = {
        "input_audio_tokens": ins.get("AUDIO", 0) + tools.get("AUDIO", 0),
        "input_image_tokens": ins.get("IMAGE", 0) + tools.get("IMAGE", 0),
        "input_video_tokens": ins.get("VIDEO", 0) + tools.get("VIDEO", 0),
        "cache_audio_read_tokens": cache.get("AUDIO", 0),
        "output_audio_tokens": outs.get("AUDIO", 0),
        "output_image_tokens": outs.get("IMAGE", 0),
    }
    return with_media(text, media)


def provider_cost_nano(u: Any) -> int | None:
    """OpenRouter's own charge for the call (``usage.cost`` in USD), when it sends one.

    A cost that is there but is not a finite, non-negative amount is a UsageError: it would
    credit the budget or write an absurd row. (proxy.charging also bounds it against our price.)
    """
    if not isinstance(u, dict) or u.get("cost") is None:
        return None
    cost = u["cost"]
    if isinstance(cost, bool) or not isinstance(cost, int | float | str):
        raise UsageError("usage cost is not a number")
    try:
        amount = Decimal(str(cost))
    except (InvalidOperation, ValueError):
        raise UsageError(f"usage cost is not a number ({str(cost)[:30]})") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_PROVIDER_COST_USD:
        raise UsageError(f"usage cost is not a believable amount ({str(cost)[:30]})")
    return usd_to_nano(amount)


MAX_ANSWER_ID = 200  # longer is not an id a provider sends; kept out of the ledger


def answer_id(api: str, body: Any) -> str:
    """The provider's id of a whole answer or a stream event (``""`` when it has none).

    OpenAI chat/completions/responses and Anthropic messages carry ``id`` (``chatcmpl-…``,
    ``resp_…``, ``msg_…``), Gemini ``responseId``. The ledger keeps it so a request that also
    appears in an agent's own log (``tokenwallet import``) is recognised and not counted twice.
    """
    if not isinstance(body, dict):
        return ""
    rid = body.get("responseId" if api == "gemini" else "id")
    return rid if isinstance(rid, str) and 0 < len(rid) <= MAX_ANSWER_ID else ""


def usage_from_body(api: str, body: Any) -> tuple[Usage | None, int | None]:
    """(usage, provider-reported cost) from a whole JSON answer of ``api``; None when it has none.

    Raises :class:`UsageError` when the answer carries usage that cannot be taken at its word.
    """
    if not isinstance(body, dict):
        return None, None
    if api == "gemini":
        return gemini_usage(body.get("usageMetadata")), None
    u = body.get("usage")
    if api == "anthropic":
        return anthropic_usage(u), None
    if api == "responses":
        return responses_usage(u), None
    if api == "chat":
        u = chat_usage_of(body)
    return openai_usage(u, output=api != "embeddings"), provider_cost_nano(u)
