"""Guards on the call path: asked before the hold, told when a call starts and settles.

The rules and counters are ``core/guards.py`` (in memory, no I/O); the guards and their lifts are
re-read from the wallet with the other cached settings (``Meter.refresh``, once a second at most),
and the counters are saved off the call path by the server (:meth:`Guarding.save`) so a guard
survives a restart. A refusal answers in the caller's wire format: 429 for a rate guard (with
``Retry-After``), 402 for the others, naming the guard, what it measured and how to lift it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tokenwallet.core.events import CallRefused, GuardTripped
from tokenwallet.core.guards import MONEY_KINDS, CallFacts, GuardBook, Trip, fingerprint
from tokenwallet.proxy.errors import ProxyError

if TYPE_CHECKING:
    from tokenwallet.core.events import EventBus
    from tokenwallet.proxy.routes import Route
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.types import KeyBinding

# Where each API keeps the turn a loop repeats (the last element is taken when it is a list).
_LAST_TURN = {
    "chat": "messages",
    "anthropic": "messages",
    "responses": "input",
    "gemini": "contents",
    "completions": "prompt",
    "embeddings": "input",
}


def last_turn(api: str, body: dict[str, Any]) -> Any:
    value = body.get(_LAST_TURN.get(api, "messages"))
    if isinstance(value, list) and value:
        return value[-1]
    return value


def room_left(trip: Trip, facts: CallFacts) -> int:
    """What a call may still cost under a money guard that refused it (0: nothing would fit)."""
    g = trip.guard
    if g.kind == "request_money":
        return g.limit
    if g.kind == "session_money":  # measured = the session so far + this call's worst case
        return max(g.limit - (trip.measured - facts.worst_nano), 0)
    return 0


class Guarding:
    """The meter's guards: a :class:`GuardBook` kept in step with the wallet."""

    def __init__(self, wallet: Wallet, bus: EventBus) -> None:
        self.wallet = wallet
        self.bus = bus
        self.book = GuardBook()
        self.dirty = False
        try:
            self.book.restore(wallet.guard_state())
        except Exception:  # a wallet that cannot be read now: counters start empty, never wrong
            self.book = GuardBook()

    def refresh(self) -> None:
        self.book.replace_specs(self.wallet.guards())
        self.book.lifted = self.wallet.guard_lifts()

    def facts(
        self, route: Route, binding: KeyBinding, body: dict[str, Any], model: str, *, worst: int, tokens: int
    ) -> CallFacts:
        return CallFacts(
            binding.profile,
            binding.key_id,
            binding.session,
            model,
            fingerprint(model, last_turn(route.api, body)) if self.book.specs else "",
            worst,
            tokens,
            time.time(),
            binding.budget_session,
        )

    def check(
        self,
        facts: CallFacts,
        route: Route,
        binding: KeyBinding,
        call_id: str,
        suggest: Callable[[int], str | None] | None = None,
    ) -> Trip | None:
        """None when the call may go as it is; the downgrade trip when it must use a cheaper model.

        Raises the refusal for a blocking trip, naming the cheaper model that would fit under a
        money guard (``suggest(room)``: a model whose worst case costs at most ``room``); warnings
        are published and the call goes on.
        """
        if not self.book.specs:
            return None
        downgrade = None
        for trip in self.book.check(facts):
            self._publish(trip, facts)
            if trip.guard.action == "block":
                room = room_left(trip, facts)
                cheaper = suggest(room) if suggest is not None and room > 0 else None
                self._refuse(trip, facts, route, binding, call_id=call_id, cheaper=cheaper)
            if trip.guard.action == "downgrade" and downgrade is None:
                downgrade = trip
        return downgrade

    def started(self, facts: CallFacts) -> None:
        if self.book.specs:
            self.book.started(facts)
            self.dirty = True

    def unstarted(self, facts: CallFacts) -> None:
        """A call :meth:`started` got no hold after all (``remote_reserve``): uncount it."""
        if self.book.specs:
            self.book.unstarted(facts)
            self.dirty = True

    def settled(self, facts: CallFacts, cost_nano: int, tokens: int) -> None:
        if self.book.specs:
            f = facts  # built directly: dataclasses.replace costs several times more
            now = CallFacts(f.profile, f.key_id, f.session, f.model, f.fingerprint, f.worst_nano,
                            f.worst_tokens, time.time(), f.budget_session)  # fmt: skip
            self.book.settled(now, cost_nano, tokens)
            self.dirty = True

    def changes(self) -> dict[str, Any] | None:
        """The counters to save if they changed (taken on the proxy's loop, where they change)."""
        if not self.dirty:
            return None
        self.dirty = False
        return self.book.snapshot()

    def _lift_hint(self, trip: Trip, facts: CallFacts) -> str:
        session = f" --session {facts.session}" if facts.session else ""
        return f"tokenwallet guard lift {trip.guard.id}{session}"

    def _publish(self, trip: Trip, facts: CallFacts) -> None:
        g = trip.guard
        self.bus.publish(
            GuardTripped(
                g.id,
                g.scope,
                g.kind,
                g.action,
                trip.message,
                facts.profile,
                facts.session,
                facts.model,
                self._lift_hint(trip, facts),
            )
        )

    def _refuse(
        self,
        trip: Trip,
        facts: CallFacts,
        route: Route,
        binding: KeyBinding,
        *,
        call_id: str,
        cheaper: str | None,
    ) -> None:
        g = trip.guard
        self.bus.publish(
            CallRefused(
                call_id, binding.profile, binding.project, route.provider, facts.model, "guard", g.scope
            )
        )
        message = (
            f"Token Wallet {trip.message}. Lift it for this session with `{self._lift_hint(trip, facts)}` "
            "(or from the app's notice), or change it with `tokenwallet guard add`."
        )
        if cheaper is not None:
            message += f" A cheaper model that would fit under it: {cheaper}."
        elif g.kind in MONEY_KINDS:
            message += " A lower max_tokens may fit under it."
        if g.kind == "rate":
            raise ProxyError(429, message, "guard_rate", headers={"retry-after": str(max(g.window_s, 1))})
        raise ProxyError(402, message, f"guard_{g.kind}")
