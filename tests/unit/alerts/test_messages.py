"""Events → alerts: the sentence, the topic, exact amounts; and coalescing bursts (pure logic)."""

from __future__ import annotations

from datetime import UTC, datetime

from tokenwallet.alerts import Alert, Coalescer, alert_for
from tokenwallet.core.events import BudgetCrossed, CallRefused, GuardTripped, WalletChanged

AT = datetime(2026, 11, 29, 14, 0, tzinfo=UTC)


def refused(i: int = 0, reason: str = "budget") -> CallRefused:
    return CallRefused(
        f"c{i}", "kid", None, "openai", "gpt-4o", reason, "profile:kid (week)", 7, 1_234_567_891, "usd",
        "gpt-4o-mini", at=AT,
    )  # fmt: skip


def test_threshold_alert_has_exact_amounts() -> None:
    a = alert_for(BudgetCrossed(3, "profile:kid (week)", 80, 83, 1_500_000_001, "usd", "warn", at=AT))
    assert a is not None and a.topic == "thresholds" and a.kind == "threshold"
    assert a.message == "Budget profile:kid (week) is at 83 % (crossed 80 %): $1.50 left."
    assert dict(a.amounts) == {"available": "1.500000001", "unit": "USD"}  # exact, not the $1.50 shown
    tokens = alert_for(BudgetCrossed(4, "project:x (day)", 50, 50, 120_000, "tokens", "block", at=AT))
    assert tokens is not None and dict(tokens.amounts) == {"available": "120000", "unit": "tokens"}


def test_refusal_alert_and_json_body() -> None:
    a = alert_for(refused())
    assert a is not None and a.title == "Call refused"
    assert a.message == (
        "A call to gpt-4o by kid was refused: budget profile:kid (week) has $1.23 left."
        " gpt-4o-mini would fit."
    )
    assert a.to_json() == {
        "source": "tokenwallet",
        "kind": "refusal",
        "title": "Call refused",
        "message": a.message,
        "profile": "kid",
        "envelope": "profile:kid (week)",
        "model": "gpt-4o",
        "amounts": {"available": "1.234567891", "unit": "USD"},
        "count": 1,
        "time": "2026-11-29T14:00:00+00:00",
    }


def test_guard_alert_says_how_to_lift_and_its_refusal_stays_quiet() -> None:
    trip = GuardTripped(
        5, "profile:kid", "loop", "block", "6 near-identical requests in 120 s", "kid", "s1", "gpt-4o",
        "tokenwallet guard lift 5 --session s1", at=AT,
    )  # fmt: skip
    a = alert_for(trip)
    assert a is not None and a.topic == "guards"
    assert a.message == (
        "Guard loop (profile:kid) stopped a call to gpt-4o by kid: 6 near-identical requests in 120 s."
        " To lift it: tokenwallet guard lift 5 --session s1"
    )
    assert alert_for(refused(reason="guard")) is None  # the GuardTripped above is the one story
    assert alert_for(WalletChanged("x")) is None
    assert alert_for(refused(reason="metering is paused")) is not None


def _alert(topic: str, n: int = 0) -> Alert:
    return Alert(topic, "T", f"m{n}", AT)


def test_a_burst_is_one_alert_now_and_one_summary_when_the_window_ends() -> None:
    c = Coalescer(window_s=60)
    sent = c.add(_alert("refusals", 0), now=0.0)
    for i in range(1, 1000):
        sent += c.add(_alert("refusals", i), now=i / 1000)
    assert [a.message for a in sent] == ["m0"]
    assert c.next_due() == 60.0 and c.due(59.9) == []
    (summary,) = c.due(60.0)
    assert summary.count == 999 and summary.title == "T (999 more)"
    assert summary.message == "999 more refused calls in the last 60 s; the latest: m999"
    # the summary opened a new window: a quiet one then closes without sending anything
    assert c.due(120.0) == [] and c.next_due() is None
    assert [a.message for a in c.add(_alert("refusals", 5), now=121.0)] == ["m5"]


def test_topics_are_coalesced_apart() -> None:
    c = Coalescer(window_s=10)
    out = c.add(_alert("refusals"), 0) + c.add(_alert("guards"), 1) + c.add(_alert("thresholds"), 2)
    assert [a.topic for a in out] == ["refusals", "guards", "thresholds"]
    assert c.add(_alert("guards", 2), 3) == []
    # a late add first returns the ended windows' summaries; refusals had a quiet window: sent at once
    out = c.add(_alert("refusals", 9), 11)
    assert [(a.topic, a.message) for a in out] == [
        ("guards", "1 more guard trips in the last 10 s; the latest: m2"),
        ("refusals", "m9"),
    ]
    assert c.add(_alert("refusals", 10), 12) == []
