"""After the call: price its usage, write its ledger row, tell the live meter and the header.

A mixin of :class:`tokenwallet.proxy.calls.Planner`. Settling is exactly once per call (the
``settled`` flag, and the wallet's idempotent settle on the call id); the wallet write may wait
for the loop's next idle moment (``proxy/settling.py``), so what the next call's
``X-Tokenwallet-Remaining`` says is worked out here as if it had been written.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from tokenwallet.core.events import CallProgress, CallSettled
from tokenwallet.core.usage import Usage
from tokenwallet.proxy.offline import OFFLINE_HOLD
from tokenwallet.wallet.calls import room
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.types import CallRecord, EnvelopeStatus

if TYPE_CHECKING:
    from tokenwallet.core.events import EventBus
    from tokenwallet.proxy.call import Call
    from tokenwallet.proxy.metering import Meter
    from tokenwallet.proxy.settling import LaterSettles, SettleRetry
    from tokenwallet.wallet.types import SettleResult

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.25  # seconds between CallProgress events / hold checkpoints of one stream


class Settling:
    """The planner's side after the answer (needs ``meter``, ``bus``, ``retry`` and ``later``)."""

    meter: Meter
    bus: EventBus
    retry: SettleRetry
    later: LaterSettles

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
        if st.envelope.unit == "usd":
            return moved(st, call.held_nano, cost)
        return moved(st, call.input_tokens + call.max_out, usage.total_tokens)

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


def moved(st: EnvelopeStatus, held: int, spent: int) -> EnvelopeStatus:
    """``st`` once calls that held ``held`` and cost ``spent`` are settled (the amounts move; the
    percentages stay as read at the reserve: only the amounts are read from it)."""
    return EnvelopeStatus(
        st.envelope,
        st.period_start,
        st.period_end,
        st.carried,
        st.assigned,
        st.topups,
        st.spent + spent,
        max(st.held - held, 0),
        st.available + held - spent,
        st.used_pct,
        st.projected,
    )
