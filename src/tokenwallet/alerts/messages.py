"""From core events to alerts: one small, self-contained sentence a phone can show.

Only three kinds of event leave the app, each under a *topic* a webhook can subscribe to:
a budget threshold crossed (``thresholds``), a guard tripped (``guards``) and a call refused
(``refusals``). A call a guard refused publishes both a ``GuardTripped`` and a ``CallRefused``;
the refusal is then left to the guard's alert, so one runaway loop is one story, not two.
Amounts are exact strings (USD to the nano-dollar, tokens as integers), never floats.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tokenwallet.core.events import BudgetCrossed, CallRefused, Event, GuardTripped
from tokenwallet.core.money import format_amount, nano_to_usd

TOPICS = ("thresholds", "refusals", "guards")
KIND_OF_TOPIC = {"thresholds": "threshold", "refusals": "refusal", "guards": "guard"}
# ntfy priorities (1 min … 5 max) and tags (emoji short codes ntfy shows on the phone)
PRIORITY = {"thresholds": 3, "refusals": 4, "guards": 4}
TAGS = {"thresholds": "warning", "refusals": "no_entry", "guards": "rotating_light"}
NOUN = {"thresholds": "budget warnings", "refusals": "refused calls", "guards": "guard trips"}


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert, ready for any channel. ``count`` > 1 when it stands for a coalesced burst."""

    topic: str  # one of TOPICS
    title: str
    message: str
    at: datetime
    profile: str | None = None
    envelope: str | None = None
    model: str | None = None
    amounts: tuple[tuple[str, str], ...] = ()  # (name, exact value) pairs
    count: int = 1

    @property
    def kind(self) -> str:
        return KIND_OF_TOPIC[self.topic]

    def summary(self, more: int, window_s: float) -> Alert:
        """A summary of ``more`` alerts of this topic held within the window, this the latest."""
        text = f"{more} more {NOUN[self.topic]} in the last {window_s:g} s; the latest: {self.message}"
        return replace(self, title=f"{self.title} ({more} more)", message=text, count=more)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON webhook body (README, "Alerts")."""
        return {
            "source": "tokenwallet",
            "kind": self.kind,
            "title": self.title,
            "message": self.message,
            "profile": self.profile,
            "envelope": self.envelope,
            "model": self.model,
            "amounts": dict(self.amounts),
            "count": self.count,
            "time": self.at.isoformat(),
        }


def exact(unit: str, value: int) -> tuple[tuple[str, str], ...]:
    """An amount as exact strings: USD from nano-USD without rounding, or whole tokens."""
    if unit == "usd":
        return (("available", str(nano_to_usd(value))), ("unit", "USD"))
    return (("available", str(value)), ("unit", "tokens"))


def _crossed(ev: BudgetCrossed) -> Alert:
    left = format_amount("usd" if ev.unit == "usd" else "tokens", ev.available)
    text = f"Budget {ev.envelope} is at {ev.used_pct} % (crossed {ev.threshold_pct} %): {left} left."
    if ev.suggestion:
        text += f" {ev.suggestion} would make it last longer."
    return Alert(
        "thresholds",
        "Budget warning",
        text,
        ev.at,
        envelope=ev.envelope,
        amounts=exact(ev.unit, ev.available),
    )


def _refused(ev: CallRefused) -> Alert | None:
    if ev.reason == "guard":
        return None  # its GuardTripped tells the story, with how to lift it
    text = f"A call to {ev.model} by {ev.profile} was refused: {ev.reason.rstrip('.')}."
    amounts: tuple[tuple[str, str], ...] = ()
    if ev.envelope and ev.available is not None and ev.unit:
        left = format_amount("usd" if ev.unit == "usd" else "tokens", ev.available)
        text = f"A call to {ev.model} by {ev.profile} was refused: budget {ev.envelope} has {left} left."
        amounts = exact(ev.unit, ev.available)
    if ev.suggestion:
        text += f" {ev.suggestion} would fit."
    return Alert(
        "refusals",
        "Call refused",
        text,
        ev.at,
        profile=ev.profile,
        envelope=ev.envelope,
        model=ev.model,
        amounts=amounts,
    )


def _guard(ev: GuardTripped) -> Alert:
    verb = {"block": "stopped", "downgrade": "downgraded", "warn": "warned about"}.get(ev.action, ev.action)
    what = ev.message.rstrip(". ")
    text = f"Guard {ev.guard_kind} ({ev.scope}) {verb} a call to {ev.model} by {ev.profile}: {what}."
    if ev.action == "block" and ev.lift:
        text += f" To lift it: {ev.lift}"
    return Alert("guards", "Guard tripped", text, ev.at, profile=ev.profile, model=ev.model)


def alert_for(event: Event) -> Alert | None:
    """The alert an event raises, or None for events that stay in the app."""
    if isinstance(event, BudgetCrossed):
        return _crossed(event)
    if isinstance(event, GuardTripped):
        return _guard(event)
    if isinstance(event, CallRefused):
        return _refused(event)
    return None


def test_alert(topic: str, at: datetime) -> Alert:
    """What ``alerts webhook test`` and the app's Test button send."""
    return Alert(topic, "Token Wallet test", "A test alert from Token Wallet: this webhook works.", at)
