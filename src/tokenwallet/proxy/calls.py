"""One metered call: count, price, reserve, forward, relay, settle.

The order matters for the ledger: a hold exists before a byte goes upstream, and whatever happens
afterwards (an answer, an upstream error, a timeout, the client leaving, a cut stream) ends in
exactly one ``settle`` for that hold, in a ``finally``. A process killed between the two leaves the
hold behind with its last output checkpoint; the next start settles it (``recover_holds``).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from tokenwallet.core.events import CallProgress, CallRefused, CallSettled, CallStarted
from tokenwallet.core.money import format_tokens, format_usd
from tokenwallet.core.usage import Usage
from tokenwallet.pricing.holds import OutputPlan, RequestFieldError, output_plan, worst_case
from tokenwallet.proxy.bounds import count_input
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.metering import describe_available
from tokenwallet.proxy.model_policy import fits
from tokenwallet.proxy.offline import OFFLINE_HOLD, unreachable
from tokenwallet.proxy.routes import Route
from tokenwallet.proxy.settling import LaterSettles, SettleRetry
from tokenwallet.wallet.calls import room
from tokenwallet.wallet.errors import WalletError
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
    from tokenwallet.tokens.counting import TokenCount
    from tokenwallet.wallet.types import SettleResult

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.25  # seconds between CallProgress events / hold checkpoints of one stream
MAX_PROMPT_STORED = 256 * 1024


def plan_output(endpoint: str, body: dict[str, Any]) -> OutputPlan:
    """The request's output cap and generation count (pricing.holds), or a 400 naming the field."""
    try:
        return output_plan(endpoint, body)
    except RequestFieldError as exc:
        raise ProxyError(
            400, f"Token Wallet cannot hold this request: {exc.field} {exc.message}.", "invalid_request_field"
        ) from None


