"""Replaying the offline journal into the shared wallet (proxy/offline.py), once per call.

Each settled journal call goes through the normal ``Wallet.settle`` with its own call id, then
leaves the journal. Killed between the two, the next replay finds the row in the ledger and only
removes the call from the journal; two replays racing each other are kept to one row by the
ledger's unique call id (``INSERT … ON CONFLICT (call_id) DO NOTHING``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from tokenwallet.core.usage import Usage
from tokenwallet.proxy.offline import unreachable, with_flag
from tokenwallet.wallet import procs
from tokenwallet.wallet.types import CallRecord, KeyBinding

if TYPE_CHECKING:
    from tokenwallet.proxy.offline import Offline
    from tokenwallet.wallet.offline_journal import Held

log = logging.getLogger(__name__)


def replay(off: Offline) -> bool:
    """Replay every settled journal call; False when the database did not answer."""
    try:
        off.wallet.data_version()
    except Exception as exc:
        if off.down:
            off.note(exc)
        return False
    _recover_holds(off)
    for call_id, rec in off.journal.settled():
        if off.stopping:
            return True
        try:
            _replay_one(off, rec)
        except Exception as exc:
            if unreachable(exc):
                return False
            log.error("could not replay offline call %s: %s", call_id, exc)
            with contextlib.suppress(sqlite3.Error):
                off.journal.note_error(call_id, str(exc))
            continue
        off.journal.remove(call_id)
        off.replayed += 1
    return True


def _replay_one(off: Offline, rec: CallRecord) -> None:
    wallet = off.wallet
    if wallet.ledger_id(rec.call_id):  # replayed before the journal could forget it (a crash)
        return
    b = rec.binding
    if b.session:  # the session row the meter could not write while offline
        source = "header" if b.budget_session and b.session != b.budget_session else "idle"
        wallet.start_session(
            b.profile, project=b.project, source=source, session_id=b.session, with_key=False
        )
    over = [
        s.envelope.label
        for s in wallet.applicable(b, provider=rec.provider, model=rec.model)
        if s.envelope.action != "warn"
        and s.available < (rec.cost_nano if s.envelope.unit == "usd" else rec.usage.total_tokens)
    ]
    if over:  # the float's accepted risk: visible on the row, in the log and in the health answer
        rec = replace(rec, flags=with_flag(rec.flags, "over_limit"))
    result = wallet.settle(None, rec)
    if over:
        log.warning(
            "offline call %s (ledger row %s) took %s past the limit: the offline float's risk",
            rec.call_id,
            result.ledger_id,
            ", ".join(over),
        )
        off.over_limit.extend(label for label in over if label not in off.over_limit)


def _recover_holds(off: Offline) -> None:
    """Journal holds of meters that ended mid-call: settled at their worst case (the answer, if
    any, was never counted; charging less could under-count what the provider billed)."""
    me = (os.getpid(), procs.my_token())
    for h in off.journal.holds():
        owner = (h.owner_pid, h.owner_token)
        if owner == me or procs.alive(*owner):
            continue
        with contextlib.suppress(LookupError):  # another process recovered it first
            off.journal.settle(_recovered(h))


def _recovered(h: Held) -> CallRecord:
    d = h.hold
    input_tokens = int(d["input_tokens"])
    return CallRecord(
        call_id=h.call_id,
        binding=KeyBinding(**d["binding"]),
        provider=str(d["provider"]),
        model=str(d["model"]),
        endpoint=str(d["endpoint"]),
        status=0,
        stream=bool(d["stream"]),
        usage=Usage(input_tokens=input_tokens, output_tokens=max(0, int(d["tokens"]) - input_tokens)),
        cost_nano=int(d["cost_nano"]),
        price_json=str(d["price_json"]),
        price_source="offline hold (recovered)",
        estimated=True,
        unpriced=False,
        duration_ms=max(0, (time.time_ns() // 1000 - h.created_us) // 1000),
        error=f"recovered: the meter (process {h.owner_pid}) ended before this offline call settled;"
        " charged its hold",
        flags="offline",
    )
