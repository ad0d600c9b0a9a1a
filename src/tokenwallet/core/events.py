"""Core events and the small bus that carries them.

The proxy and the wallet publish frozen dataclasses; anyone may subscribe. Callbacks run in the
publisher's thread and must be quick: the GUI's bridge only re-emits them as a Qt signal (queued
to the GUI thread), and the SSE endpoint only puts them on an asyncio queue. A failing subscriber
is dropped from that delivery, never allowed to break a user's API call.

Events serialise to JSON (``to_json``/``from_json``) so a window can follow a headless
``tokenwallet serve`` through ``/tokenwallet/events``.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from tokenwallet.core.usage import Usage

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Event:
    kind: ClassVar[str] = "event"


@dataclass(frozen=True, slots=True)
class CallStarted(Event):
    kind: ClassVar[str] = "call_started"
    call_id: str
    profile: str
    project: str | None
    provider: str
    model: str
    endpoint: str
    stream: bool
    held_nano: int
    input_tokens: int
    downgraded_from: str | None = None
    session: str = ""  # the agent session (wallet/sessions.py)
    at: datetime = field(default_factory=_now)


@dataclass(frozen=True, slots=True)
class CallProgress(Event):
    """A streaming call's running count (published at a throttled rate)."""

    kind: ClassVar[str] = "call_progress"
    call_id: str
    output_tokens: int
    cost_nano: int  # estimated cost so far: input + streamed output
    at: datetime = field(default_factory=_now)


@dataclass(frozen=True, slots=True)
class CallSettled(Event):
    kind: ClassVar[str] = "call_settled"
    call_id: str
    ledger_id: int
    profile: str
    project: str | None
    provider: str
    model: str
    endpoint: str
    usage: Usage
    cost_nano: int
    estimated: bool
    status: int
    downgraded_from: str | None = None
    # comma-separated marks on usage the meter did not take at its word, as in the ledger:
    # invalid_usage (charged the hold), over_cap (more output than asked), no_usage (estimated)
    flags: str = ""
    session: str = ""
    at: datetime = field(default_factory=_now)
    source: str = "meter"  # or "imported:<tool>": usage read from an agent's log (tokenwallet.importers)


@dataclass(frozen=True, slots=True)
class CallRefused(Event):
    """A call stopped before it was sent (budget, pause, unpriced model)."""

    kind: ClassVar[str] = "call_refused"
    call_id: str
    profile: str
    project: str | None
    provider: str
    model: str
    reason: str
    envelope: str | None = None  # e.g. "profile:alice (month)"
    envelope_id: int | None = None
    available: int | None = None
    unit: str | None = None
    suggestion: str | None = None  # a cheaper model that would fit
    at: datetime = field(default_factory=_now)


@dataclass(frozen=True, slots=True)
class BudgetCrossed(Event):
    """An envelope's use crossed one of its warning thresholds (once per threshold per period)."""

    kind: ClassVar[str] = "budget_crossed"
    envelope_id: int
    envelope: str
    threshold_pct: int
    used_pct: int
    available: int
    unit: str
    action: str
    suggestion: str | None = None
    at: datetime = field(default_factory=_now)


@dataclass(frozen=True, slots=True)
class WalletChanged(Event):
    """Something edited the wallet outside a call (a budget, a top-up, a profile)."""

    kind: ClassVar[str] = "wallet_changed"
    what: str
    at: datetime = field(default_factory=_now)


@dataclass(frozen=True, slots=True)
class GuardTripped(Event):
    """A guard (``core/guards.py``) tripped: the call was refused, downgraded, or went on (warn).

    A refused call publishes a ``CallRefused`` (reason ``guard``) as well; this event carries what
    the guard measured and how to lift it.
    """

    kind: ClassVar[str] = "guard_tripped"
    guard_id: int
    scope: str
    guard_kind: str
    action: str
    message: str
    profile: str
    session: str
    model: str
    lift: str  # the command that lifts it for this session
    at: datetime = field(default_factory=_now)


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        CallStarted,
        CallProgress,
        CallSettled,
        CallRefused,
        BudgetCrossed,
        WalletChanged,
        GuardTripped,
    )
}

Subscriber = Callable[[Event], None]


class EventBus:
    """Thread-safe publish/subscribe for core events."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: tuple[Subscriber, ...] = ()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns a function that removes it."""
        with self._lock:
            self._subscribers = (*self._subscribers, callback)

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers = tuple(s for s in self._subscribers if s is not callback)

        return unsubscribe

    def publish(self, event: Event) -> None:
        for callback in self._subscribers:  # a tuple snapshot: subscribing never blocks publishing
            try:
                callback(event)
            except Exception:
                log.exception("event subscriber %r failed on %s", callback, event.kind)


def to_json(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": event.kind}
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Usage):
            value = value.to_dict()
        data[f.name] = value
    return data


def from_json(data: dict[str, Any]) -> Event:
    cls = EVENT_TYPES[data["kind"]]
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "at":
            value = datetime.fromisoformat(value)
        elif f.name == "usage":
            value = Usage.from_dict(value)
        kwargs[f.name] = value
    return cls(**kwargs)
