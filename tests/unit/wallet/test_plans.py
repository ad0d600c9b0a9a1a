"""Plans in a real wallet file (schema v11) and the imported use they are measured against."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from tokenwallet.billing.plans import Plan, catalog
from tokenwallet.billing.subscriptions import subscriptions
from tokenwallet.core.money import Amount
from tokenwallet.core.usage import Usage
from tokenwallet.core.windows import US_PER_HOUR
from tokenwallet.wallet import CallRecord, NotFound, Wallet
from tokenwallet.wallet.db import to_us

from .conftest import BOTH_BACKENDS, Clock, rec

backend = BOTH_BACKENDS

_ids = itertools.count(1)


def imported(
    w: Wallet, profile: str, cost: int, *, tool: str = "claude-code", usage: Usage | None = None,
    started: datetime | None = None,
) -> None:  # fmt: skip
    """One imported request, as the log importers write it, at the wallet clock's time."""
    base = rec(
        w.binding_for(profile), f"imp-{next(_ids)}", cost, usage or Usage(input_tokens=10, output_tokens=5)
    )
    w.record(
        CallRecord(
            **{f: getattr(base, f) for f in base.__dataclass_fields__ if f not in ("source", "started_at")},
            source=f"imported:{tool}",
            started_at=started,
        )
    )


def max5(profile: str = "alice", **kw: object) -> Plan:
    fields: dict[str, object] = {
        "profile": profile, "tool": "claude-code", "kind": "claude-max-5x", "price_nano": 100 * 10**9,
        "window_us": 5 * US_PER_HOUR, "window_start": "hour", "weekly": True, "week_anchor_us": None,
        "window_limit": None, "week_limit": None,
    }  # fmt: skip
    fields.update(kw)
    return Plan(**fields)  # type: ignore[arg-type]  # the fields above, typed by Plan


def test_a_profile_holds_one_plan_per_tool(wallet: Wallet) -> None:
    wallet.add_profile("alice")
    wallet.set_plan(max5())
    wallet.set_plan(max5(kind="claude-pro", price_nano=20 * 10**9, week_limit=Amount("tokens", 5_000_000)))
    codex = max5(tool="codex", kind="chatgpt-plus", window_start="first", week_anchor_us=123)
    wallet.set_plan(codex)
    got = wallet.plans("alice")
    assert [(p.tool, p.kind, p.price_nano) for p in got] == [
        ("claude-code", "claude-pro", 20 * 10**9),
        ("codex", "chatgpt-plus", 100 * 10**9),
    ]
    assert got[0].week_limit == Amount("tokens", 5_000_000) and got[1] == codex
    assert [p.tool for p in wallet.remove_plan("alice", "codex")] == ["codex"]
    assert [p.tool for p in wallet.remove_plan("alice")] == ["claude-code"]
    with pytest.raises(NotFound, match=r"profile 'alice' has no plan$"):
        wallet.remove_plan("alice")
    with pytest.raises(NotFound, match="bob"):
        wallet.set_plan(max5("bob"))


def test_a_plan_counts_only_its_profile_s_imported_rows_of_its_tool(wallet: Wallet, clock: Clock) -> None:
    for name in ("alice", "bob"):
        wallet.add_profile(name)
    wallet.set_plan(max5())
    clock.at = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)
    imported(wallet, "alice", 1_234_567_891)
    imported(wallet, "alice", 5, tool="codex")  # another tool's plan
    imported(wallet, "bob", 7)  # another profile
    wallet.record(rec(wallet.binding_for("alice"), "metered-1", 11))  # went through the meter
    clock.at = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
    imported(
        wallet, "alice", 987_654_321, usage=Usage(input_tokens=100, cache_read_tokens=900, output_tokens=50)
    )
    entries = wallet.imported_entries("alice", "imported:claude-code", datetime(2026, 3, 1, tzinfo=UTC))
    assert [(e.cost_nano, e.tokens) for e in entries] == [(1_234_567_891, 15), (987_654_321, 1050)]


