"""One metered call: count, price, reserve, forward, relay, settle.

The order matters for the ledger: a hold exists before a byte goes upstream, and whatever happens
afterwards (an answer, an upstream error, a timeout, the client leaving, a cut stream) ends in
exactly one ``settle`` for that hold, in a ``finally``. A process killed between the two leaves the
hold behind with its last output checkpoint; the next start settles it (``recover_holds``).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from tokenwallet.core.events import CallProgress, CallRefused, CallSettled, CallStarted
from tokenwallet.core.money import format_tokens, format_usd
from tokenwallet.core.usage import Usage
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.metering import describe_available
from tokenwallet.proxy.routes import Route
from tokenwallet.wallet.types import (
    CallRecord,
    EnvelopeStatus,
    HoldRequest,
    KeyBinding,
    ReserveResult,
    SettleResult,
)

if TYPE_CHECKING:
    from tokenwallet.core.events import EventBus
    from tokenwallet.pricing.model_price import ModelPrice
    from tokenwallet.proxy.metering import Meter

PROGRESS_EVERY = 0.25  # seconds between CallProgress events / hold checkpoints of one stream
MAX_PROMPT_STORED = 256 * 1024


def max_output(api: str, body: dict[str, Any]) -> int | None:
    """The client's output cap for the call, or None (→ the model's default cap)."""
    if api == "embeddings":
        return 0
    if api == "gemini":
        cfg = body.get("generationConfig")
        value = cfg.get("maxOutputTokens") if isinstance(cfg, dict) else None
    elif api == "responses":
        value = body.get("max_output_tokens")
    elif api == "chat":
        value = body.get("max_completion_tokens")
        if value is None:
            value = body.get("max_tokens")
    else:  # completions, anthropic
        value = body.get("max_tokens")
        if value is None and api == "completions":
            value = 16  # the legacy completions API's documented default
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


@dataclass(slots=True)
class Call:
    """Everything known about one metered call while it runs."""

    call_id: str
    route: Route
    binding: KeyBinding
    model: str
    requested_model: str | None
    stream: bool
    input_tokens: int
    max_out: int
    price: ModelPrice
    price_json: str
    hold_id: int
    held_nano: int
    tightest: EnvelopeStatus | None
    started: float
    started_at: Any
    prompt_text: str | None = None
    settled: bool = False
    last_progress: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def new_call_id() -> str:
    return os.urandom(12).hex()


def _refusal_message(status: EnvelopeStatus, cost: int, tokens: int, suggestion: str | None) -> str:
    env = status.envelope
    need = format_usd(cost, places=4) if env.unit == "usd" else f"{format_tokens(tokens)} tokens"
    msg = (
        f"Token Wallet budget {env.label} cannot cover this call: it may cost up to {need} "
        f"and {describe_available(status)} is left."
    )
    if suggestion:
        msg += f" A cheaper model that would fit: {suggestion}."
    else:
        msg += " Top up (`tokenwallet topup`), raise the budget, or lower max_tokens."
    return msg


class Planner:
    """Turns a parsed request into a reserved :class:`Call` (or a ProxyError to answer with)."""

    def __init__(self, meter: Meter, bus: EventBus) -> None:
        from tokenwallet.proxy.unsettled import Unsettled

        self.meter = meter
        self.bus = bus
        self.unsettled = Unsettled(meter.wallet, bus)  # ledger rows the wallet could not take yet

    def plan(self, route: Route, binding: KeyBinding, body: dict[str, Any], raw: bytes) -> Call:
        from tokenwallet import tokens

        meter = self.meter
        wallet = meter.wallet
        if self.unsettled:
            self.unsettled.retry()  # the wallet may take them again: write them before this call
        model = route.path_model or body.get("model")
        if not isinstance(model, str) or not model:
            raise ProxyError(
                400, 'The request names no model (the "model" field is missing).', "missing_model"
            )
        stream = route.stream_path or body.get("stream") is True
        count = tokens.count_request(route.kind, route.endpoint, body, model)
        price, price_json = meter.price(route.provider, model)
        book = meter.book
        cap = max_output(route.api, body)
        out_cap = book.default_max_output(price) if cap is None else cap
        worst = book.worst_case(price, count.tokens, out_cap)
        call_id = new_call_id()
        req = HoldRequest(
            call_id,
            binding,
            route.provider,
            model,
            route.endpoint,
            stream,
            count.tokens,
            worst,
            count.tokens + out_cap,
            allow_downgrade=True,
        )
        res = wallet.reserve(req)
        requested: str | None = None
        if res.hold_id is None and res.downgrade is not None and res.refused is None:
            cheaper = self._cheaper(route.provider, model, count.tokens, out_cap, res.downgrade)
            if cheaper is not None:
                requested, model = model, cheaper
                price, price_json = meter.price(route.provider, model)
                worst = book.worst_case(price, count.tokens, out_cap)
                req = replace(req, model=model, cost_nano=worst, allow_downgrade=False)
                res = wallet.reserve(req)
        if res.hold_id is None:
            self._refuse(
                route, binding, model, count.tokens, out_cap=out_cap, worst=worst, res=res, call_id=call_id
            )
        assert res.hold_id is not None  # _refuse raised otherwise
        if requested is not None and route.path_model is None:
            body["model"] = model
        call = Call(
            call_id,
            route,
            binding,
            model,
            requested,
            stream,
            count.tokens,
            out_cap,
            price,
            price_json,
            res.hold_id,
            worst,
            res.tightest,
            time.perf_counter(),
            _now(),
        )
        call.last_progress = call.started  # the first checkpoint comes PROGRESS_EVERY into the call
        if meter.store_prompts(binding.profile):
            call.prompt_text = raw[:MAX_PROMPT_STORED].decode("utf-8", "replace")
        self.bus.publish(
            CallStarted(
                call_id,
                binding.profile,
                binding.project,
                route.provider,
                model,
                route.endpoint,
                stream,
                worst,
                count.tokens,
                requested,
            )
        )
        return call

    def _cheaper(
        self,
        provider: str,
        model: str,
        input_tokens: int,
        out_cap: int,
        status: EnvelopeStatus,
        *,
        same_provider: bool = True,
    ) -> str | None:
        """The first cheaper model whose worst case fits ``status`` (``provider/model`` when elsewhere)."""
        if status.envelope.unit != "usd":
            return None  # a token budget does not get roomier with a cheaper model
        options = self._suggestions(provider, model, input_tokens, out_cap)
        for s in options:
            if s.provider == provider and s.cost_nano <= status.available:
                return str(s.model)
        if not same_provider:
            for s in options:
                if s.cost_nano <= status.available:
                    return f"{s.provider}/{s.model}"
        return None

    def _suggestions(self, provider: str, model: str, input_tokens: int, out_cap: int) -> list[Any]:
        """suggest_cheaper, cached: it walks the whole catalog (~10 ms), and refusals come in bursts.

        The input is rounded up to a multiple of 256 tokens so one entry serves similar prompts while
        its costs stay an upper bound.
        """
        rounded = -(-input_tokens // 256) * 256
        key = (provider, model, rounded, out_cap)
        cache = self.meter.suggestion_cache
        hit = cache.get(key)
        if hit is None:
            from tokenwallet.pricing.suggest import suggest_cheaper

            mix = Usage(input_tokens=rounded, output_tokens=out_cap)
            try:
                hit = list(
                    suggest_cheaper(
                        self.meter.book, provider, model, mix, context_needed=input_tokens, limit=8
                    )
                )
            except LookupError:
                hit = []
            if len(cache) > 256:
                cache.clear()
            cache[key] = hit
        return hit

    def _refuse(
        self,
        route: Route,
        binding: KeyBinding,
        model: str,
        input_tokens: int,
        *,
        out_cap: int,
        worst: int,
        res: ReserveResult,
        call_id: str,
    ) -> None:
        status = res.refused or res.downgrade or res.tightest
        if status is None:
            raise ProxyError(
                402, "Token Wallet refused the call (no envelope could hold it).", "budget_exceeded"
            )
        suggestion = self._cheaper(route.provider, model, input_tokens, out_cap, status, same_provider=False)
        env = status.envelope
        self.bus.publish(
            CallRefused(
                call_id,
                binding.profile,
                binding.project,
                route.provider,
                model,
                "budget",
                env.label,
                env.id,
                status.available,
                env.unit,
                suggestion,
            )
        )
        message = _refusal_message(status, worst, input_tokens + out_cap, suggestion)
        raise ProxyError(
            402, message, "budget_exceeded", headers={"x-tokenwallet-remaining": _remaining(status)}
        )

    # -- after the call ------------------------------------------------------------------------

    def progress(self, call: Call, output_tokens: int, now: float) -> None:
        """Throttled: a live-meter event and a crash-recovery checkpoint on the hold."""
        if now - call.last_progress < PROGRESS_EVERY:
            return
        call.last_progress = now
        self.meter.wallet.hold_progress(call.hold_id, output_tokens)
        cost = self.meter.book.cost(
            call.price, Usage(input_tokens=call.input_tokens, output_tokens=output_tokens)
        )
        self.bus.publish(CallProgress(call.call_id, output_tokens, cost))

    def cost_of(
        self, call: Call, usage: Usage, *, estimated: bool, provider_cost: int | None = None
    ) -> tuple[int, str]:
        """(cost in nano-USD, price source) of a call's usage: OpenRouter's own figure when it sent one."""
        if provider_cost is not None and call.route.kind != "openai" and not estimated:
            return provider_cost, f"{call.route.provider} usage.cost"
        return self.meter.book.cost(call.price, usage), call.price.source

    def remaining_after(self, call: Call, usage: Usage, cost: int) -> EnvelopeStatus | None:
        """The tightest envelope as it will read once this call settles (its hold becomes ``cost``).

        Lets a non-streaming answer go out before the ledger write: the header is exact unless
        another call settled in between.
        """
        st = call.tightest
        if st is None:
            return None
        held = call.held_nano if st.envelope.unit == "usd" else call.input_tokens + call.max_out
        used = cost if st.envelope.unit == "usd" else usage.total_tokens
        return replace(st, available=st.available + held - used, held=max(st.held - held, 0))

    def settle(
        self,
        call: Call,
        usage: Usage,
        status: int,
        *,
        estimated: bool,
        error: str | None = None,
        provider_cost: int | None = None,
    ) -> EnvelopeStatus | None:
        """Write the ledger row, release the hold, publish CallSettled; returns the tightest envelope."""
        if call.settled:
            return call.tightest
        call.settled = True
        cost, source = self.cost_of(call, usage, estimated=estimated, provider_cost=provider_cost)
        duration = int((time.perf_counter() - call.started) * 1000)
        b = call.binding
        rec = CallRecord(
            call.call_id,
            b,
            call.route.provider,
            call.model,
            call.route.endpoint,
            status,
            call.stream,
            usage,
            cost,
            call.price_json,
            source,
            estimated,
            call.price.unpriced,
            duration,
            call.requested_model,
            error,
            call.prompt_text,
            call.started_at,
        )

        def settled(result: SettleResult) -> CallSettled:
            return CallSettled(
                call.call_id,
                result.ledger_id,
                b.profile,
                b.project,
                call.route.provider,
                call.model,
                call.route.endpoint,
                usage,
                cost,
                estimated,
                status,
                call.requested_model,
            )

        result = self.unsettled.settle(call.hold_id, rec, settled)
        if result is None:
            return call.tightest  # written later (see Unsettled); the hold keeps its money reserved
        if call.tightest is not None:
            env_id = call.tightest.envelope.id
            for st in result.statuses:
                if st.envelope.id == env_id:
                    return st
        return call.tightest

    def estimate(self, call: Call, text: str, base: Usage | None = None) -> Usage:
        """Usage when the provider's own never arrived: counted input + locally counted output."""
        from tokenwallet import tokens

        out = tokens.count_text(text, call.model).tokens if text else 0
        if base is not None:
            return replace(base, output_tokens=out)
        return Usage(input_tokens=call.input_tokens, output_tokens=out)


def _remaining(status: EnvelopeStatus | None) -> str:
    from tokenwallet.proxy.metering import remaining_header

    return remaining_header(status)


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def dumps(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
