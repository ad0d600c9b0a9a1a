"""Property tests: envelope invariants under random sequences of calls, top-ups, transfers and time.

Runs against a real wallet file in Europe/Berlin or America/Los_Angeles, starting shortly before
the spring DST change, with a clock that jumps hours to weeks so sequences cross day, week and
month boundaries and DST changes.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tokenwallet.core.money import Amount
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import Refused, Scope, Wallet

from .conftest import Clock, rec, req

ALICE, BOB = Scope("profile", "alice"), Scope("profile", "bob")
MONEY = st.integers(min_value=0, max_value=3_000)


class EnvelopeMachine(RuleBasedStateMachine):
    """Model: what was settled, what is held, how far settled calls overshot their holds."""

    @initialize(
        rollover=st.booleans(),
        period=st.sampled_from(["day", "week", "month", "none"]),
        tz=st.sampled_from(["Europe/Berlin", "America/Los_Angeles"]),
    )
    def open_wallet(self, rollover: bool, period: str, tz: str) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.clock = Clock(datetime(2026, 3, 20, 9, tzinfo=UTC))
        self.w = Wallet.open(Path(self.tmp.name) / "wallet.db", clock=self.clock)
        self.w.set_setting("timezone", tz)
        _, ka = self.w.add_profile("alice")
        self.w.add_profile("bob")
        b = self.w.resolve_key(ka)
        assert b is not None
        self.b = b
        self.env = self.w.set_budget(
            ALICE, Amount("usd", 2_000), period=period, action="block", rollover=rollover
        )
        self.w.set_budget(BOB, Amount("usd", 1_000), period="month", action="warn")
        self.w.set_budget(Scope("wallet"), Amount("tokens", 100_000), period="day", action="warn")
        self.holds: dict[int, tuple[str, int]] = {}
        self.settled_total = 0
        self.overshoot = 0
        self.n = 0

    def teardown(self) -> None:
        if hasattr(self, "w"):
            self.w.close()
            self.tmp.cleanup()

    def _alice(self):  # type: ignore[no-untyped-def]
        return next(s for s in self.w.status() if s.envelope.id == self.env.id)

    @rule(cost=MONEY)
    def reserve(self, cost: int) -> None:
        self.n += 1
        before = self._alice()
        r = self.w.reserve(req(self.b, cost, cost // 10, call_id=f"c{self.n}"))
        if r.hold_id is None:
            assert r.refused is not None and r.refused.envelope.id == self.env.id
            assert before.available < cost
        else:
            assert before.available >= cost or cost == 0
            self.holds[r.hold_id] = (f"c{self.n}", cost)

    @precondition(lambda self: bool(self.holds))
    @rule(data=st.data(), actual=MONEY)
    def settle(self, data: st.DataObject, actual: int) -> None:
        hold_id = data.draw(st.sampled_from(sorted(self.holds)))
        call_id, held = self.holds.pop(hold_id)
        self.w.settle(hold_id, rec(self.b, call_id, actual, Usage(input_tokens=actual // 10)))
        self.settled_total += actual
        self.overshoot += max(0, actual - held)

    @precondition(lambda self: bool(self.holds))
    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        hold_id = data.draw(st.sampled_from(sorted(self.holds)))
        self.holds.pop(hold_id)
        self.w.release(hold_id)

    @rule(amount=st.integers(1, 2_000), hours=st.none() | st.integers(1, 24 * 40))
    def topup(self, amount: int, hours: int | None) -> None:
        expires = None if hours is None else self.clock.at + timedelta(hours=hours)
        self.w.topup(ALICE, Amount("usd", amount), expires_at=expires, period=self.env.period)

    @rule(amount=st.integers(1, 3_000), out=st.booleans())
    def transfer(self, amount: int, out: bool) -> None:
        src, dst = (ALICE, BOB) if out else (BOB, ALICE)
        try:
            self.w.transfer(src, dst, Amount("usd", amount))
        except Refused:
            avail = next(s.available for s in self.w.status() if s.envelope.scope == src)
            assert avail < amount

    @rule(hours=st.integers(1, 24 * 20))
    def wait(self, hours: int) -> None:
        self.clock.advance(hours=hours)

    @invariant()
    def identities_hold(self) -> None:
        if not hasattr(self, "w"):
            return
        for s in self.w.status():
            assert s.available == s.carried + s.assigned + s.topups - s.spent - s.held
        a = self._alice()
        assert a.held == sum(c for _, c in self.holds.values())
        # a blocking envelope only goes below zero by calls that cost more than they held
        assert a.available >= -self.overshoot
        conn = self.w._conn()
        closed = conn.execute(
            "SELECT COALESCE(SUM(spent), 0) FROM envelope_period WHERE envelope_id=?", (a.envelope.id,)
        )
        assert closed.fetchone()[0] + a.spent == self.settled_total
        # the running top-up total agrees with the top-up lots
        for env_id, left in conn.execute("SELECT id, topup_left FROM envelope"):
            (lots,) = conn.execute(
                "SELECT COALESCE(SUM(remaining), 0) FROM topup WHERE envelope_id=?", (env_id,)
            ).fetchone()
            assert lots == left


EnvelopeMachine.TestCase.settings = settings(
    max_examples=75,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestEnvelopes = EnvelopeMachine.TestCase
