"""The race tests have teeth: without the wallet's lock the same race overspends (issue 14).

Two devices (two data folders, one PostgreSQL wallet) reserve one call each against a blocking
envelope with room for one. The race is forced, not hoped for: each reserve, once it has read the
envelopes, waits until the other device has read them too — or is waiting for the lock. With the
lock (what every write transaction takes first, ``pgconn._LOCKED_BUMP``) the second device reads only
after the first committed, so exactly one call is admitted. With the lock switched off (here, by
monkeypatching: there is no switch in the product) both read the same room and both are admitted:
the envelope is overspent. So the passing race tests pass because of the lock, not by luck.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tokenwallet.core.money import Amount
from tokenwallet.wallet import Scope, Wallet, pgconn
from tokenwallet.wallet.backend import ENV_URL
from tokenwallet.wallet.calls import CallsMixin

from .conftest import rec, req

USD = 1_000_000_000
WAIT_S = 30.0
#: What a write transaction starts with when the wallet's lock is gone: no advisory lock, and the
#: change counter only read (bumping it would take a row lock that serialises writers just as well).
UNLOCKED = {"_LOCKED_BUMP": "SELECT value FROM tw_meta WHERE name = 'change'"}


@pytest.mark.parametrize("lock", ["on", "off"])
def test_two_devices_racing_for_the_last_room(
    lock: str, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_URL, pg_url)
    if lock == "off":
        for name, sql in UNLOCKED.items():
            monkeypatch.setattr(pgconn, name, sql)
    devices = [Wallet.open(tmp_path / name / "wallet.db") for name in ("laptop", "desktop")]
    monitor = psycopg.connect(pg_url, autocommit=True)
    try:
        w = devices[0]
        w.set_setting("timezone", "UTC")
        _, key = w.add_profile("alice")
        b = w.resolve_key(key)
        assert b is not None
        limit = USD + USD // 2  # room for one call of 1 USD
        w.set_budget(Scope("profile", "alice"), Amount("usd", limit), period="none", action="block")
        read = [threading.Event(), threading.Event()]
        mine = threading.local()
        original = CallsMixin._applicable

        def blocked() -> bool:  # a session of this database waits for a lock
            row = monitor.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                " WHERE NOT l.granted AND d.datname = current_database()"
            ).fetchone()
            return row is not None and int(row[0]) > 0

        def racing(self: CallsMixin, *args: Any, **kw: Any) -> Any:
            envs = original(self, *args, **kw)
            me = getattr(mine, "index", None)
            if me is not None:
                read[me].set()
                deadline = time.monotonic() + WAIT_S
                while not (read[1 - me].is_set() or blocked()):
                    assert time.monotonic() < deadline, "the other device neither read nor waited"
                    time.sleep(0.005)
            return envs

        monkeypatch.setattr(CallsMixin, "_applicable", racing)
        holds: list[tuple[int, int]] = []
        start = threading.Barrier(2)

        def reserve(index: int) -> None:
            mine.index = index
            start.wait(timeout=WAIT_S)
            r = devices[index].reserve(req(b, USD, call_id=f"call-{index}"))
            if r.hold_id is not None:
                holds.append((index, r.hold_id))

        threads = [threading.Thread(target=reserve, args=(i,)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=2 * WAIT_S)
        assert not any(t.is_alive() for t in threads)
        monkeypatch.setattr(CallsMixin, "_applicable", original)
        for index, hold_id in holds:
            devices[index].settle(hold_id, rec(b, f"call-{index}", USD))
        (st,) = w.status()
        if lock == "on":
            assert len(holds) == 1 and st.spent == USD <= limit
        else:
            assert len(holds) == 2 and st.spent == 2 * USD > limit  # overspent: the lock is what matters
    finally:
        monitor.close()
        for d in devices:
            d.close()
