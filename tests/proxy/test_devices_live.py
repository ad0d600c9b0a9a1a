"""Devices and the live meter across devices (issue 14), with real meters sharing one PostgreSQL.

Meter B is a real ``serve`` process on its own data folder; device A is this test process on
another folder, following the wallet with the :class:`CallFeed` the app uses. A call metered by B
must reach A's feed as the events the live meter shows; A's own calls must not come twice.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

import pgserver
from fakes.upstream import FakeUpstream
from pgserver import PgServer
from tokenwallet.core.events import CallSettled, CallStarted, Event, WalletChanged
from tokenwallet.wallet import HoldRequest, KeyBinding, Wallet
from tokenwallet.wallet.backend import ENV_URL
from tokenwallet.wallet.callfeed import CallFeed
from tokenwallet.wallet.devices import CHANNEL, host_name

from .conftest import configure
from .test_postgresql_shared import BODY, _start, _stop

WAIT_S = 30.0


def _wait_for(what: Callable[[], object], message: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not what():
        assert time.monotonic() < deadline, message
        time.sleep(0.01)


@pytest.fixture
def device_a(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Wallet]:
    monkeypatch.setenv(ENV_URL, pg_url)
    wallet = Wallet.open(tmp_path / "a" / "wallet.db")
    try:
        yield wallet
    finally:
        wallet.close()


def test_a_call_metered_by_device_b_reaches_device_a_live_feed(
    device_a: Wallet, pg_url: str, tmp_path: Path, upstream: FakeUpstream
) -> None:
    upstream.reset()
    key = configure(device_a, upstream)
    events: list[Event] = []
    feed = CallFeed(device_a, events.append).start()
    raw = psycopg.connect(pg_url, autocommit=True)
    proc = None
    try:
        raw.execute(f"LISTEN {CHANNEL}")
        assert feed.listening.wait(WAIT_S)
        proc, port = _start(tmp_path / "b", pg_url)
        b_device = (tmp_path / "b" / "device-id").read_text().strip()
        with httpx.Client(timeout=30) as c:
            r = c.post(
                f"http://127.0.0.1:{port}/openai/v1/chat/completions",
                json={**BODY, "messages": [{"role": "user", "content": "a secret prompt"}]},
                headers={"authorization": "Bearer " + key},
            )
        assert r.status_code == 200
        _wait_for(lambda: any(isinstance(e, CallSettled) for e in events), "B's call never reached A's feed")
        (settled,) = [e for e in events if isinstance(e, CallSettled)]
        row = device_a.ledger_row(settled.call_id)
        assert row is not None and (settled.ledger_id, settled.cost_nano) == (row.id, row.cost_nano)
        assert (settled.profile, settled.provider, settled.model) == ("alice", "openai", "gpt-4o-mini")
        assert settled.usage == row.usage
        # the notifications themselves: ids and cost only, never the prompt or a key
        notes = [json.loads(n.payload) for n in raw.notifies(timeout=5, stop_after=2)]
        assert [n["kind"] for n in notes] == ["reserve", "settle"]
        assert all(set(n) == {"kind", "call", "device", "cost"} and n["device"] == b_device for n in notes)
        assert notes[1] == {
            "kind": "settle",
            "call": settled.call_id,
            "device": b_device,
            "cost": row.cost_nano,
        }
        # B registered itself: serving, seen, with its version; A has not metered (no meter here)
        (b,) = device_a.devices()
        assert (b.id, b.name, b.serving, b.this_device, b.calls_today) == (
            b_device,
            host_name(),
            True,
            False,
            1,
        )
        # A's own calls reach A's meter through its own bus: the feed leaves them out
        before = len(events)
        binding = device_a.binding_for("alice")
        held = device_a.reserve(_hold(binding))
        assert held.hold_id is not None
        device_a.release(held.hold_id)
        _stop(proc)
        proc = None
        (b,) = device_a.devices()
        assert not b.serving  # B signed off as it stopped
        assert not [e for e in events[before:] if isinstance(e, CallStarted | CallSettled)]
    finally:
        if proc is not None:
            _stop(proc)
        feed.stop()
        raw.close()
    assert not feed._thread.is_alive()


def _hold(binding: KeyBinding) -> HoldRequest:
    return HoldRequest("a-own", binding, "openai", "gpt-4o-mini", "chat/completions", False, 10, 1000, 0)


def test_the_feed_follows_again_after_the_database_restarts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bindir = pgserver.binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (tools/bootstrap.sh installs Debian's postgresql)")
    server = PgServer(bindir)
    server.start()
    try:
        monkeypatch.setenv(ENV_URL, server.new_database())
        with Wallet.open(tmp_path / "a" / "wallet.db") as a, Wallet.open(tmp_path / "b" / "wallet.db") as b:
            a.set_setting("timezone", "UTC")
            a.add_profile("alice")
            binding = b.binding_for("alice")
            events: list[Event] = []
            feed = CallFeed(a, events.append).start()
            try:
                assert feed.listening.wait(WAIT_S)
                server.halt()
                _wait_for(lambda: not feed.listening.is_set(), "the feed did not notice the server stop")
                server.start()
                assert feed.listening.wait(WAIT_S)
                _wait_for(lambda: WalletChanged("other devices").what in [
                    e.what for e in events if isinstance(e, WalletChanged)
                ], "no re-read after the reconnect")  # fmt: skip
                held = b.reserve(_hold(binding))
                assert held.hold_id is not None
                _wait_for(
                    lambda: any(isinstance(e, CallStarted) for e in events), "no call after the restart"
                )
                (started,) = [e for e in events if isinstance(e, CallStarted)]
                assert (started.call_id, started.held_nano, started.profile, started.input_tokens) == (
                    "a-own",
                    1000,
                    "alice",
                    10,
                )
                b.release(held.hold_id)
            finally:
                feed.stop()
            assert not feed._thread.is_alive()
    finally:
        server.stop()


def test_the_heartbeat_refreshes_last_seen_and_settles_holds_another_device_left_too_long(
    device_a: Wallet, tmp_path: Path, upstream: FakeUpstream
) -> None:
    from tokenwallet.proxy import ProxyServer, heartbeat
    from tokenwallet.secrets import MemoryKeyStore

    from .conftest import PROVIDER_KEYS

    upstream.reset()
    configure(device_a, upstream)
    with Wallet.open(tmp_path / "gone" / "wallet.db") as gone:  # a device that died mid-call
        left = gone.reserve(_hold(gone.binding_for("alice")))
        fresh = gone.reserve(
            HoldRequest("fresh", gone.binding_for("alice"), "openai", "gpt-4o-mini", "chat", False, 5, 9, 0)
        )
        assert left.hold_id is not None and fresh.hold_id is not None
        gone._conn().execute(
            "UPDATE hold SET created_us = created_us - 7200000000 WHERE id = ?", (left.hold_id,)
        )
        # its meter was another process (this one plays both devices)
        gone._conn().execute("UPDATE hold SET owner_pid = 1, owner_token = 'elsewhere:1'")
    proxy = ProxyServer(tmp_path / "b" / "wallet.db", port=0, keystore=MemoryKeyStore(PROVIDER_KEYS))
    proxy.start()
    try:
        assert proxy.recovered  # at start: the two-hour-old hold of the device that is gone
        assert [h.call_id for h in device_a.holds()] == ["fresh"]  # an hour not up: left to its device
        (me,) = [d for d in device_a.devices() if d.serving]
        device_a._conn().execute("UPDATE device SET last_seen_us = 0 WHERE id = ?", (me.id,))
        device_a._conn().execute("UPDATE hold SET created_us = created_us - 7200000000")
        assert proxy.app is not None and proxy.loop is not None
        heartbeat.beat(proxy.app.meter)
        assert device_a.holds() == []
        row = device_a.ledger_row("fresh")
        assert row is not None and row.estimated and "did not settle the call in 3600 s" in (row.error or "")
        (seen,) = [d for d in device_a.devices() if d.id == me.id]
        assert seen.last_seen > me.first_seen
    finally:
        proxy.stop(timeout=5)


def test_each_meter_charges_its_own_device(
    device_a: Wallet, pg_url: str, tmp_path: Path, upstream: FakeUpstream
) -> None:
    """Two `serve` processes, calls through both at once: every ledger row names the meter it went
    through, and the devices listing adds up to the ledger."""
    upstream.reset()
    key = configure(device_a, upstream)
    meters = [_start(tmp_path / name, pg_url) for name in ("laptop", "desktop")]
    try:
        ids = [(tmp_path / name / "device-id").read_text().strip() for name in ("laptop", "desktop")]

        async def run() -> list[tuple[int, str]]:
            async with httpx.AsyncClient(timeout=60) as c:

                async def one(i: int) -> tuple[int, str]:
                    r = await c.post(
                        f"http://127.0.0.1:{meters[i % 2][1]}/openai/v1/chat/completions",
                        json=BODY,
                        headers={"authorization": "Bearer " + key},
                    )
                    assert r.status_code == 200
                    return i % 2, str(r.headers.get("x-tokenwallet-call-id", ""))

                return await asyncio.gather(*(one(i) for i in range(20)))

        answers = asyncio.run(run())
        _wait_for(lambda: not device_a.holds(), "a call never settled")
        rows = device_a._conn().execute("SELECT device, call_id FROM ledger").fetchall()
        assert {call: ids[meter] for meter, call in answers} == {str(r[1]): str(r[0]) for r in rows}
        totals = device_a._conn().execute(
            "SELECT device, COUNT(*), SUM(cost_nano) FROM ledger GROUP BY device"
        )
        by_device = {r[0]: (int(r[1]), int(r[2])) for r in totals}
        listed = {d.id: (d.calls_today, d.cost_today_nano) for d in device_a.devices()}
        assert listed == by_device
    finally:
        for proc, _ in meters:
            _stop(proc)
