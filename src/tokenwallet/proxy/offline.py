"""Offline tolerance for a shared (PostgreSQL) wallet: meter into a local journal, replay it once.

While the wallet's database cannot be reached, a call that this meter could price and reserve
before is held in the offline journal (``wallet/offline_journal.py``) instead, within the offline
float of every envelope that applied to it when the database was last seen (settings
``offline_float_usd`` and ``offline_float_tokens``, default $1 and 50,000 tokens). What the meter
never saw since it started has no float: it is refused, as every call was before. Guards and
model rules still apply (they live in memory); settings, keys and rules are the last ones read.

A background thread probes the database every :data:`PROBE_EVERY` seconds while it is down (and
while the journal has calls to replay). Once it answers, each settled journal call becomes its
ledger row through the normal ``Wallet.settle`` with the same call id, flagged ``offline`` (and
``over_limit`` when it takes an envelope past its limit: the float's accepted risk, made visible),
and only then leaves the journal. The ledger's unique call id makes a replay repeated after a crash
between the two steps, or two replays at once, write nothing the second time.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tokenwallet.core.money import format_tokens, format_usd, usd_to_nano
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.wallet import procs
from tokenwallet.wallet.admin import hash_key
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.offline_journal import Float, Journal, Need, Sight, no_envelope, room
from tokenwallet.wallet.types import CallRecord, KeyBinding, ReserveResult, SettleResult

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.types import EnvelopeStatus, HoldRequest

log = logging.getLogger(__name__)

OFFLINE_HOLD = -1  # the hold id of a call held in the journal (wallet holds are positive)
PROBE_EVERY = 1.0  # seconds between probes of the database (and journal replays)
DEFAULT_FLOAT = Float(usd_to_nano(Decimal(1)), 50_000)
_Key = tuple[int, int | None, str, str]  # profile id, project id, provider, model (lower case)


def unreachable(exc: BaseException) -> bool:
    """Is this error (or one it came from) the wallet's database being out of reach?"""
    import psycopg

    from tokenwallet.wallet.pgconn import DatabaseUnreachable

    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, DatabaseUnreachable | psycopg.OperationalError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def with_flag(flags: str, flag: str) -> str:
    parts = [f for f in flags.split(",") if f]
    return ",".join(parts if flag in parts else [*parts, flag])


def _amount(unit: str, value: int) -> str:
    return format_usd(value, places=4) if unit == "usd" else f"{format_tokens(value)} tokens"


