"""The one rounding rule for reports and invoices: exact until the end, rounded once.

A client's bill is built like this (``m`` = markup %, ``t`` = tax %, ``r`` = invoice-currency
units per USD, set by the user):

1. **Cost**: each line is one (provider, model); its cost is the exact sum of the ledger's
   ``cost_nano`` for those calls. The lines add up to the ledger total to the nano-dollar.
2. **Subtotal**: ``ledger total × (1 + m/100) × r``, computed exactly (Decimal) and rounded
   **once** to the currency's minor unit (cents; none for JPY), half to even.
3. **Line amounts**: each line's ``cost × (1 + m/100) × r``, rounded the same way. The rounded
   lines may differ from the subtotal by a few cents; the difference is printed as an explicit
   **Rounding** line so the lines always add up to the subtotal on paper.
4. **Tax**: ``subtotal × t/100`` rounded half to even (tax is charged on the subtotal as billed).
5. **Total** = subtotal + tax.
6. **Cost / markup split** (reports): cost in currency = ``ledger total × r`` rounded once;
   markup = subtotal − cost, so cost + markup = subtotal exactly.

So an invoice total is a pure function of the ledger total, the three user-set numbers and the
currency, and anyone can re-derive it from the CSV (which carries the exact nano-USD cost).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from tokenwallet.core.money import NANO_PER_USD
from tokenwallet.wallet.errors import WalletError

#: Currencies whose minor unit is not the cent (ISO 4217 exponents).
MINOR_DIGITS = {
    "JPY": 0,
    "KRW": 0,
    "VND": 0,
    "CLP": 0,
    "ISK": 0,
    "UGX": 0,
    "XAF": 0,
    "XOF": 0,
    "PYG": 0,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
    "IQD": 3,
    "LYD": 3,
}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CNY": "¥"}
_HUNDRED = Decimal(100)


def minor_digits(currency: str) -> int:
    """Decimal places of the currency's minor unit (2 for most, 0 for JPY, 3 for KWD …)."""
    return MINOR_DIGITS.get(currency.upper(), 2)


def check_currency(code: str) -> str:
    """A three-letter currency code, upper-cased."""
    code = code.strip().upper()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise WalletError(f"not a currency code: {code!r} (three letters, e.g. EUR)")
    return code


def parse_decimal(
    text: str | Decimal | int, what: str, *, positive: bool = False, most: int | None = None
) -> Decimal:
    """A user-typed exact decimal ("15", "12.5", "0.92"): finite, not negative, optionally > 0."""
    try:
        d = Decimal(str(text).strip().rstrip("%").strip())
    except InvalidOperation:
        raise WalletError(f"{what}: not a number: {text!r}") from None
    if not d.is_finite() or d < 0 or (positive and d == 0):
        raise WalletError(f"{what} must be {'more than' if positive else 'at least'} zero: {text!r}")
    if most is not None and d > most:
        raise WalletError(f"{what} cannot be more than {most}: {text!r}")
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def exact_amount(cost_nano: int, rate: Decimal, markup_pct: Decimal = Decimal(0)) -> Decimal:
    """``cost × (1 + markup) × rate`` in currency units, exact."""
    return Decimal(cost_nano) * (1 + markup_pct / _HUNDRED) * rate / NANO_PER_USD


def to_minor(amount: Decimal, currency: str) -> int:
    """Currency units → integer minor units, half to even."""
    scaled = amount.scaleb(minor_digits(currency))
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def pct_minor(minor: int, pct: Decimal) -> int:
    """``pct`` % of an amount in minor units, half to even."""
    return int((Decimal(minor) * pct / _HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def format_minor(minor: int, currency: str, *, symbol: bool = True) -> str:
    """``€1,234.56`` / ``¥1,235`` / ``CHF 12.00``; negative amounts as ``-€0.02``."""
    digits = minor_digits(currency)
    value = Decimal(abs(minor)).scaleb(-digits)
    text = f"{value:,.{digits}f}"
    sign = "-" if minor < 0 else ""
    if not symbol:
        return f"{sign}{text}"
    sym = SYMBOLS.get(currency.upper())
    return f"{sign}{sym}{text}" if sym else f"{sign}{currency.upper()} {text}"


def plain_minor(minor: int, currency: str) -> str:
    """``1234.56`` for CSV: no symbol, no thousands separator, always the full minor digits."""
    digits = minor_digits(currency)
    return f"{Decimal(minor).scaleb(-digits):.{digits}f}"


def usd_exact(nano: int) -> str:
    """Exact USD with 9 decimals (``0.001234500``) for CSV and JSON: never rounded."""
    return f"{Decimal(nano).scaleb(-9):.9f}"


@dataclass(frozen=True, slots=True)
class Terms:
    """What a client is billed on top of cost: markup and tax in percent, currency and its rate."""

    markup_pct: Decimal = Decimal(0)
    tax_pct: Decimal = Decimal(0)
    currency: str = "USD"
    rate: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class Totals:
    """A bill's figures in minor units of ``terms.currency`` (see the module docstring)."""

    terms: Terms
    cost_nano: int
    line_minor: tuple[int, ...]  # each line's amount (markup included), in input order
    cost_minor: int
    markup_minor: int
    subtotal_minor: int
    rounding_minor: int  # subtotal − Σ line amounts (printed as its own line when non-zero)
    tax_minor: int
    total_minor: int


def bill(line_costs: list[int], terms: Terms) -> Totals:
    """Apply the rounding rule to lines of exact nano-USD costs."""
    cur = terms.currency
    cost = sum(line_costs)
    subtotal = to_minor(exact_amount(cost, terms.rate, terms.markup_pct), cur)
    lines = tuple(to_minor(exact_amount(c, terms.rate, terms.markup_pct), cur) for c in line_costs)
    cost_minor = to_minor(exact_amount(cost, terms.rate), cur)
    tax = pct_minor(subtotal, terms.tax_pct)
    return Totals(
        terms=terms,
        cost_nano=cost,
        line_minor=lines,
        cost_minor=cost_minor,
        markup_minor=subtotal - cost_minor,
        subtotal_minor=subtotal,
        rounding_minor=subtotal - sum(lines),
        tax_minor=tax,
        total_minor=subtotal + tax,
    )
