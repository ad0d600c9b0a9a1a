"""History pages and filters, usage mix and daily spend from the roll-ups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tokenwallet.core.usage import Usage
from tokenwallet.wallet import HistoryFilter, KeyBinding, Wallet, WalletError

from .conftest import BOTH_BACKENDS, Clock, rec

backend = BOTH_BACKENDS


@pytest.fixture
def filled(wallet: Wallet, clock: Clock) -> tuple[KeyBinding, KeyBinding]:
    wallet.set_setting("timezone", "America/Los_Angeles")
    wallet.add_project("acme")
    _, ka = wallet.add_profile("alice")
    _, kb = wallet.add_profile("bob")
    a, b = wallet.resolve_key(ka), wallet.resolve_key(kb)
    assert a is not None and b is not None
    b = wallet.bind_project(b, "acme")
    clock.at = datetime(2026, 5, 1, 12, tzinfo=UTC)  # 05:00 in Los Angeles
    for i in range(12):
        who = a if i % 3 else b
        model = "gpt-4o" if i % 2 else "claude-sonnet"
        provider = "openai" if i % 2 else "anthropic"
        usage = Usage(input_tokens=100 * (i + 1), cache_read_tokens=10, output_tokens=20 * (i + 1))
        wallet.record(rec(who, f"h{i:02d}", 1000 * (i + 1), usage, model=model, provider=provider))
        clock.advance(hours=6)
    return a, b


def test_history_pages_newest_first(wallet: Wallet, filled: object) -> None:
    f = HistoryFilter()
    assert wallet.history_count(f) == 12
    page1 = wallet.history(f, limit=5)
    page3 = wallet.history(f, limit=5, offset=10)
    assert [r.call_id for r in page1] == ["h11", "h10", "h09", "h08", "h07"]
    assert [r.call_id for r in page3] == ["h01", "h00"]
    row = page1[0]
    assert row.at.tzinfo is not None and row.provider == "openai" and row.usage.cache_read_tokens == 10
    assert row.price_source == "test" and not row.estimated


def test_history_filters(wallet: Wallet, filled: object) -> None:
    assert wallet.history_count(HistoryFilter(profile="bob")) == 4
    assert wallet.history_count(HistoryFilter(project="acme")) == 4
    assert wallet.history_count(HistoryFilter(provider="openai")) == 6
    assert wallet.history_count(HistoryFilter(model="claude-sonnet", profile="alice")) == 4
    since = datetime(2026, 5, 2, 12, tzinfo=UTC)
    until = since + timedelta(days=1)
    rows = wallet.history(HistoryFilter(since=since, until=until), limit=100)
    assert [r.call_id for r in rows] == ["h07", "h06", "h05", "h04"]
    with pytest.raises(WalletError):
        wallet.history(HistoryFilter(profile="nobody"), limit=1)


def test_daily_spend_by_local_day(wallet: Wallet, filled: object) -> None:
    days = wallet.daily_spend(since=date(2026, 4, 1), until=date(2026, 5, 31))
    # calls every 6 hours from 05:00 LA time on 1 May: four per local day
    assert [(d.day, d.calls) for d in days] == [
        (date(2026, 5, 1), 4),
        (date(2026, 5, 2), 4),
        (date(2026, 5, 3), 4),
    ]
    assert sum(d.cost_nano for d in days) == sum(1000 * (i + 1) for i in range(12))
    by_model = wallet.daily_spend(since=date(2026, 5, 1), until=date(2026, 5, 1), by="model")
    assert {(d.key, d.calls) for d in by_model} == {("gpt-4o", 2), ("claude-sonnet", 2)}
    by_project = wallet.daily_spend(since=date(2026, 5, 1), until=date(2026, 5, 3), by="project")
    assert {d.key for d in by_project} == {None, "acme"}
    by_profile = wallet.daily_spend(since=date(2026, 5, 3), until=date(2026, 5, 3), by="profile")
    assert sum(d.tokens for d in by_profile) == sum(120 * (i + 1) + 10 for i in range(8, 12))


def test_usage_mix(wallet: Wallet, filled: object) -> None:
    mix = wallet.usage_mix(profile="alice", since=datetime(2026, 5, 1, tzinfo=UTC))
    assert set(mix) == {("openai", "gpt-4o"), ("anthropic", "claude-sonnet")}
    calls = [i for i in range(12) if i % 3 and i % 2]
    assert mix[("openai", "gpt-4o")].input_tokens == sum(100 * (i + 1) for i in calls)
    assert wallet.usage_mix(project="acme", since=datetime(2026, 6, 1, tzinfo=UTC)) == {}


def test_keyset_pages_never_skip_or_repeat_rows_with_equal_times(wallet: Wallet, clock: Clock) -> None:
    _, key = wallet.add_profile("carol")
    b = wallet.resolve_key(key)
    assert b is not None
    for i in range(25):  # all in the same microsecond
        wallet.record(rec(b, f"same-{i}", 1))
    seen: list[str] = []
    before = None
    while True:
        page = wallet.history(HistoryFilter(profile="carol"), limit=7, before=before)
        if not page:
            break
        seen += [r.call_id for r in page]
        before = (page[-1].at, page[-1].id)
    assert len(seen) == len(set(seen)) == 25
