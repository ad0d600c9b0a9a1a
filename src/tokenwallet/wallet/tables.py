"""The current schema as SQLModel tables: for ORM reads and admin tools, and as the checked truth.

The wallet's own code uses raw sqlite3 (the hot path must stay under half a millisecond per call,
which the ORM cannot do); migrations in ``schema.py`` create these tables, and
``tests/unit/wallet/test_schema.py`` proves a migrated file matches these definitions column for
column. Time stamps (``*_us``) are integer UTC microseconds; money is integer nano-USD.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, PrimaryKeyConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

metadata = SQLModel.metadata


class ProfileRow(SQLModel, table=True):
    __tablename__ = "profile"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    role: str
    paused: bool
    created_us: int


class ProjectRow(SQLModel, table=True):
    __tablename__ = "project"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    client: str
    contact: str
    notes: str
    archived: bool
    created_us: int


class WalletKeyRow(SQLModel, table=True):
    __tablename__ = "wallet_key"
    id: int | None = Field(default=None, primary_key=True)
    key_hash: str = Field(unique=True)
    prefix: str
    profile_id: int = Field(foreign_key="profile.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id")
    label: str
    created_us: int
    revoked_us: int | None = None
    session: str = Field(default="", sa_column_kwargs={"server_default": ""})


class ProviderRow(SQLModel, table=True):
    __tablename__ = "provider"
    name: str = Field(primary_key=True)
    kind: str
    base_url: str
    local: bool


class PriceOverrideRow(SQLModel, table=True):
    __tablename__ = "price_override"
    provider: str = Field(primary_key=True)
    model: str = Field(primary_key=True)
    input_mtok: str  # Decimal as text: exact
    output_mtok: str
    cache_read_mtok: str | None = None
    cache_write_mtok: str | None = None
    updated_us: int


class SettingRow(SQLModel, table=True):
    __tablename__ = "setting"
    name: str = Field(primary_key=True)
    scope: str = Field(primary_key=True)  # "wallet" or "profile:<id>"
    value: str  # JSON


class EnvelopeRow(SQLModel, table=True):
    __tablename__ = "envelope"
    __table_args__ = (UniqueConstraint("scope_kind", "scope_ref", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    scope_kind: str
    scope_ref: int  # 0 for the wallet, else a profile or project id
    unit: str
    amount: int
    period: str
    action: str
    rollover: bool
    thresholds: str  # JSON list of percentages
    created_us: int
    # running totals of the current period
    cur_start: int
    cur_end: int
    carried: int
    assigned: int
    spent: int
    topup_drawn: int
    topup_left: int
    next_expiry: int
    held: int
    crossed_pct: int


class EnvelopePeriodRow(SQLModel, table=True):
    __tablename__ = "envelope_period"
    __table_args__ = (PrimaryKeyConstraint("envelope_id", "period_start"),)
    envelope_id: int = Field(
        sa_column=Column(Integer, ForeignKey("envelope.id", ondelete="CASCADE"), nullable=False)
    )
    period_start: int = Field(sa_column=Column(Integer, nullable=False))
    period_end: int
    carried: int
    assigned: int
    topups: int
    spent: int
    closed_us: int


class TopupRow(SQLModel, table=True):
    __tablename__ = "topup"
    id: int | None = Field(default=None, primary_key=True)
    envelope_id: int = Field(
        sa_column=Column(Integer, ForeignKey("envelope.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    amount: int
    remaining: int
    expires_us: int | None = None
    created_us: int
    note: str


class MovementRow(SQLModel, table=True):
    __tablename__ = "movement"
    id: int | None = Field(default=None, primary_key=True)
    envelope_id: int = Field(
        sa_column=Column(Integer, ForeignKey("envelope.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    kind: str  # assign | topup | transfer | rollover | expiry
    amount: int
    at_us: int
    note: str
    expires_us: int | None = None


class HoldRow(SQLModel, table=True):
    __tablename__ = "hold"
    id: int | None = Field(default=None, primary_key=True)
    call_id: str
    key_id: int | None = None
    profile_id: int
    project_id: int | None = None
    provider: str
    model: str
    endpoint: str
    stream: bool
    input_tokens: int
    output_tokens: int
    cost_nano: int
    tokens: int
    envelope_ids: str  # JSON list
    owner_pid: int
    owner_token: str
    created_us: int
    session: str = Field(default="", sa_column_kwargs={"server_default": ""})
    device: str = Field(default="", sa_column_kwargs={"server_default": ""})  # step 16


class PriceSnapshotRow(SQLModel, table=True):
    __tablename__ = "price_snapshot"
    id: int | None = Field(default=None, primary_key=True)
    price_json: str = Field(unique=True)  # ModelPrice.to_json(), stored once


class LedgerRowTable(SQLModel, table=True):
    __tablename__ = "ledger"
    __table_args__ = (
        Index("ix_ledger_session", "session", "at_us"),
        Index("ix_ledger_at_us", "at_us"),
        Index("ix_ledger_profile_at", "profile_id", "at_us"),
        Index("ix_ledger_project_at", "project_id", "at_us"),
        Index("ix_ledger_source_at", "source", "at_us"),
    )
    id: int | None = Field(default=None, primary_key=True)
    call_id: str = Field(unique=True)
    at_us: int
    started_us: int | None = None
    key_id: int | None = None
    profile_id: int = Field(foreign_key="profile.id")
    project_id: int | None = Field(default=None, foreign_key="project.id")
    provider: str
    model: str
    requested_model: str | None = None
    endpoint: str
    status: int
    stream: bool
    input_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    cache_write_1h_tokens: int
    output_tokens: int
    reasoning_tokens: int
    cost_nano: int
    price_id: int = Field(foreign_key="price_snapshot.id")
    price_source: str
    estimated: bool
    unpriced: bool
    duration_ms: int
    error: str | None = None
    prompt_text: str | None = None
    flags: str = Field(default="", sa_column_kwargs={"server_default": ""})
    units: str = Field(default="", sa_column_kwargs={"server_default": ""})
    session: str = Field(default="", sa_column_kwargs={"server_default": ""})
    source: str = Field(default="meter", sa_column_kwargs={"server_default": "meter"})
    response_id: str = Field(default="", sa_column_kwargs={"server_default": ""}, index=True)
    # energy and CO₂ (schema_energy.py): NULL until the wallet fills them after settle
    energy_uwh_min: int | None = None
    energy_uwh_max: int | None = None
    gco2_ug_min: int | None = None
    gco2_ug_max: int | None = None
    energy_method: str | None = None
    energy_zone: str | None = None
    # schema step 15: the non-text parts of the token columns above (wallet.schema_media)
    input_audio_tokens: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    output_audio_tokens: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    input_image_tokens: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    input_video_tokens: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    cache_audio_read_tokens: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    output_image_tokens: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    device: str = Field(default="", sa_column_kwargs={"server_default": ""})  # step 16: who metered it


class DailyRow(SQLModel, table=True):
    __tablename__ = "daily"
    day: str = Field(primary_key=True)  # local ISO date in the wallet's time zone
    profile_id: int = Field(primary_key=True)
    project_id: int = Field(primary_key=True)  # 0: no project
    provider: str = Field(primary_key=True)
    model: str = Field(primary_key=True)
    calls: int
    estimated_calls: int
    input_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    cache_write_1h_tokens: int
    output_tokens: int
    reasoning_tokens: int
    cost_nano: int


class AgentSessionRow(SQLModel, table=True):
    """A run of an agent or tool (``tokenwallet run``, an X-Tokenwallet-Session header, an idle gap)."""

    __tablename__ = "agent_session"
    __table_args__ = (Index("ix_agent_session_started", "started_us"),)
    id: str = Field(primary_key=True)
    profile_id: int = Field(foreign_key="profile.id")
    project_id: int | None = Field(default=None, foreign_key="project.id")
    source: str  # "run" | "header" | "idle"
    label: str
    started_us: int
    ended_us: int | None = None


class GuardRow(SQLModel, table=True):
    """A guard (see ``core/guards.py``): scope, kind, limit, window, action."""

    __tablename__ = "guard"
    id: int | None = Field(default=None, primary_key=True)
    scope: str
    kind: str
    limit_value: int
    window_s: int
    action: str
    source: str
    created_us: int


class GuardLiftRow(SQLModel, table=True):
    """A guard lifted for one session (``session`` = its id) or for every session (``*``)."""

    __tablename__ = "guard_lift"
    guard_id: int = Field(primary_key=True)
    session: str = Field(primary_key=True)
    created_us: int


class DeviceRow(SQLModel, table=True):
    """A meter's data folder: one per device sharing the wallet (schema_devices.py)."""

    __tablename__ = "device"
    id: str = Field(primary_key=True)  # kept in the data folder (wallet.devices)
    name: str
    version: str
    serving: bool
    first_seen_us: int
    last_seen_us: int


