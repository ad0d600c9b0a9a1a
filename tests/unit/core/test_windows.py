"""Subscription windows against hand-computed cases: block boundaries, gaps, weekly resets, rates."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenwallet.core.windows import (
    US_PER_HOUR,
    WEEK_US,
    Entry,
    exhaustion_us,
    session_blocks,
    session_window,
    week_bounds,
    week_window,
)
from tokenwallet.wallet.db import to_us

H = US_PER_HOUR
FIVE_H = 5 * H
USD = 10**9


def at(text: str) -> int:
    """``"03-10 10:55:30"`` → microseconds (2026, UTC)."""
    return to_us(datetime.fromisoformat(f"2026-{text}").replace(tzinfo=UTC))


def e(text: str, cost: int = USD, tokens: int = 1000) -> Entry:
    return Entry(at(text), tokens, cost)


def test_a_block_starts_at_the_first_message_rounded_down_to_the_hour() -> None:
    blocks = session_blocks([e("03-10 10:55:30"), e("03-10 12:10:00")], FIVE_H, floor_hour=True)
    assert [(b.start_us, b.end_us, b.calls) for b in blocks] == [(at("03-10 10:00"), at("03-10 15:00"), 2)]
    assert blocks[0].first_us == at("03-10 10:55:30") and blocks[0].last_us == at("03-10 12:10")


def test_the_first_message_after_the_end_starts_the_next_block_at_its_own_hour() -> None:
    # 15:40 is 5h40 after the block's 10:00 start although only 3h30 after the last message
    blocks = session_blocks(
        [e("03-10 10:55:30"), e("03-10 12:10"), e("03-10 15:40")], FIVE_H, floor_hour=True
    )
    assert [(b.start_us, b.calls) for b in blocks] == [(at("03-10 10:00"), 2), (at("03-10 15:00"), 1)]


def test_a_message_exactly_at_the_end_still_belongs_to_the_block_it_ends() -> None:
    # ccusage compares with '>': 15:00:00 is not more than five hours after 10:00:00
    blocks = session_blocks([e("03-10 10:00"), e("03-10 15:00")], FIVE_H, floor_hour=True)
    assert len(blocks) == 1 and blocks[0].calls == 2
    blocks = session_blocks([e("03-10 10:00"), e("03-10 15:00:00.000001")], FIVE_H, floor_hour=True)
    assert [b.start_us for b in blocks] == [at("03-10 10:00"), at("03-10 15:00")]


def test_a_gap_longer_than_the_window_closes_the_block() -> None:
    blocks = session_blocks([e("03-10 10:00"), e("03-10 12:00"), e("03-10 18:30")], FIVE_H, floor_hour=True)
    assert [(b.start_us, b.end_us, b.calls) for b in blocks] == [
        (at("03-10 10:00"), at("03-10 15:00"), 2),
        (at("03-10 18:00"), at("03-10 23:00"), 1),
    ]


def test_entries_in_any_order_and_sums_per_block() -> None:
    entries = [e("03-10 12:00", 2 * USD, 200), e("03-10 10:30", USD, 100), e("03-10 16:00", 7, 1)]
    blocks = session_blocks(entries, FIVE_H, floor_hour=True)
    assert [(b.cost_nano, b.tokens) for b in blocks] == [(3 * USD, 300), (7, 1)]


def test_without_rounding_a_window_starts_at_the_message_itself() -> None:
    blocks = session_blocks([e("03-10 10:55:30"), e("03-10 15:55:30")], FIVE_H, floor_hour=False)
    assert [(b.start_us, b.end_us, b.calls) for b in blocks] == [
        (at("03-10 10:55:30"), at("03-10 15:55:30"), 2)
    ]


def test_the_running_window_its_rate_projection_and_exhaustion() -> None:
    entries = [e("03-10 10:00", USD, 1000), e("03-10 11:00", 2 * USD, 3000)]
    now = at("03-10 12:00")
    w = session_window(entries, now, FIVE_H, floor_hour=True)
    assert (w.start_us, w.reset_us, w.cost_nano, w.tokens, w.calls) == (
        at("03-10 10:00"), at("03-10 15:00"), 3 * USD, 4000, 2
    )  # fmt: skip
    # $3 over the two hours since the first message: $1.50 an hour, 2,000 tokens an hour
    assert (w.cost_per_hour, w.tokens_per_hour) == (1_500_000_000, 2000)
    # three hours to the reset at that rate: $3 + $4.50
    assert (w.projected_cost, w.projected_tokens) == (7_500_000_000, 10_000)
    # a $6 limit is reached when another $3 has gone: two more hours, at 14:00
    assert exhaustion_us(w.cost_nano, 6 * USD, w, now) == at("03-10 14:00")
    # a $9 limit is not reached before the 15:00 reset (it would be at 16:00)
    assert exhaustion_us(w.cost_nano, 9 * USD, w, now) is None
    # a limit already passed reads as now
    assert exhaustion_us(w.cost_nano, 2 * USD, w, now) == now


def test_no_window_runs_after_the_end_or_after_a_long_pause() -> None:
    entries = [e("03-10 10:00"), e("03-10 11:00")]
    assert session_window(entries, at("03-10 14:59:59"), FIVE_H, floor_hour=True).start_us == at(
        "03-10 10:00"
    )
    ended = session_window(entries, at("03-10 15:00"), FIVE_H, floor_hour=True)
    assert (ended.start_us, ended.reset_us, ended.cost_nano, ended.cost_per_hour) == (None, None, 0, None)
    # entries after "now" (a clock skew) are not counted
    assert session_window([e("03-10 13:00")], at("03-10 12:00"), FIVE_H, floor_hour=True).calls == 0


def test_the_weekly_window_resets_at_the_anchor_every_seven_days() -> None:
    anchor = at("03-05 20:00")  # a Thursday reset, as Claude's usage page shows it
    now = at("03-10 12:00")
    assert week_bounds(now, anchor) == (at("03-05 20:00"), at("03-12 20:00"))
    # any reset identifies the schedule, a future one too
    assert week_bounds(now, at("03-19 20:00")) == (at("03-05 20:00"), at("03-12 20:00"))
    assert week_bounds(at("03-12 20:00"), anchor) == (at("03-12 20:00"), at("03-19 20:00"))
    entries = [e("03-05 19:59:59", 5 * USD), e("03-05 20:00", 2 * USD), e("03-10 11:00", USD)]
    w = week_window(entries, now, anchor)
    assert (w.start_us, w.reset_us, w.cost_nano, w.calls) == (
        at("03-05 20:00"),
        at("03-12 20:00"),
        3 * USD,
        2,
    )
    # $3 over the 112 hours since the first counted message, extended over the 56 hours left
    assert w.cost_per_hour == 3 * USD * H // (112 * H)
    assert w.projected_cost == 3 * USD + 3 * USD * 56 // 112


def test_without_an_anchor_the_week_is_the_last_seven_days() -> None:
    now = at("03-10 12:00")
    assert week_bounds(now, None) == (now - WEEK_US, None)
    w = week_window([e("03-03 11:59:59"), e("03-03 12:00", 4), e("03-10 12:00", 5)], now, None)
    assert (w.cost_nano, w.calls, w.reset_us, w.projected_cost) == (9, 2, None, None)


def test_a_window_needs_a_length() -> None:
    with pytest.raises(ValueError, match="positive"):
        session_blocks([e("03-10 10:00")], 0, floor_hour=True)


@given(
    st.lists(st.tuples(st.integers(0, 40 * 24 * 3600), st.integers(0, 10**6)), max_size=60),
    st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_blocks_partition_the_entries_in_order(raw: list[tuple[int, int]], floor_hour: bool) -> None:
    entries = [Entry(s * 10**6, 1, cost) for s, cost in raw]
    blocks = session_blocks(entries, FIVE_H, floor_hour=floor_hour)
    assert sum(b.calls for b in blocks) == len(entries)
    assert sum(b.cost_nano for b in blocks) == sum(e.cost_nano for e in entries)
    for b in blocks:
        assert b.end_us - b.start_us == FIVE_H
        assert b.start_us <= b.first_us <= b.last_us <= b.end_us
        assert b.first_us - b.start_us < H if floor_hour else b.first_us == b.start_us
    for prev, nxt in itertools.pairwise(blocks):
        # a block begins only with a request after the previous one ended (or after a long pause)
        assert nxt.first_us > prev.end_us or nxt.first_us - prev.last_us > FIVE_H
        assert nxt.start_us >= prev.start_us
