"""A member's monthly statement: what was spent, on which models, and what cheaper choices would
have saved (priced with :func:`tokenwallet.pricing.suggest.suggest_cheaper` for the same usage).

Spending figures are exact ledger sums over the calendar month in the wallet's time zone. The
"could have saved" column reprices the month's usage of each model at today's prices for the
best comparable cheaper model (same or neighbouring tier), so it is an estimate, and says so.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet.billing.ledger import (
    DayLine,
    ModelLine,
    by_day,
    by_model,
    day_range,
    month_range,
    wallet_zone,
)
from tokenwallet.billing.rounding import usd_exact
from tokenwallet.core.money import format_usd
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.types import Movement

if TYPE_CHECKING:
    from tokenwallet.pricing import PriceBook, Suggestion
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.energy import EnergyTotal


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One model's month, and the cheaper choice (if any)."""

    line: ModelLine
    cheaper: Suggestion | None
    energy_saved_uwh: int | None = (
        None  # what the cheaper model would save in energy, if ecologits knows both
    )

    @property
    def saving_nano(self) -> int:
        return self.cheaper.saving_nano if self.cheaper else 0


@dataclass(frozen=True, slots=True)
class Statement:
    member: str
    first: date
    last: date
    timezone: str
    currency: str
    rate: Decimal
    lines: list[StatementLine]
    days: list[DayLine]
    # (movement, unit): top-ups, bonuses, transfers, rollovers, expiries in the month
    movements: list[tuple[Movement, str]]
    energy: EnergyTotal | None = None  # the month's energy and CO₂ (ecologits), None with no figure

    @property
    def total_nano(self) -> int:
        return sum(s.line.cost_nano for s in self.lines)

    @property
    def saving_nano(self) -> int:
        return sum(s.saving_nano for s in self.lines)

    @property
    def calls(self) -> int:
        return sum(s.line.calls for s in self.lines)

    @property
    def tokens(self) -> int:
        return sum(s.line.tokens for s in self.lines)

    def money(self, nano: int) -> str:
        """An amount in the wallet's display currency (exact rate, rounded for display only)."""
        return format_usd(nano, symbol=_symbol(self.currency), rate=self.rate)


def _symbol(currency: str) -> str:
    from tokenwallet.billing.rounding import SYMBOLS

    return SYMBOLS.get(currency, f"{currency} ")


def parse_month(text: str) -> tuple[int, int]:
    """``2026-11`` → (2026, 11)."""
    try:
        year_s, month_s = text.strip().split("-")
        year, month = int(year_s), int(month_s)
    except ValueError:
        raise WalletError(f"cannot read month {text!r} (use YYYY-MM, e.g. 2026-11)") from None
    if not (1 <= month <= 12 and 1970 <= year <= 9999):
        raise WalletError(f"cannot read month {text!r} (use YYYY-MM, e.g. 2026-11)")
    return year, month


def best_cheaper(
    book: PriceBook, line: ModelLine, *, data_dir: Path | None = None, limit: int = 1
) -> list[Suggestion]:
    """Cheaper models for exactly this line's usage (empty for unknown or already cheapest models)."""
    from tokenwallet.pricing.suggest import suggest_cheaper

    if line.cost_nano <= 0:
        return []
    try:
        return suggest_cheaper(
            book, line.provider, line.model, line.usage, calls=line.calls, limit=limit, data_dir=data_dir
        )
    except (LookupError, ValueError, OSError):  # a model we cannot price or tier: no suggestion
        return []


def member_statement(
    wallet: Wallet,
    name: str,
    year: int,
    month: int,
    *,
    book: PriceBook | None = None,
    data_dir: Path | None = None,
) -> Statement:
    """The statement of profile ``name`` for one calendar month (wallet time zone)."""
    from tokenwallet.pricing import pricebook_for

    wallet.profile(name)  # NotFound before any work
    first, last = month_range(wallet, year, month)
    since, until = day_range(wallet, first, last)
    lines = by_model(wallet, since=since, until=until, profile=name)
    book = book or pricebook_for(wallet)
    from tokenwallet.core.energy import energy_saved

    rows = []
    for m in lines:
        found = best_cheaper(book, m, data_dir=data_dir)
        saved = None
        if found:
            c = found[0]
            saved = energy_saved(
                m.provider, m.model, c.provider, c.model, m.usage.output_tokens, calls=m.calls
            )
        rows.append(StatementLine(m, found[0] if found else None, saved))
    moves: list[tuple[Movement, str]] = []
    for env in wallet.envelopes():
        if env.scope.kind == "profile" and env.scope.name == name:
            moves += [
                (mv, env.unit)
                for mv in wallet.movements(env.id, limit=1000)
                if since <= mv.at < until and mv.kind != "assign"
            ]
    moves.sort(key=lambda x: (x[0].at, x[0].id))
    currency = str(wallet.get_setting("currency") or "USD").upper()
    rate = Decimal(str(wallet.get_setting("currency_rate") or 1))
    return Statement(
        member=name,
        first=first,
        last=last,
        timezone=wallet_zone(wallet).key,
        currency=currency,
        rate=rate,
        lines=rows,
        days=by_day(wallet, since=since, until=until, profile=name),
        movements=moves,
        energy=month_energy(wallet, since, until, profile=name),
    )


