"""The wallet's shared plumbing: per-thread connections, clock, calendar, settings access."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tokenwallet.core.events import Event, EventBus
from tokenwallet.core.periods import day_bounds, local_day, week_start_index, zone
from tokenwallet.wallet import backend
from tokenwallet.wallet.db import Checkpointer, ConnectionPool, to_us
from tokenwallet.wallet.errors import NotFound, WalletError
from tokenwallet.wallet.settings import setting

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class WalletBase:
    """State shared by the wallet's parts. Use :meth:`tokenwallet.wallet.Wallet.open`."""

    def __init__(self, path: Path, bus: EventBus, clock: Clock | None) -> None:
        self.path = path
        self.bus = bus
        self._pool = ConnectionPool(path)
        # PostgreSQL has no WAL file of ours to checkpoint
        self._shared = backend.url_for(path) is not None  # a PostgreSQL wallet other devices share
        self._checkpointer = None if self._shared else Checkpointer(path)
        self._device_id: str | None = None
        self._clock: Clock = clock or _utc_now
        self._real_clock = clock is None  # the hot path reads time.time_ns() then, not a datetime
        # Process-wide caches (dict operations are atomic under the GIL; a lost race only
        # means one extra query).
        self._price_ids: dict[str, int] = {}
        self._day: tuple[int, int, str] = (0, 0, "")  # [start_us, end_us) of the current local day

    # -- plumbing -------------------------------------------------------------------------------

    @property
    def shared(self) -> bool:
        """A PostgreSQL wallet (other devices may share it), not a file on this machine."""
        return self._shared

    @property
    def nearby(self) -> bool:
        """Whether the wallet's database is on this machine: the SQLite file, or a PostgreSQL server
        reached over a Unix socket or a loopback address."""
        url = backend.url_for(self.path)
        return url is None or backend.on_this_machine(url)

    def _conn(self) -> sqlite3.Connection:
        return self._pool.get()

    @property
    def device_id(self) -> str:
        """This data folder's device (``wallet.devices``): read once, made on first use."""
        if self._device_id is None:
            from tokenwallet.wallet.devices import device_id_for

            self._device_id = device_id_for(self.path.parent)
        return self._device_id

    def _now_us(self) -> int:
        if self._real_clock:
            return time.time_ns() // 1000
        return to_us(self._clock())

    def _publish(self, events: Iterable[Event]) -> None:
        for ev in events:
            self.bus.publish(ev)

    def close(self) -> None:
        """Close every thread's connection. The wallet cannot be used afterwards."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self._pool.close()

    def __enter__(self) -> WalletBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- settings -------------------------------------------------------------------------------
    def _raw_setting(self, conn: sqlite3.Connection, name: str, scope: str = "wallet") -> Any:
        s = setting(name)
        row = conn.execute("SELECT value FROM setting WHERE name=? AND scope=?", (name, scope)).fetchone()
        if row is None:
            if scope != "wallet":
                return self._raw_setting(conn, name)
            return s.default_value()
        return s.from_json(json.loads(row[0]))

    def _calendar(self, conn: sqlite3.Connection) -> tuple[ZoneInfo, int]:
        """The wallet's time zone and week start (read fresh: only used off the hot path)."""
        return zone(self._raw_setting(conn, "timezone")), week_start_index(
            self._raw_setting(conn, "week_start")
        )

    def _day_of(self, conn: sqlite3.Connection, at_us: int) -> str:
        """The local calendar day of ``at_us`` for roll-ups, cached until the day ends."""
        start, end, day = self._day
        if start <= at_us < end:
            return day
        from tokenwallet.wallet.db import from_us

        tz, _ = self._calendar(conn)
        d: date = local_day(from_us(at_us), tz)
        s, e = day_bounds(d, tz)
        self._day = (to_us(s), to_us(e), d.isoformat())
        return self._day[2]

    # -- name lookups ---------------------------------------------------------------------------
    def _profile_id(self, conn: sqlite3.Connection, name: str) -> int:
        row = conn.execute("SELECT id FROM profile WHERE name=?", (name,)).fetchone()
        if row is None:
            raise NotFound(f"no profile named {name!r}")
        return int(row[0])

    def _project_id(self, conn: sqlite3.Connection, name: str) -> int:
        row = conn.execute("SELECT id FROM project WHERE name=?", (name,)).fetchone()
        if row is None:
            raise NotFound(f"no project named {name!r}")
        return int(row[0])


def check_name(what: str, name: str) -> str:
    """Profile and project names: short, printable, no ':' (it separates scope and name)."""
    clean = name.strip()
    if not clean or len(clean) > 64 or ":" in clean or not clean.isprintable():
        raise WalletError(f"bad {what} name {name!r} (1-64 printable characters, no ':')")
    return clean
