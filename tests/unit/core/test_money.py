from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokenwallet.core.money import (
    NANO_PER_USD,
    Amount,
    AmountError,
    format_tokens,
    format_usd,
    nano_to_usd,
    parse_amount,
    usd_to_nano,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20", Amount("usd", 20 * NANO_PER_USD)),
        ("$5.50", Amount("usd", 5_500_000_000)),
        ("20 USD", Amount("usd", 20 * NANO_PER_USD)),
        ("0.0375", Amount("usd", 37_500_000)),
        ("1,250.10", Amount("usd", 1_250_100_000_000)),
        ("2M tokens", Amount("tokens", 2_000_000)),
        ("500k tokens", Amount("tokens", 500_000)),
        ("1500 tokens", Amount("tokens", 1500)),
        ("1.5M tokens", Amount("tokens", 1_500_000)),
    ],
)
def test_parse_amount_reads_what_users_type(text: str, expected: Amount) -> None:
    assert parse_amount(text) == expected


def test_bare_number_takes_the_default_unit() -> None:
    assert parse_amount("300", default_unit="tokens") == Amount("tokens", 300)


@pytest.mark.parametrize("text", ["", "abc", "-5", "5 euros", "1.5 tokens", "$", "1e9"])
def test_parse_amount_refuses_nonsense_with_a_message(text: str) -> None:
    with pytest.raises(AmountError, match=r"amount|whole"):
        parse_amount(text)


def test_usd_to_nano_is_exact_and_rounds_half_even() -> None:
    assert usd_to_nano(Decimal("0.0000000005")) == 0
    assert usd_to_nano(Decimal("0.0000000015")) == 2
    assert usd_to_nano("12.5") == 12_500_000_000
    with pytest.raises(AmountError):
        usd_to_nano("NaN")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_nano_round_trips_through_decimal(nano: int) -> None:
    assert usd_to_nano(nano_to_usd(nano)) == nano


def test_format_usd_keeps_small_amounts_readable() -> None:
    assert format_usd(12_400_000_000) == "$12.40"
    assert format_usd(3_100_000) == "$0.0031"
    assert format_usd(50_000_000) == "$0.05"
    assert format_usd(0) == "$0.00"
    assert format_usd(-2_000_000_000) == "-$2.00"
    assert format_usd(10 * NANO_PER_USD, symbol="€", rate=Decimal("0.92")) == "€9.20"


@pytest.mark.parametrize(
    ("nano", "text"),
    [
        (0, "$0.00"),
        (1, "$0.000000001"),  # down to the wallet's nano-dollar, never "$0." or "$0.00"
        (780, "$0.00000078"),
        (5_500_000, "$0.0055"),  # two significant digits under $1
        (12_345_678, "$0.012"),
        (123_456_789, "$0.12"),
        (999_999_999, "$1.00"),
        (1_000_000_000, "$1.00"),  # cents from $1
        (1_234_567_890_123, "$1,234.57"),
        (-5_500_000, "-$0.0055"),
    ],
)
def test_format_usd_one_rule_two_significant_digits_under_a_dollar(nano: int, text: str) -> None:
    assert format_usd(nano) == text


def test_format_usd_fixed_places_when_asked() -> None:
    assert format_usd(5_500_000, places=2) == "$0.01"
    assert format_usd(5_500_000, places=4) == "$0.0055"


def test_format_tokens() -> None:
    assert format_tokens(1234) == "1,234 tokens"
    assert format_tokens(250_000) == "250k tokens"
    assert format_tokens(2_000_000) == "2M tokens"
    assert format_tokens(1_500_000) == "1.5M tokens"
