"""Exchange rates for prices set in another currency than USD (CNY for most Chinese providers).

The wallet books every cost in nano-USD, so a price in yuan is converted once per call, at the rate
in force when the call was priced; that rate travels in the price JSON of the ledger row (see
``pricing.model_price``), so a later change of rate changes only later calls.

The rate is the user's: ``tokenwallet fx set CNY 7.12`` stores it in the wallet setting
``cny_per_usd``. Until the user sets one, a dated default stands in, and every place that shows the
rate says it is the default and where it comes from (:func:`rate_note`). Token Wallet never fetches
a rate by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tokenwallet.core.money import format_exact, format_money
from tokenwallet.core.usage import Usage

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet


@dataclass(frozen=True, slots=True)
class DefaultRate:
    """A rate Token Wallet ships, used until the user sets their own."""

    per_usd: Decimal  # units of the currency per 1 USD
    as_of: str
    source: str


#: Currencies a price table may be in → the wallet setting holding the user's rate.
SETTINGS: dict[str, str] = {"CNY": "cny_per_usd"}

#: The rate genai-prices itself uses to turn Zhipu's CNY list into USD (its Zhipu price notes,
#: genai-prices 0.2.3): a published, dated figure rather than one we made up. Set your own.
DEFAULTS: dict[str, DefaultRate] = {
    "CNY": DefaultRate(
        Decimal("7.25"),
        "2026-06",
        "genai-prices 0.2.3, Zhipu price notes: 'converted to USD at 1 USD = 7.25 CNY (May/June 2026)'",
    ),
}


class FxError(ValueError):
    """A currency Token Wallet has no rate for, or a rate that is not a positive number."""


@dataclass(frozen=True, slots=True)
class Rate:
    """The rate in force for one currency and whether the user set it."""

    currency: str
    per_usd: Decimal
    user_set: bool
    as_of: str = ""
    source: str = ""

    def note(self) -> str:
        """``7.12 CNY per USD (your rate)`` or ``7.25 CNY per USD (default as of 2026-06: …)``."""
        text = f"{_plain(self.per_usd)} {self.currency} per USD"
        if self.user_set:
            return f"{text} (your rate)"
        return f"{text} (default as of {self.as_of}, from {self.source}; set yours with `tokenwallet fx set`)"


def currency_code(text: str) -> str:
    code = str(text or "").strip().upper()
    if code not in SETTINGS:
        known = ", ".join(sorted(SETTINGS))
        raise FxError(f"no exchange rate is kept for {code or '(none)'}: prices are in USD or {known}")
    return code


def parse_rate(text: Any) -> Decimal:
    """A rate the user typed: a finite number above zero (units of the currency per 1 USD)."""
    try:
        d = Decimal(str(text).strip())
    except ArithmeticError:
        raise FxError(f"cannot read exchange rate {text!r} (e.g. 7.12)") from None
    if not d.is_finite() or d <= 0:
        raise FxError(f"an exchange rate must be a number above zero, not {text!r}")
    return d


def rate_from(currency: str, stored: Any) -> Rate:
    """The rate for ``currency`` given the setting's stored value (None: the dated default)."""
    default = DEFAULTS[currency]
    if stored is None:
        return Rate(currency, default.per_usd, False, default.as_of, default.source)
    return Rate(currency, Decimal(str(stored)), True)


def wallet_rates(wallet: Wallet) -> dict[str, Rate]:
    """Every currency's rate in force in ``wallet``."""
    return {code: rate_from(code, wallet.get_setting(name)) for code, name in SETTINGS.items()}


@dataclass(frozen=True, slots=True)
class Shown:
    """How the wallet shows money: the display currency and its rate from USD.

    For a currency prices are kept in (CNY) the rate is the wallet's exchange rate, so a call priced
    at ¥4 shows ¥4 while that rate holds; for any other the display setting ``currency_rate``.
    """

    currency: str = "USD"
    rate: Decimal = Decimal(1)

    def money(self, nano: int, *, places: int | None = None) -> str:
        return format_money(nano, self.currency, self.rate, places=places)

    def row_cost(self, cost_nano: int, price_json: str, usage: Usage) -> str:
        """A ledger row's cost: its exact original amount when it was priced in the display
        currency (whatever the rate is now), else its USD cost at the display rate."""
        native = native_cost(price_json, usage, cost_nano)
        if native is not None and native.currency == self.currency:
            return format_exact(native.amount, native.currency)
        return self.money(cost_nano)


def shown(wallet: Wallet) -> Shown:
    """The wallet's display currency (setting ``currency``) and the rate it is shown at."""
    code = str(wallet.get_setting("currency") or "USD").upper()
    if code in SETTINGS:
        return Shown(code, rate_from(code, wallet.get_setting(SETTINGS[code])).per_usd)
    rate = Decimal(str(wallet.get_setting("currency_rate") or 1))
    return Shown(code, rate if rate.is_finite() and rate > 0 else Decimal(1))


@dataclass(frozen=True, slots=True)
class NativeCost:
    """What a call priced in another currency cost in it, and the rate it was booked at."""

    currency: str
    amount: Decimal  # exact, in ``currency``
    usd_rate: Decimal


def native_cost(price_json: str, usage: Usage, cost_nano: int) -> NativeCost | None:
    """The original amount of a ledger row priced in another currency than USD; None for a USD
    price, or when the row's cost is not its usage at its price (then only the USD cost is known)."""
    if '"currency"' not in price_json:  # cheap: USD prices never write the key
        return None
    from tokenwallet.pricing.model_price import ModelPrice

    try:
        price = ModelPrice.from_json(price_json)
    except (ValueError, TypeError, KeyError, ArithmeticError):
        return None
    if price.currency == "USD" or price.usd_rate is None or price.cost_nano(usage) != cost_nano:
        return None
    return NativeCost(price.currency, price.cost_native(usage), price.usd_rate)


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