class GuardStateRow(SQLModel, table=True):
    """The guards' counters, saved by the meter so they survive a restart."""

    __tablename__ = "guard_state"
    name: str = Field(primary_key=True)
    state_json: str
    updated_us: int


class WebhookRow(SQLModel, table=True):
    """Where alerts go (``tokenwallet/alerts``): URL, ``ntfy`` or ``json``, the events it wants
    (``thresholds,refusals,guards``) and the name of a secret header (its value is in the keychain)."""

    __tablename__ = "webhook"
    id: int | None = Field(default=None, primary_key=True)
    url: str
    format: str
    topics: str
    header_name: str
    created_us: int


class ModelRulesRow(SQLModel, table=True):
    """A profile's own model rules (no row: the default — a household child gets ``tier:small``)."""

    __tablename__ = "model_rules"
    profile_id: int = Field(primary_key=True, foreign_key="profile.id")
    allow: str  # JSON list of patterns (empty: any model)
    deny: str  # JSON list of patterns
    action: str  # "block" | "downgrade": what a refused model gets
    updated_us: int


class ModelScopeRow(SQLModel, table=True):
    """What a ``model`` or ``provider`` envelope (its ``scope_ref``) applies to."""

    __tablename__ = "model_scope"
    __table_args__ = (UniqueConstraint("kind", "pattern", "profile_id"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str  # "model" | "provider"
    pattern: str  # canonical, lower case
    profile_id: int  # 0: every profile
    provider_glob: str  # matched with GLOB against the call's provider (lower case)
    model_glob: str  # … and against its model (lower case)


class PlanRow(SQLModel, table=True):
    """A profile's subscription plan for one tool (``billing/plans.py``); money in nano-USD."""

    __tablename__ = "plan"
    profile_id: int = Field(
        sa_column=Column(Integer, ForeignKey("profile.id", ondelete="CASCADE"), primary_key=True)
    )
    tool: str = Field(primary_key=True)
    kind: str
    price_nano: int
    window_us: int  # 0: no session window
    window_start: str  # "hour" | "first"
    weekly: bool
    week_anchor_us: int | None = None
    window_limit: int
    window_limit_unit: str  # "usd" | "tokens" | "" (none)
    week_limit: int
    week_limit_unit: str
    created_us: int


class ImportFileRow(SQLModel, table=True):
    """Where ``tokenwallet import`` stopped reading one agent log file, and which file it was."""

    __tablename__ = "import_file"
    tool: str = Field(primary_key=True)
    path: str = Field(primary_key=True)
    dev: int
    ino: int
    size: int
    mtime_ns: int
    head: str
    read_to: int  # the byte offset after the last line taken
    state_json: str
    updated_us: int
