"""Plain-words forecasts and display formatting (pure functions, no window)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tokenwallet.gui.display import Display, day_words, ordinal
from tokenwallet.gui.forecast import forecast

USD = 10**9
D = Display()
START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 12, 1, tzinfo=UTC)


def fc(spent: int, available: int, now: datetime, unit: str = "usd", period: str | None = "month") -> str:
    return forecast(
        unit=unit,
        period=period,
        period_start=START,
        period_end=END if period else None,
        spent=spent,
        available=available,
        now=now,
        display=D,
    ).text


def test_runs_out_before_the_reset() -> None:
    # $10 spent in 10 days, $10 left → empty on the 21st
    assert (
        fc(10 * USD, 10 * USD, datetime(2026, 11, 11, tzinfo=UTC))
        == "at this pace you will run out on the 21st"
    )


def test_projected_month_spend_when_it_lasts() -> None:
    # $4 in 10 days of a 30-day month → $12.00 projected
    assert fc(4 * USD, 16 * USD, datetime(2026, 11, 11, tzinfo=UTC)) == "projected month spend $12.00"


def test_tokens_and_edge_cases() -> None:
    now = datetime(2026, 11, 16, tzinfo=UTC)
    assert fc(1_000_000, 9_000_000, now, unit="tokens") == "projected month spend 2M tokens"
    assert fc(0, 5 * USD, now) == "nothing spent this month"
    assert fc(5 * USD, 0, now).startswith("used up")
    assert "lasts for years" in fc(1, 10**15, now, period=None)
    assert (
        fc(10 * USD, 100 * USD, now, period=None) == "at this pace it runs out on 15 Apr 2027"
    )  # 150 days at $10 per 15 days


def test_words() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 24)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
        "24th",
    ]
    today = datetime(2026, 11, 5).date()
    assert day_words(datetime(2026, 11, 24).date(), today) == "the 24th"
    assert day_words(datetime(2026, 12, 3).date(), today) == "3 Dec"


def test_display_currency_is_exact() -> None:
    eur = Display.from_settings("eur", "0.92")
    assert eur.money(10 * USD) == "€9.20"
    assert Display.from_settings("XYZ", "-3").rate == Decimal(1)
    assert Display.from_settings("XYZ", "2").money(USD) == "XYZ 2.00"
    assert D.amount("tokens", 1500) == "1,500 tokens"