class Offline:
    """A meter's offline state, journal and replayer (one per running proxy)."""

    def __init__(self, wallet: Wallet) -> None:
        self.wallet = wallet
        self.journal = Journal(wallet.path.parent)
        self.float = DEFAULT_FLOAT
        self.down = False
        self.reason = ""
        self.replayed = 0
        self.over_limit: list[str] = []  # envelopes replays took past their limit (newest last)
        self._sights: dict[_Key, tuple[list[Sight], EnvelopeStatus | None]] = {}
        self._keys: dict[str, KeyBinding] = {}  # key hash → binding, as last read
        self._replaying = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the prober/replayer; a journal left by an earlier run is replayed at once."""
        self._thread = threading.Thread(target=self._run, name="tokenwallet-offline", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.journal.close()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def went_down(self, exc: BaseException) -> None:
        if not self.down:
            log.warning("the wallet database is unreachable: metering into the offline journal (%s)", exc)
        self.down = True
        self.note(exc)
        self._wake.set()

    def note(self, exc: BaseException) -> None:
        """Why the database is out of reach, for messages (the connection's own words)."""
        text = " ".join(str(exc).split()).removesuffix("; calls are refused until it is back")
        self.reason = text[:300]

    # -- what the meter saw while the database answered ------------------------------------------

    def saw(self, req: HoldRequest, res: ReserveResult) -> None:
        """Remember the envelopes of a reserve the database answered: the float of the next
        offline call with the same profile, project, provider and model."""
        b = req.binding
        sights = [
            Sight(s.envelope.id, s.envelope.label, s.envelope.unit, s.envelope.action, s.available)
            for s in res.statuses
        ]
        self._sights[(b.profile_id, b.project_id, req.provider.lower(), req.model.lower())] = (
            sights,
            res.tightest,
        )

    def remember_key(self, key: str, binding: KeyBinding | None) -> None:
        digest = hash_key(key)
        if binding is None:
            self._keys.pop(digest, None)
        else:
            self._keys[digest] = binding

    def known_key(self, key: str) -> KeyBinding:
        binding = self._keys.get(hash_key(key))
        if binding is None:
            raise ProxyError(
                503,
                f"Token Wallet cannot reach its wallet database ({self.reason}) and has not seen this"
                " wallet key since it started, so it cannot check it. Nothing was sent to the provider;"
                " calls go on once the database is back.",
                "wallet_unavailable",
            )
        return binding

    # -- offline reserve and settle (the proxy's loop) ------------------------------------------

    def reserve(self, req: HoldRequest, price_json: str) -> ReserveResult:
        """Hold the call in the journal within the float, or refuse it (ProxyError 503)."""
        b = req.binding
        seen = self._sights.get((b.profile_id, b.project_id, req.provider.lower(), req.model.lower()))
        if seen is None:
            raise ProxyError(
                503,
                f"Token Wallet cannot reach its wallet database ({self.reason}), and this meter has not"
                f" metered a {req.provider}/{req.model} call for profile {b.profile!r} since it started,"
                " so it has no offline float for it. Nothing was sent to the provider; calls go on once"
                " the database is back.",
                "wallet_unavailable",
            )
        sights, tightest = seen
        envs = sights or [no_envelope()]
        needs = [Need(s, req.cost_nano if s.unit == "usd" else req.tokens, room(s, self.float)) for s in envs]
        hold = {
            "binding": {f: getattr(b, f) for f in KeyBinding.__dataclass_fields__},
            "provider": req.provider,
            "model": req.model,
            "endpoint": req.endpoint,
            "stream": req.stream,
            "input_tokens": req.input_tokens,
            "cost_nano": req.cost_nano,
            "tokens": req.tokens,
            "price_json": price_json,
        }
        try:
            failing = self.journal.hold(
                req.call_id, needs, hold, owner=(os.getpid(), procs.my_token()), now_us=_now_us()
            )
        except sqlite3.Error as exc:
            raise WalletError(f"the offline journal {self.journal.path} cannot be written: {exc}") from exc
        if failing is not None:
            raise ProxyError(503, self._float_message(failing), "offline_float_exceeded")
        return ReserveResult(OFFLINE_HOLD, None, None, [], tightest)

    def _float_message(self, need: Need) -> str:
        s = need.sight
        used = self.journal.used().get(s.id, ("", 0))[1]
        setting = "offline_float_usd" if s.unit == "usd" else "offline_float_tokens"
        return (
            f"Token Wallet cannot reach its wallet database ({self.reason}) and this call would take"
            f" budget {s.label} past its offline float: {_amount(s.unit, used)} of"
            f" {_amount(s.unit, need.limit)} already metered offline, and this call may cost up to"
            f" {_amount(s.unit, need.amount)}. The float is the setting {setting} (never more than the"
            " budget had left when the database was last reached). Nothing was sent to the provider;"
            " calls go on once the database is back."
        )

    def settle(self, rec: CallRecord) -> SettleResult:
        """A journal-held call ended: its record goes into the journal (replayed later)."""
        rec = replace(rec, flags=with_flag(rec.flags, "offline"))
        try:
            self.journal.settle(rec)
        except (sqlite3.Error, LookupError) as exc:
            # the hold stays in the journal: the next start settles it at its worst case
            log.error("could not write offline call %s to the journal: %s", rec.call_id, exc)
        self._wake.set()
        return SettleResult(0, [], [])

    # -- status ---------------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        held, waiting, failed = self.journal.counts()
        # the float is per envelope: the most used one is how close the device is to refusing
        by_unit: dict[str, int] = {"usd": 0, "tokens": 0}
        for unit, amount in self.journal.used().values():
            by_unit[unit] = max(by_unit.get(unit, 0), amount)
        message = "online"
        if self.down:
            message = (
                "offline: metering into the local journal, "
                f"{format_usd(by_unit['usd'])} of {format_usd(self.float.usd_nano)}"
                " float used"
            )
            if by_unit["tokens"]:
                tokens = f"{format_tokens(by_unit['tokens'])} of {format_tokens(self.float.tokens)}"
                message += f" ({tokens} tokens)"
        elif waiting:
            message = f"online: replaying {waiting} call(s) metered offline"
        return {
            "state": "offline" if self.down else "online",
            "message": message,
            "reason": self.reason if self.down else "",
            "float_usd_nano": self.float.usd_nano,
            "float_tokens": self.float.tokens,
            "used_usd_nano": by_unit["usd"],
            "used_tokens": by_unit["tokens"],
            "journal_held": held,
            "journal_waiting": waiting,
            "journal_failed": failed,
            "replayed": self.replayed,
            "over_limit": list(self.over_limit[-10:]),
        }

    # -- the prober and replayer (its own thread) -----------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                held, waiting, _ = self.journal.counts()
                if self.down or waiting or held:
                    self.replay()
            except Exception:  # never let the thread die: the next round tries again
                log.exception("offline journal replay failed")
            self._wake.wait(PROBE_EVERY)
            self._wake.clear()

    def replay(self) -> bool:
        """Probe the database; if it answers, replay the journal into the ledger (offline_replay.py).
        Returns whether the database answered."""
        from tokenwallet.proxy.offline_replay import replay

        with self._replaying:  # one replay at a time in this process
            if not replay(self):
                return False
        if self.down:
            log.warning("the wallet database is back: metering into it again")
        self.down = False
        return True


def _now_us() -> int:
    import time

    return time.time_ns() // 1000
