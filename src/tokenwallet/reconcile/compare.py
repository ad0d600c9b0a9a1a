"""Provider-reported spend against the wallet's, per UTC day and model, with the likely cause.

The difference is ``provider − (metered + imported)``, exact in nano-USD. When the provider also
reported token counts and we know the meter's price for the model, the difference splits exactly
in two: ``provider tokens at the meter's price − wallet`` (usage the wallet never saw: calls that
bypassed the meter) and ``provider − provider tokens at the meter's price`` (a price difference).
Causes are a small table of checks, first match first; a row may have several.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from tokenwallet.core.money import format_usd
from tokenwallet.core.usage import Usage
from tokenwallet.pricing.model_price import ModelPrice
from tokenwallet.reconcile.ledger import InFlight, WalletLine
from tokenwallet.reconcile.report import ProviderLine, ProviderReport, ProviderTotal

# Providers report to the cent (Anthropic) or close to it: half a cent either way is a match.
TOLERANCE_NANO = 5_000_000
# A provider's figures for a UTC day keep changing for a while after it ends.
SETTLE_HOURS = 24
_DATED = re.compile(r"(-\d{4}-\d{2}-\d{2}|-\d{8}|@\d{8})$")


def model_key(model: str) -> str:
    """``gpt-4o-2024-08-06`` and ``gpt-4o`` are one model here (providers bill dated snapshots)."""
    return _DATED.sub("", model.strip().lower())


@dataclass(frozen=True, slots=True)
class Row:
    day: date
    model: str
    provider_nano: int | None
    metered_nano: int
    imported_nano: int
    provider_usage: Usage | None
    wallet_usage: Usage
    provider_requests: int | None
    wallet_calls: int
    causes: tuple[str, ...]
    bypassed_nano: int | None = None  # the part of the difference due to usage the wallet never saw
    price_nano: int | None = None  # the part due to a different price

    @property
    def wallet_nano(self) -> int:
        return self.metered_nano + self.imported_nano

    @property
    def difference_nano(self) -> int | None:
        return None if self.provider_nano is None else self.provider_nano - self.wallet_nano


@dataclass(frozen=True, slots=True)
class TotalRow:
    label: str
    provider_nano: int
    metered_nano: int
    imported_nano: int
    causes: tuple[str, ...]

    @property
    def difference_nano(self) -> int:
        return self.provider_nano - self.metered_nano - self.imported_nano


@dataclass
class Reconciliation:
    provider: str
    source: str
    start: date
    end: date
    rows: list[Row] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def provider_nano(self) -> int:
        return sum(r.provider_nano or 0 for r in self.rows)

    @property
    def wallet_nano(self) -> int:
        return sum(r.wallet_nano for r in self.rows)

    @property
    def difference_nano(self) -> int:
        """Provider − wallet over the rows the provider reported (days it has not: see pending)."""
        return sum(r.difference_nano for r in self.rows if r.difference_nano is not None)

    @property
    def pending_nano(self) -> int:
        """What the wallet holds on days and models the provider has not reported (yet)."""
        return sum(r.wallet_nano for r in self.rows if r.difference_nano is None)

    def summary(self, money: Callable[..., str]) -> str:
        last = date.fromordinal(self.end.toordinal() - 1)
        text = (
            f"{self.provider} ({self.source}): {self.start} … {last} (UTC days) — provider "
            f"{money(self.provider_nano)}, wallet {money(self.wallet_nano)}, difference "
            f"{money(self.difference_nano, signed=True)}"
        )
        if self.pending_nano:
            text += f"; {money(self.pending_nano)} in the wallet on days the provider has not reported yet"
        return text


def reconcile(
    report: ProviderReport,
    lines: list[WalletLine],
    holds: list[InFlight],
    now: datetime,
    totals: dict[str, tuple[int, int]] | None = None,
) -> Reconciliation:
    """Join the provider's lines with the wallet's (full outer join on UTC day and model)."""
    out = Reconciliation(report.provider, report.source, report.start, report.end, notes=list(report.notes))
    theirs: dict[tuple[date, str], ProviderLine] = {(p.day, model_key(p.model)): p for p in report.lines}
    ours: dict[tuple[date, str], WalletLine] = {(w.day, model_key(w.model)): w for w in lines}
    today = now.date()
    in_flight = {model_key(h.model): h for h in holds}
    keys = set(theirs) | set(ours)
    if report.by_day_model and report.start <= today < report.end:
        keys |= {(today, m) for m in in_flight}  # a call in flight shows even before its first row
    for key in sorted(keys):
        p, w = theirs.get(key), ours.get(key)
        hold = in_flight.get(key[1]) if key[0] == today else None
        out.rows.append(_row(key[0], p, w, hold, now))
    for t in report.totals:
        metered, imported = (totals or {}).get(t.label, (0, 0))
        out.totals.append(_total(t, metered, imported, holds, now))
    return out


def _row(
    day: date, p: ProviderLine | None, w: WalletLine | None, hold: InFlight | None, now: datetime
) -> Row:
    model = (
        p.model if p is not None else w.model if w is not None else hold.model if hold is not None else "?"
    )
    wallet_usage = w.usage if w is not None else Usage()
    metered = w.metered_nano if w is not None else 0
    imported = w.imported_nano if w is not None else 0
    provider_nano = p.cost_nano if p is not None else None
    if p is None and w is not None and _closed(day, now):
        provider_nano = 0  # the provider reported the period and has nothing for this model and day
    bypassed = price_part = None
    price = _price(w)
    if p is not None and p.usage is not None and provider_nano is not None and price is not None:
        at_ours = price.cost_nano(p.usage)
        bypassed, price_part = at_ours - metered - imported, provider_nano - at_ours
    row = Row(
        day, model, provider_nano, metered, imported, p.usage if p else None, wallet_usage,
        p.requests if p else None, w.calls if w else 0, (), bypassed, price_part,
    )  # fmt: skip
    return replace(row, causes=tuple(_causes(row, w, hold, price, now)))


def _causes(
    row: Row, w: WalletLine | None, hold: InFlight | None, price: ModelPrice | None, now: datetime
) -> Iterator[str]:
    diff = row.difference_nano
    if hold is not None:
        yield f"{hold.holds} request(s) still in flight, held at {format_usd(hold.held_nano)}"
    if diff is None:
        if _closed(row.day, now):
            yield "no cost from the provider for this day and model (usage only)"
        else:
            yield "the provider has not reported this day yet (figures settle about a day after it ends)"
        return
    if not _closed(row.day, now):
        yield "the provider has not closed this day yet (figures settle about a day after it ends)"
    if abs(diff) < TOLERANCE_NANO:
        yield "matches (within half a cent)"
        return
    split = row.bypassed_nano is not None and row.price_nano is not None
    big_usage = split and abs(row.bypassed_nano or 0) >= TOLERANCE_NANO
    big_price = split and abs(row.price_nano or 0) >= TOLERANCE_NANO
    if big_usage:
        yield _usage_cause(row)
    if big_price and price is not None:
        yield _price_cause(row, price)
    if big_usage or big_price:
        pass
    elif diff > 0:
        more = _more_requests(row)
        yield (
            f"calls that bypassed the meter{more} "
            "(the provider sent no token counts to tell a price difference)"
        )
    else:
        yield "the wallet charged more than the provider billed"
    if w is not None and w.estimated_calls and diff < 0:
        yield f"{w.estimated_calls} call(s) charged an estimate (the answer carried no usage)"


def _usage_cause(row: Row) -> str:
    assert row.bypassed_nano is not None and row.provider_usage is not None
    tokens = row.provider_usage.total_tokens - row.wallet_usage.total_tokens
    if row.bypassed_nano > 0:
        return (
            f"calls that bypassed the meter: {tokens:,} more tokens{_more_requests(row)} "
            f"than the wallet saw, {format_usd(row.bypassed_nano)} at the meter's price"
        )
    return (
        f"the wallet counted {-tokens:,} tokens the provider did not bill "
        f"({format_usd(-row.bypassed_nano)} at the meter's price: failed or refunded calls?)"
    )


def _price_cause(row: Row, price: ModelPrice) -> str:
    assert row.price_nano is not None and row.provider_nano is not None and row.provider_usage is not None
    per_m = _per_million(row.provider_nano, row.provider_usage)
    ours = _per_million(row.provider_nano - row.price_nano, row.provider_usage)
    side = "more" if row.price_nano > 0 else "less"
    return (
        f"price difference: the provider charged {format_usd(abs(row.price_nano))} {side} "
        f"for the same tokens ({per_m} vs the meter's {ours} per 1M tokens on average; "
        f"the meter uses {price.describe()})"
    )


def _per_million(nano: int, usage: Usage) -> str:
    tokens = usage.total_tokens
    return format_usd(nano * 1_000_000 // tokens) if tokens else "n/a"


def _more_requests(row: Row) -> str:
    if row.provider_requests is None:
        return ""
    extra = row.provider_requests - row.wallet_calls
    return f" ({extra:,} more request{'s' if extra > 1 else ''})" if extra > 0 else ""


def _price(w: WalletLine | None) -> ModelPrice | None:
    if w is None or not w.price_json:
        return None
    try:
        price = ModelPrice.from_json(w.price_json)
    except (ValueError, TypeError, KeyError, ArithmeticError):
        return None  # a media price (per image, per second): no per-token split
    # Long-context tiers apply per call; a day's summed tokens would wrongly cross them.
    return None if price.tiers else price


def _closed(day: date, now: datetime) -> bool:
    end = datetime(day.year, day.month, day.day, tzinfo=now.tzinfo) + timedelta(days=1)
    return now >= end + timedelta(hours=SETTLE_HOURS)


def _total(t: ProviderTotal, metered: int, imported: int, holds: list[InFlight], now: datetime) -> TotalRow:
    diff = t.cost_nano - metered - imported
    causes: list[str] = []
    held = sum(h.held_nano for h in holds)
    if holds:
        causes.append(f"{sum(h.holds for h in holds)} request(s) still in flight, held at {format_usd(held)}")
    if abs(diff) < TOLERANCE_NANO:
        causes.append("matches (within half a cent)")
    elif diff > 0:
        causes.append(
            "calls that bypassed the meter (or a price difference: OpenRouter gives no breakdown here)"
        )
    else:
        causes.append("the wallet charged more than the provider billed")
    return TotalRow(t.label, t.cost_nano, metered, imported, tuple(causes))
