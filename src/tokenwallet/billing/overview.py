"""One screen's worth of figures: every member's balance, burn rate and forecast, and clients
nearing their caps with the cheaper model that would finish the job within what is left.

Burn rate is the member's spending over the last 7 days (or since they joined, if sooner) per
day, in the allowance's unit; the forecast divides what is left by it. Integers throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from tokenwallet.billing import store
from tokenwallet.billing.household import Member, members
from tokenwallet.billing.ledger import ModelLine, by_model, wallet_zone
from tokenwallet.billing.statement import best_cheaper
from tokenwallet.core.money import format_amount
from tokenwallet.wallet.types import EnvelopeStatus

if TYPE_CHECKING:
    from pathlib import Path

    from tokenwallet.pricing import PriceBook, Suggestion
    from tokenwallet.wallet import Wallet

BURN_WINDOW = timedelta(days=7)
_TICK = timedelta(microseconds=1)  # ranges end after ``now``: a call recorded this instant counts
NEAR_PCT = 80  # "nearing the limit": suggestions and cap warnings start here


@dataclass(frozen=True, slots=True)
class MemberSummary:
    member: Member
    status: EnvelopeStatus | None  # the allowance in its current period
    burn_per_day: int  # in the allowance's unit (nano-USD or tokens); 0 without spending
    runs_out: datetime | None  # at this pace, before the period resets; None if it lasts
    forecast: str
    suggestion: Suggestion | None  # when nearing the limit: the cheaper model for their main use

    @property
    def unit(self) -> str:
        return self.status.envelope.unit if self.status else "usd"


def _pick(statuses: list[EnvelopeStatus], name: str, env_id: int | None) -> EnvelopeStatus | None:
    for s in statuses:
        if env_id is not None and s.envelope.id == env_id:
            return s
    own = [s for s in statuses if s.envelope.scope.kind == "profile" and s.envelope.scope.name == name]
    return own[0] if own else None


def _main_line(lines: list[ModelLine]) -> ModelLine | None:
    paid = [m for m in lines if m.cost_nano > 0]
    return max(paid, key=lambda m: m.cost_nano) if paid else None


def _forecast(st: EnvelopeStatus | None, burn: int, now: datetime, tz: tzinfo) -> tuple[datetime | None, str]:
    if st is None:
        return None, "no allowance"
    unit = st.envelope.unit
    if st.available <= 0:
        return now, "used up" + (": calls are refused" if st.envelope.action == "block" else "")
    if burn <= 0:
        return None, "nothing spent lately"
    secs = st.available * 86400 // burn
    runs_out = now + timedelta(seconds=secs)
    per_day = f"{format_amount(unit, burn)} a day"
    if st.period_end is not None and runs_out >= st.period_end:
        return None, f"{per_day}: lasts until the reset"
    day = runs_out.astimezone(tz).date()
    when = "today" if day == now.astimezone(tz).date() else f"around {day:%a %d %b}"
    return runs_out, f"{per_day}: runs out {when}"


def household_overview(
    wallet: Wallet,
    *,
    now: datetime | None = None,
    book: PriceBook | None = None,
    data_dir: Path | None = None,
) -> list[MemberSummary]:
    """Every household member (owner first) with balance, burn rate, forecast and a suggestion."""
    from tokenwallet.pricing import pricebook_for

    at = store.now_utc(now, wallet)
    tz = wallet_zone(wallet)
    statuses = wallet.status(now=at)
    out: list[MemberSummary] = []
    for m in members(wallet):
        st = _pick(statuses, m.name, m.allowance.id if m.allowance else None)
        profile = wallet.profile(m.name)
        since = max(at - BURN_WINDOW, profile.created_at)
        days_us = max((at - since) // timedelta(microseconds=1), 86_400_000_000)  # at least a day
        recent = by_model(wallet, since=since, until=at + _TICK, profile=m.name)
        spent = sum(x.cost_nano if (st is None or st.envelope.unit == "usd") else x.tokens for x in recent)
        burn = spent * 86_400_000_000 // days_us
        runs_out, text = _forecast(st, burn, at, tz)
        suggestion = None
        if st is not None and st.used_pct >= NEAR_PCT:
            period_lines = by_model(wallet, since=st.period_start, until=at + _TICK, profile=m.name)
            main = _main_line(period_lines) or _main_line(recent)
            if main is not None:
                if book is None:
                    book = pricebook_for(wallet)
                found = best_cheaper(book, main, data_dir=data_dir)
                suggestion = found[0] if found else None
        out.append(MemberSummary(m, st, burn, runs_out, text, suggestion))
    return out


@dataclass(frozen=True, slots=True)
class CapWarning:
    """A client whose cap is close: the figures and the cheaper model that would fit."""

    client: str
    status: EnvelopeStatus
    need: int | None  # projected spend still to come this period (None for an engagement cap)
    suggestion: Suggestion | None
    fits: bool  # True when the suggested model's cost for the remaining work fits what is left
    text: str


def cap_warnings(
    wallet: Wallet,
    *,
    now: datetime | None = None,
    book: PriceBook | None = None,
    data_dir: Path | None = None,
    near_pct: int = NEAR_PCT,
) -> list[CapWarning]:
    """Clients at or past ``near_pct`` of their cap, or heading past it by the period's end."""
    from tokenwallet.billing.clients import clients
    from tokenwallet.pricing import pricebook_for

    at = store.now_utc(now, wallet)
    names = {c.name for c in clients(wallet)}
    out: list[CapWarning] = []
    for st in wallet.status(now=at):
        env = st.envelope
        if env.scope.kind != "project" or env.scope.name not in names:
            continue
        name = env.scope.name
        need = None if st.projected is None else max(0, st.projected - st.spent)
        heading_over = need is not None and need > st.available
        if st.used_pct < near_pct and not heading_over:
            continue
        lines = by_model(wallet, since=st.period_start, until=at + _TICK, project=name)
        main = _main_line(lines)
        suggestion, fits = None, False
        if main is not None:
            if book is None:
                book = pricebook_for(wallet)
            options = best_cheaper(book, main, data_dir=data_dir, limit=10)
            # the rest of the job, priced at each option's ratio to today's model
            remaining = need if need is not None else st.available
            for opt in options:
                cost = remaining * opt.cost_nano // max(opt.baseline_nano, 1)
                if env.unit != "usd" or cost <= st.available:
                    suggestion, fits = opt, True
                    break
            if suggestion is None and options:
                suggestion = min(options, key=lambda o: o.cost_nano)
        out.append(
            CapWarning(name, st, need, suggestion, fits, _cap_text(name, st, need, main, suggestion, fits))
        )
    return out


def _cap_text(  # noqa: PLR0917 - a private formatter fed straight from cap_warnings' locals
    name: str, st: EnvelopeStatus, need: int | None, main: ModelLine | None, s: Suggestion | None, fits: bool
) -> str:
    unit = st.envelope.unit
    left = format_amount(unit, max(st.available, 0))
    text = f"{name}: {st.used_pct} % of its cap used, {left} left"
    if need is not None and need > st.available:
        text += f"; at this pace the {st.envelope.period} needs {format_amount(unit, need)} more"
    if s is not None and main is not None:
        verb = "would finish the job within the cap" if fits else "is the cheapest comparable model"
        text += f". Switching from {main.model} to {s.provider}/{s.model} ({s.saving_pct} % cheaper) {verb}"
    return text + "."
