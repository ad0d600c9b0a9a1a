"""Display formatting for the window: money in the user's currency, tokens, dates in plain words.

Amounts stay exact (nano-USD ints) until this module turns them into text; the display currency is
a symbol plus an exact Decimal rate from the wallet settings (``currency``, ``currency_rate``; for
CNY the wallet's own CNY rate, ``tokenwallet fx``, so a call priced at ¥4 shows ¥4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QDate, QLocale

from tokenwallet.core.money import CURRENCY_SIGNS, format_tokens, format_usd
from tokenwallet.gui.i18n import tr

SYMBOLS = CURRENCY_SIGNS


@dataclass(frozen=True)
class Display:
    """How money is shown: ``currency`` code and the exact rate from USD."""

    currency: str = "USD"
    rate: Decimal = Decimal(1)

    @classmethod
    def from_settings(cls, currency: Any, rate: Any) -> Display:
        code = str(currency or "USD").upper()
        try:
            r = Decimal(str(rate)) if rate not in (None, "") else Decimal(1)
        except InvalidOperation:
            r = Decimal(1)
        if not r.is_finite() or r <= 0:
            r = Decimal(1)
        return cls(code, r)

    @property
    def symbol(self) -> str:
        return SYMBOLS.get(self.currency, f"{self.currency} ")

    def money(self, nano: int, places: int | None = None) -> str:
        return format_usd(nano, places=places, symbol=self.symbol, rate=self.rate)

    def amount(self, unit: str, value: int) -> str:
        return self.money(value) if unit == "usd" else format_tokens(value)


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``23rd``, ``24th``."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def day_words(day: date, today: date) -> str:
    """``the 24th`` within this month, ``3 Mar`` beyond it, with the year when it differs."""
    if day.year == today.year and day.month == today.month:
        # a translation may use {day} (Chinese: 24日) rather than the English ordinal
        return tr("the {ordinal}", "or {day}: the plain number").format(ordinal=ordinal(day.day), day=day.day)
    if day.year == today.year:
        return short_date(day)
    return QLocale().toString(QDate(day.year, day.month, day.day), tr("d MMM yyyy", "date format"))


def month_name(day: date) -> str:
    """``November 2026`` (``2026年11月``)."""
    return QLocale().toString(QDate(day.year, day.month, day.day), tr("MMMM yyyy", "date format"))


def short_date(day: date) -> str:
    """``3 Mar`` (``3月3日``): day and month in the app's language, for sentences and chart axes."""
    return QLocale().toString(QDate(day.year, day.month, day.day), tr("d MMM", "date format"))


def short_tokens(n: int) -> str:
    """``12.3k`` / ``4.1M`` without the word, for tight table cells and axis labels."""
    a = abs(n)
    if a >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if a >= 10_000:
        return f"{n / 1000:.1f}k"
    return f"{n:,}"
