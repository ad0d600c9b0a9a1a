"""What a provider says it charged: daily lines per model, period totals, and exact money.

Providers send money as JSON numbers (OpenAI: USD), decimal strings (Anthropic: *cents*) or
numbers again (OpenRouter: USD). Every amount is read as :class:`~decimal.Decimal` (JSON is parsed
with ``parse_float=Decimal``, so a float never exists) and turned into nano-USD once, by
:func:`tokenwallet.core.money.usd_to_nano`. Days are **UTC** days: every provider buckets by UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from tokenwallet.core.money import format_usd, nano_to_usd, usd_to_nano
from tokenwallet.core.usage import Usage


class ReconcileError(ValueError):
    """One line for the user: a refused key, a network failure, an answer of an unexpected shape."""


@dataclass(frozen=True, slots=True)
class ProviderLine:
    """One UTC day and one model as the provider reports it.

    ``cost_nano`` is None when the provider only said what was used (a usage report without a
    cost report); ``usage`` is None when it only said what it cost.
    """

    day: date
    model: str
    cost_nano: int | None = None
    usage: Usage | None = None
    requests: int | None = None


@dataclass(frozen=True, slots=True)
class ProviderTotal:
    """A period the provider reports only as a total (OpenRouter): [start, end) in UTC days."""

    label: str
    start: date
    end: date
    cost_nano: int


@dataclass
class ProviderReport:
    """Everything one fetch (or one CSV file) said, with where it came from."""

    provider: str
    source: str  # "api" or "csv:<file name>"
    start: date
    end: date  # exclusive
    lines: list[ProviderLine] = field(default_factory=list)
    totals: list[ProviderTotal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # False when the provider reports only period totals (OpenRouter): the wallet's days and
    # models are then compared through ``totals`` only, never as rows the provider "left out".
    by_day_model: bool = True


def usd_nano(value: Any, where: str) -> int:
    """A USD amount the provider sent (Decimal from JSON, int, or text) → nano-USD."""
    return usd_to_nano(decimal_of(value, where))


def cents_nano(value: Any, where: str) -> int:
    """An amount in cents (Anthropic's cost report: ``"123.45"`` is $1.2345) → nano-USD."""
    return usd_to_nano(decimal_of(value, where) / 100)


def decimal_of(value: Any, where: str) -> Decimal:
    """A finite Decimal from a JSON number or a decimal string; anything else names ``where``."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ReconcileError(f"unexpected answer: {where} is not a number ({type(value).__name__})")
    try:
        d = Decimal(value.strip() if isinstance(value, str) else value)
    except ArithmeticError:
        raise ReconcileError(f"unexpected answer: {where} is not a number ({str(value)[:40]!r})") from None
    if not d.is_finite() or abs(d) > Decimal(10) ** 12:
        raise ReconcileError(f"unexpected answer: {where} is not a believable amount ({str(value)[:40]!r})")
    return d


def count_of(value: Any, where: str) -> int:
    """A token or request count: a non-negative integer (missing/null counts as 0)."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 10**15:
        raise ReconcileError(f"unexpected answer: {where} is not a token count ({str(value)[:40]!r})")
    return value


def usd_text(nano: int | None, *, signed: bool = False) -> str:
    """Exact dollars: cents always shown, more digits only when the amount has them (``$0.0031``)."""
    if nano is None:
        return "—"
    usd = nano_to_usd(abs(nano))
    text = f"{usd.quantize(_CENT):,.2f}" if usd == usd.quantize(_CENT) else _exact(usd)
    sign = "-" if nano < 0 else ("+" if signed and nano > 0 else "")
    return f"{sign}${text}"


_CENT = Decimal("0.01")


def _exact(usd: Decimal) -> str:
    text = f"{usd:,f}"
    return text.rstrip("0") if "." in text else text


def usd_short(nano: int | None, *, signed: bool = False) -> str:
    """Money for a table: cents, more digits only for amounts under a cent (JSON keeps it exact)."""
    if nano is None:
        return "—"
    text = format_usd(nano)
    return f"+{text}" if signed and nano > 0 and text != "$0.00" else text
