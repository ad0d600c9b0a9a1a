"""Exact money and amounts.

Money is an ``int`` of nano-USD (10⁻⁹ USD) everywhere in the core: sums are exact, comparisons
are cheap, and SQLite stores it as an INTEGER. Prices come as ``Decimal`` USD per million tokens;
:func:`usd_to_nano` is the one place where a Decimal becomes nanos (round half to even).
Floats never touch money.

An envelope is budgeted either in money or in tokens, so amounts carry their unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Literal

NANO_PER_USD = 10**9
Unit = Literal["usd", "tokens"]

_NANO = Decimal(NANO_PER_USD)
_SUFFIX = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9}
_AMOUNT = re.compile(
    r"""^\s*(?P<cur>\$|usd\s*)?(?P<num>[0-9][0-9_,]*(?:\.[0-9]+)?|\.[0-9]+)\s*
        (?P<suffix>[kmb])?\s*(?P<unit>\$|usd|dollars?|tokens?|tok|t)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


class AmountError(ValueError):
    """A money or token amount the user typed cannot be read."""


@dataclass(frozen=True, slots=True)
class Amount:
    """A budget amount: ``value`` is nano-USD when ``unit == "usd"``, whole tokens otherwise."""

    unit: Unit
    value: int

    def __str__(self) -> str:
        return format_amount(self.unit, self.value)


def usd_to_nano(usd: Decimal | int | str) -> int:
    """Exact USD → nano-USD, rounding half to even below one nano-dollar."""
    try:
        d = Decimal(usd)
    except InvalidOperation as exc:
        raise AmountError(f"not a number: {usd!r}") from exc
    if not d.is_finite():
        raise AmountError(f"not a finite amount: {usd!r}")
    return int((d * _NANO).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def nano_to_usd(nano: int) -> Decimal:
    """nano-USD → exact Decimal USD."""
    return Decimal(nano) / _NANO


def parse_amount(text: str, *, default_unit: Unit = "usd") -> Amount:
    """Read what a user types for a budget, top-up or transfer.

    ``"20"``, ``"$20"``, ``"20 USD"``, ``"0.50"`` → money; ``"2M tokens"``, ``"500k tokens"``,
    ``"1500 tokens"`` → tokens. A bare number takes ``default_unit``. Negative amounts are refused:
    the caller decides direction (a transfer, a refund), never the sign of a typed number.
    """
    m = _AMOUNT.match(text or "")
    if not m:
        raise AmountError(f"cannot read amount {text!r} (try '20', '$5.50' or '2M tokens')")
    num = Decimal(m["num"].replace(",", "").replace("_", ""))
    scale = _SUFFIX[(m["suffix"] or "").lower()]
    unit_word = (m["unit"] or "").lower()
    if m["cur"] or unit_word in {"$", "usd", "dollar", "dollars"}:
        unit: Unit = "usd"
    elif unit_word in {"token", "tokens", "tok", "t"}:
        unit = "tokens"
    else:
        unit = default_unit
    value = num * scale
    if unit == "tokens":
        if value != value.to_integral_value():
            raise AmountError(f"token amounts are whole numbers: {text!r}")
        return Amount("tokens", int(value))
    return Amount("usd", usd_to_nano(value))


def format_usd(nano: int, *, places: int | None = None, symbol: str = "$", rate: Decimal = Decimal(1)) -> str:
    """Human money, one rule for the CLI and every view of the app.

    $1 and more: cents (``$12.40``, ``$1,204.00``). Under $1: two significant digits, never fewer
    than two decimals (``$0.25``, ``$0.05``, ``$0.012``, ``$0.00078``), so a small cost is never
    shown as ``$0.00``; down to the wallet's nano-dollar. ``rate`` converts USD into a display
    currency (exactly, as Decimal) before formatting; ``places`` forces a fixed number of decimals.
    """
    usd = nano_to_usd(nano) * rate
    sign = "-" if usd < 0 else ""
    usd = abs(usd)
    auto = places is None
    if places is None:
        places = 2
        while places < 9 and usd and usd < Decimal(10) ** (1 - places):
            places += 1
    text = f"{usd.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN):,.{places}f}"
    if auto and places > 2:  # extra digits only to show the leading figures: drop trailing zeros
        whole, _, frac = text.partition(".")
        text = f"{whole}.{frac.rstrip('0').ljust(2, '0')}"
    return f"{sign}{symbol}{text}"


#: How a display currency is written before its amount (others: the code and a space).
CURRENCY_SIGNS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "¥",
    "INR": "₹",
    "CHF": "CHF ",
    "CAD": "C$",
}


def currency_sign(code: str) -> str:
    return CURRENCY_SIGNS.get(code.upper(), f"{code.upper()} ")


def format_money(
    nano: int, currency: str = "USD", rate: Decimal = Decimal(1), *, places: int | None = None
) -> str:
    """nano-USD shown in ``currency`` at ``rate`` units per USD: ``¥8.55`` for 1.2 USD at 7.125."""
    return format_usd(nano, places=places, symbol=currency_sign(currency), rate=rate)


def format_exact(amount: Decimal, currency: str) -> str:
    """An amount already in ``currency`` (a yuan price's own cost), shown like :func:`format_money`."""
    return format_usd(usd_to_nano(amount), symbol=currency_sign(currency))


def format_tokens(n: int) -> str:
    """``1,234 tokens``, ``1.2M tokens``: short for big numbers, exact for small ones."""
    a = abs(n)
    if a >= 1_000_000:
        return f"{n // 1_000_000}M tokens" if a % 1_000_000 == 0 else f"{n / 1_000_000:.1f}M tokens"
    if a >= 100_000:
        return f"{n // 1000}k tokens" if a % 1000 == 0 else f"{n / 1000:.0f}k tokens"
    return f"{n:,} tokens"


def format_amount(unit: Unit, value: int) -> str:
    return format_usd(value) if unit == "usd" else format_tokens(value)
