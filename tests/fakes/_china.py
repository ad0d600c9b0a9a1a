"""Chinese providers' OpenAI-compatible chat wire: OpenAI's shapes, each with its own ``usage``.

Pick one with ``Scenario(dialect=…)`` (or the ``x-fake-dialect`` header). What each reports, from
its API reference:

- ``deepseek``: ``prompt_cache_hit_tokens`` + ``prompt_cache_miss_tokens`` (= ``prompt_tokens``),
  also ``prompt_tokens_details.cached_tokens``; ``completion_tokens_details.reasoning_tokens``.
- ``moonshot``: Moonshot v1 context caching's top-level ``cached_tokens``; in a stream the usage
  rides in the last chunk's choice (``choices[0].usage``), not at the top level.
- ``qwen``: DashScope compatible mode, ``prompt_tokens_details.cached_tokens`` and, for explicit
  cache writes (``cache_write_5m`` here), ``cache_creation_input_tokens`` with ``cache_type``;
  ``completion_tokens_details.reasoning_tokens`` when thinking.
- ``zhipu``: ``prompt_tokens_details.cached_tokens``.
- ``minimax``, ``ark`` (Volcengine): ``prompt_tokens_details.cached_tokens`` and
  ``completion_tokens_details.reasoning_tokens``.
- ``qianfan``: prompt, completion and total only.
- ``siliconflow``: ``completion_tokens_details.reasoning_tokens``.
"""

from __future__ import annotations

from tokenwallet.core.usage import Usage

from ._common import JSON, Call

DIALECTS = ("deepseek", "moonshot", "qwen", "zhipu", "minimax", "ark", "qianfan", "siliconflow")


def chat_usage(call: Call) -> JSON:
    sc, dialect = call.sc, call.sc.dialect
    prompt = call.input_total
    out = call.text_tokens + sc.reasoning_tokens
    u: JSON = {"prompt_tokens": prompt, "completion_tokens": out, "total_tokens": prompt + out}
    reasoning = {"reasoning_tokens": sc.reasoning_tokens}
    if dialect == "deepseek":
        u["prompt_tokens_details"] = {"cached_tokens": sc.cached_tokens}
        u["prompt_cache_hit_tokens"] = sc.cached_tokens
        u["prompt_cache_miss_tokens"] = prompt - sc.cached_tokens
        u["completion_tokens_details"] = reasoning
    elif dialect == "moonshot":
        u["cached_tokens"] = sc.cached_tokens
    elif dialect == "qwen":
        details: JSON = {"cached_tokens": sc.cached_tokens}
        if sc.cache_write_5m:
            details["cache_creation_input_tokens"] = sc.cache_write_5m
            details["cache_creation"] = {"ephemeral_5m_input_tokens": sc.cache_write_5m}
            details["cache_type"] = "ephemeral"
        u["prompt_tokens_details"] = details
        if sc.reasoning_tokens:
            u["completion_tokens_details"] = reasoning
    elif dialect == "zhipu":
        u["prompt_tokens_details"] = {"cached_tokens": sc.cached_tokens}
    elif dialect in ("minimax", "ark"):
        u["prompt_tokens_details"] = {"cached_tokens": sc.cached_tokens}
        u["completion_tokens_details"] = reasoning
    elif dialect == "siliconflow":
        u["completion_tokens_details"] = reasoning
    elif dialect != "qianfan":
        raise ValueError(f"fake upstream: no dialect {dialect!r} (known: {', '.join(DIALECTS)})")
    return {**u, **sc.extra_usage}


def usage_of(call: Call) -> Usage:
    """The normalised usage the fake reported in ``dialect`` (for ``rec.usage``)."""
    sc = call.sc
    written = sc.cache_write_5m if sc.dialect == "qwen" else 0
    cached = 0 if sc.dialect in ("qianfan", "siliconflow") else sc.cached_tokens
    return Usage(
        input_tokens=call.input_total - cached - written,
        cache_read_tokens=cached,
        cache_write_tokens=written,
        output_tokens=call.text_tokens + sc.reasoning_tokens,
        reasoning_tokens=sc.reasoning_tokens,
    )


def usage_in_choice(call: Call) -> bool:
    """Whether this dialect streams its usage inside the finishing choice (Moonshot)."""
    return call.sc.dialect == "moonshot"
