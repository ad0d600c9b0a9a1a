"""What a finished call is charged when the provider's usage cannot be taken at its word.

=====================================================  ======================================  =============
the answer                                             charged                                 flag
=====================================================  ======================================  =============
usage that reads right                                 as reported                             —
… with audio (or other) tokens the model has no price  the hold's worst case: never as text    invalid_usage,
  for                                                                                          unpriced_media
… with more output than the hold's cap × choices       as reported (the provider bills it)     over_cap
usage that does not read right (``UsageError``), more  the hold's worst case: counted input +  invalid_usage
tokens than the call could use, an absurd cost         the full output cap × choices
a success or a stream without usage, or not JSON       counted input + counted answer text     no_usage
an error answer without usage                          nothing (the provider bills no error)   —
=====================================================  ======================================  =============

"More tokens than the call could use": above the model's context window × choices when the price
catalog knows the window, else above 2**31 × choices — and never below twice what the hold itself
covered, so a stale catalog window does not turn a real long call into an invalid one. Nothing in
the table can produce a negative cost: every count is a non-negative whole number by then.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tokenwallet.core.usage import Usage
from tokenwallet.pricing.holds import worst_output
from tokenwallet.proxy.usage import UsageError, answer_id, usage_from_body

if TYPE_CHECKING:
    from tokenwallet.proxy.call import Call
    from tokenwallet.proxy.calls import Planner

INVALID_USAGE = "invalid_usage"
OVER_CAP = "over_cap"
NO_USAGE = "no_usage"
UNPRICED_MEDIA = "unpriced_media"

UNKNOWN_WINDOW = 2**31
PROVIDER_COST_SLACK = 10  # a provider's own cost may exceed our price for the same usage this many times


@dataclass(frozen=True, slots=True)
class Charge:
    """The usage a call is settled with, and how far it is the provider's word."""

    usage: Usage
    estimated: bool
    flags: tuple[str, ...] = ()
    provider_cost: int | None = None
    note: str | None = None  # for the ledger's error column when nothing else went wrong
    response_id: str = ""  # the provider's id of the answer: an imported log entry with it is skipped


def believable_tokens(call: Call) -> int:
    """The most tokens a call's usage may report before it is treated as invalid."""
    window = call.price.context_window or UNKNOWN_WINDOW
    return max(window * call.choices, 2 * (call.input_tokens + call.max_out))


def worst_usage(call: Call) -> Usage:
    """The usage the hold was priced at: all counted input uncached, the full output cap (as
    audio when the model's audio output is dearer, see pricing.holds)."""
    return worst_output(call.price, call.input_tokens, call.max_out)


def _invalid(call: Call, why: str) -> Charge:
    return Charge(worst_usage(call), True, (INVALID_USAGE,), note=f"usage not believable: {why}")


def judge(
    planner: Planner,
    call: Call,
    reported: Usage | UsageError | None,
    *,
    provider_cost: int | None = None,
    text: Callable[[], str] | None = None,
    base: Usage | None = None,
) -> Charge:
    """The charge for ``reported`` usage (see the module table).

    ``text`` gives the answer's text when a missing usage is to be estimated (a success, a stream);
    None for an error answer. ``base`` is input usage already known (Anthropic's message_start).
    """
    if isinstance(reported, UsageError):
        return _invalid(call, str(reported))
    if reported is None:
        if text is None:
            return Charge(Usage(), False)
        usage = planner.estimate(call, text(), base)
        return Charge(usage, True, (NO_USAGE,), note="the answer carried no usage: estimated")
    bound = believable_tokens(call)
    if reported.total_tokens > bound:
        return _invalid(call, f"{reported.total_tokens:,} tokens, more than the call could use ({bound:,})")
    if provider_cost is not None:
        own = planner.meter.book.cost(call.price, reported)
        if provider_cost > PROVIDER_COST_SLACK * max(own, call.held_nano):
            return _invalid(call, f"the provider's cost ({provider_cost} nano-USD) is far above its price")
    missing = call.price.unpriced_parts(reported)
    if missing:
        why = f"{' and '.join(missing)} tokens reported, and {call.model} has no price for them"
        charge = _invalid(call, why)
        return replace(charge, flags=(*charge.flags, UNPRICED_MEDIA))
    flags = (OVER_CAP,) if reported.output_tokens > call.max_out else ()
    return Charge(reported, False, flags, provider_cost)


def settle(
    planner: Planner,
    call: Call,
    charge: Charge,
    status: int,
    *,
    error: str | None = None,
    priced: tuple[int, str] | None = None,
    later: bool = False,
) -> None:
    """Settle ``call`` with ``charge``; the ledger's error column keeps the first thing that went wrong.

    ``later``: the answer is out, the wallet write may wait for the loop's next idle moment."""
    planner.settle(
        call,
        charge.usage,
        status,
        estimated=charge.estimated,
        error=error or charge.note,
        provider_cost=charge.provider_cost,
        flags=charge.flags,
        response_id=charge.response_id,
        priced=priced,
        later=later,
    )


# -- the text of a whole answer, for the estimate ------------------------------------------------

# Tool-call arguments given as objects (Anthropic tool_use ``input``, Gemini functionCall ``args``).
_STRUCTURED = frozenset({"input", "args"})
# Keys whose string values are bookkeeping, not generated text.
_NOT_TEXT = frozenset(
    {
        "id",
        "object",
        "model",
        "role",
        "type",
        "finish_reason",
        "stop_reason",
        "finishReason",
        "system_fingerprint",
        "service_tier",
        "status",
        "call_id",
        "tool_call_id",
        "signature",
        "modelVersion",
        "responseId",
        "created",
        "usage",
        "usageMetadata",
    }
)


def answer_text(api: str, data: bytes) -> str:
    """Every generated string in a whole answer (text, reasoning, tool arguments) for counting.

    An answer that is not JSON is counted whole: more than it generated, never less.
    """
    if api == "embeddings":
        return ""  # embeddings bill input only
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        return data.decode("utf-8", "replace")
    out: list[str] = []
    stack: list[Any] = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in _STRUCTURED and isinstance(value, dict):
                    out.append(json.dumps(value, ensure_ascii=False))  # tool input: generated whole
                elif key not in _NOT_TEXT:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return "".join(out)


def charge_answer(planner: Planner, call: Call, status: int, ctype: str, data: bytes) -> Charge:
    """The charge for a whole (non-streamed) answer: its usage judged, or an estimate from its text."""
    api = call.route.api
    reported: Usage | UsageError | None = None
    cost = None
    rid = ""
    if data[:1] in (b"{", b"[") or "json" in ctype:
        try:
            body = json.loads(data)
            rid = answer_id(api, body)
            reported, cost = usage_from_body(api, body)
        except UsageError as exc:
            reported = exc
        except (ValueError, RecursionError):
            pass  # not JSON after all: estimated from the raw text below
    text = (lambda: answer_text(api, data)) if status < 400 else None
    charge = judge(planner, call, reported, provider_cost=cost, text=text)
    if rid:  # built directly: dataclasses.replace costs more than the rest of this on the call path
        c = charge
        return Charge(c.usage, c.estimated, c.flags, c.provider_cost, c.note, rid)
    return charge
