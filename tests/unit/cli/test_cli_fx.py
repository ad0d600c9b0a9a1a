"""``tokenwallet fx``, and ``status``/``history`` shown in yuan when the display currency is CNY."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from cli_helpers import Run

from tokenwallet.core.usage import Usage
from tokenwallet.pricing import PriceBook
from tokenwallet.wallet import CallRecord, Wallet


def test_fx_shows_the_default_sets_yours_and_resets(tw: Run) -> None:
    first = tw("fx")
    assert first.code == 0 and "7.25 CNY per USD (default as of 2026-06" in first.out
    assert tw("fx", "set", "CNY", "7.12").code == 0
    shown = json.loads(tw("fx", "--json").out)
    assert shown["CNY"] == {"per_usd": "7.12", "user_set": True, "as_of": None, "source": None}
    assert tw("settings", "get", "cny_per_usd").out.strip() == "7.12"
    bad = tw("fx", "set", "CNY", "-3")
    assert bad.code != 0 and "above zero" in bad.err
    assert tw("fx", "set", "EUR", "0.9").code != 0
    assert tw("fx", "reset", "CNY").code == 0
    assert json.loads(tw("fx", "--json").out)["CNY"]["user_set"] is False


def _yuan_call(data_dir: Path, rate: Decimal) -> int:
    """One Kimi call priced in yuan at ``rate``: ¥4 in / ¥16 out per 1M → ¥0.0200 for 1000 + 1000."""
    price = PriceBook(fx_rates={"CNY": rate}).lookup("moonshot-cn", "kimi-k2-0905-preview")
    usage = Usage(input_tokens=1_000, output_tokens=1_000)
    w = Wallet.open(data_dir / "wallet.db")
    try:
        w.record(
            CallRecord(
                call_id="kimi-1",
                binding=w.binding_for("alice"),
                provider="moonshot-cn",
                model="kimi-k2-0905-preview",
                endpoint="chat/completions",
                status=200,
                stream=False,
                usage=usage,
                cost_nano=price.cost_nano(usage),
                price_json=price.to_json(),
                price_source=price.source,
                estimated=False,
                unpriced=False,
                duration_ms=100,
            )
        )
    finally:
        w.close()
    return price.cost_nano(usage)


def test_history_in_yuan_keeps_a_calls_own_amount_after_the_rate_moves(tw: Run, data_dir: Path) -> None:
    tw("profile", "add", "alice")
    cost = _yuan_call(data_dir, Decimal("7.12"))
    assert cost == 2_808_989  # ¥0.02 / 7.12 in nano-USD
    rows = json.loads(tw("history", "--json").out)
    assert rows[0]["cost_nano"] == cost and rows[0]["cost_usd"] == "0.002808989"
    assert (rows[0]["price_currency"], rows[0]["cost_in_currency"], rows[0]["usd_rate"]) == (
        "CNY",
        "0.02",
        "7.12",
    )
    assert "$0.0028" in tw("history").out  # USD display: the booked dollars
    tw("settings", "set", "currency", "CNY")
    tw("fx", "set", "CNY", "8")  # the rate moved since the call
    table = tw("history").out
    assert (
        "  ¥0.02  " in table.rstrip().splitlines()[-1] and "$" not in table
    )  # its own yuan, not 2808989 nano × 8 = ¥0.022


def test_status_shows_budgets_in_yuan_at_the_wallet_rate(tw: Run) -> None:
    tw("profile", "add", "alice")
    tw("budget", "set", "--profile", "alice", "20")
    assert "$20.00" in tw("status").out
    tw("settings", "set", "currency", "CNY")
    tw("fx", "set", "CNY", "7.1")
    out = tw("status").out
    assert "¥142.00" in out and "$20" not in out
    shown = json.loads(tw("status", "--json").out)[0]
    assert shown["assigned"] == 20_000_000_000 and shown["display"]["assigned"] == "¥142.00"
