"""The wallet side of a media call: its record, refusals, and its one settlement.

Split from ``media.py`` (the HTTP exchange) to keep each small; see that module for the order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from tokenwallet.core.events import CallRefused, CallSettled
from tokenwallet.core.money import format_tokens, format_usd
from tokenwallet.core.usage import Usage
from tokenwallet.pricing.media import MediaPrice, cost_nano, units_json
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.media_request import MediaRequest
from tokenwallet.proxy.media_units import token_totals
from tokenwallet.proxy.metering import describe_available, remaining_header
from tokenwallet.wallet.types import CallRecord, EnvelopeStatus, KeyBinding, SettleResult

if TYPE_CHECKING:
    from tokenwallet.proxy.app import ProxyApp
    from tokenwallet.proxy.routes import Route

_BILLED_AS = {
    "image": "per image",
    "characters": "per character",
    "audio": "per second of audio",
    "video": "per second of video",
}


@dataclass(slots=True)
class MediaCall:
    """One media call while it runs: its request, price, worst-case units and hold."""

    call_id: str
    route: Route
    binding: KeyBinding
    req: MediaRequest
    price: MediaPrice
    price_json: str
    billing: str
    worst: dict[str, Any]
    held_nano: int
    hold_id: int
    tightest: EnvelopeStatus | None
    measured_ms: int | None  # the upload's length, when it could be read
    started: float = field(default_factory=time.perf_counter)
    started_at: Any = None
    prompt_text: str | None = None
    settled: bool = False
    guard: Any = None  # the guards' CallFacts of this call


def refuse_token_budgets(
    app: ProxyApp, route: Route, binding: KeyBinding, *, model: str, billing: str, call_id: str
) -> None:
    """A token budget cannot hold a call billed per image, character or second: a blocking one
    refuses it rather than let it through uncounted."""
    for st in app.meter.wallet.applicable_statuses(binding):
        env = st.envelope
        if env.unit == "tokens" and env.action in ("block", "downgrade"):
            app.planner.bus.publish(
                CallRefused(
                    call_id,
                    binding.profile,
                    binding.project,
                    route.provider,
                    model,
                    "budget",
                    env.label,
                    env.id,
                )
            )
            raise ProxyError(
                402,
                f"Token Wallet budget {env.label} counts tokens, and {model} is billed "
                f"{_BILLED_AS[billing]}, which a token budget cannot hold. Give this profile a "
                "money budget to use it.",
                "budget_exceeded",
                headers={"x-tokenwallet-remaining": remaining_header(st)},
            )


def refuse(
    app: ProxyApp,
    route: Route,
    binding: KeyBinding,
    *,
    model: str,
    call_id: str,
    status: EnvelopeStatus | None,
    held: int,
    tokens: int,
) -> None:
    if status is None:
        raise ProxyError(402, "Token Wallet refused the call (no envelope could hold it).", "budget_exceeded")
    env = status.envelope
    need = format_usd(held, places=4) if env.unit == "usd" else format_tokens(tokens)
    app.planner.bus.publish(
        CallRefused(
            call_id, binding.profile, binding.project, route.provider, model, "budget", env.label, env.id,
            status.available, env.unit,
        )
    )  # fmt: skip
    raise ProxyError(
        402,
        f"Token Wallet budget {env.label} cannot cover this call: it may cost up to {need} "
        f"and {describe_available(status)} is left. Top up "
        "(`tokenwallet topup`), raise the budget, or ask for fewer or smaller images / shorter audio.",
        "budget_exceeded",
        headers={"x-tokenwallet-remaining": remaining_header(status)},
    )


def remaining_after(call: MediaCall, cost: int, units: dict[str, Any]) -> EnvelopeStatus | None:
    """The tightest envelope as it will read once this call settles (its hold becomes ``cost``)."""
    st = call.tightest
    if st is None:
        return None
    if st.envelope.unit == "usd":
        held, used = call.held_nano, cost
    else:
        held, used = sum(token_totals(call.worst)), sum(token_totals(units))
    return replace(st, available=st.available + held - used, held=max(st.held - held, 0))


def settle(
    app: ProxyApp,
    call: MediaCall,
    units: dict[str, Any],
    status: int,
    *,
    estimated: bool,
    error: str | None = None,
    flags: tuple[str, ...] = (),
) -> None:
    """Write the ledger row (cost from ``units`` at the call's price), release the hold, publish."""
    if call.settled:
        return
    call.settled = True
    cost = cost_nano(call.price, units)
    if cost > call.held_nano:
        flags = (*flags, "over_cap")
    ins, outs = token_totals(units)
    usage = Usage(
        input_tokens=ins,
        output_tokens=outs,
        input_audio_tokens=int(units.get("audio_in", 0)),
        output_audio_tokens=int(units.get("audio_out", 0)),
        input_image_tokens=int(units.get("image_in", 0)),
    )
    b, route = call.binding, call.route
    rec = CallRecord(
        call.call_id,
        b,
        route.provider,
        call.req.model,
        route.endpoint,
        status,
        call.req.stream,
        usage,
        cost,
        call.price_json,
        call.price.source,
        estimated,
        call.price.unpriced,
        int((time.perf_counter() - call.started) * 1000),
        None,
        error,
        call.prompt_text,
        call.started_at,
        flags=",".join(dict.fromkeys(flags)),
        units=units_json(units),
    )
    if call.guard is not None:
        app.meter.guarding.settled(call.guard, cost, ins + outs)

    def announce(result: SettleResult) -> None:
        app.planner.bus.publish(
            CallSettled(
                call.call_id, result.ledger_id, b.profile, b.project, route.provider, call.req.model,
                route.endpoint, usage, cost, estimated, status, flags=rec.flags, session=b.session,
            )
        )  # fmt: skip

    # written now, or kept and retried until it is (proxy/settling.py)
    app.planner.retry.settle(call.hold_id, rec, announce)
