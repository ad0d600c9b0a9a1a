"""Guards against a token shredder (issue 10): rate, per-session budget, per-request cap, loops, burn.

A guard watches one scope — the whole wallet, a profile, a wallet key or one agent session — and
trips when what it measures passes its limit; its action is ``warn`` (the call goes on, an alert
goes out), ``downgrade`` (a cheaper model) or ``block`` (refused in the caller's wire format).

Everything here is in memory and pure: the proxy asks :meth:`GuardBook.check` before it reserves,
and tells :meth:`GuardBook.started` / :meth:`GuardBook.settled` what happened, all on its event
loop with no I/O. :meth:`GuardBook.snapshot` / :meth:`GuardBook.restore` carry the counters across
a restart (the wallet stores the snapshot off the call path).

Kinds (``limit`` and ``window_s`` mean):

| kind | trips when | limit in |
|---|---|---|
| ``rate`` | this call would be one more than ``limit`` calls started in ``window_s`` | calls |
| ``request_money`` | the call's worst case costs more than ``limit`` | nano-USD |
| ``session_money`` | the session's settled + in-flight + this call's worst case > ``limit`` | nano-USD |
| ``session_tokens`` | the same in tokens | tokens |
| ``loop`` | ``limit`` near-identical requests (same model, last message) in ``window_s`` | requests |
| ``burn`` | spend over the last ``window_s`` passes ``limit`` per minute on average | nano-USD/min |
"""

from __future__ import annotations

import hashlib
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["rate", "request_money", "session_money", "session_tokens", "loop", "burn"]
Action = Literal["warn", "downgrade", "block"]
KINDS: tuple[str, ...] = ("rate", "request_money", "session_money", "session_tokens", "loop", "burn")
ACTIONS: tuple[str, ...] = ("warn", "downgrade", "block")
MONEY_KINDS = frozenset({"request_money", "session_money", "burn"})
_WINDOWED = frozenset({"rate", "loop", "burn"})
_MAX_EVENTS = 10_000  # per counter: a bound on memory whatever the limit says
_SCOPES: dict[str, tuple[str, str]] = {}  # "profile:alice" → ("profile", "alice")


