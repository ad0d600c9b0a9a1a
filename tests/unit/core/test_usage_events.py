import threading

from tokenwallet.core.events import (
    BudgetCrossed,
    CallSettled,
    Event,
    EventBus,
    WalletChanged,
    from_json,
    to_json,
)
from tokenwallet.core.usage import Usage


def test_usage_totals_count_cached_input_once() -> None:
    u = Usage(
        input_tokens=100, cache_read_tokens=900, cache_write_tokens=10, output_tokens=50, reasoning_tokens=20
    )
    assert u.total_input == 1010
    assert u.total_tokens == 1060
    assert (u + u).output_tokens == 100
    assert Usage.from_dict(u.to_dict() | {"unknown": 3}) == u


def test_events_round_trip_through_json() -> None:
    events: list[Event] = [
        CallSettled(
            "c1", 7, "alice", "acme", "openai", "gpt-4o", "chat/completions", Usage(10, 5), 1234, False, 200
        ),
        BudgetCrossed(3, "profile:alice (month)", 80, 83, 1_000, "usd", "block", "gpt-4o-mini"),
        WalletChanged("budget"),
    ]
    for event in events:
        assert from_json(to_json(event)) == event


def test_a_failing_subscriber_never_breaks_publishing() -> None:
    bus = EventBus()
    seen: list[Event] = []

    def broken(_: Event) -> None:
        raise RuntimeError("boom")

    bus.subscribe(broken)
    unsubscribe = bus.subscribe(seen.append)
    bus.publish(WalletChanged("x"))
    unsubscribe()
    bus.publish(WalletChanged("y"))
    assert [e.what for e in seen if isinstance(e, WalletChanged)] == ["x"]


def test_bus_is_safe_across_threads() -> None:
    bus = EventBus()
    seen: list[Event] = []
    lock = threading.Lock()

    def record(e: Event) -> None:
        with lock:
            seen.append(e)

    bus.subscribe(record)
    threads = [
        threading.Thread(target=lambda: [bus.publish(WalletChanged("t")) for _ in range(500)])
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 2000