def test_the_request_time_wins_over_the_time_it_was_imported(wallet: Wallet, clock: Clock) -> None:
    wallet.add_profile("alice")
    clock.at = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)  # imported at six …
    imported(wallet, "alice", 3, started=datetime(2026, 3, 10, 9, 15, tzinfo=UTC))  # … made at 9:15
    (entry,) = wallet.imported_entries("alice", "imported:claude-code", datetime(2026, 3, 10, 9, tzinfo=UTC))
    assert entry.at_us == to_us(datetime(2026, 3, 10, 9, 15, tzinfo=UTC))
    assert (
        wallet.imported_entries("alice", "imported:claude-code", datetime(2026, 3, 10, 10, tzinfo=UTC)) == []
    )


def test_the_month_s_api_equivalent_value_is_exact_and_starts_on_the_first(
    wallet: Wallet, clock: Clock
) -> None:
    wallet.add_profile("alice")
    wallet.set_plan(max5(week_anchor_us=to_us(datetime(2026, 3, 5, 20, 0, tzinfo=UTC))))
    clock.at = datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC)
    imported(wallet, "alice", 50 * 10**9)  # February: neither March's value nor this week's use
    for hour, cost in ((10, 1_234_567_891), (11, 987_654_321), (12, 200_000_000_001)):
        clock.at = datetime(2026, 3, 10, hour, 0, tzinfo=UTC)
        imported(wallet, "alice", cost)
    now = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
    (r,) = subscriptions(wallet, now=now)
    assert r.month_value == 1_234_567_891 + 987_654_321 + 200_000_000_001 == 202_222_222_213
    assert (r.month_calls, r.value_ratio_pct) == (3, 202)
    assert r.month_start_us == to_us(datetime(2026, 3, 1, tzinfo=UTC))
    assert r.session is not None and r.session.window.start_us == to_us(datetime(2026, 3, 10, 10, tzinfo=UTC))
    # the catalogue's labelled estimate stands in for the limit nobody publishes
    assert r.session.limit == Amount("usd", catalog().plans["claude-max-5x"].window_estimate_nano or 0)
    assert r.session.limit_source.startswith("Claude-Code-Usage-Monitor")
    assert r.session.used_pct == 202_222_222_213 * 100 // 35_000_000_000
    assert r.week is not None and r.week.window.cost_nano == 202_222_222_213  # the week began Mar 5 20:00
    assert r.week.window.reset_us == to_us(datetime(2026, 3, 12, 20, 0, tzinfo=UTC))


def test_imported_totals_split_the_ledger_by_source(wallet: Wallet, clock: Clock) -> None:
    wallet.add_profile("alice")
    imported(wallet, "alice", 3)
    imported(wallet, "alice", 4, tool="codex")
    wallet.record(rec(wallet.binding_for("alice"), "metered-1", 11))
    since = clock.at - timedelta(hours=1)
    assert wallet.imported_totals(since=since, until=clock.at + timedelta(seconds=1)) == {
        "imported:claude-code": (3, 15, 1),
        "imported:codex": (4, 15, 1),
    }
    assert wallet.imported_totals(since=since, until=clock.at) == {}  # until is exclusive


def test_a_chain_of_windows_older_than_the_lookback_is_followed_back(wallet: Wallet, clock: Clock) -> None:
    """A request every 2 h 10 min for three weeks never pauses long enough to resynchronise: the
    windows must come out as if every log since the first request had been read."""
    from tokenwallet.core.windows import Entry, session_blocks

    wallet.add_profile("alice")
    wallet.set_plan(max5())
    first = datetime(2026, 2, 18, 0, 30, tzinfo=UTC)
    times = [first + timedelta(minutes=130 * i) for i in range(232)]  # to Mar 10, 21:00
    for at in times:
        clock.at = at
        imported(wallet, "alice", 1)
    now = times[-1] + timedelta(minutes=5)
    every = session_blocks([Entry(to_us(t), 1, 1) for t in times], 5 * US_PER_HOUR, floor_hour=True)
    # reading only from the month's start would put the windows elsewhere
    cut = to_us(datetime(2026, 3, 1, tzinfo=UTC))
    late = session_blocks(
        [Entry(to_us(t), 1, 1) for t in times if to_us(t) >= cut], 5 * US_PER_HOUR, floor_hour=True
    )
    assert late[-1].start_us != every[-1].start_us
    (r,) = subscriptions(wallet, now=now)
    assert r.session is not None
    assert (r.session.window.start_us, r.session.window.calls) == (every[-1].start_us, every[-1].calls)
