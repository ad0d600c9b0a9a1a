"""The call path: reserve → settle / release, idempotence, crash recovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tokenwallet.core.money import parse_amount
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import KeyBinding, Scope, StaleHold, Wallet, procs

from .conftest import BOTH_BACKENDS, Clock, rec, req

backend = BOTH_BACKENDS

USD = 1_000_000_000


@pytest.fixture
def alice(wallet: Wallet) -> KeyBinding:
    wallet.add_project("acme")
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    return wallet.bind_project(b, "acme")


def test_a_call_charges_wallet_profile_and_project(wallet: Wallet, alice: KeyBinding) -> None:
    wallet.set_budget(Scope("wallet"), parse_amount("100"), action="block")
    wallet.set_budget(Scope("profile", "alice"), parse_amount("10"), action="block")
    wallet.set_budget(Scope("project", "acme"), parse_amount("1M tokens"), action="warn")
    wallet.set_budget(Scope("wallet"), parse_amount("7"), period="day")
    r = wallet.reserve(req(alice, 2 * USD, 5000, call_id="c-1"))
    assert r.hold_id is not None and r.refused is None
    held = {str(s.envelope.scope) + s.envelope.period: s.held for s in r.statuses}
    assert held == {
        "walletmonth": 2 * USD,
        "profile:alicemonth": 2 * USD,
        "project:acmemonth": 5000,
        "walletday": 2 * USD,
    }
    assert r.tightest is not None and r.tightest.envelope.period == "day"
    res = wallet.settle(r.hold_id, rec(alice, "c-1", USD, Usage(1000, output_tokens=500)))
    spent = {str(s.envelope.scope) + s.envelope.period: (s.spent, s.held) for s in res.statuses}
    assert spent == {
        "walletmonth": (USD, 0),
        "profile:alicemonth": (USD, 0),
        "project:acmemonth": (1500, 0),
        "walletday": (USD, 0),
    }
    assert wallet.holds() == []


def test_block_refuses_without_a_hold(wallet: Wallet, alice: KeyBinding) -> None:
    wallet.set_budget(Scope("profile", "alice"), parse_amount("1"), action="block")
    r = wallet.reserve(req(alice, 2 * USD))
    assert r.hold_id is None and r.refused is not None
    assert r.refused.envelope.scope == Scope("profile", "alice") and r.refused.available == USD
    assert wallet.holds() == []
    # held money counts: two calls of 0.6 cannot both hold against 1.0
    r1 = wallet.reserve(req(alice, 600_000_000))
    r2 = wallet.reserve(req(alice, 600_000_000))
    assert r1.hold_id is not None and r2.hold_id is None
    wallet.release(r1.hold_id)
    wallet.release(r1.hold_id)  # releasing twice is harmless
    assert wallet.reserve(req(alice, 600_000_000)).hold_id is not None


def test_downgrade_and_warn(wallet: Wallet, alice: KeyBinding) -> None:
    wallet.set_budget(Scope("profile", "alice"), parse_amount("1"), action="downgrade")
    wallet.set_budget(Scope("wallet"), parse_amount("0.5"), action="warn")
    r = wallet.reserve(req(alice, 2 * USD, allow_downgrade=True))
    assert r.hold_id is None and r.downgrade is not None and r.refused is None
    assert r.downgrade.envelope.action == "downgrade"
    r = wallet.reserve(req(alice, 2 * USD, allow_downgrade=False))  # the retry with a cheaper model
    assert r.hold_id is not None  # downgrade without permission and warn never refuse


def test_settle_is_idempotent_on_call_id(wallet: Wallet, alice: KeyBinding) -> None:
    wallet.set_budget(Scope("profile", "alice"), parse_amount("10"), action="block")
    r = wallet.reserve(req(alice, 2 * USD, call_id="dup"))
    assert r.hold_id is not None
    first = wallet.settle(r.hold_id, rec(alice, "dup", USD))
    again = wallet.settle(r.hold_id, rec(alice, "dup", USD))
    third = wallet.record(rec(alice, "dup", USD))
    assert first.ledger_id == again.ledger_id == third.ledger_id
    assert again.crossed == []
    (st,) = wallet.status()
    assert st.spent == USD and st.held == 0
    assert wallet._conn().execute("SELECT COUNT(*) FROM ledger").fetchone()[0] == 1


def test_a_settle_releases_its_hold_wherever_it_was_taken(wallet: Wallet, alice: KeyBinding) -> None:
    """The hold comes off every envelope it was taken from, also one that no longer applies to the
    record, and a repeated settle that brings another hold frees it without charging."""
    wallet.set_budget(Scope("profile", "alice"), parse_amount("10"), action="block")
    wallet.set_budget(Scope("project", "acme"), parse_amount("1M tokens"), action="warn")
    r = wallet.reserve(req(alice, 2 * USD, 5000, call_id="moved"))
    assert r.hold_id is not None
    no_project = KeyBinding(alice.key_id, alice.profile_id, alice.profile, None, None, alice.paused)
    first = wallet.settle(r.hold_id, rec(no_project, "moved", USD))
    by_scope = {str(s.envelope.scope): (s.spent, s.held) for s in wallet.status()}
    assert by_scope == {"profile:alice": (USD, 0), "project:acme": (0, 0)}
    again = wallet.reserve(req(alice, 2 * USD, 5000, call_id="moved"))
    assert again.hold_id is not None
    repeat = wallet.settle(again.hold_id, rec(alice, "moved", 3 * USD))
    assert repeat.ledger_id == first.ledger_id and repeat.crossed == []
    by_scope = {str(s.envelope.scope): (s.spent, s.held) for s in wallet.status()}
    assert by_scope == {"profile:alice": (USD, 0), "project:acme": (0, 0)}
    assert wallet.holds() == []


def test_settle_can_exceed_the_hold(wallet: Wallet, alice: KeyBinding) -> None:
    wallet.set_budget(Scope("profile", "alice"), parse_amount("1"), action="block")
    r = wallet.reserve(req(alice, USD // 2))
    assert r.hold_id is not None
    wallet.settle(r.hold_id, rec(alice, "big", 3 * USD))  # the provider billed more than the worst case
    (st,) = wallet.status()
    assert st.available == -2 * USD and st.held == 0
    assert wallet.reserve(req(alice, 1)).refused is not None


def test_record_without_hold_and_price_snapshots_dedupe(wallet: Wallet, alice: KeyBinding) -> None:
    for i in range(5):
        wallet.record(rec(alice, f"r{i}", 10, price_json='{"same": true}'))
    wallet.record(rec(alice, "other", 10, price_json='{"other": true}'))
    assert wallet._conn().execute("SELECT COUNT(*) FROM price_snapshot").fetchone()[0] == 2
    row = wallet.ledger_row("r3")
    assert row is not None and row.price_json == '{"same": true}' and row.project == "acme"


def test_threads_share_a_wallet(wallet: Wallet, alice: KeyBinding) -> None:
    wallet.set_budget(Scope("profile", "alice"), parse_amount("1"), action="block")
    ok: list[int] = []

    def worker(n: int) -> None:
        for i in range(40):
            r = wallet.reserve(req(alice, 10_000_000, call_id=f"t{n}-{i}"))
            if r.hold_id is not None:
                wallet.settle(r.hold_id, rec(alice, f"t{n}-{i}", 10_000_000))
                ok.append(1)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (st,) = wallet.status()
    assert len(ok) == 100 and st.spent == USD and st.available == 0


_CRASHER = textwrap.dedent(
    """
    import os, sys
    from tokenwallet.wallet import Wallet, HoldRequest
    w = Wallet.open(sys.argv[1])
    b = w.resolve_key(sys.argv[2])
    r = w.reserve(HoldRequest("crashed-call", b, "openai", "gpt-4o", "chat/completions", True, 1200,
                              5_000_000_000, 5000))
    w.hold_progress(r.hold_id, 300)
    os._exit(0)  # die mid-call: no settle, no release
    """
)


def test_recover_holds_of_a_dead_process(tmp_path: Path) -> None:
    path = tmp_path / "wallet.db"
    w = Wallet.open(path)
    _, key = w.add_profile("alice")
    w.set_budget(Scope("profile", "alice"), parse_amount("10"), action="block")
    subprocess.run([sys.executable, "-c", _CRASHER, str(path), key], check=True, timeout=60)
    (hold,) = w.holds()
    assert hold.output_tokens == 300 and hold.cost_nano == 5 * USD
    (st,) = w.status()
    assert st.held == 5 * USD
    seen: list[StaleHold] = []

    def price(stale: StaleHold) -> tuple[int, str, str]:
        seen.append(stale)
        return stale.input_tokens * 1000 + stale.output_tokens * 4000, '{"recovered": 1}', "test"

    ids = w.recover_holds(price)
    assert len(ids) == 1 and seen[0].input_tokens == 1200 and seen[0].output_tokens == 300
    row = w.ledger_row("crashed-call")
    assert row is not None and row.estimated and row.cost_nano == 2_400_000
    assert row.usage == Usage(input_tokens=1200, output_tokens=300) and row.error
    (st,) = w.status()
    assert st.held == 0 and st.spent == 2_400_000
    assert w.recover_holds(price) == []  # nothing twice


def test_recover_leaves_live_holds_alone(wallet: Wallet, alice: KeyBinding) -> None:
    r = wallet.reserve(req(alice, 5))
    assert r.hold_id is not None
    assert wallet.recover_holds(lambda s: (0, "{}", "test")) == []
    assert len(wallet.holds()) == 1


@pytest.mark.parametrize("written_by", ["another device", "before devices, another boot"])
def test_another_devices_hold_is_recovered_only_on_a_file_or_after_the_timeout(
    wallet: Wallet, alice: KeyBinding, clock: Clock, backend: str, written_by: str
) -> None:
    """A hold of another device (or, from before devices existed, of another boot): on a file this
    machine wrote it (the owner is dead); on a shared wallet it is another device's call, left
    alone until it is ``foreign_hold_timeout_s`` old."""
    r = wallet.reserve(req(alice, 5))
    assert r.hold_id is not None
    device = "b" * 32 if written_by == "another device" else ""
    wallet._conn().execute(
        "UPDATE hold SET owner_pid = 1, owner_token = 'another-boot:42', device = ? WHERE id = ?",
        (device, r.hold_id),
    )
    price = lambda s: (3, "{}", "test")  # noqa: E731
    if backend == "sqlite":
        assert len(wallet.recover_holds(price)) == 1
        return
    wallet.set_setting("foreign_hold_timeout_s", 600)
    assert wallet.recover_holds(price) == [] and len(wallet.holds()) == 1
    clock.advance(seconds=599)
    assert wallet.recover_holds(price) == []
    clock.advance(seconds=2)
    (ledger_id,) = wallet.recover_holds(price)
    assert wallet.holds() == []
    row = wallet._conn().execute("SELECT device, error FROM ledger WHERE id = ?", (ledger_id,)).fetchone()
    assert row[0] == device and "did not settle the call in 600 s" in row[1]  # the call stays its device's


def test_this_devices_own_hold_of_a_dead_process_is_recovered_at_once(
    wallet: Wallet, alice: KeyBinding, backend: str
) -> None:
    """A restart of this device (its meter died, or the machine rebooted): its holds are its own."""
    r = wallet.reserve(req(alice, 5))
    assert r.hold_id is not None
    wallet._conn().execute(
        "UPDATE hold SET owner_pid = 1, owner_token = 'another-boot:42' WHERE id = ?", (r.hold_id,)
    )
    (ledger_id,) = wallet.recover_holds(lambda s: (3, "{}", "test"))
    row = wallet._conn().execute("SELECT device FROM ledger WHERE id = ?", (ledger_id,)).fetchone()
    assert row[0] == wallet.device_id != ""


def test_binding_for_and_applicable_preview(wallet: Wallet, alice: KeyBinding) -> None:
    wallet.set_budget(Scope("profile", "alice"), parse_amount("10"), action="block")
    wallet.set_budget(Scope("project", "acme"), parse_amount("3"), action="warn")
    wallet.add_profile("bob")
    wallet.set_budget(Scope("profile", "bob"), parse_amount("1"))
    b = wallet.binding_for("alice", "acme")
    assert b.key_id == 0 and b.profile_id == alice.profile_id and b.project_id == alice.project_id
    assert {str(s.envelope.scope) for s in wallet.applicable(b)} == {"profile:alice", "project:acme"}
    assert wallet.holds() == []
    wallet.record(rec(b, "no-key", 5))
    row = wallet.ledger_row("no-key")
    assert row is not None and row.profile == "alice"


def test_connections_of_finished_threads_are_closed(wallet: Wallet) -> None:
    wallet.profiles()
    for _ in range(20):
        t = threading.Thread(target=wallet.profiles)
        t.start()
        t.join()
    assert wallet._pool.open_connections() <= 2


def test_refusal_names_the_envelope_that_covers_least(wallet: Wallet, alice: KeyBinding) -> None:
    wallet.set_budget(Scope("wallet"), parse_amount("0.4"), action="block")
    wallet.set_budget(Scope("profile", "alice"), parse_amount("0.1"), action="block")
    wallet.set_budget(Scope("project", "acme"), parse_amount("100 tokens"), action="block")
    r = wallet.reserve(req(alice, USD // 2, 50))
    assert r.refused is not None and r.refused.envelope.scope == Scope("profile", "alice")
    r = wallet.reserve(req(alice, USD // 20, 1000))
    assert r.refused is not None and r.refused.envelope.scope == Scope("project", "acme")


_HOLDER = textwrap.dedent(
    """
    import sys, time
    from tokenwallet.wallet import Wallet, HoldRequest
    w = Wallet.open(sys.argv[1])
    b = w.resolve_key(sys.argv[2])
    r = w.reserve(HoldRequest("zombie-call", b, "openai", "gpt-4o", "chat/completions", False, 1000,
                              2_000_000_000, 100))
    print(r.hold_id, flush=True)
    time.sleep(600)  # a call in flight, until it is killed
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="zombies are read from /proc")
def test_a_killed_process_not_yet_reaped_is_dead_and_its_hold_recovered(tmp_path: Path) -> None:
    path = tmp_path / "wallet.db"
    w = Wallet.open(path)
    _, key = w.add_profile("alice")
    w.set_budget(Scope("profile", "alice"), parse_amount("10"), action="block")
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), key], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip().isdigit()
        assert w.recover_holds(lambda s: (0, "{}", "test")) == []  # alive: its hold stays
        os.kill(child.pid, signal.SIGKILL)  # killed, and deliberately not reaped (no wait())
        deadline = time.monotonic() + 30
        while Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
            assert time.monotonic() < deadline, "the child never became a zombie"
            time.sleep(0.01)
        assert not procs.alive(child.pid, procs.token_for(child.pid))
        ids = w.recover_holds(lambda s: (s.input_tokens * 1000, '{"recovered": 1}', "test"))
        assert len(ids) == 1 and w.holds() == []
        row = w.ledger_row("zombie-call")
        assert row is not None and row.estimated and row.cost_nano == 1_000_000
        (st,) = w.status()
        assert st.held == 0 and st.spent == 1_000_000
        assert Path(f"/proc/{child.pid}").exists()  # still a zombie: recovered before the reaping
    finally:
        child.kill()
        child.communicate(timeout=30)  # reaps it and closes its pipe
        w.close()
