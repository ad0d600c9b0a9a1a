"""A household of four across a month boundary in a non-UTC zone (Pacific/Auckland, UTC+13).

Local midnight of 1 December in Auckland is 11:00 UTC on 30 November: a period maths that used
UTC would still be in November there. Each member has a different allowance rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from billing_testkit import PIN, USD, Clock, binding, fast_pins, open_wallet, record, try_reserve

from tokenwallet.billing import household as hh
from tokenwallet.billing.overview import household_overview
from tokenwallet.billing.statement import member_statement, statement_csv, statement_dict
from tokenwallet.core.money import parse_amount
from tokenwallet.wallet import KeyBinding, Wallet, WalletError
from tokenwallet.wallet.backend import ENV_URL


@pytest.fixture(autouse=True, params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here on both wallet backends (issue 14)."""
    if request.param == "postgresql":
        monkeypatch.setenv(ENV_URL, request.getfixturevalue("pg_url"))
    return str(request.param)


AKL = ZoneInfo("Pacific/Auckland")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AKL)


@pytest.fixture
def clock() -> Clock:
    return Clock(local(2026, 11, 29, 10, 0))


@pytest.fixture
def family(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Wallet, dict[str, KeyBinding]]]:
    fast_pins(monkeypatch)
    w = open_wallet(tmp_path / "wallet.db", clock, tz="Pacific/Auckland")
    _, mum_key = hh.init_household(w, "mum", PIN)
    assert mum_key is not None and mum_key.startswith("tw-")
    keys = {"mum": binding(w, mum_key)}
    _, k = hh.add_member(w, "dad", parse_amount("20"), period="month", kind="adult", pin=PIN)
    keys["dad"] = binding(w, k)
    _, k = hh.add_member(w, "teen", parse_amount("10"), period="month", rollover=True, pin=PIN)
    keys["teen"] = binding(w, k)
    _, k = hh.add_member(w, "kid", parse_amount("1"), period="day", pin=PIN)
    keys["kid"] = binding(w, k)
    yield w, keys
    w.close()


def _status(w: Wallet, name: str, at: datetime) -> tuple[int, int, datetime]:
    own = [s for s in w.status(now=at) if s.envelope.scope.name == name]
    assert len(own) == 1
    return own[0].available, own[0].spent, own[0].period_start


def test_members_and_rules(family: tuple[Wallet, dict[str, KeyBinding]]) -> None:
    w, _ = family
    ms = {m.name: m for m in hh.members(w)}
    assert [m.name for m in hh.members(w)] == ["mum", "dad", "kid", "teen"]
    assert ms["mum"].is_owner and ms["mum"].allowance is None
    assert ms["dad"].allowance is not None and ms["dad"].allowance.action == "warn"  # adults: soft
    assert ms["kid"].allowance is not None and ms["kid"].allowance.action == "block"  # children: hard stop
    assert ms["teen"].allowance is not None and ms["teen"].allowance.rollover
    assert w.profile("mum").role == "admin" and w.profile("kid").role == "member"


