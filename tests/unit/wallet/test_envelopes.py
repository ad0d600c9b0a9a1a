"""Envelopes: budgets, resets in the wallet's zone, rollover and debt, top-ups, transfers, thresholds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tokenwallet.core.events import BudgetCrossed, Event
from tokenwallet.core.money import Amount, parse_amount
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import EnvelopeStatus, NotFound, Refused, Scope, Wallet, WalletError

from .conftest import BOTH_BACKENDS, Clock, rec, req, spend

backend = BOTH_BACKENDS

USD = 1_000_000_000
ALICE = Scope("profile", "alice")


def usd(x: float) -> Amount:
    return parse_amount(str(x))


def one(w: Wallet, scope: Scope | None = None) -> EnvelopeStatus:
    sts = [s for s in w.status() if scope is None or s.envelope.scope == scope]
    assert len(sts) == 1
    return sts[0]


def check_identity(st: EnvelopeStatus) -> None:
    assert st.available == st.carried + st.assigned + st.topups - st.spent - st.held


def test_set_budget_upserts_on_scope_and_period(wallet: Wallet) -> None:
    wallet.add_profile("alice")
    e1 = wallet.set_budget(ALICE, usd(20), period="month", action="block", rollover=True)
    assert e1.scope == ALICE and e1.amount == 20 * USD and e1.thresholds == (50, 80, 95)
    e2 = wallet.set_budget(ALICE, usd(30), period="month", action="warn")
    assert e2.id == e1.id and e2.action == "warn"
    assert one(wallet).assigned == 30 * USD
    e3 = wallet.set_budget(Scope("wallet"), parse_amount("2M tokens"), period="day", thresholds=[10, 90])
    assert e3.unit == "tokens" and e3.thresholds == (10, 90)
    assert len(wallet.envelopes()) == 2
    with pytest.raises(WalletError, match="budgeted in usd"):
        wallet.set_budget(ALICE, parse_amount("5 tokens"), period="month")
    with pytest.raises(WalletError, match="period"):
        wallet.set_budget(ALICE, usd(1), period="fortnight")
    with pytest.raises(WalletError, match="action"):
        wallet.set_budget(ALICE, usd(1), action="explode")
    with pytest.raises(NotFound):
        wallet.set_budget(Scope("profile", "bob"), usd(1))
    wallet.remove_budget(e3.id)
    assert [e.id for e in wallet.envelopes()] == [e1.id]
    with pytest.raises(NotFound):
        wallet.remove_budget(e3.id)


@pytest.mark.parametrize("tz", ["Europe/Berlin", "America/Los_Angeles"])
def test_monthly_reset_at_local_midnight(wallet: Wallet, clock: Clock, tz: str) -> None:
    wallet.set_setting("timezone", tz)
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    # 20:00 local on 31 March (after the European DST change, before nothing in LA) — still March
    from zoneinfo import ZoneInfo

    z = ZoneInfo(tz)
    clock.at = datetime(2026, 3, 31, 20, tzinfo=z).astimezone(UTC)
    wallet.set_budget(ALICE, usd(10), period="month", action="block")
    spend(wallet, b, 4 * USD)
    st = one(wallet)
    assert st.spent == 4 * USD and st.period_start == datetime(2026, 3, 1, tzinfo=z)
    assert st.period_end == datetime(2026, 4, 1, tzinfo=z)
    clock.at = datetime(2026, 3, 31, 23, 59, 59, tzinfo=z).astimezone(UTC)
    assert one(wallet).spent == 4 * USD
    clock.at = datetime(2026, 4, 1, 0, 0, tzinfo=z).astimezone(UTC)
    st = one(wallet)
    assert st.spent == 0 and st.available == 10 * USD and st.carried == 0
    assert st.period_start == datetime(2026, 4, 1, tzinfo=z)


def test_rollover_carries_unused_money_and_debt(wallet: Wallet, clock: Clock) -> None:
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    clock.at = datetime(2026, 1, 10, tzinfo=UTC)
    wallet.set_budget(ALICE, usd(10), period="month", action="warn", rollover=True)
    spend(wallet, b, 3 * USD)
    clock.at = datetime(2026, 2, 3, tzinfo=UTC)
    st = one(wallet)
    assert st.carried == 7 * USD and st.available == 17 * USD
    spend(wallet, b, 25 * USD)  # warn: overspending is allowed
    assert one(wallet).available == -8 * USD
    clock.at = datetime(2026, 3, 3, tzinfo=UTC)
    st = one(wallet)
    assert st.carried == -8 * USD and st.available == 2 * USD  # debt paid from March
    # skipping whole months carries each month's amount
    clock.at = datetime(2026, 6, 3, tzinfo=UTC)
    assert one(wallet).carried == (2 + 10 + 10) * USD
    kinds = [m.kind for m in wallet.movements(one(wallet).envelope.id)]
    assert kinds.count("rollover") >= 3


def test_without_rollover_a_new_period_starts_clean(wallet: Wallet, clock: Clock) -> None:
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    wallet.set_budget(ALICE, usd(10), period="day", action="warn")
    spend(wallet, b, 15 * USD)
    clock.advance(days=1)
    st = one(wallet)
    assert st.carried == 0 and st.available == 10 * USD


def test_topups_draw_after_allowance_soonest_expiring_first(wallet: Wallet, clock: Clock) -> None:
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    wallet.set_budget(ALICE, usd(10), period="month", action="block")
    wallet.topup(ALICE, usd(5), note="no expiry")
    wallet.topup(ALICE, usd(3), expires_at=clock.at + timedelta(days=40))
    wallet.topup(ALICE, usd(2), expires_at=clock.at + timedelta(days=5))
    st = one(wallet)
    assert st.topups == 10 * USD and st.available == 20 * USD
    check_identity(st)
    spend(wallet, b, 11 * USD)  # 10 from the allowance, 1 from the 5-day top-up
    lots = wallet._conn().execute("SELECT amount, remaining FROM topup ORDER BY id").fetchall()
    assert lots == [(5 * USD, 5 * USD), (3 * USD, 3 * USD), (2 * USD, 1 * USD)]
    clock.advance(days=6)  # the 5-day top-up lapses with 1 left
    st = one(wallet)
    assert st.available == 8 * USD and st.topups == 9 * USD
    check_identity(st)
    assert any(m.kind == "expiry" and m.amount == -USD for m in wallet.movements(st.envelope.id))
    # top-ups survive the monthly reset
    clock.at = datetime(2026, 4, 2, tzinfo=UTC)
    st = one(wallet)
    assert st.available == 18 * USD and st.topups == 8 * USD and st.spent == 0
    check_identity(st)
    with pytest.raises(WalletError, match="past"):
        wallet.topup(ALICE, usd(1), expires_at=clock.at - timedelta(days=1))
    with pytest.raises(WalletError):
        wallet.topup(ALICE, usd(0))


def test_topup_without_a_budget_creates_a_prepaid_balance(wallet: Wallet) -> None:
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    env = wallet.topup(ALICE, usd(5))
    assert env.period == "none" and env.action == "block"
    spend(wallet, b, 4 * USD)
    r = wallet.reserve(req(b, 2 * USD))
    assert r.refused is not None and r.hold_id is None
    assert one(wallet).period_end is None and one(wallet).projected is None


def test_transfer_is_atomic_and_refused_when_short(wallet: Wallet) -> None:
    _, ka = wallet.add_profile("alice")
    wallet.add_profile("bob")
    b = wallet.resolve_key(ka)
    assert b is not None
    bob = Scope("profile", "bob")
    wallet.set_budget(ALICE, usd(10), period="month", action="block")
    wallet.set_budget(bob, usd(1), period="month", action="block")
    spend(wallet, b, 7 * USD)
    with pytest.raises(Refused, match="available"):
        wallet.transfer(ALICE, bob, usd(4))
    assert one(wallet, ALICE).available == 3 * USD and one(wallet, bob).available == 1 * USD
    wallet.transfer(ALICE, bob, usd(2))
    a, bb = one(wallet, ALICE), one(wallet, bob)
    assert a.available == 1 * USD and bb.available == 3 * USD
    check_identity(a)
    check_identity(bb)
    with pytest.raises(WalletError, match="same envelope"):
        wallet.transfer(ALICE, ALICE, usd(1))
    with pytest.raises(NotFound):
        wallet.transfer(Scope("wallet"), bob, usd(1))


def test_thresholds_cross_once_per_period(wallet: Wallet, clock: Clock, events: list[Event]) -> None:
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    env = wallet.set_budget(ALICE, usd(10), period="day", action="warn")
    spend(wallet, b, 4 * USD)
    assert not [e for e in events if isinstance(e, BudgetCrossed)]
    spend(wallet, b, 5 * USD)  # 90 %: crosses 50 and 80 at once
    crossed = [e for e in events if isinstance(e, BudgetCrossed)]
    assert [c.threshold_pct for c in crossed] == [50, 80]
    assert crossed[0].envelope_id == env.id and crossed[0].used_pct == 90 and crossed[0].unit == "usd"
    spend(wallet, b, USD // 10)
    assert len([e for e in events if isinstance(e, BudgetCrossed)]) == 2
    spend(wallet, b, USD)
    assert [e.threshold_pct for e in events if isinstance(e, BudgetCrossed)] == [50, 80, 95]
    clock.advance(days=1)
    spend(wallet, b, 6 * USD)
    assert [e.threshold_pct for e in events if isinstance(e, BudgetCrossed)] == [50, 80, 95, 50]


def test_token_envelopes_count_tokens(wallet: Wallet) -> None:
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    wallet.set_budget(Scope("wallet"), parse_amount("1000 tokens"), period="day", action="block")
    spend(wallet, b, 5 * USD, Usage(input_tokens=300, cache_read_tokens=100, output_tokens=200))
    st = one(wallet)
    assert st.spent == 600 and st.available == 400


def test_projection_at_current_burn_rate(wallet: Wallet, clock: Clock) -> None:
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    clock.at = datetime(2026, 4, 1, tzinfo=UTC)
    wallet.set_budget(ALICE, usd(100), period="month")
    clock.at = datetime(2026, 4, 11, tzinfo=UTC)  # a third of April
    spend(wallet, b, 10 * USD)
    assert one(wallet).projected == 30 * USD


def test_status_filters_by_profile(wallet: Wallet) -> None:
    wallet.add_profile("alice")
    wallet.add_profile("bob")
    wallet.set_budget(ALICE, usd(1))
    wallet.set_budget(Scope("profile", "bob"), usd(1))
    wallet.set_budget(Scope("wallet"), usd(5))
    scopes = {str(s.envelope.scope) for s in wallet.status(profile="alice")}
    assert scopes == {"wallet", "profile:alice"}


def test_an_expiring_topup_keeps_what_in_flight_calls_hold(wallet: Wallet, clock: Clock) -> None:
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    wallet.set_budget(ALICE, usd(1), period="none", action="block")
    wallet.topup(ALICE, usd(2), expires_at=clock.at + timedelta(hours=1))
    r = wallet.reserve(req(b, 2_500_000_000, call_id="long"))
    assert r.hold_id is not None
    clock.advance(hours=2)  # the top-up expires while the call is in flight
    st = one(wallet)
    assert st.available == 0 and st.held == 2_500_000_000
    check_identity(st)
    wallet.settle(r.hold_id, rec(b, "long", 1_200_000_000))
    clock.advance(hours=2)  # after the grace, the unused part lapses
    st = one(wallet)
    assert st.spent == 1_200_000_000 and st.held == 0 and st.available == 0
    check_identity(st)
    lapsed = sum(m.amount for m in wallet.movements(st.envelope.id) if m.kind == "expiry")
    assert lapsed == -1_800_000_000


def test_daily_resets_across_dst_in_los_angeles(wallet: Wallet, clock: Clock) -> None:
    from zoneinfo import ZoneInfo

    la = ZoneInfo("America/Los_Angeles")
    wallet.set_setting("timezone", "America/Los_Angeles")
    wallet.set_setting("week_start", "sunday")
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    clock.at = datetime(2026, 3, 7, 22, tzinfo=la).astimezone(UTC)  # Saturday before the change
    wallet.set_budget(ALICE, usd(3), period="day", action="block", rollover=True)
    wallet.set_budget(ALICE, usd(10), period="week", action="warn")
    spend(wallet, b, 1 * USD)
    clock.at = datetime(2026, 3, 8, 0, 30, tzinfo=la).astimezone(UTC)
    day, week = sorted(wallet.status(), key=lambda s: s.envelope.period)
    assert (day.envelope.period, week.envelope.period) == ("day", "week")
    assert day.carried == 2 * USD and day.period_end is not None
    assert day.period_end - day.period_start == timedelta(hours=23)  # the short day
    assert week.period_start == datetime(2026, 3, 8, tzinfo=la) and week.spent == 0
