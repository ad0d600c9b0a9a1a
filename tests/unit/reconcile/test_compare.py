"""The comparison itself: in-flight holds, days the provider has not closed, model names."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from fakes.ledger_plant import PRICES, plant
from tokenwallet.core.usage import Usage
from tokenwallet.reconcile import ProviderLine, ProviderReport, against_wallet, model_key
from tokenwallet.reconcile.compare import reconcile
from tokenwallet.reconcile.ledger import InFlight, wallet_lines
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.types import HoldRequest

NOW = datetime(2025, 3, 20, 15, 0, tzinfo=UTC)


def test_model_names_match_across_dated_snapshots() -> None:
    assert model_key("gpt-4o-2024-08-06") == model_key("gpt-4o") == "gpt-4o"
    assert model_key("claude-sonnet-4-5-20250929") == "claude-sonnet-4-5"
    assert model_key("claude-3-5-sonnet@20240620") == "claude-3-5-sonnet"
    assert model_key("o3") == "o3"


def test_holds_in_flight_and_unclosed_days_explain_a_wallet_ahead(wallet_path: Path) -> None:
    plant(wallet_path, datetime(2025, 3, 20, 9, tzinfo=UTC), "openai", "gpt-4o", Usage(input_tokens=400_000))
    plant(wallet_path, datetime(2025, 3, 19, 9, tzinfo=UTC), "openai", "gpt-4o", Usage(input_tokens=200_000))
    w = Wallet.open(wallet_path, clock=lambda: NOW)
    try:
        hold = HoldRequest("call-in-flight", w.binding_for("alice"), "openai", "gpt-4o-2024-08-06",
                           "chat/completions", True, 1000, 30_000_000, 5000)  # fmt: skip
        assert w.reserve(hold).hold_id is not None
    finally:
        w.close()
    report = ProviderReport("openai", "api", date(2025, 3, 1), date(2025, 3, 21))
    report.lines.append(ProviderLine(date(2025, 3, 20), "gpt-4o-2024-08-06", 400_000_000, None, None))

    rec = against_wallet(wallet_path, report, NOW)

    yesterday, today = rec.rows
    assert (yesterday.day, yesterday.provider_nano, yesterday.difference_nano) == (
        date(2025, 3, 19),
        None,
        None,
    )
    assert yesterday.causes == (
        "the provider has not reported this day yet (figures settle about a day after it ends)",
    )
    assert today.difference_nano == -600_000_000
    assert today.causes[0] == "1 request(s) still in flight, held at $0.03"
    assert today.causes[1].startswith("the provider has not closed this day yet")
    assert today.causes[2] == "the wallet charged more than the provider billed"
    assert (rec.difference_nano, rec.pending_nano) == (-600_000_000, 500_000_000)
    text = rec.summary(lambda nano, signed=False: f"{nano:+}" if signed else str(nano))
    assert text.endswith(
        "difference -600000000; 500000000 in the wallet on days the provider has not reported yet"
    )


def test_a_closed_day_the_provider_left_out_counts_as_zero(wallet_path: Path) -> None:
    plant(
        wallet_path, datetime(2025, 3, 2, 23, 59, tzinfo=UTC), "openai", "gpt-4o", Usage(output_tokens=1000)
    )
    lines = wallet_lines(wallet_path, "openai", date(2025, 3, 1), date(2025, 3, 21))
    assert [(x.day, x.metered_nano, x.calls) for x in lines] == [(date(2025, 3, 2), 10_000_000, 1)]
    assert lines[0].price_json == PRICES["gpt-4o"].to_json()
    rec = reconcile(ProviderReport("openai", "api", date(2025, 3, 1), date(2025, 3, 21)), lines, [], NOW)
    assert rec.rows[0].provider_nano == 0 and rec.rows[0].difference_nano == -10_000_000


def test_usage_only_lines_and_holds_on_other_days(wallet_path: Path) -> None:
    report = ProviderReport("openai", "api", date(2025, 3, 1), date(2025, 3, 21))
    report.lines.append(ProviderLine(date(2025, 3, 4), "gpt-4o", None, Usage(input_tokens=5), 1))
    rec = reconcile(report, [], [InFlight("gpt-4o", 2, 7_000_000)], NOW)
    assert rec.rows[0].causes == ("no cost from the provider for this day and model (usage only)",)
    # a call in flight today shows even before the wallet or the provider has a row for it
    assert (rec.rows[1].day, rec.rows[1].model, rec.rows[1].provider_nano) == (NOW.date(), "gpt-4o", None)
    assert rec.rows[1].causes[0] == "2 request(s) still in flight, held at $0.007"


@given(
    wallet=st.tuples(*(st.integers(0, 10**9) for _ in range(3))),
    extra=st.tuples(*(st.integers(0, 10**9) for _ in range(3))),
    cents=st.integers(-(10**9), 10**9),
)
def test_the_split_always_adds_up_to_the_difference(
    wallet: tuple[int, int, int], extra: tuple[int, int, int], cents: int
) -> None:
    """bypassed + price == difference, to the nano-dollar, whatever the counts and amounts."""
    from decimal import Decimal

    from tokenwallet.reconcile.ledger import WalletLine
    from tokenwallet.reconcile.report import cents_nano

    price = PRICES["claude-sonnet-4-5"]
    ours = Usage(input_tokens=wallet[0], cache_read_tokens=wallet[1], output_tokens=wallet[2])
    theirs = Usage(input_tokens=wallet[0] + extra[0], cache_read_tokens=wallet[1] + extra[1],
                   output_tokens=wallet[2] + extra[2])  # fmt: skip
    day = date(2025, 3, 2)
    line = WalletLine(day, "claude-sonnet-4-5", price.cost_nano(ours), 0, 1, 0, ours, price.to_json())
    billed = cents_nano(str(Decimal(cents) / 100), "test")
    report = ProviderReport("anthropic", "api", date(2025, 3, 1), date(2025, 3, 21))
    report.lines.append(ProviderLine(day, "claude-sonnet-4-5-20250929", billed, theirs, None))
    [row] = reconcile(report, [line], [], NOW).rows
    assert row.difference_nano == billed - line.metered_nano
    assert row.bypassed_nano is not None and row.price_nano is not None
    assert row.bypassed_nano + row.price_nano == row.difference_nano
    assert row.bypassed_nano == price.cost_nano(theirs) - price.cost_nano(ours)
    assert row.causes
