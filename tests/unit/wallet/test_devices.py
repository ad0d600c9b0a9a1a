"""Devices (issue 14): the id kept in the data folder, the device table, per-device guard counters.

Two devices are two data folders on one PostgreSQL wallet; on SQLite the same code sees one device.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tokenwallet.wallet import KeyBinding, Wallet, WalletError
from tokenwallet.wallet.backend import ENV_URL
from tokenwallet.wallet.devices import DEVICE_FILE, device_id_for, host_name
from tokenwallet.wallet.errors import NotFound

from .conftest import BOTH_BACKENDS, Clock, rec, req

backend = BOTH_BACKENDS
USD = 1_000_000_000


@pytest.fixture
def alice(wallet: Wallet) -> KeyBinding:
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    return b


@pytest.fixture
def two_devices(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Wallet]]:
    monkeypatch.setenv(ENV_URL, pg_url)
    wallets = [Wallet.open(tmp_path / name / "wallet.db") for name in ("laptop", "desktop")]
    try:
        yield wallets
    finally:
        for w in wallets:
            w.close()


def test_the_device_id_is_made_once_and_kept_in_the_data_folder(tmp_path: Path) -> None:
    ids: list[str] = []
    start = threading.Barrier(8)

    def make() -> None:  # the app and `serve` starting together in one folder agree on one id
        start.wait(timeout=30)
        ids.append(device_id_for(tmp_path))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(set(ids)) == 1 and len(ids[0]) == 32
    assert (tmp_path / DEVICE_FILE).read_text().strip() == ids[0]
    assert (tmp_path / DEVICE_FILE).stat().st_mode & 0o077 == 0  # owner-only, like the rest
    assert [p.name for p in tmp_path.iterdir()] == [DEVICE_FILE]  # no temporary file left
    (tmp_path / "a-file").write_text("")
    assert device_id_for(tmp_path / "a-file" / "folder") == ""  # cannot be made: no id, no crash


def test_a_meter_registers_its_device_and_lists_what_it_spends(
    wallet: Wallet, alice: KeyBinding, clock: Clock
) -> None:
    assert wallet.devices() == []
    wallet.register_device(serving=True)
    first = clock.at
    r = wallet.reserve(req(alice, 3 * USD))
    assert r.hold_id is not None
    done = wallet.reserve(req(alice, 2 * USD, call_id="done"))
    assert done.hold_id is not None
    wallet.settle(done.hold_id, rec(alice, "done", 2 * USD))
    clock.advance(seconds=40)
    wallet.touch_device()
    (d,) = wallet.devices()
    assert (d.id, d.name, d.serving, d.this_device) == (wallet.device_id, host_name(), True, True)
    assert (d.first_seen, d.last_seen) == (first, clock.at)
    assert (d.holds, d.held_nano, d.calls_today, d.cost_today_nano) == (1, 3 * USD, 1, 2 * USD)
    clock.advance(seconds=91)  # three heartbeats missed: its meter was killed, whatever the row says
    assert not wallet.devices()[0].serving
    clock.advance(days=1)  # a new day: nothing spent today yet
    wallet.register_device(serving=False)
    (d,) = wallet.devices()
    assert (d.serving, d.calls_today, d.first_seen) == (False, 0, first)


def test_a_device_is_renamed_and_forgotten_only_without_calls_in_flight(
    wallet: Wallet, alice: KeyBinding
) -> None:
    wallet.register_device(serving=True)
    wallet.rename_device(wallet.device_id[:8], "kitchen laptop")
    assert [d.name for d in wallet.devices()] == ["kitchen laptop"]
    with pytest.raises(WalletError, match="1-64 printable"):
        wallet.rename_device("kitchen laptop", " ")
    with pytest.raises(NotFound):
        wallet.rename_device("attic", "x")
    r = wallet.reserve(req(alice, USD))
    assert r.hold_id is not None
    with pytest.raises(WalletError, match="1 call\\(s\\) in flight"):
        wallet.forget_device("kitchen laptop")
    wallet.release(r.hold_id)
    assert wallet.forget_device("kitchen laptop") == "kitchen laptop"
    assert wallet.devices() == []
    wallet.touch_device()  # a forgotten device that is still metering comes back with its next beat
    assert [d.this_device for d in wallet.devices()] == [True]


def test_each_device_keeps_its_own_guard_counters(two_devices: list[Wallet]) -> None:
    laptop, desktop = two_devices
    laptop.save_guard_state({"rate": [1, 2, 3]})
    desktop.save_guard_state({"rate": [9]})
    assert laptop.guard_state() == {"rate": [1, 2, 3]}
    assert desktop.guard_state() == {"rate": [9]}


def test_counters_saved_before_devices_existed_are_taken_over(wallet: Wallet) -> None:
    wallet._conn().execute(
        "INSERT INTO guard_state (name, state_json, updated_us) VALUES ('meter', '{\"old\": 1}', 0)"
    )
    assert wallet.guard_state() == {"old": 1}
    wallet.save_guard_state({"new": 2})
    assert wallet.guard_state() == {"new": 2}


def test_every_device_is_listed_with_its_own_spending(two_devices: list[Wallet]) -> None:
    laptop, desktop = two_devices
    laptop.set_setting("timezone", "UTC")
    _, key = laptop.add_profile("alice")
    b = laptop.resolve_key(key)
    assert b is not None
    for w in two_devices:
        w.register_device(serving=True)
    desktop.rename_device(desktop.device_id, "desktop")
    r = desktop.reserve(req(b, 4 * USD, call_id="on-desktop"))
    assert r.hold_id is not None
    desktop.settle(r.hold_id, rec(b, "on-desktop", 4 * USD))
    held = laptop.reserve(req(b, USD))
    assert held.hold_id is not None
    seen = {d.name: d for d in laptop.devices()}
    assert seen["desktop"].cost_today_nano == 4 * USD and seen["desktop"].holds == 0
    assert not seen["desktop"].this_device
    mine = seen[host_name()]
    assert mine.this_device and (mine.holds, mine.held_nano, mine.calls_today) == (1, USD, 0)
    row = laptop._conn().execute("SELECT device FROM ledger WHERE call_id = 'on-desktop'").fetchone()
    assert row[0] == desktop.device_id
