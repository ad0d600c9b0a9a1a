"""The guards' rules, in memory: what trips, what does not, and what survives a restart."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tokenwallet.core.guards import CallFacts, GuardBook, GuardSpec, fingerprint

USD = 10**9


def facts(
    now: float, *, last: str = "hi", worst: int = 1000, session: str = "s-1", profile: str = "bot"
) -> CallFacts:
    return CallFacts(profile, 7, session, "gpt-4o", fingerprint("gpt-4o", last), worst, 100, now)


def run(book: GuardBook, f: CallFacts, cost: int = 0) -> list[str]:
    trips = book.check(f)
    if not any(t.guard.action == "block" for t in trips):
        book.started(f)
        book.settled(f, cost, 100)
    return [t.guard.kind for t in trips]


def test_a_runaway_loop_trips_and_a_normal_session_at_the_same_rate_does_not() -> None:
    loop = GuardSpec(1, "profile:bot", "loop", 5, "block", 120)
    looping, normal = GuardBook([loop]), GuardBook([loop])
    looped = [run(looping, facts(t * 2.0, last="Error: file not found")) for t in range(10)]
    assert looped[:4] == [[]] * 4 and looped[4] == ["loop"]  # the 5th identical request is refused
    assert all(run(normal, facts(t * 2.0, last=f"step {t}")) == [] for t in range(50))


def test_the_loop_window_forgets() -> None:
    book = GuardBook([GuardSpec(1, "wallet", "loop", 3, "block", 60)])
    assert run(book, facts(0)) == [] and run(book, facts(1)) == []
    assert run(book, facts(2)) == ["loop"]
    assert run(book, facts(200)) == []  # a minute later the window is empty again


def test_rate() -> None:
    book = GuardBook([GuardSpec(1, "key:7", "rate", 3, "block", 60)])
    assert [run(book, facts(i, last=str(i))) for i in range(4)] == [[], [], [], ["rate"]]
    assert run(book, facts(61, last="x")) == []


def test_session_money_counts_settled_and_in_flight() -> None:
    book = GuardBook([GuardSpec(1, "profile:bot", "session_money", 3000, "block")])
    f = facts(0, worst=1000)
    assert book.check(f) == []
    book.started(f)
    book.started(f)  # two calls in flight: 2000 held
    assert book.check(facts(0, worst=1000)) == []  # 3000 fits
    book.started(f)
    assert [t.guard.kind for t in book.check(facts(0, worst=1))] == ["session_money"]
    book.settled(f, 10, 100)  # one finished, cheaper than held
    assert book.check(facts(0, worst=900)) == []
    assert book.check(facts(0, worst=1000, session="s-2")) == []  # another session has its own budget


def test_request_money_and_burn() -> None:
    book = GuardBook(
        [
            GuardSpec(1, "wallet", "request_money", USD, "downgrade"),
            GuardSpec(2, "wallet", "burn", USD, "block", 120),
        ]
    )
    assert [t.guard.kind for t in book.check(facts(0, worst=2 * USD))] == ["request_money"]
    run(book, facts(0, last="a"), cost=USD)
    assert run(book, facts(1, last="b")) == []  # $1 over 2 min: $0.50/min
    run(book, facts(2, last="c"), cost=2 * USD)
    trips = book.check(facts(3, last="d"))
    assert [t.guard.kind for t in trips] == ["burn"] and "/min" in trips[0].message
    assert book.check(facts(400, last="e")) == []


def test_blocking_trips_come_first_and_lift_works_per_session() -> None:
    book = GuardBook(
        [GuardSpec(1, "wallet", "rate", 1, "warn", 60), GuardSpec(2, "session:s-1", "rate", 1, "block", 60)]
    )
    run(book, facts(0))
    assert [t.guard.id for t in book.check(facts(1))] == [2, 1]
    book.lifted.add("2|s-1")
    assert [t.guard.id for t in book.check(facts(1))] == [1]
    assert [t.guard.id for t in book.check(facts(1, session="s-2"))] == [1]  # guard 2 is s-1's only


def test_counters_survive_a_snapshot_as_json() -> None:
    book = GuardBook([GuardSpec(1, "wallet", "loop", 3, "block", 600)])
    run(book, facts(0))
    run(book, facts(1))
    again = GuardBook([GuardSpec(1, "wallet", "loop", 3, "block", 600)])
    again.restore(json.loads(json.dumps(book.snapshot())))
    assert [t.guard.kind for t in again.check(facts(2))] == ["loop"]


@given(
    st.recursive(
        st.none() | st.integers() | st.floats() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
    )
)
def test_a_damaged_snapshot_is_never_trusted(data: object) -> None:
    book = GuardBook([GuardSpec(1, "wallet", "session_money", USD, "block")])
    book.restore(data if isinstance(data, dict) else {"counters": data})  # type: ignore[arg-type]
    for c in book._counters.values():
        assert c.total >= 0 and all(e[1] >= 0 for e in c.events)
