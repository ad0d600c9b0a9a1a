"""The ``device`` table: every meter sharing the wallet, when it was seen, what it spends now.

A meter registers its device when it starts (``register_device``) and refreshes "last seen" off
the call path (``touch_device``, from the meter's heartbeat: never a write per call). An SQLite
wallet has one device, with the same code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tokenwallet import __version__
from tokenwallet.core.events import CallStarted, WalletChanged
from tokenwallet.core.periods import day_bounds, local_day
from tokenwallet.wallet.base import WalletBase
from tokenwallet.wallet.db import from_us, immediate, to_us
from tokenwallet.wallet.devices import STALE_AFTER_S, host_name
from tokenwallet.wallet.errors import NotFound, WalletError

_REGISTER = (
    "INSERT INTO device (id, name, version, serving, first_seen_us, last_seen_us)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
    " serving = excluded.serving, last_seen_us = excluded.last_seen_us"
)
_LIST = """
SELECT d.id, d.name, d.version, d.serving, d.first_seen_us, d.last_seen_us,
       COALESCE(h.n, 0), COALESCE(h.cost, 0), COALESCE(l.n, 0), COALESCE(l.cost, 0)
FROM device d
LEFT JOIN (SELECT device, COUNT(*) AS n, SUM(cost_nano) AS cost FROM hold GROUP BY device) h
       ON h.device = d.id
LEFT JOIN (SELECT device, COUNT(*) AS n, SUM(cost_nano) AS cost FROM ledger
           WHERE at_us >= ? AND at_us < ? GROUP BY device) l ON l.device = d.id
ORDER BY d.last_seen_us DESC, d.name
"""


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """One device as ``tokenwallet devices`` and the app show it."""

    id: str
    name: str
    version: str
    serving: bool  # its meter runs: it said so, and beat within the last three heartbeats
    first_seen: datetime
    last_seen: datetime
    holds: int  # calls in flight now
    held_nano: int  # what they hold: what the device is spending right now
    calls_today: int
    cost_today_nano: int
    this_device: bool


#: How long ago a device was last seen, in words: the English templates the CLI and the app
#: translate (each with its own catalog); ``{n}`` is the count.
SEEN_WORDS = {
    "now": "just now",
    "min": "{n} min ago",
    "h": "{n} h ago",
    "yesterday": "yesterday",
    "days": "{n} days ago",
}


def seen_ago(last: datetime, now: datetime) -> tuple[str, int]:
    """How long ago ``last`` was: a key of :data:`SEEN_WORDS` and its count."""
    seconds = int((now - last).total_seconds())
    if seconds < 60:
        return "now", 0
    if seconds < 3600:
        return "min", seconds // 60
    if seconds < 86400:
        return "h", seconds // 3600
    return ("days", seconds // 86400) if seconds >= 2 * 86400 else ("yesterday", 1)


def seen_text(last: datetime, now: datetime, translate: Callable[[str], str] = str) -> str:
    """When a device was last seen, as the CLI and the app say it (``translate``: their catalog)."""
    key, n = seen_ago(last, now)
    return translate(SEEN_WORDS[key]).format(n=n)


class DevicesMixin(WalletBase):
    def register_device(self, *, serving: bool) -> None:
        """Say this device is here (a meter starting, or stopping: ``serving=False``)."""
        if not self.device_id:
            return  # a data folder that cannot be written keeps no id: nothing to register
        now = self._now_us()
        conn = self._conn()
        with immediate(conn):
            conn.execute(_REGISTER, (self.device_id, host_name(), __version__, serving, now, now))

    def touch_device(self) -> None:
        """Refresh this device's "last seen" (the meter's heartbeat); registers it if forgotten."""
        if not self.device_id:
            return
        conn = self._conn()
        with immediate(conn):
            cur = conn.execute(
                "UPDATE device SET last_seen_us = ?, serving = 1 WHERE id = ?",
                (self._now_us(), self.device_id),
            )
        if cur.rowcount == 0:
            self.register_device(serving=True)

    def devices(self, *, now: datetime | None = None) -> list[DeviceInfo]:
        """Every device, most recently seen first, with its calls in flight and today's spending."""
        conn = self._conn()
        at = self._clock() if now is None else now
        tz, _ = self._calendar(conn)
        start, end = day_bounds(local_day(at, tz), tz)
        rows = conn.execute(_LIST, (to_us(start), to_us(end))).fetchall()
        mine = self.device_id if rows else ""  # a listing alone leaves no id file behind
        beats = to_us(at) - int(STALE_AFTER_S * 1_000_000)  # a meter killed never said it stopped
        return [
            DeviceInfo(r[0], r[1], r[2], bool(r[3]) and r[5] >= beats, from_us(r[4]), from_us(r[5]),
                       int(r[6]), int(r[7]), int(r[8]), int(r[9]), r[0] == mine)
            for r in rows
        ]  # fmt: skip

    def started_event(self, call_id: str) -> CallStarted | None:
        """The live meter's event for a call in flight (another device's, for ``callfeed``)."""
        r = (
            self._conn()
            .execute(
                "SELECT p.name, j.name, h.provider, h.model, h.endpoint, h.stream, h.cost_nano,"
                " h.input_tokens, h.session, h.created_us FROM hold h JOIN profile p ON p.id = h.profile_id"
                " LEFT JOIN project j ON j.id = h.project_id WHERE h.call_id = ?",
                (call_id,),
            )
            .fetchone()
        )
        if r is None:
            return None  # settled already: its CallSettled follows
        return CallStarted(call_id, r[0], r[1], r[2], r[3], r[4], bool(r[5]), int(r[6]), int(r[7]),
                           session=r[8], at=from_us(r[9]))  # fmt: skip

    def _device_ref(self, ref: str) -> DeviceInfo:
        """A device by its name or by the start of its id (as ``devices`` prints it)."""
        found = [d for d in self.devices() if d.name == ref] or [
            d for d in self.devices() if len(ref) >= 4 and d.id.startswith(ref)
        ]
        if not found:
            raise NotFound(f"no device named {ref!r} (`tokenwallet devices` lists them)")
        if len(found) > 1:
            ids = ", ".join(d.id[:8] for d in found)
            raise WalletError(f"{len(found)} devices are named {ref!r}: use the start of an id ({ids})")
        return found[0]

    def rename_device(self, ref: str, name: str) -> None:
        clean = name.strip()
        if not clean or len(clean) > 64 or not clean.isprintable():
            raise WalletError(f"bad device name {name!r} (1-64 printable characters)")
        device = self._device_ref(ref)
        conn = self._conn()
        with immediate(conn):
            conn.execute("UPDATE device SET name = ? WHERE id = ?", (clean, device.id))
        self._publish([WalletChanged("devices")])

    def forget_device(self, ref: str) -> str:
        """Remove a device that is gone for good; its ledger rows stay. Refused while it holds calls."""
        device = self._device_ref(ref)
        conn = self._conn()
        with immediate(conn):
            held = conn.execute("SELECT COUNT(*) FROM hold WHERE device = ?", (device.id,)).fetchone()[0]
            if held:
                raise WalletError(
                    f"device {device.name!r} has {held} call(s) in flight: they settle when it restarts,"
                    " or any other device settles them once they time out (foreign_hold_timeout_s)"
                )
            conn.execute("DELETE FROM device WHERE id = ?", (device.id,))
        self._publish([WalletChanged("devices")])
        return device.name