def _recount(
    count: TokenCount, route: Route, body: dict[str, Any], model: str, asked: str | None
) -> TokenCount:
    """The input count for a swapped-in model: an image costs each model its own tokens (gpt-4o-mini
    bills one 33 times gpt-4o's), so a hold counted for the model asked for may be too small."""
    if count.image_tokens == 0 or model == asked:
        return count
    return count_input(route.kind, route.endpoint, body, model)


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
    max_out: int  # output the hold covers: the cap per generation × choices
    price: ModelPrice
    price_json: str
    hold_id: int
    held_nano: int
    tightest: EnvelopeStatus | None
    started: float
    started_at: Any
    prompt_text: str | None = None
    choices: int = 1  # generations asked for (n, best_of, candidateCount)
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
        self.meter = meter
        self.bus = bus
        self.retry = SettleRetry(meter.wallet)  # settles the wallet could not write at once
        self.later = LaterSettles(self._write)  # answered calls' settles, written when the loop is idle
        self.retry.waiting = self._wallet_down

    def plan(
        self,
        route: Route,
        binding: KeyBinding,
        body: dict[str, Any],
        raw: bytes,
        count: TokenCount | None = None,
    ) -> Call:
        """Count, price and reserve; ``count``: the input count when the caller made it already
        (a big body is counted off the event loop)."""

        meter = self.meter
        if self.retry.pending and not meter.wallet_down():
            self.retry.flush()  # the wallet may take them again: write them before this call
        model = route.path_model or body.get("model")
        if not isinstance(model, str) or not model:
            raise ProxyError(
                400, 'The request names no model (the "model" field is missing).', "missing_model"
            )
        stream = route.stream_path or body.get("stream") is True
        if count is None:
            count = count_input(route.kind, route.endpoint, body, model)
        plan = plan_output(route.endpoint, body)
        asked = model  # the profile's model rules may refuse it (403) or swap in an allowed one
        model = meter.models.admit(route, binding, model, count.tokens, plan.cap, meter=meter, bus=self.bus)
        count = _recount(count, route, body, model, asked)
        price, price_json = meter.price(route.provider, model)
        book = meter.book
        worst = worst_case(book, price, plan, count.tokens)
        call_id = new_call_id()
        requested: str | None = None if model == asked else asked
        guards = meter.guarding
        facts = guards.facts(
            route, binding, body, model, worst=worst.cost_nano, tokens=worst.tokens(count.tokens)
        )
        current, out_tokens, in_tokens = model, worst.output_tokens, count.tokens
        trip = guards.check(
            facts,
            route,
            binding,
            call_id,
            lambda room: self._cheaper_within(
                route.provider, current, in_tokens, out_tokens, room, binding=binding
            ),
        )
        if trip is not None:  # a guard says: a cheaper model (within its limit for a money guard)
            room = trip.guard.limit if trip.guard.kind == "request_money" else worst.cost_nano - 1
            cheaper = self._cheaper_within(
                route.provider, model, count.tokens, worst.output_tokens, room, binding=binding
            )
            if cheaper is not None:
                requested, model = requested or model, cheaper
                count = _recount(count, route, body, model, requested)
                price, price_json = meter.price(route.provider, model)
                worst = worst_case(book, price, plan, count.tokens)
                facts = replace(facts, model=model, worst_nano=worst.cost_nano)
        req = HoldRequest(
            call_id,
            binding,
            route.provider,
            model,
            route.endpoint,
            stream,
            count.tokens,
            worst.cost_nano,
            worst.tokens(count.tokens),
            allow_downgrade=True,
        )
        res = self._reserve(req, price_json)
        if res.hold_id is None and (self.later.queue or (self.retry.on_way and not self._wallet_down())):
            # decided as if the calls before had settled (their holds still count until then)
            self.later.write()
            self.retry.wait()
            res = self._reserve(req, price_json)
        if res.hold_id is None and res.downgrade is not None and res.refused is None:
            cheaper = self._cheaper(
                route.provider, model, count.tokens, worst.output_tokens, res.downgrade, binding=binding
            )
            if cheaper is not None:
                requested, model = requested or model, cheaper
                count = _recount(count, route, body, model, requested)
                price, price_json = meter.price(route.provider, model)
                # the cheaper model's own default cap when the request sets none
                worst = worst_case(book, price, plan, count.tokens)
                req = replace(
                    req,
                    model=model,
                    input_tokens=count.tokens,
                    cost_nano=worst.cost_nano,
                    tokens=worst.tokens(count.tokens),
                    allow_downgrade=False,
                )
                res = self._reserve(req, price_json)
        if res.hold_id is None:
            self._refuse(
                route,
                binding,
                model,
                count.tokens,
                out_cap=worst.output_tokens,
                worst=worst.cost_nano,
                res=res,
                call_id=call_id,
            )
        assert res.hold_id is not None  # _refuse raised otherwise
        guards.started(facts)
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
            worst.output_tokens,
            price,
            price_json,
            res.hold_id,
            worst.cost_nano,
            res.tightest,
            time.perf_counter(),
            _now(),
            choices=worst.choices,
        )
        call.last_progress = call.started  # the first checkpoint comes PROGRESS_EVERY into the call
        call.extra["guard"] = facts
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
                worst.cost_nano,
                count.tokens,
                requested,
                binding.session,
            )
        )
        return call

    def _wallet_down(self) -> bool:
        return self.meter.wallet_down()

    def _reserve(self, req: HoldRequest, price_json: str) -> ReserveResult:
        """The wallet's reserve; with an offline journal (a shared wallet) the journal's while the
        database is out of reach (proxy/offline.py)."""
        off = self.meter.offline
        if off is None:
            return self.meter.wallet.reserve(req)
        if off.down:
            return off.reserve(req, price_json)
        try:
            res = self.meter.wallet.reserve(req)
        except WalletError as exc:
            if not unreachable(exc):
                raise
            off.went_down(exc)
            return off.reserve(req, price_json)
        off.saw(req, res)
        return res

    def _cheaper(
        self,
        provider: str,
        model: str,
        input_tokens: int,
        out_cap: int,
        status: EnvelopeStatus,
        *,
        binding: KeyBinding,
        same_provider: bool = True,
    ) -> str | None:
        """The first cheaper model the profile may call whose worst case fits ``status`` (a token
        budget only fits a model outside its scope) — ``provider/model`` when elsewhere."""
        options = self.meter.models.usable(binding, self._suggestions(provider, model, input_tokens, out_cap))
        for s in options:
            if s.provider == provider and fits(status, s.provider, s.model, s.cost_nano):
                return str(s.model)
        if not same_provider:
            anywhere = self._suggestions(provider, model, input_tokens, out_cap, anywhere=True)
            for s in self.meter.models.usable(binding, anywhere):
                if fits(status, s.provider, s.model, s.cost_nano):
                    return f"{s.provider}/{s.model}"
        return None

    def _cheaper_within(
        self, provider: str, model: str, input_tokens: int, out_cap: int, room: int, *, binding: KeyBinding
    ) -> str | None:
        """The first cheaper model of the same provider, allowed to the profile, costing at most ``room``."""
        options = self.meter.models.usable(binding, self._suggestions(provider, model, input_tokens, out_cap))
        for s in options:
            if s.provider == provider and s.cost_nano <= room:
                return str(s.model)
        return None

    def _suggestions(
        self, provider: str, model: str, input_tokens: int, out_cap: int, *, anywhere: bool = False
    ) -> list[Any]:
        """suggest_cheaper, cached: it walks the whole catalog (~10 ms), and refusals come in bursts.

        Only the request's own provider unless ``anywhere``: a downgrade must stay on the route the
        call came in on, and cheap models elsewhere would crowd that provider's out of the list.
        The input is rounded up to a multiple of 256 tokens so one entry serves similar prompts while
        its costs stay an upper bound.
        """
        rounded = -(-input_tokens // 256) * 256
        key = (provider, model, rounded, out_cap, anywhere)
        cache = self.meter.suggestion_cache
        hit = cache.get(key)
        if hit is None:
            from tokenwallet.pricing.suggest import suggest_cheaper

            mix = Usage(input_tokens=rounded, output_tokens=out_cap)
            # a long list: a model envelope (or the profile's rules) may rule out the first few
            try:
                hit = list(
                    suggest_cheaper(
                        self.meter.book,
                        provider,
                        model,
                        mix,
                        context_needed=input_tokens,
                        limit=64,
                        providers=None if anywhere else [provider],
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
        suggestion = self._cheaper(
            route.provider, model, input_tokens, out_cap, status, binding=binding, same_provider=False
        )
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
        if call.hold_id != OFFLINE_HOLD and not self.meter.wallet_down():
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
        return EnvelopeStatus(  # built directly: dataclasses.replace costs several times more
            st.envelope,
            st.period_start,
            st.period_end,
            st.carried,
            st.assigned,
            st.topups,
            st.spent,
            max(st.held - held, 0),
            st.available + held - used,
            st.used_pct,
            st.projected,
        )

    def settle(
        self,
        call: Call,
        usage: Usage,
        status: int,
        *,
        estimated: bool,
        error: str | None = None,
        provider_cost: int | None = None,
        flags: tuple[str, ...] = (),
        response_id: str = "",
        priced: tuple[int, str] | None = None,
        later: bool = False,
    ) -> None:
        """Write the ledger row, release the hold, publish CallSettled.

        When the wallet cannot be written (disk full …) the hold stays and the settle is retried in
        the background (:class:`SettleRetry`); CallSettled is published once the row exists.
        ``flags`` mark usage the meter did not take at its word (see ``proxy.charging``);
        ``response_id`` is the provider's id of the answer (kept so imports can skip the call);
        ``priced``: what :meth:`cost_of` already said for this usage; ``later``: the answer is
        out, the wallet write may wait for the loop's next idle moment (:class:`LaterSettles`).
        """
        if call.settled:
            return
        call.settled = True
        if call.hold_id == OFFLINE_HOLD:  # the row, the live meter and the event all say so
            flags = (*flags, "offline")
        cost, source = priced or self.cost_of(call, usage, estimated=estimated, provider_cost=provider_cost)
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
            ",".join(flags),
            response_id=response_id,
        )
        facts = call.extra.get("guard")
        if facts is not None:  # the guards count what the call cost, whenever the row is written
            self.meter.guarding.settled(facts, cost, usage.total_tokens)

        def announce(result: SettleResult) -> None:
            self.bus.publish(
                CallSettled(
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
                    ",".join(flags),
                    b.session,
                )
            )

        off = self.meter.offline
        if off is not None and call.hold_id == OFFLINE_HOLD:
            announce(off.settle(rec))  # into the journal, replayed once the database is back
            return
        if off is not None and off.down:  # no wait on a database known to be out of reach
            down = WalletError(off.reason or "the database is unreachable")
            self.retry.add(call.hold_id, rec, down, announce)
            return
        if later and not self.retry.remote:
            self.later.add(call.hold_id, rec, announce)
        else:  # at once, or (a PostgreSQL wallet) in a worker thread: proxy/settling.py
            self.retry.settle(call.hold_id, rec, announce)

    def _write(
        self, hold_id: int | None, rec: CallRecord, announce: Callable[[SettleResult], None]
    ) -> SettleResult | None:
        try:
            result = self.meter.wallet.settle(hold_id, rec)
        except WalletError as exc:
            self.retry.add(hold_id, rec, exc, announce)
            return None
        announce(result)
        return result

    def catch_up(self, call: Call) -> None:
        """While ``call`` waits for the provider: write the settles that waited, and take the
        tightest envelope as they left it (``X-Tokenwallet-Remaining`` then reads as if they had
        been written before ``call`` reserved, as when they ran at once).

        The last of them charging the same envelopes (same profile, project, provider and model)
        says how they stand, ``call``'s own hold included; otherwise they are read again.
        """
        written = self.later.write()
        if not written or call.tightest is None:
            return
        b = call.binding
        for rec, result in reversed(written):
            rb = rec.binding
            if (
                result is not None
                and rb.profile_id == b.profile_id
                and rb.project_id == b.project_id
                and rec.provider == call.route.provider
                and rec.model == call.model
            ):
                statuses = result.statuses
                break
        else:
            try:
                statuses = self.meter.wallet.applicable(b, provider=call.route.provider, model=call.model)
            except Exception:  # the request is upstream already: keep the header as reserved
                log.exception("reading the envelopes again for call %s", call.call_id)
                return
        call.tightest = min(statuses, key=room) if statuses else None

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
