"""Subscription plans: the shipped catalogue (``resources/plans.toml``) and a profile's plan.

A plan is what a profile pays a provider per month for a tool's use (Claude Code on Claude Pro or
Max, Codex on ChatGPT Plus or Pro, or anything as ``custom``) and the windows that ration it. The
catalogue is dated and sourced; what it cannot say (the providers publish no token limits) is
left to the user's own limit or a labelled estimate.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from tokenwallet.core.money import Amount, Unit, usd_to_nano
from tokenwallet.core.windows import US_PER_HOUR
from tokenwallet.resources import resource_path

CUSTOM = "custom"
WINDOW_STARTS = ("hour", "first")


class PlanError(ValueError):
    """A plan that cannot be set as asked (one line for the user)."""


@dataclass(frozen=True, slots=True)
class CatalogPlan:
    """One row of ``resources/plans.toml``."""

    key: str
    name: str
    provider: str
    tool: str
    price_nano: int
    price_source: str
    window_hours: int
    window_start: str
    weekly: bool
    limits: str
    limits_source: str
    window_estimate_nano: int | None
    estimate_source: str
    estimate_url: str


@dataclass(frozen=True, slots=True)
class Catalog:
    as_of: str
    plans: dict[str, CatalogPlan]


@dataclass(frozen=True, slots=True)
class Plan:
    """A profile's plan as stored (schema v11). Limits are None when the user set none."""

    profile: str
    tool: str  # ledger rows with source "imported:<tool>" are this plan's use
    kind: str  # a catalogue key or "custom"
    price_nano: int
    window_us: int  # 0: no session window
    window_start: str  # "hour" | "first"
    weekly: bool
    week_anchor_us: int | None  # any one weekly reset; None: the week is the last 7 days
    window_limit: Amount | None
    week_limit: Amount | None

    @property
    def source(self) -> str:
        return f"imported:{self.tool}"

    @property
    def catalog(self) -> CatalogPlan | None:
        return catalog().plans.get(self.kind)

    @property
    def name(self) -> str:
        c = self.catalog
        return c.name if c else f"Custom plan ({self.tool})"


def _plan(key: str, raw: dict[str, Any]) -> CatalogPlan:
    start = str(raw["window_start"])
    if start not in WINDOW_STARTS:
        raise PlanError(f"plans.toml: {key}: window_start must be one of {WINDOW_STARTS}")
    estimate = raw.get("window_estimate_usd")
    return CatalogPlan(
        key=key,
        name=str(raw["name"]),
        provider=str(raw["provider"]),
        tool=str(raw["tool"]),
        price_nano=usd_to_nano(Decimal(str(raw["price_usd"]))),
        price_source=str(raw["price_source"]),
        window_hours=int(raw["window_hours"]),
        window_start=start,
        weekly=bool(raw["weekly"]),
        limits=str(raw["limits"]),
        limits_source=str(raw["limits_source"]),
        window_estimate_nano=None if estimate is None else usd_to_nano(Decimal(str(estimate))),
        estimate_source=str(raw.get("estimate_source", "")),
        estimate_url=str(raw.get("estimate_url", "")),
    )


@cache
def catalog() -> Catalog:
    """The shipped plan catalogue (read once)."""
    with resource_path("plans.toml").open("rb") as f:
        data = tomllib.load(f)
    plans = {key: _plan(key, raw) for key, raw in data["plans"].items()}
    return Catalog(str(data["as_of"]), plans)


def plan_names() -> tuple[str, ...]:
    """What ``plan set`` accepts: the catalogue's keys, then ``custom``."""
    return (*catalog().plans, CUSTOM)


def parse_window(text: str) -> int:
    """``5h``, ``90m``, ``5`` (hours) → microseconds; between 1 minute and one week."""
    t = text.strip().lower()
    scale = US_PER_HOUR
    if t.endswith("h"):
        t = t[:-1]
    elif t.endswith("m"):
        t, scale = t[:-1], US_PER_HOUR // 60
    if not t.isdigit() or not 0 < int(t) * scale <= 168 * US_PER_HOUR:
        raise PlanError(f"cannot read window {text!r} (e.g. 5h or 90m, at most 168h)")
    return int(t) * scale


def limit_columns(limit: Amount | None) -> tuple[int, str]:
    """How a limit is stored: (amount, unit), (0, "") for none."""
    return (0, "") if limit is None else (limit.value, limit.unit)


def limit_from_columns(value: int, unit: str) -> Amount | None:
    if not unit:
        return None
    u: Unit = "usd" if unit == "usd" else "tokens"
    return Amount(u, int(value))
