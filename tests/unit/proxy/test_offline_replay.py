"""Replaying the offline journal into a real PostgreSQL wallet (issue 14): exactly once, visible.

Two replays of one journal at once (two meters on one data folder, or a replay repeated after a
crash) write each call once: the ledger's unique call id. A replay that takes a budget past its
limit (another device spent meanwhile) flags the row ``over_limit``. A journal hold whose meter
died is charged its worst case.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tokenwallet.cli import main
from tokenwallet.core.money import Amount
from tokenwallet.core.usage import Usage
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.offline import OFFLINE_HOLD, Offline
from tokenwallet.wallet import HistoryFilter, KeyBinding, Scope, Wallet
from tokenwallet.wallet.backend import ENV_URL
from tokenwallet.wallet.offline_journal import Float, Need, Sight
from tokenwallet.wallet.types import CallRecord, HoldRequest

USD = 1_000_000_000
PRICE = '{"model": "gpt-4o-mini"}'


@pytest.fixture
def device(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Wallet, KeyBinding]]:
    monkeypatch.setenv(ENV_URL, pg_url)
    wallet = Wallet.open(tmp_path / "laptop" / "wallet.db")
    wallet.add_profile("alice")
    wallet.set_budget(Scope("profile", "alice"), Amount("usd", 10 * USD), period="none", action="block")
    try:
        yield wallet, wallet.binding_for("alice")
    finally:
        wallet.close()


def hold_req(b: KeyBinding, call_id: str, cost: int) -> HoldRequest:
    return HoldRequest(call_id, b, "openai", "gpt-4o-mini", "chat/completions", False, 100, cost, 150)


def record(b: KeyBinding, call_id: str, cost: int) -> CallRecord:
    usage = Usage(input_tokens=100, output_tokens=20)
    return CallRecord(call_id, b, "openai", "gpt-4o-mini", "chat/completions", 200, False, usage, cost,
                      PRICE, "test", False, False, 5)  # fmt: skip


def offline_calls(off: Offline, b: KeyBinding, count: int, cost: int) -> list[str]:
    """Calls metered while the database is out of reach: held, then settled into the journal."""
    off.went_down(ConnectionError("test: the database is down"))
    ids = []
    for i in range(count):
        call_id = f"off-{i}"
        assert off.reserve(hold_req(b, call_id, cost), PRICE).hold_id == OFFLINE_HOLD
        off.settle(record(b, call_id, cost))
        ids.append(call_id)
    return ids


def seen_once(wallet: Wallet, off: Offline, b: KeyBinding) -> None:
    """One call the database answered: the meter now knows alice's budget (the float's base)."""
    req = hold_req(b, "online-0", USD // 100)
    res = wallet.reserve(req)
    assert res.hold_id is not None
    off.saw(req, res)
    wallet.settle(res.hold_id, record(b, "online-0", USD // 100))


def test_two_replays_at_once_write_each_offline_call_once(device: tuple[Wallet, KeyBinding]) -> None:
    wallet, b = device
    first = Offline(wallet)
    second_wallet = Wallet.open(wallet.path)  # another meter on the same data folder
    second = Offline(second_wallet)
    try:
        with pytest.raises(ProxyError) as no_float:  # never saw the database: no float
            first.went_down(ConnectionError("down"))
            first.reserve(hold_req(b, "early", 1), PRICE)
        assert no_float.value.code == "wallet_unavailable"
        first.down = False
        seen_once(wallet, first, b)
        ids = offline_calls(first, b, 8, USD // 10)
        answered = [threading.Thread(target=o.replay) for o in (first, second)]
        for t in answered:
            t.start()
        for t in answered:
            t.join()
        first.replay()  # a third time, for good measure: nothing left, nothing written
    finally:
        second.stop()
        second_wallet.close()
        first.stop()
    rows = wallet.history(HistoryFilter(), limit=100)
    assert sorted(r.call_id for r in rows) == sorted(["online-0", *ids])
    assert all(r.flags == "offline" for r in rows if r.call_id != "online-0")
    (st,) = wallet.status()
    assert st.spent == USD // 100 + 8 * (USD // 10) and st.held == 0
    assert not first.down


def test_a_replay_past_the_limit_is_flagged_not_hidden(device: tuple[Wallet, KeyBinding]) -> None:
    wallet, b = device
    off = Offline(wallet)
    try:
        off.float = Float(USD, 50_000)
        seen_once(wallet, off, b)
        offline_calls(off, b, 3, USD // 4)
        # meanwhile another device spent nearly all of alice's budget
        wallet.set_budget(Scope("profile", "alice"), Amount("usd", USD // 2), period="none", action="block")
        assert off.replay()
        assert off.status()["over_limit"] == ["profile:alice (none)"]
    finally:
        off.stop()
    flags = {r.call_id: r.flags for r in wallet.history(HistoryFilter(), limit=100)}
    assert flags == {
        "online-0": "",
        "off-0": "offline",  # 0.26 of 0.50: still within
        "off-1": "offline,over_limit",  # 0.51: past the limit
        "off-2": "offline,over_limit",
    }


def test_a_journal_hold_of_a_dead_meter_is_charged_its_worst_case(device: tuple[Wallet, KeyBinding]) -> None:
    wallet, b = device
    off = Offline(wallet)
    try:
        env = wallet.status()[0].envelope
        seen = Sight(env.id, env.label, "usd", "block", 10 * USD)
        hold = {"binding": {"key_id": 0, "profile_id": b.profile_id, "profile": "alice", "project_id": None,
                            "project": None, "paused": False, "session": "", "budget_session": ""},
                "provider": "openai", "model": "gpt-4o-mini", "endpoint": "chat/completions", "stream": True,
                "input_tokens": 100, "cost_nano": USD // 3, "tokens": 4100, "price_json": PRICE}  # fmt: skip
        assert off.journal.hold("gone", [Need(seen, USD // 3, USD)], hold, owner=(1, "no-such-boot:1"),
                                now_us=1) is None  # fmt: skip
        assert off.replay()
    finally:
        off.stop()
    (row,) = wallet.history(HistoryFilter(), limit=10)
    assert (row.call_id, row.cost_nano, row.estimated, row.flags) == ("gone", USD // 3, True, "offline")
    assert (row.usage.input_tokens, row.usage.output_tokens) == (100, 4000)


def test_status_tells_what_the_journal_holds_when_no_meter_replays_it(
    device: tuple[Wallet, KeyBinding],
) -> None:
    wallet, b = device
    off = Offline(wallet)
    try:
        seen_once(wallet, off, b)
        offline_calls(off, b, 3, USD // 10)
    finally:
        off.stop()  # the meter ends before the database is back
    out, err = io.StringIO(), io.StringIO()
    args = ["--data-dir", str(wallet.path.parent), "status"]
    code = main(args, stdin=io.StringIO(""), stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert out.getvalue().splitlines()[0] == (
        "offline journal: 3 call(s) metered while the shared wallet was out of reach ($0.30 of the float"
        " used); the meter replays them when it runs and the database answers"
    )
