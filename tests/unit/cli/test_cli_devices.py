"""``tokenwallet devices``: list, rename, forget (refused while the device has calls in flight)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import Run

from tokenwallet.paths import wallet_file
from tokenwallet.wallet import HoldRequest, Wallet
from tokenwallet.wallet.devices import host_name


def test_devices_are_listed_renamed_and_forgotten(tw: Run, data_dir: Path) -> None:
    r = tw("devices")
    assert r.code == 0 and "No device has registered yet" in r.out
    assert not (data_dir / "device-id").exists()  # a listing leaves nothing behind
    with Wallet.open(wallet_file(data_dir)) as w:
        w.register_device(serving=True)  # what `serve` does as it starts
        w.add_profile("alice")
        held = w.reserve(
            HoldRequest("c1", w.binding_for("alice"), "openai", "gpt-4o", "chat", False, 10, 7, 0)
        )
        assert held.hold_id is not None
        me = w.device_id
    out = tw("devices").out
    assert f"{host_name()} (this one)" in out and me[:8] in out and "serving" in out
    (listed,) = json.loads(tw("devices", "--json").out)
    assert (listed["id"], listed["calls_in_flight"], listed["held_nano"]) == (me, 1, 7)
    assert tw("devices", "rename", me[:8], "kitchen laptop").code == 0
    assert json.loads(tw("devices", "--json").out)[0]["name"] == "kitchen laptop"
    r = tw("devices", "forget", "kitchen laptop")
    assert r.code != 0 and "1 call(s) in flight" in r.err
    with Wallet.open(wallet_file(data_dir)) as w:
        w.release(held.hold_id)
    r = tw("devices", "forget", "kitchen laptop")
    assert r.code == 0 and "kitchen laptop" in r.out
    assert json.loads(tw("devices", "--json").out) == []
    r = tw("devices", "rename", "attic", "x")
    assert r.code != 0 and "no device named 'attic'" in r.err
