"""A console CSV export as the provider's side: accepted columns, exact money, clear refusals."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from fakes.ledger_plant import plant
from tokenwallet.core.usage import Usage
from tokenwallet.reconcile import ReconcileError, against_wallet, read_csv

FIXTURES = Path(__file__).parents[2] / "fixtures" / "reconcile"
NOW = datetime(2025, 3, 20, 12, tzinfo=UTC)
MARCH = (date(2025, 3, 1), date(2025, 3, 21))


def test_openai_cost_export_with_a_planted_difference(wallet_path: Path) -> None:
    plant(wallet_path, datetime(2025, 3, 3, 10, tzinfo=UTC), "openai", "gpt-4o", Usage(input_tokens=320_000))
    plant(
        wallet_path,
        datetime(2025, 3, 5, 10, tzinfo=UTC),
        "openai",
        "gpt-4o-mini",
        Usage(input_tokens=3_000_000),
    )
    report = read_csv(FIXTURES / "openai_costs.csv", "openai", MARCH)
    assert report.source == "csv:openai_costs.csv"
    rec = against_wallet(wallet_path, report, NOW)
    gpt4o, mini = rec.rows
    assert (gpt4o.model, gpt4o.provider_nano, gpt4o.metered_nano) == (
        "gpt-4o-2024-08-06",
        13_140_000_000,
        800_000_000,
    )
    assert gpt4o.difference_nano == 12_340_000_000  # to the cent, from "6.57" + "6.57" read as Decimal
    assert gpt4o.causes[0].startswith("calls that bypassed the meter (the provider sent no token counts")
    assert mini.difference_nano == 0
    # February's row is outside the month asked for.
    assert all(r.day.month == 3 for r in rec.rows)


def test_anthropic_export_with_tokens_splits_the_difference(wallet_path: Path) -> None:
    u = Usage(input_tokens=10_000, cache_read_tokens=100_000, cache_write_tokens=20_000, output_tokens=5_000)
    plant(wallet_path, datetime(2025, 3, 3, tzinfo=UTC), "anthropic", "claude-sonnet-4-5", u)
    rec = against_wallet(wallet_path, read_csv(FIXTURES / "anthropic_usage_cost.csv", "anthropic"), NOW)
    assert (rec.start, rec.end) == (date(2025, 3, 3), date(2025, 3, 5))  # the file's own days
    row = rec.rows[0]
    assert row.difference_nano == 12_340_000_000
    assert (row.bypassed_nano, row.price_nano) == (12_000_000_000, 340_000_000)
    assert rec.rows[1].provider_nano == 5_000_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("model,cost_usd\ngpt-4o,1\n", "no day column (one of date, day, usage_date_utc"),
        ("date,cost_usd\n2025-03-01,1\n", "no model column"),
        ("date,model\n2025-03-01,gpt-4o\n", "no cost column"),
        ("date,model,cost_usd\nyesterday,gpt-4o,1\n", "line 2 column 'date': not a date ('yesterday')"),
        (
            "date,model,cost_usd\n2025-03-01,gpt-4o,1e999\n",
            "line 2 column 'cost_usd' is not a believable amount",
        ),
        ("date,model,cost_usd\n2025-03-01,gpt-4o,twelve\n", "line 2 column 'cost_usd' is not a number"),
        ("date,model,cost,currency\n2025-03-01,gpt-4o,1,EUR\n", "currency is 'eur', only USD"),
        ("date,model,cost_usd,output_tokens\n2025-03-01,gpt-4o,1,-5\n", "'output_tokens' is not a count"),
        ("date,model,cost_usd\n", "no rows"),
    ],
)
def test_bad_exports_are_refused_with_the_line_and_column(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(text)
    with pytest.raises(ReconcileError, match=re.escape(message)):
        read_csv(path, "openai")


def test_cents_columns_and_unix_days(tmp_path: Path) -> None:
    path = tmp_path / "cents.csv"
    path.write_text("Bucket Start,Model Version,Amount (cents)\n1740960000,claude-opus-4-1,1234\n")
    [line] = read_csv(path, "anthropic").lines
    assert (line.day, line.model, line.cost_nano) == (date(2025, 3, 3), "claude-opus-4-1", 12_340_000_000)
