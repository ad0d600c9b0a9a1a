"""Frozen records the wallet hands out. All times are timezone-aware (UTC)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, TypeAlias

from tokenwallet.core.energy import Impact
from tokenwallet.core.events import BudgetCrossed
from tokenwallet.core.money import Unit
from tokenwallet.core.usage import Usage

ScopeKind = Literal["wallet", "profile", "project", "model", "provider"]
Action = Literal["warn", "downgrade", "block"]
ACTIONS: tuple[str, ...] = ("warn", "downgrade", "block")
SCOPE_KINDS: tuple[str, ...] = ("wallet", "profile", "project", "model", "provider")
_SCOPE_HELP = "wallet, profile:NAME, project:NAME, model:PATTERN or provider:NAME (optionally ' for PROFILE')"


@dataclass(frozen=True, slots=True)
class Scope:
    """Where an envelope hangs: the whole wallet, a profile (who spends), a project (for whom), or
    the calls to some models (``model:anthropic/claude-opus-*``) or one provider (``provider:openrouter``).

    A model or provider scope may be narrowed to one profile (``profile``); its ``name`` is the
    pattern in canonical form (see :mod:`tokenwallet.core.model_patterns`).
    """

    kind: ScopeKind
    name: str | None = None
    profile: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise ValueError(f"unknown scope {self.kind!r} ({_SCOPE_HELP})")
        if (self.kind == "wallet") != (self.name is None):
            raise ValueError("the wallet scope has no name; the other scopes need one")
        if self.profile is not None and self.kind not in ("model", "provider"):
            raise ValueError("only a model or provider scope is narrowed to a profile")

    def __str__(self) -> str:
        text = self.kind if self.name is None else f"{self.kind}:{self.name}"
        return text if self.profile is None else f"{text} for {self.profile}"

    @property
    def per_model(self) -> bool:
        return self.kind in ("model", "provider")

    @classmethod
    def parse(cls, text: str) -> Scope:
        """``"wallet"``, ``"profile:alice"``, ``"project:acme"``, ``"model:gpt-4o* for alice"``."""
        head, _, who = text.strip().partition(" for ")
        kind, _, name = head.strip().partition(":")
        profile = who.strip() or None
        if kind == "wallet" and not name and not who:
            return cls("wallet")
        if kind in ("profile", "project") and name and not who:
            return cls(kind, name)  # type: ignore[arg-type]  # checked just above
        if kind in ("model", "provider") and name and " " not in name and (profile is not None or not who):
            return cls(kind, name, profile)  # type: ignore[arg-type]  # checked just above
        raise ValueError(f"cannot read scope {text!r} ({_SCOPE_HELP})")


@dataclass(frozen=True, slots=True)
class Profile:
    """Who spends: a person or an agent. ``role`` is free text (e.g. owner, member, admin)."""

    id: int
    name: str
    role: str
    paused: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Project:
    """For whom the work is done (a client); calls are tagged with it through a key or a header."""

    id: int
    name: str
    created_at: datetime
    client: str = ""
    contact: str = ""
    notes: str = ""
    archived: bool = False


@dataclass(frozen=True, slots=True)
class KeyBinding:
    """What a wallet key resolves to: who spends (profile) and optionally for whom (project)."""

    key_id: int
    profile_id: int
    profile: str
    project_id: int | None
    project: str | None
    paused: bool
    session: str = ""  # the agent session the call belongs to ("" when none: see wallet/sessions.py)
    # The session a per-session budget guard counts against: the key's own (``tokenwallet run``) or
    # its idle-gap session, never one an X-Tokenwallet-Session header names: a client could name a
    # fresh one on every call and start each with an empty budget.
    budget_session: str = ""


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """A wallet key as listed (never the key itself: only its first characters)."""

    id: int
    prefix: str
    profile: str
    project: str | None
    label: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """Where a provider's API lives; ``local`` providers are priced at zero."""

    name: str
    kind: str
    base_url: str
    local: bool


@dataclass(frozen=True, slots=True)
class PriceOverrideEntry:
    """A user's price for a model (USD per million tokens); same fields as pricing.PriceOverride."""

    provider: str
    model: str
    input_mtok: Decimal
    output_mtok: Decimal
    cache_read_mtok: Decimal | None = None
    cache_write_mtok: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Envelope:
    """A budget: ``amount`` is nano-USD for ``unit == "usd"``, whole tokens otherwise."""

    id: int
    scope: Scope
    unit: Unit
    amount: int
    period: str
    action: Action
    rollover: bool
    thresholds: tuple[int, ...]

    @property
    def label(self) -> str:
        """``profile:alice (month)`` — how messages name an envelope."""
        return f"{self.scope} ({self.period})"


@dataclass(frozen=True, slots=True)
class EnvelopeStatus:
    """One envelope in its current period. Amounts are in the envelope's unit.

    ``available = carried + assigned + topups − spent − held`` always holds; ``topups`` is what
    top-ups contributed to this period (drawn this period + still unused and unexpired).
    """

    envelope: Envelope
    period_start: datetime
    period_end: datetime | None  # None for a prepaid (period "none") envelope
    carried: int
    assigned: int
    topups: int
    spent: int
    held: int
    available: int
    used_pct: int
    projected: int | None  # end-of-period spend at the current burn rate; None when open-ended


