"""One metered call: count, price, reserve, forward, relay, settle.

The order matters for the ledger: a hold exists before a byte goes upstream, and whatever happens
afterwards (an answer, an upstream error, a timeout, the client leaving, a cut stream) ends in
exactly one ``settle`` for that hold, in a ``finally``. A process killed between the two leaves the
hold behind with its last output checkpoint; the next start settles it (``recover_holds``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tokenwallet.core.events import CallStarted
from tokenwallet.pricing.holds import OutputPlan, RequestFieldError, output_plan, worst_case
from tokenwallet.proxy.aftercall import Settling
from tokenwallet.proxy.bounds import count_input
from tokenwallet.proxy.call import MAX_PROMPT_STORED, Call, new_call_id
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.offline import unreachable
from tokenwallet.proxy.refusing import Refusals
from tokenwallet.proxy.routes import Route
from tokenwallet.proxy.settling import LaterSettles, SettleRetry
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.types import (
    HoldRequest,
    KeyBinding,
    ReserveResult,
)

if TYPE_CHECKING:
    from tokenwallet.core.events import EventBus
    from tokenwallet.core.guards import CallFacts
    from tokenwallet.pricing.holds import WorstCase
    from tokenwallet.pricing.model_price import ModelPrice
    from tokenwallet.proxy.metering import Meter
    from tokenwallet.tokens.counting import TokenCount


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
class Asked:
    """A call before its hold: what is asked for, as the model rules and guards left it."""

    route: Route
    binding: KeyBinding
    body: dict[str, Any]
    plan: OutputPlan
    model: str
    requested: str | None  # the model asked for, when another one is used
    count: TokenCount
    price: ModelPrice
    price_json: str
    worst: WorstCase
    facts: CallFacts  # what the guards count
    req: HoldRequest


class Planner(Refusals, Settling):
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
        p = self._ask(route, binding, body, count)
        res = self._reserve(p.req, p.price_json)
        if res.hold_id is None and (self.later.queue or (self.retry.on_way and not self._wallet_down())):
            # decided as if the calls before had settled (their holds still count until then)
            self.later.write()
            self.retry.wait()
            res = self._reserve(p.req, p.price_json)
        if self._downgraded(p, res):
            res = self._reserve(p.req, p.price_json)
        self._refuse_unheld(p, res)
        self.meter.guarding.started(p.facts)
        return self._call(p, res, raw)

    def _ask(
        self, route: Route, binding: KeyBinding, body: dict[str, Any], count: TokenCount | None
    ) -> Asked:
        """Everything before the hold: the model, its count and price, the guards (which raise a
        refusal), the hold request."""
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
        return Asked(
            route, binding, body, plan, model, requested, count, price, price_json, worst, facts, req
        )

    def _downgraded(self, p: Asked, res: ReserveResult) -> bool:
        """A ``downgrade`` envelope had no room: ``p`` now asks for a cheaper model that fits, if
        there is one (True: reserve again)."""
        if res.hold_id is not None or res.downgrade is None or res.refused is not None:
            return False
        route, binding, count = p.route, p.binding, p.count
        cheaper = self._cheaper(
            route.provider, p.model, count.tokens, p.worst.output_tokens, res.downgrade, binding=binding
        )
        if cheaper is None:
            return False
        p.requested, p.model = p.requested or p.model, cheaper
        p.count = count = _recount(count, route, p.body, cheaper, p.requested)
        p.price, p.price_json = self.meter.price(route.provider, cheaper)
        # the cheaper model's own default cap when the request sets none
        p.worst = worst = worst_case(self.meter.book, p.price, p.plan, count.tokens)
        p.req = replace(
            p.req,
            model=cheaper,
            input_tokens=count.tokens,
            cost_nano=worst.cost_nano,
            tokens=worst.tokens(count.tokens),
            allow_downgrade=False,
        )
        return True

    def _refuse_unheld(self, p: Asked, res: ReserveResult) -> None:
        if res.hold_id is None:
            self._refuse(
                p.route,
                p.binding,
                p.model,
                p.count.tokens,
                out_cap=p.worst.output_tokens,
                worst=p.worst.cost_nano,
                res=res,
                call_id=p.req.call_id,
            )

    def _call(self, p: Asked, res: ReserveResult, raw: bytes) -> Call:
        """The reserved call (its guards counted already), announced."""
        assert res.hold_id is not None  # _refuse raised otherwise
        route, binding, model, requested, worst = p.route, p.binding, p.model, p.requested, p.worst
        if requested is not None and route.path_model is None:
            p.body["model"] = model
        call = Call(
            p.req.call_id,
            route,
            binding,
            model,
            requested,
            p.req.stream,
            p.count.tokens,
            worst.output_tokens,
            p.price,
            p.price_json,
            res.hold_id,
            worst.cost_nano,
            res.tightest,
            time.perf_counter(),
            _now(),
            choices=worst.choices,
        )
        call.last_progress = call.started  # the first checkpoint comes PROGRESS_EVERY (aftercall) in
        call.extra["guard"] = p.facts
        if self.meter.store_prompts(binding.profile):
            call.prompt_text = raw[:MAX_PROMPT_STORED].decode("utf-8", "replace")
        self.bus.publish(
            CallStarted(
                call.call_id,
                binding.profile,
                binding.project,
                route.provider,
                model,
                route.endpoint,
                call.stream,
                worst.cost_nano,
                p.count.tokens,
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


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
