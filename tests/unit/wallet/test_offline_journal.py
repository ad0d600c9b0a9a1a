"""The offline journal's float accounting (issue 14): what a device may meter without its wallet."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tokenwallet.core.usage import Usage
from tokenwallet.wallet.offline_journal import (
    NO_ENVELOPE,
    Float,
    Journal,
    Need,
    Sight,
    no_envelope,
    record_from_json,
    record_to_json,
    room,
)
from tokenwallet.wallet.types import CallRecord, KeyBinding

USD = 1_000_000_000
FLOAT = Float(USD, 50_000)
ALICE = KeyBinding(3, 2, "alice", None, None, False, "s1", "s1")


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path)
    yield j
    j.close()


def sight(available: int, *, unit: str = "usd", action: str = "block", env: int = 7) -> Sight:
    return Sight(env, f"profile:alice ({env})", unit, action, available)


@pytest.mark.parametrize(
    ("seen", "expected"),
    [
        (sight(5 * USD), USD),  # plenty left: the float
        (sight(USD // 4), USD // 4),  # less left than the float: what was left
        (sight(-USD), 0),  # already over: nothing offline
        (sight(0, action="downgrade"), 0),  # downgrade refuses too once empty
        (sight(-USD, action="warn"), USD),  # warn never refuses: the float alone bounds it
        (sight(10**6, unit="tokens"), 50_000),  # a token budget: the token float
        (sight(10, unit="tokens"), 10),
        (no_envelope(), USD),  # calls no budget covers: the float too
    ],
)
def test_room_is_the_smaller_of_the_float_and_what_was_left(seen: Sight, expected: int) -> None:
    assert room(seen, FLOAT) == expected


def recount(journal: Journal) -> dict[int, tuple[str, int]]:
    """What the entries themselves charge: the running totals must always agree with it."""
    out: dict[int, tuple[str, int]] = {}
    with sqlite3.connect(journal.path) as conn:
        for (charges,) in conn.execute("SELECT charges FROM entry"):
            for key, (unit, amount) in json.loads(charges).items():
                out[int(key)] = (unit, out.get(int(key), ("", 0))[1] + amount)
    conn.close()
    return {k: v for k, v in out.items() if v[1]}


def hold(journal: Journal, call_id: str, *needs: Need) -> Need | None:
    return journal.hold(call_id, list(needs), {"call": call_id}, owner=(1, "t"), now_us=1)


def test_holds_stop_at_the_float_and_name_the_envelope_that_cannot_take_more(journal: Journal) -> None:
    money, tokens = sight(5 * USD), sight(10**6, unit="tokens", env=8)
    need = lambda cost: [Need(money, cost, room(money, FLOAT)), Need(tokens, 20_000, 50_000)]  # noqa: E731
    assert hold(journal, "a", *need(USD // 2)) is None
    assert hold(journal, "b", *need(USD // 2)) is None  # exactly the float: allowed
    refused = hold(journal, "c", *need(1))
    assert refused is not None and refused.sight == money  # the first that cannot take it
    assert journal.used() == {7: ("usd", USD), 8: ("tokens", 40_000)} == recount(journal)
    assert journal.counts() == (2, 0, 0)
    # tokens run out first when the money has room
    money2 = sight(5 * USD, env=9)
    refused = hold(journal, "d", Need(money2, 1, USD), Need(tokens, 10_001, 50_000))
    assert refused is not None and refused.sight == tokens
    assert journal.counts() == (2, 0, 0)  # a refused hold writes nothing


def record(call_id: str, cost: int, tokens: int) -> CallRecord:
    return CallRecord(call_id, ALICE, "openai", "gpt-4o-mini", "chat/completions", 200, True,
                      Usage(input_tokens=tokens - 5, output_tokens=5, cache_read_tokens=0), cost, '{"p": 1}',
                      "catalog", False, False, 12, "gpt-4o", None, "hi", datetime(2026, 11, 29, tzinfo=UTC),
                      "offline")  # fmt: skip


def test_a_settle_replaces_the_worst_case_with_the_cost_and_frees_the_float(journal: Journal) -> None:
    money, tokens = sight(5 * USD), sight(10**6, unit="tokens", env=8)
    assert hold(journal, "a", Need(money, USD, USD), Need(tokens, 900, 50_000)) is None
    assert hold(journal, "b", Need(money, 1, USD)) is not None  # the worst case took it all
    journal.settle(record("a", USD // 10, 300))
    assert journal.used() == {7: ("usd", USD // 10), 8: ("tokens", 300)} == recount(journal)
    assert hold(journal, "b", Need(money, 1, USD)) is None
    assert journal.counts() == (1, 1, 0)
    ((call_id, rec),) = journal.settled()
    assert call_id == "a" and rec == record("a", USD // 10, 300)
    journal.remove("a")
    journal.remove("a")  # a second replay of the same call: subtracted once
    assert journal.used() == {7: ("usd", 1)} == recount(journal)
    with pytest.raises(LookupError):
        journal.settle(record("zzz", 1, 10))


def test_records_survive_the_journal_as_they_were() -> None:
    rec = record("x", 123_456_789, 4_000)
    assert record_from_json(record_to_json(rec)) == rec


def test_two_meters_on_one_folder_cannot_both_take_the_last_of_the_float(tmp_path: Path) -> None:
    """Each journal handle stands for a process: the check and the hold are one transaction."""
    journals = [Journal(tmp_path) for _ in range(4)]
    money = sight(5 * USD)
    taken: list[str] = []
    lock = threading.Lock()

    def take(j: Journal, n: int) -> None:
        for i in range(25):
            call_id = f"{n}-{i}"
            if j.hold(call_id, [Need(money, USD // 10, USD)], {}, owner=(n, "t"), now_us=i) is None:
                with lock:
                    taken.append(call_id)

    threads = [threading.Thread(target=take, args=(j, n)) for n, j in enumerate(journals)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert len(taken) == 10 and journals[0].used() == {7: ("usd", USD)} == recount(journals[0])
        assert NO_ENVELOPE not in journals[0].used()
    finally:
        for j in journals:
            j.close()
