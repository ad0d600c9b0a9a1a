"""Calendar periods in the user's time zone (core/periods.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokenwallet.core.periods import (
    FOREVER,
    PeriodError,
    check_period,
    next_bounds,
    period_bounds,
    projected_spend,
    week_start_index,
    zone,
)

BERLIN = zone("Europe/Berlin")
LA = zone("America/Los_Angeles")


def test_month_in_berlin_starts_at_local_midnight() -> None:
    start, end = period_bounds("month", datetime(2026, 3, 15, tzinfo=UTC), BERLIN)
    assert start == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)  # CET
    assert end == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # CEST after the 29 March change
    # 23:30 UTC on 31 March is already April in Berlin
    s2, _ = period_bounds("month", datetime(2026, 3, 31, 23, 30, tzinfo=UTC), BERLIN)
    assert s2 == end


def test_days_across_dst_are_23_and_25_hours_in_los_angeles() -> None:
    s, e = period_bounds("day", datetime(2026, 3, 8, 18, tzinfo=UTC), LA)
    assert e - s == timedelta(hours=23)
    s, e = period_bounds("day", datetime(2026, 11, 1, 18, tzinfo=UTC), LA)
    assert e - s == timedelta(hours=25)


def test_weeks_honour_the_week_start() -> None:
    at = datetime(2026, 3, 11, 12, tzinfo=UTC)  # a Wednesday
    s, e = period_bounds("week", at, zone("UTC"), week_start_index("monday"))
    assert s == datetime(2026, 3, 9, tzinfo=UTC) and e == datetime(2026, 3, 16, tzinfo=UTC)
    s, _ = period_bounds("week", at, zone("UTC"), week_start_index("sunday"))
    assert s == datetime(2026, 3, 8, tzinfo=UTC)


def test_year_none_and_errors() -> None:
    s, e = period_bounds("year", datetime(2026, 6, 1, tzinfo=UTC), LA)
    assert s == datetime(2026, 1, 1, 8, tzinfo=UTC) and e == datetime(2027, 1, 1, 8, tzinfo=UTC)
    assert period_bounds("none", datetime(2026, 6, 1, tzinfo=UTC), LA)[1] == FOREVER
    with pytest.raises(PeriodError):
        check_period("fortnight")
    with pytest.raises(PeriodError):
        zone("Nowhere/Special")
    with pytest.raises(PeriodError):
        week_start_index("funday")
    with pytest.raises(PeriodError):
        period_bounds("day", datetime(2026, 1, 1), LA)  # naive


def test_projection_is_linear_and_exact() -> None:
    s = datetime(2026, 3, 1, tzinfo=UTC)
    e = datetime(2026, 3, 31, tzinfo=UTC)
    assert projected_spend(100, s, e, datetime(2026, 3, 16, tzinfo=UTC)) == 200
    assert projected_spend(100, s, FOREVER, s) is None


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(["day", "week", "month", "year"]),
    st.sampled_from(["Europe/Berlin", "America/Los_Angeles", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]),
    st.integers(0, 6),
)
def test_bounds_contain_the_instant_and_tile_time(at: datetime, period: str, tz: str, ws: int) -> None:
    z = zone(tz)
    p = check_period(period)
    s, e = period_bounds(p, at, z, ws)
    assert s <= at < e
    s2, e2 = next_bounds(p, s, z, ws)
    assert s2 == e and e2 > s2
    assert s.astimezone(z).hour == 0 and s.astimezone(z).minute == 0