@dataclass(frozen=True, slots=True)
class HoldRequest:
    """What ``reserve`` needs: the call and its worst case in money and in tokens."""

    call_id: str
    binding: KeyBinding
    provider: str
    model: str
    endpoint: str
    stream: bool
    input_tokens: int
    cost_nano: int  # worst-case cost reserved against money envelopes
    tokens: int  # worst-case tokens reserved against token envelopes
    allow_downgrade: bool = False


Statuses: TypeAlias = list[EnvelopeStatus] | Callable[[], list[EnvelopeStatus]]


class _LazyStatuses:
    """``statuses`` made on first use: the call path reads one envelope's status, not every one's."""

    __slots__ = ("_statuses",)
    _statuses: Statuses

    @property
    def statuses(self) -> list[EnvelopeStatus]:
        made = self._statuses
        if callable(made):
            made = self._statuses = made()
        return made


class ReserveResult(_LazyStatuses):
    """``hold_id`` is None when the call was refused or must be downgraded first.

    ``tightest``: the applicable envelope with the least room (by share left).
    """

    __slots__ = ("downgrade", "hold_id", "refused", "tightest")

    def __init__(
        self,
        hold_id: int | None,
        refused: EnvelopeStatus | None,
        downgrade: EnvelopeStatus | None,
        statuses: Statuses,
        tightest: EnvelopeStatus | None,
    ) -> None:
        self.hold_id = hold_id
        self.refused = refused
        self.downgrade = downgrade
        self._statuses = statuses
        self.tightest = tightest


@dataclass(frozen=True, slots=True)
class CallRecord:
    """A finished call as the proxy saw it: exact usage and cost, and the price that was used."""

    call_id: str
    binding: KeyBinding
    provider: str
    model: str
    endpoint: str
    status: int
    stream: bool
    usage: Usage
    cost_nano: int
    price_json: str
    price_source: str
    estimated: bool
    unpriced: bool
    duration_ms: int
    requested_model: str | None = None
    error: str | None = None
    prompt_text: str | None = None
    started_at: datetime | None = None
    flags: str = ""  # comma-separated marks: invalid_usage, over_cap, no_usage … (see schema v4)
    units: str = ""  # JSON of non-token units billed (images, audio seconds, characters), or ""
    source: str = "meter"  # "meter", or "imported:<tool>" for usage read from a tool's logs
    response_id: str = ""  # the provider's id of the answer (message id, response id), when known
    at: datetime | None = None  # when the call happened, for an imported row (a metered one: now)


class SettleResult(_LazyStatuses):
    """The ledger row written (or found, on a repeated settle) and the envelopes after it."""

    __slots__ = ("crossed", "ledger_id")

    def __init__(self, ledger_id: int, statuses: Statuses, crossed: list[BudgetCrossed]) -> None:
        self.ledger_id = ledger_id
        self._statuses = statuses
        self.crossed = crossed


@dataclass(frozen=True, slots=True)
class StaleHold:
    """A hold left by a process that died mid-call, as handed to ``recover_holds``'s price_fn."""

    hold_id: int
    call_id: str
    binding: KeyBinding
    provider: str
    model: str
    endpoint: str
    stream: bool
    input_tokens: int
    output_tokens: int  # last checkpoint from hold_progress
    held_cost_nano: int
    started_at: datetime


@dataclass(frozen=True, slots=True)
class HoldInfo:
    """An in-flight reservation (the GUI shows these as pending)."""

    hold_id: int
    call_id: str
    profile: str
    project: str | None
    provider: str
    model: str
    cost_nano: int
    tokens: int
    output_tokens: int
    started_at: datetime


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """Which ledger rows to read; every field left None matches everything."""

    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    profile: str | None = None
    project: str | None = None
    provider: str | None = None
    model: str | None = None
    session: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One call in the ledger, as read back."""

    id: int
    call_id: str
    at: datetime
    started_at: datetime | None
    profile: str
    project: str | None
    provider: str
    model: str
    requested_model: str | None
    endpoint: str
    status: int
    stream: bool
    usage: Usage
    cost_nano: int
    price_source: str
    price_json: str
    estimated: bool
    unpriced: bool
    duration_ms: int
    error: str | None = None
    prompt_text: str | None = None
    flags: str = ""
    units: str = ""
    session: str = ""
    source: str = "meter"
    response_id: str = ""
    energy: Impact | None = None  # None: not computed yet, or nothing to say (wallet/energy.py)


@dataclass(frozen=True, slots=True)
class DailySpend:
    """One local day's spend, optionally for one model, profile, project or provider (``key``)."""

    day: date
    key: str | None  # the model / profile / project / provider name, or None when not grouped
    cost_nano: int
    calls: int
    tokens: int
    usage: Usage = field(default_factory=Usage)


@dataclass(frozen=True, slots=True)
class Movement:
    """One line of an envelope's money movements (assign, topup, transfer, rollover, expiry)."""

    id: int
    envelope_id: int
    kind: str
    amount: int
    at: datetime
    note: str
    expires_at: datetime | None = None