@dataclass(frozen=True, slots=True)
class GuardSpec:
    """One guard. ``scope`` is ``wallet``, ``profile:NAME``, ``key:ID`` or ``session:ID``."""

    id: int
    scope: str
    kind: str
    limit: int
    action: str = "block"
    window_s: int = 0
    source: str = "user"  # "user", or "default" for the ones a household member / agent gets

    def applies(self, facts: CallFacts) -> bool:
        split = _SCOPES.get(self.scope)  # asked for every guard on every call: split once
        if split is None:
            split = self.scope.partition(":")[::2]
            if len(_SCOPES) < 4096:
                _SCOPES[self.scope] = split
        kind, ref = split
        if kind == "wallet":
            return True
        if kind == "profile":
            return ref == facts.profile
        if kind == "key":
            return ref == str(facts.key_id)
        return kind == "session" and ref == facts.session

    def bucket(self, facts: CallFacts) -> str:
        """The counter a call adds to: per session for session kinds, per scope otherwise.

        A guard on one named session counts that session; a guard on a wallet, profile or key
        counts each of its sessions as the meter tracks them (``budget_session``), not as a client
        names them in a header.
        """
        if self.kind in ("session_money", "session_tokens"):
            if self.scope.startswith("session:"):
                return f"{self.id}|{facts.session}"
            return f"{self.id}|{facts.budget_session or facts.session or 'key:' + str(facts.key_id)}"
        return str(self.id)


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What a guard may look at, known before the call is sent."""

    profile: str
    key_id: int
    session: str
    model: str
    fingerprint: str  # see fingerprint(): model + the last message
    worst_nano: int
    worst_tokens: int
    now: float  # wall-clock seconds (time.time()): snapshots must survive a restart
    budget_session: str = ""  # see KeyBinding.budget_session


@dataclass(frozen=True, slots=True)
class Trip:
    """A guard that tripped, with what it measured, in words and numbers."""

    guard: GuardSpec
    measured: int
    message: str


def fingerprint(model: str, last_message: Any) -> str:
    """Model + the request's last message: identical while an agent retries the same step.

    A normal session's requests share their long prefix (system prompt, history) but end
    differently; a runaway loop sends the same last message again and again.
    """
    text = repr(last_message)[:8192]
    return hashlib.blake2b(f"{model}\x00{text}".encode(), digest_size=12).hexdigest()


@dataclass
class _Counter:
    """A window of events with running sums, so a check costs the same at 10 or 10,000 events."""

    events: deque[tuple[float, int, str]] = field(default_factory=deque)  # (time, amount, fingerprint)
    amount: int = 0  # sum of the events' amounts (burn: money in the window)
    by_fingerprint: dict[str, int] = field(default_factory=dict)  # loop: events per fingerprint
    total: int = 0  # session kinds: settled so far
    inflight: int = 0  # session kinds: worst cases of calls still running

    def add(self, at: float, amount: int, fp: str) -> None:
        self.events.append((at, amount, fp))
        self.amount += amount
        if fp:
            self.by_fingerprint[fp] = self.by_fingerprint.get(fp, 0) + 1
        if len(self.events) > _MAX_EVENTS:
            self._drop()

    def take_back(self, event: tuple[float, int, str]) -> None:
        """Remove one ``event`` that :meth:`add` added (gone already if it expired)."""
        try:
            self.events.remove(event)
        except ValueError:
            return
        self._forget(event)

    def expire(self, before: float) -> None:
        events = self.events
        while events and events[0][0] < before:
            self._drop()

    def _drop(self) -> None:
        self._forget(self.events.popleft())

    def _forget(self, event: tuple[float, int, str]) -> None:
        """Take a removed event out of the running sums."""
        _, amount, fp = event
        self.amount -= amount
        if fp:
            left = self.by_fingerprint[fp] - 1
            if left:
                self.by_fingerprint[fp] = left
            else:
                del self.by_fingerprint[fp]


class GuardBook:
    """The guards of one meter and their counters."""

    def __init__(self, specs: Iterable[GuardSpec] = ()) -> None:
        self.specs: tuple[GuardSpec, ...] = tuple(specs)
        self._counters: dict[str, _Counter] = {}
        # "guard_id|session" lifted for one session, or "guard_id|*": the wallet's guard_lift rows
        self.lifted: set[str] = set()
        # the guards that apply to a caller, with the counter each call of it adds to: asked three
        # times per call (check, started, settled), the same for every call of one session
        self._mine: dict[tuple[str, int, str, str], list[tuple[GuardSpec, str]]] = {}

    def replace_specs(self, specs: Iterable[GuardSpec]) -> None:
        self.specs = tuple(specs)
        self._mine = {}
        live = {str(s.id) for s in self.specs}
        for name in [n for n in self._counters if n.split("|", 1)[0] not in live]:
            del self._counters[name]

    def _applying(self, facts: CallFacts) -> list[tuple[GuardSpec, str]]:
        """(guard, counter name) of every guard that applies to this call, in the guards' order."""
        who = (facts.profile, facts.key_id, facts.session, facts.budget_session)
        mine = self._mine.get(who)
        if mine is None:
            mine = [(g, g.bucket(facts)) for g in self.specs if g.applies(facts)]
            if len(self._mine) >= 4096:  # sessions come and go: a bound, not an eviction policy
                self._mine = {}
            self._mine[who] = mine
        return mine

    def _counter(self, name: str) -> _Counter:
        c = self._counters.get(name)
        if c is None:
            c = self._counters[name] = _Counter()
        return c

    def _is_lifted(self, g: GuardSpec, facts: CallFacts) -> bool:
        if not self.lifted:
            return False
        return f"{g.id}|*" in self.lifted or f"{g.id}|{facts.session}" in self.lifted

    def check(self, facts: CallFacts) -> list[Trip]:
        """Every guard this call would trip, blocking ones first (empty: the call may go)."""
        trips = []
        for g, name in self._applying(facts):
            if self.lifted and self._is_lifted(g, facts):
                continue
            trip = self._measure(g, name, facts)
            if trip is not None:
                trips.append(trip)
        if len(trips) > 1:
            trips.sort(key=lambda t: ACTIONS.index(t.guard.action), reverse=True)
        return trips

    def _measure(self, g: GuardSpec, name: str, f: CallFacts) -> Trip | None:
        c = self._counters.get(name)
        if g.kind in _WINDOWED and c is not None:
            c.expire(f.now - g.window_s)
        if g.kind == "request_money":
            return _trip(g, f.worst_nano, f.worst_nano > g.limit)
        if g.kind == "rate":
            n = len(c.events) if c else 0
            return _trip(g, n + 1, n + 1 > g.limit)
        if g.kind == "loop":
            n = c.by_fingerprint.get(f.fingerprint, 0) if c else 0
            return _trip(g, n + 1, n + 1 >= g.limit)
        if g.kind == "burn":
            spent = c.amount if c else 0
            per_min = spent * 60 // max(g.window_s, 1)
            return _trip(g, per_min, per_min > g.limit)
        need = f.worst_nano if g.kind == "session_money" else f.worst_tokens
        so_far = (c.total + c.inflight) if c else 0
        return _trip(g, so_far + need, so_far + need > g.limit)

    def started(self, facts: CallFacts) -> None:
        """A call passed the guards and holds its worst case: count it."""
        for g, name in self._applying(facts):
            c = self._counter(name)
            if g.kind in ("rate", "loop"):
                c.add(facts.now, 1, facts.fingerprint if g.kind == "loop" else "")
            elif g.kind == "session_money":
                c.inflight += facts.worst_nano
            elif g.kind == "session_tokens":
                c.inflight += facts.worst_tokens

    def unstarted(self, facts: CallFacts) -> None:
        """Take back :meth:`started`: the call was counted before its hold, and got none."""
        for g, name in self._applying(facts):
            c = self._counters.get(name)
            if c is None:
                continue
            if g.kind in ("rate", "loop"):
                c.take_back((facts.now, 1, facts.fingerprint if g.kind == "loop" else ""))
            elif g.kind in ("session_money", "session_tokens"):
                worst = facts.worst_nano if g.kind == "session_money" else facts.worst_tokens
                c.inflight = max(c.inflight - worst, 0)

    def settled(self, facts: CallFacts, cost_nano: int, tokens: int) -> None:
        """A call that :meth:`started` settled: its worst case becomes what it cost."""
        for g, name in self._applying(facts):
            c = self._counter(name)
            if g.kind == "session_money":
                c.inflight = max(c.inflight - facts.worst_nano, 0)
                c.total += cost_nano
            elif g.kind == "session_tokens":
                c.inflight = max(c.inflight - facts.worst_tokens, 0)
                c.total += tokens
            elif g.kind == "burn" and cost_nano:
                c.add(facts.now, cost_nano, "")

    # -- surviving a restart ----------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Counters as JSON-able data (in-flight amounts are not kept: those calls died with it)."""
        return {
            "counters": {
                # list(deque) copies at C speed: this runs on the proxy's loop; the JSON is made later
                name: {"events": list(c.events), "total": c.total}
                for name, c in self._counters.items()
                if c.events or c.total
            }
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Load what :meth:`snapshot` saved; anything malformed is skipped, never trusted."""
        counters = data.get("counters") if isinstance(data, dict) else None
        for name, raw in counters.items() if isinstance(counters, dict) else ():
            events = raw.get("events") if isinstance(raw, dict) else None
            if not isinstance(events, list):
                continue
            c = self._counter(str(name))
            for e in events:
                if (
                    isinstance(e, list)
                    and len(e) == 3
                    and isinstance(e[0], int | float)
                    and math.isfinite(e[0])
                    and isinstance(e[1], int)
                    and isinstance(e[2], str)
                    and e[1] >= 0
                ):
                    c.add(float(e[0]), e[1], e[2])
            total = raw.get("total")
            if isinstance(total, int) and total >= 0:
                c.total = total


def _trip(g: GuardSpec, measured: int, tripped: bool) -> Trip | None:
    return Trip(g, measured, describe(g, measured)) if tripped else None


def describe(g: GuardSpec, measured: int) -> str:
    """What tripped, in words: ``rate guard (profile:kid): 31 calls in 60 s, limit 30``."""
    from tokenwallet.core.money import format_tokens, format_usd

    money = format_usd  # alias: keeps the table below on one line each
    what = {
        "rate": f"{measured} calls in {g.window_s} s, limit {g.limit}",
        "request_money": f"this call may cost up to {money(measured, places=4)}, limit {money(g.limit)}",
        "session_money": f"the session would reach {money(measured, places=4)}, limit {money(g.limit)}",
        "session_tokens": f"the session would reach {format_tokens(measured)} tokens, "
        f"limit {format_tokens(g.limit)}",
        "loop": f"{measured} near-identical requests in {g.window_s} s, limit {g.limit}",
        "burn": f"spending {money(measured, places=4)}/min over the last {g.window_s // 60} min, "
        f"limit {money(g.limit)}/min",
    }[g.kind]
    return f"{g.kind.replace('_', ' ')} guard #{g.id} ({g.scope}): {what}"
