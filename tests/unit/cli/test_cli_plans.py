"""``tokenwallet plan …`` and the subscriptions block of ``status``, against a real wallet file.

Imported rows are written the way the log importers write them (``Wallet.record`` with
``source="imported:<tool>"``) a minute or two before now, so they sit in the running 5-hour
window, this week and this month whatever the hour the test runs at.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_helpers import Result, Run

from tokenwallet.core.usage import Usage
from tokenwallet.wallet import CallRecord, Wallet

SONNET_PRICE = '{"model": "claude-sonnet-4-5", "input_mtok": "3", "output_mtok": "15"}'


def write_imported(data_dir: Path, profile: str, costs: list[int], tool: str = "claude-code") -> None:
    now = datetime.now(UTC)
    w = Wallet.open(data_dir / "wallet.db")
    try:
        for i, cost in enumerate(costs):
            w.record(
                CallRecord(
                    call_id=f"{tool}-{i}", binding=w.binding_for(profile), provider="anthropic",
                    model="claude-sonnet-4-5", endpoint="messages", status=200, stream=True,
                    usage=Usage(input_tokens=1000, cache_read_tokens=20_000, output_tokens=500),
                    cost_nano=cost, price_json=SONNET_PRICE, price_source="test", estimated=False,
                    unpriced=False, duration_ms=0, source=f"imported:{tool}",
                    started_at=now - timedelta(seconds=90 - 30 * i),
                )
            )  # fmt: skip
    finally:
        w.close()


def snapshot(data_dir: Path) -> str:
    conn = sqlite3.connect(data_dir / "wallet.db")
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def alice(tw: Run) -> Run:
    assert tw("profile", "add", "alice").code == 0
    return tw


def test_set_show_and_the_month_s_value(alice: Run, data_dir: Path) -> None:
    r = alice("plan", "set", "--profile", "alice", "claude-max-5x")
    assert (r.code, r.out, r.err) == (0, "alice now has Claude Max 5x for claude-code: $100.00/month\n", "")
    write_imported(data_dir, "alice", [1_234_567_891, 2_265_432_109])  # $3.50 exactly
    write_imported(data_dir, "alice", [999_000_000_000], tool="codex")  # not this plan's tool
    out = alice("plan", "show").out
    assert "alice · Claude Max 5x (imported:claude-code) · $100.00/month" in out
    assert "5-hour window: $3.50 · 43,000 tokens · 2 requests · 10 % of ≈$35.00" in out
    assert "Claude-Code-Usage-Monitor's estimate, not Anthropic's" in out
    assert "Your $100.00 plan did $3.50 of API-priced work this month (3 % of its price)." in out
    assert "Limits: No token limit is published." in out
    assert "rolling (set the reset time with 'plan set … --weekly-reset')" in out

    (d,) = json.loads(alice("plan", "show", "--json").out)
    assert d["month"]["api_value_nano"] == 3_500_000_000 and d["month"]["requests"] == 2
    assert d["session"]["cost_nano"] == 3_500_000_000 and d["session"]["tokens"] == 43_000
    assert (
        d["session"]["limit"] == {"unit": "usd", "amount": 35_000_000_000} and d["session"]["used_pct"] == 10
    )
    assert d["week"]["resets"] is None and d["sources"]["limits"].startswith("https://support.anthropic.com/")


def test_status_gains_a_subscriptions_block(alice: Run, data_dir: Path) -> None:
    assert "Subscriptions" not in alice("status").out
    alice("plan", "set", "--profile", "alice", "chatgpt-plus")
    write_imported(data_dir, "alice", [20_000_000_000, 21_000_000_000], tool="codex")
    out = alice("status").out
    assert "Subscriptions (API-priced use of imported logs; 'plan show' for details)" in out
    row = next(line for line in out.splitlines() if line.startswith("alice"))
    assert "ChatGPT Plus" in row and "$41.00 / $20.00" in row and ", resets " in row
    assert json.loads(alice("status", "--json").out) == []  # the JSON of status stays the envelopes
    alice("budget", "set", "--profile", "alice", "20")
    out = alice("status").out
    assert out.index("profile:alice") < out.index("Subscriptions") < out.index("ChatGPT Plus")


def test_a_custom_plan_with_its_own_windows_and_limits(alice: Run, data_dir: Path) -> None:
    r = alice(
        "plan", "set", "--profile", "alice", "custom", "--tool", "gemini-cli", "--price", "$30",
        "--window", "3h", "--weekly", "--weekly-reset", "2026-12-03T20:00", "--window-limit", "2M tokens",
        "--weekly-limit", "$80",
    )  # fmt: skip
    assert r.out == "alice now has Custom plan (gemini-cli) for gemini-cli: $30.00/month\n"
    write_imported(data_dir, "alice", [4_000_000_000], tool="gemini-cli")
    (d,) = json.loads(alice("plan", "show", "--json").out)
    assert (d["plan"], d["window_minutes"], d["window_start"]) == ("custom", 180, "first")
    assert d["session"]["limit"] == {"unit": "tokens", "amount": 2_000_000}
    assert (
        d["session"]["used_pct"] == 21_500 * 100 // 2_000_000 and d["session"]["limit_source"] == "your limit"
    )
    assert d["week"]["limit"] == {"unit": "usd", "amount": 80_000_000_000} and d["week"]["used_pct"] == 5
    assert d["week"]["resets"] is not None and d["month"]["api_value_nano"] == 4_000_000_000
    out = alice("plan", "show").out
    assert "3-hour window: $4.00 · 21,500 tokens · 1 request · 1 % of your limit 2M tokens" in out
    assert "Week: $4.00" in out and "5 % of your limit $80.00" in out


def test_remove(alice: Run) -> None:
    alice("plan", "set", "--profile", "alice", "claude-pro")
    alice("plan", "set", "--profile", "alice", "chatgpt-pro")
    assert alice("plan", "remove", "--profile", "alice", "--tool", "codex").out == (
        "Removed ChatGPT Pro (codex) from alice\n"
    )
    assert (
        alice("plan", "remove", "--profile", "alice").out == "Removed Claude Pro (claude-code) from alice\n"
    )
    assert alice("plan", "show").out.startswith("No plans yet.")


def test_catalog_is_dated_and_sourced(tw: Run) -> None:
    d = json.loads(tw("plan", "catalog", "--json").out)
    assert d["as_of"] == "2026-11-29"
    assert {p["plan"]: p["price_nano"] for p in d["plans"]} == {
        "claude-pro": 20 * 10**9, "claude-max-5x": 100 * 10**9, "claude-max-20x": 200 * 10**9,
        "chatgpt-plus": 20 * 10**9, "chatgpt-pro": 200 * 10**9,
    }  # fmt: skip
    assert all(p["price_source"].startswith("https://") and p["limits_source"] for p in d["plans"])
    assert all("No token limit is published" in p["limits"] for p in d["plans"])


BAD = [
    ("plan", "set", "--profile", "alice", "claude-max-50x"),
    ("plan", "set", "--profile", "nobody", "claude-pro"),
    ("plan", "set", "--profile", "alice", "custom"),
    ("plan", "set", "--profile", "alice", "custom", "--price", "2M tokens"),
    ("plan", "set", "--profile", "alice", "custom", "--price", "-5"),
    ("plan", "set", "--profile", "alice", "custom", "--price", "20", "--window", "5x"),
    ("plan", "set", "--profile", "alice", "custom", "--price", "20", "--window", "200h"),
    ("plan", "set", "--profile", "alice", "custom", "--price", "20", "--weekly-reset", "2026-12-03T20:00"),
    ("plan", "set", "--profile", "alice", "custom", "--price", "20", "--window-limit", "$5"),
    ("plan", "set", "--profile", "alice", "custom", "--price", "20", "--tool", "bad tool!"),
    ("plan", "set", "--profile", "alice", "claude-pro", "--tool", "codex"),
    ("plan", "set", "--profile", "alice", "claude-pro", "--weekly-reset", "next thursday"),
    ("plan", "set", "--profile", "alice", "claude-pro", "--window-limit", "lots"),
    ("plan", "set", "--profile", "alice", "claude-pro", "--no-weekly", "--weekly-limit", "$5"),
    ("plan", "remove", "--profile", "alice", "--tool", "codex"),
    ("plan", "remove", "--profile", "nobody"),
    ("plan", "show", "--profile", "nobody"),
    ("plan",),
]


@pytest.mark.parametrize("args", BAD, ids=[" ".join(a[1:]) for a in BAD])
def test_bad_input_is_one_line_and_changes_nothing(alice: Run, data_dir: Path, args: tuple[str, ...]) -> None:
    alice("plan", "set", "--profile", "alice", "claude-max-20x")
    before = snapshot(data_dir)
    r: Result = alice(*args)
    assert r.code != 0 and r.out == "" and "Traceback" not in r.err
    assert len(r.err.strip().splitlines()) == 1, r.err
    assert snapshot(data_dir) == before


def test_bad_input_on_a_fresh_data_dir_leaves_nothing_behind(tw: Run, data_dir: Path) -> None:
    r = tw("plan", "set", "--profile", "nobody", "claude-pro")
    assert r.code == 1 and r.err == "tokenwallet: error: no profile named 'nobody'\n"
    assert not data_dir.exists()


def test_the_installed_command_finds_the_catalogue(shell: Run) -> None:
    r = shell("tokenwallet plan catalog && tokenwallet plan show")
    assert r.code == 0, r.err
    assert "claude-max-5x   Claude Max 5x   claude-code    $100.00  5h + week" in r.out
    assert r.out.rstrip().endswith("tokenwallet plan set --profile NAME claude-max-5x")