def month_energy(
    wallet: Wallet, since: Any, until: Any, *, profile: str | None = None, project: str | None = None
) -> EnergyTotal | None:
    """Energy and CO₂ of the calls in ``[since, until)`` (filling any row not computed yet)."""
    wallet.fill_energy()
    found = wallet.energy_totals(since=since, until=until, profile=profile, project=project)
    return found[0] if found else None


def energy_dict(e: EnergyTotal | None) -> dict[str, Any] | None:
    """JSON-ready energy totals: µWh and µg CO₂eq, low and high ends of ecologits' range."""
    if e is None:
        return None
    return {
        "calls": e.calls,
        "estimated_calls": e.estimated_calls,
        "energy_uwh_min": e.uwh_min,
        "energy_uwh_max": e.uwh_max,
        "gco2_ug_min": e.ug_min,
        "gco2_ug_max": e.ug_max,
    }


def statement_dict(s: Statement) -> dict[str, Any]:
    """JSON-ready: exact nano-USD beside display strings."""
    return {
        "member": s.member,
        "month": f"{s.first:%Y-%m}",
        "from": s.first.isoformat(),
        "to": s.last.isoformat(),
        "timezone": s.timezone,
        "currency": s.currency,
        "rate": str(s.rate),
        "calls": s.calls,
        "tokens": s.tokens,
        "spent_nano": s.total_nano,
        "spent_usd": usd_exact(s.total_nano),
        "spent": s.money(s.total_nano),
        "could_save_nano": s.saving_nano,
        "could_save": s.money(s.saving_nano),
        "by_model": [
            {
                "provider": r.line.provider,
                "model": r.line.model,
                "calls": r.line.calls,
                "tokens": r.line.tokens,
                "usage": r.line.usage.to_dict(),
                "cost_nano": r.line.cost_nano,
                "cost_usd": usd_exact(r.line.cost_nano),
                "cheaper_model": f"{r.cheaper.provider}/{r.cheaper.model}" if r.cheaper else None,
                "cheaper_cost_nano": r.cheaper.cost_nano if r.cheaper else None,
                "saving_nano": r.saving_nano,
                "energy_saved_uwh": r.energy_saved_uwh,
            }
            for r in s.lines
        ],
        "energy": energy_dict(s.energy),
        "by_day": [
            {"day": d.day.isoformat(), "calls": d.calls, "tokens": d.tokens, "cost_nano": d.cost_nano}
            for d in s.days
        ],
        "movements": [
            {
                "at": m.at.isoformat(),
                "kind": m.kind,
                "unit": unit,
                "amount": m.amount,
                "note": m.note,
                "expires_at": m.expires_at.isoformat() if m.expires_at else None,
            }
            for m, unit in s.movements
        ],
    }


def statement_csv(s: Statement) -> str:
    """One row per model, then a TOTAL row; money as exact USD (and the cheaper model's price)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "member",
            "month",
            "provider",
            "model",
            "calls",
            "input_tokens",
            "output_tokens",
            "tokens",
            "cost_usd",
            "cheaper_model",
            "cheaper_cost_usd",
            "could_save_usd",
        ]
    )
    month = f"{s.first:%Y-%m}"
    for r in s.lines:
        m = r.line
        w.writerow(
            [
                s.member,
                month,
                m.provider,
                m.model,
                m.calls,
                m.usage.total_input,
                m.usage.output_tokens,
                m.tokens,
                usd_exact(m.cost_nano),
                f"{r.cheaper.provider}/{r.cheaper.model}" if r.cheaper else "",
                usd_exact(r.cheaper.cost_nano) if r.cheaper else "",
                usd_exact(r.saving_nano),
            ]
        )
    w.writerow(
        [
            s.member,
            month,
            "",
            "TOTAL",
            s.calls,
            sum(r.line.usage.total_input for r in s.lines),
            sum(r.line.usage.output_tokens for r in s.lines),
            s.tokens,
            usd_exact(s.total_nano),
            "",
            "",
            usd_exact(s.saving_nano),
        ]
    )
    return buf.getvalue()


__all__ = ["Statement", "StatementLine", "member_statement", "parse_month", "statement_csv", "statement_dict"]
