"""``history`` and ``status`` over a wallet with real ledger rows and an in-flight hold."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_helpers import Run

from tokenwallet.core.usage import Usage
from tokenwallet.pricing import PriceBook
from tokenwallet.wallet import CallRecord, HoldRequest, Wallet
from tokenwallet.wallet.types import KeyBinding


def _record(w: Wallet, book: PriceBook, binding: KeyBinding, n: int, *, provider: str, model: str) -> None:
    price = book.lookup(provider, model)
    usage = Usage(input_tokens=1000 + n, cache_read_tokens=200, output_tokens=300)
    w.record(
        CallRecord(
            call_id=f"call-{n}",
            binding=binding,
            provider=provider,
            model=model,
            endpoint="chat/completions",
            status=200,
            stream=False,
            usage=usage,
            cost_nano=book.cost(price, usage),
            price_json=price.to_json(),
            price_source=price.source,
            estimated=n == 2,
            unpriced=False,
            duration_ms=120,
            prompt_text="a stored prompt" if n == 0 else None,
        )
    )


@pytest.fixture
def wallet_with_calls(tw: Run, data_dir: Path) -> Run:
    tw("profile", "add", "alice")
    tw("profile", "add", "bob")
    tw("project", "add", "acme")
    tw("budget", "set", "--profile", "alice", "20", "--action", "block")
    tw("budget", "set", "--wallet", "2M tokens", "--period", "day")
    w = Wallet.open(data_dir / "wallet.db")
    try:
        book = PriceBook()
        alice = w.resolve_key(w.new_key("alice", project="acme"))
        bob = w.resolve_key(w.new_key("bob"))
        assert alice is not None and bob is not None
        for n in range(5):
            _record(w, book, alice, n, provider="openai", model="gpt-4o")
        _record(w, book, bob, 5, provider="anthropic", model="claude-sonnet-4-5")
        held = w.reserve(
            HoldRequest("in-flight", alice, "openai", "gpt-4o", "chat/completions", True, 500, 10**7, 1500)
        )
        assert held.hold_id is not None
    finally:
        w.close()
    return tw


def test_history_table_json_csv_and_filters(wallet_with_calls: Run) -> None:
    tw = wallet_with_calls
    rows = json.loads(tw("history", "--json").out)
    assert len(rows) == 6
    assert {r["model"] for r in rows} == {"gpt-4o", "claude-sonnet-4-5"}
    assert all("prompt_text" not in r for r in rows)
    first = rows[-1]
    assert (
        first["input_tokens"] >= 1000 and first["cache_read_tokens"] == 200 and first["output_tokens"] == 300
    )
    assert first["cost_nano"] > 0 and first["cost_usd"].startswith("0.")

    alice = json.loads(tw("history", "--profile", "alice", "--json").out)
    assert len(alice) == 5 and {r["project"] for r in alice} == {"acme"}
    assert len(json.loads(tw("history", "--provider", "anthropic", "--json").out)) == 1
    assert len(json.loads(tw("history", "--model", "gpt-4o", "--limit", "2", "--json").out)) == 2
    assert len(json.loads(tw("history", "--since", "2000-01-01", "--until", "2999-12-31", "--json").out)) == 6
    assert json.loads(tw("history", "--until", "2000-01-01", "--json").out) == []

    with_prompts = json.loads(tw("history", "--prompts", "--json").out)
    assert "a stored prompt" in {r["prompt_text"] for r in with_prompts}

    table = csv.DictReader(io.StringIO(tw("history", "--csv", "--limit", "0").out))
    parsed = list(table)
    assert len(parsed) == 6 and parsed[0]["provider"] in {"openai", "anthropic"}
    assert {r["estimated"] for r in parsed} == {"true", "false"}

    text = tw("history", "--limit", "3").out
    assert "gpt-4o" in text
    assert "rows 1–3 of 6" in text


def test_status_shows_spent_and_held(wallet_with_calls: Run) -> None:
    tw = wallet_with_calls
    rows = {s["scope"]: s for s in json.loads(tw("status", "--json").out)}
    alice = rows["profile:alice"]
    assert alice["spent"] > 0 and alice["held"] == 10**7
    assert (
        alice["available"]
        == alice["assigned"] + alice["carried"] + alice["topups"] - alice["spent"] - alice["held"]
    )
    assert alice["projected"] is not None and alice["projected"] >= alice["spent"]
    tokens = rows["wallet"]
    assert (
        tokens["unit"] == "tokens" and tokens["spent"] == 6 * 1500 + sum(range(6)) and tokens["held"] == 1500
    )
    text = tw("status").out
    assert "profile:alice" in text and "tokens" in text


def test_export_csv_json_and_file(wallet_with_calls: Run, tmp_path: Path) -> None:
    tw = wallet_with_calls
    rows = list(csv.DictReader(io.StringIO(tw("export").out)))
    assert len(rows) == 6
    assert len(json.loads(tw("export", "--json", "--profile", "bob").out)) == 1
    target = tmp_path / "calls.csv"
    r = tw("export", "-o", str(target))
    assert r.code == 0 and "6 calls" in r.err
    assert len(list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))) == 6
    assert not list(tmp_path.glob(".calls.csv.tmp"))
    r = tw("export", "-o", str(tmp_path / "missing-dir" / "x.csv"))
    assert r.code == 1 and len(r.err.strip().splitlines()) == 1