def test_month_boundary_in_auckland(family: tuple[Wallet, dict[str, KeyBinding]], clock: Clock) -> None:
    w, keys = family
    record(w, keys["teen"], 8 * USD)
    assert not try_reserve(w, keys["teen"], 3 * USD)  # hard stop: $2 left
    assert try_reserve(w, keys["teen"], 2 * USD)
    record(w, keys["dad"], 25 * USD)  # adults may overspend (warn)
    clock.set(local(2026, 11, 30, 23, 30))
    record(w, keys["kid"], USD * 9 // 10)
    assert not try_reserve(w, keys["kid"], USD // 5)

    # 00:30 on 1 December in Auckland = 11:30 UTC on 30 November.
    clock.set(local(2026, 12, 1, 0, 30))
    assert clock().month == 11 and clock().day == 30
    now = clock()
    avail, spent, start = _status(w, "teen", now)
    assert start == local(2026, 12, 1) and spent == 0
    assert avail == 12 * USD  # $10 new + $2 rolled over
    avail, spent, start = _status(w, "dad", now)
    assert (avail, spent, start) == (20 * USD, 0, local(2026, 12, 1))  # no rollover: debt not carried
    avail, _, start = _status(w, "kid", now)
    assert (avail, start) == (USD, local(2026, 12, 1))
    assert try_reserve(w, keys["kid"], USD // 5)

    record(w, keys["teen"], USD)  # a December call, though still November in UTC
    nov = member_statement(w, "teen", 2026, 11)
    dec = member_statement(w, "teen", 2026, 12)
    assert nov.total_nano == 8 * USD and nov.calls == 1
    assert dec.total_nano == USD and dec.calls == 1
    assert [d.day.isoformat() for d in nov.days] == ["2026-11-29"]
    assert dec.days[0].day.isoformat() == "2026-12-01"
    assert nov.timezone == "Pacific/Auckland"


def test_owner_actions(family: tuple[Wallet, dict[str, KeyBinding]], clock: Clock) -> None:
    w, keys = family
    # A one-off bonus that lapses at the end of 5 December (local).
    hh.topup_member(w, "teen", parse_amount("3"), expires_at=local(2026, 12, 6), pin=PIN)
    avail, _, _ = _status(w, "teen", clock())
    assert avail == 13 * USD
    record(w, keys["teen"], 11 * USD)  # $10 allowance + $1 of the bonus
    assert _status(w, "teen", clock())[0] == 2 * USD
    clock.set(local(2026, 12, 6, 0, 1))
    avail, _, _ = _status(w, "teen", clock())
    assert avail == 10 * USD  # new month: $10, rollover 0 (allowance used), the bonus's $2 lapsed
    teen_moves = [m for e in w.envelopes() if e.scope.name == "teen" for m in w.movements(e.id)]
    assert [m.amount for m in teen_moves if m.kind == "expiry"] == [-2 * USD]

    hh.transfer(w, "dad", "kid", parse_amount("0.50"), pin=PIN)
    assert _status(w, "kid", clock())[0] == USD + USD // 2
    with pytest.raises(WalletError):
        hh.transfer(w, "kid", "dad", parse_amount("100"), pin=PIN)  # refused: kid is short

    key = hh.new_member_key(w, "kid", pin=PIN, label="tablet")
    assert binding(w, key).profile == "kid"
    hh.pause_member(w, "kid", True, pin=PIN)
    assert binding(w, key).paused  # the proxy refuses a paused binding
    hh.pause_member(w, "kid", False, pin=PIN)
    assert not binding(w, key).paused
    with pytest.raises(WalletError, match="owner cannot be paused"):
        hh.pause_member(w, "mum", True, pin=PIN)
    kinds = [e.action for e in hh.history(w)]
    assert {"bonus", "transfer", "pause", "resume", "key", "add", "init"} <= set(kinds)


def test_units_must_match_the_allowance(family: tuple[Wallet, dict[str, KeyBinding]]) -> None:
    w, _ = family
    hh.set_allowance(w, "kid", parse_amount("1M tokens"), pin=PIN)
    before = w.envelopes()
    with pytest.raises(WalletError, match="allowance is in tokens"):
        hh.topup_member(w, "kid", parse_amount("2"), pin=PIN)
    with pytest.raises(WalletError, match="allowance is in tokens"):
        hh.transfer(w, "dad", "kid", parse_amount("2"), pin=PIN)
    hh.topup_member(w, "kid", parse_amount("500k tokens"), pin=PIN)
    assert len(w.envelopes()) == len(before)


def test_members_cannot_raise_their_own_allowance(family: tuple[Wallet, dict[str, KeyBinding]]) -> None:
    w, _ = family
    for attempt in (None, "", "1234"):
        with pytest.raises(WalletError):
            hh.set_allowance(w, "kid", parse_amount("100"), pin=attempt)
    kid = hh.member(w, "kid")
    assert kid.allowance is not None and kid.allowance.amount == USD
    hh.set_allowance(w, "kid", parse_amount("2"), period="week", pin=PIN)
    kid = hh.member(w, "kid")
    assert kid.allowance is not None and (kid.allowance.amount, kid.allowance.period) == (2 * USD, "week")
    assert len([e for e in w.envelopes() if e.scope.name == "kid"]) == 1


def test_overview_and_statement(family: tuple[Wallet, dict[str, KeyBinding]], clock: Clock) -> None:
    w, keys = family
    record(w, keys["teen"], 9 * USD, model="gpt-4o")
    record(w, keys["dad"], 2 * USD, model="gpt-4o-mini")
    rows = {r.member.name: r for r in household_overview(w)}
    assert list(rows) == ["mum", "dad", "kid", "teen"]
    teen = rows["teen"]
    assert teen.status is not None and teen.status.available == USD and teen.status.used_pct == 90
    assert teen.burn_per_day == 9 * USD  # joined today: one day's spending
    assert teen.runs_out is not None and "runs out" in teen.forecast
    assert teen.suggestion is not None  # nearing the limit: a cheaper model for the same use
    assert teen.suggestion.saving_nano > 0
    assert rows["kid"].forecast == "nothing spent lately"

    st = member_statement(w, "teen", 2026, 11)
    data = statement_dict(st)
    assert data["spent_nano"] == 9 * USD and data["by_model"][0]["model"] == "gpt-4o"
    assert data["by_model"][0]["cheaper_model"]
    csv_text = statement_csv(st)
    assert csv_text.splitlines()[0].startswith("member,month,provider,model")
    assert "9.000000000" in csv_text.splitlines()[1]
    assert csv_text.splitlines()[-1].split(",")[3] == "TOTAL"


def test_the_owner_is_told_about_a_passthrough_profile(family: tuple[Wallet, dict[str, KeyBinding]]) -> None:
    w, _ = family
    assert hh.loopholes(w) == []
    w.set_setting("passthrough_profile", "mum")
    (text,) = hh.loopholes(w)
    assert "without a wallet key are charged to 'mum'" in text
