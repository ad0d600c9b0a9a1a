"""The call path: reserve → settle / release, plus crash recovery. This is the hot path.

Raw sqlite3 with cached prepared statements and one ``BEGIN IMMEDIATE`` transaction per step:
the write lock is taken up front, so two processes reserving against the same envelope are
serialised by SQLite and can never both see the same room. Envelope rows carry running totals,
so nothing here reads the ledger.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime

from tokenwallet.core.events import BudgetCrossed
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import devices, procs
from tokenwallet.wallet.budgets import BudgetsMixin
from tokenwallet.wallet.db import from_us, immediate, to_us
from tokenwallet.wallet.errors import NotFound
from tokenwallet.wallet.state import ENV_SELECT, EnvState, charge, crossed_thresholds, save_all, set_held
from tokenwallet.wallet.types import (
    CallRecord,
    EnvelopeStatus,
    HoldInfo,
    HoldRequest,
    KeyBinding,
    ReserveResult,
    SettleResult,
    StaleHold,
)

# A model/provider envelope applies when its globs match the call's provider and model (lower case;
# NULL matches nothing) and it is for every profile (0) or this one. The globs use only * and ?, so
# SQLite's GLOB agrees with core.model_patterns (tested); there are a handful of such rows at most.
_APPLICABLE = (
    f"{ENV_SELECT} WHERE e.scope_kind = 'wallet' OR (e.scope_kind = 'profile' AND e.scope_ref = ?)"
    " OR (e.scope_kind = 'project' AND e.scope_ref = ?)"
    " OR (e.scope_kind IN ('model', 'provider') AND m.profile_id IN (0, ?)"
    " AND ? GLOB m.provider_glob AND ? GLOB m.model_glob)"
)
_INSERT_LEDGER = (
    "INSERT INTO ledger (call_id, at_us, started_us, key_id, profile_id, project_id, provider, model,"
    " requested_model, endpoint, status, stream, input_tokens, cache_read_tokens, cache_write_tokens,"
    " cache_write_1h_tokens, output_tokens, reasoning_tokens, cost_nano, price_id, price_source, estimated,"
    " unpriced, duration_ms, error, prompt_text, flags, units, session, source, response_id,"
    " input_audio_tokens, output_audio_tokens, input_image_tokens, input_video_tokens,"
    " cache_audio_read_tokens, output_image_tokens)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, ?, ?)"
)
# The meter's insert also names the device (imports share ``_INSERT_LEDGER`` and leave it empty).
# A repeated settle of a call (its id already in the ledger) inserts nothing: rowcount 0.
_INSERT_LEDGER_ONCE = (
    _INSERT_LEDGER.replace("output_image_tokens)", "output_image_tokens, device)", 1).removesuffix(")")
    + ", ?) ON CONFLICT (call_id) DO NOTHING"
)
_UPSERT_DAILY = (
    "INSERT INTO daily (day, profile_id, project_id, provider, model, calls, estimated_calls, input_tokens,"
    " cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens,"
    " cost_nano)"
    " VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (day, profile_id, project_id, provider, model) DO UPDATE SET calls = calls + 1,"
    " estimated_calls = estimated_calls + excluded.estimated_calls,"
    " input_tokens = input_tokens + excluded.input_tokens,"
    " cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,"
    " cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,"
    " cache_write_1h_tokens = cache_write_1h_tokens + excluded.cache_write_1h_tokens,"
    " output_tokens = output_tokens + excluded.output_tokens,"
    " reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,"
    " cost_nano = cost_nano + excluded.cost_nano"
)
_RELEASE = (
    "UPDATE envelope SET held = MAX(0, held - CASE unit WHEN 'usd' THEN ? ELSE ? END)"
    " WHERE id IN (SELECT value FROM json_each(?))"
)
_Held = tuple[int, int, str]  # a deleted hold's cost_nano, tokens, envelope_ids (JSON)
_DELETE_HOLD = "DELETE FROM hold WHERE id = ? RETURNING cost_nano, tokens, envelope_ids, device"
_INSERT_HOLD = (
    "INSERT INTO hold (call_id, key_id, profile_id, project_id, provider, model, endpoint,"
    " stream, input_tokens, output_tokens, cost_nano, tokens, envelope_ids, owner_pid,"
    " owner_token, created_us, session, device)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _announced(kind: str) -> str:
    """On a shared wallet every device's live meter follows the calls (``callfeed``): the new row
    announces itself in the statement that inserts it (no extra round trip; PostgreSQL delivers
    it only if the transaction commits). Ids and cost only: never a prompt or a key."""
    return (
        f" RETURNING id, pg_notify('{devices.CHANNEL}', json_build_object('kind', '{kind}',"
        " 'call', call_id, 'device', device, 'cost', cost_nano)::text)"
    )


_INSERT_HOLD_SHARED = _INSERT_HOLD + _announced("reserve")
_INSERT_LEDGER_SHARED = _INSERT_LEDGER_ONCE + _announced("settle")
PriceFn = Callable[[StaleHold], tuple[int, str, str]]


def _lower(text: str | None) -> str | None:
    return None if text is None else text.lower()


def room(st: EnvelopeStatus | EnvState) -> tuple[int, int]:
    """Sort key for "tightest": share of the period's money left (per mille), then what is left."""
    total = st.carried + st.assigned + st.topups
    return (st.available * 1000 // total if total > 0 else -1, st.available)


def _statuses(envs: list[EnvState], now_us: int) -> Callable[[], list[EnvelopeStatus]]:
    return lambda: [e.status(now_us) for e in envs]


class CallsMixin(BudgetsMixin):
    def _applicable(
        self,
        conn: sqlite3.Connection,
        b: KeyBinding,
        now_us: int,
        provider: str | None = None,
        model: str | None = None,
        *,
        release: _Held | None = None,
    ) -> list[EnvState]:
        """The envelopes a call charges; without ``provider``/``model`` no per-model envelope applies.

        ``release``: a hold just deleted, whose amounts come off the envelopes' ``held`` first
        (saved by the caller with the rest; an envelope it names that no longer applies is
        released here).
        """
        args = (b.profile_id, b.project_id or -1, b.profile_id, _lower(provider), _lower(model))
        envs = [EnvState.from_row(r) for r in conn.execute(_APPLICABLE, args)]
        return self._prepared(conn, envs, now_us, release)

    def _released(
        self, conn: sqlite3.Connection, b: KeyBinding, now_us: int, rec: CallRecord, gone: sqlite3.Cursor
    ) -> tuple[list[EnvState], tuple[int, int, str, str] | None]:
        """A settle's envelopes (``_applicable``) and the row of its hold's ``_DELETE_HOLD``
        (``gone``), read once the envelopes' SELECT is sent: on PostgreSQL, one round trip."""
        args = (b.profile_id, b.project_id or -1, b.profile_id, _lower(rec.provider), _lower(rec.model))
        rows = conn.execute(_APPLICABLE, args)
        row = gone.fetchone()
        envs = [EnvState.from_row(r) for r in rows]
        held = None if row is None else (row[0], row[1], row[2])
        return self._prepared(conn, envs, now_us, held), row

    def _prepared(
        self, conn: sqlite3.Connection, envs: list[EnvState], now_us: int, release: _Held | None
    ) -> list[EnvState]:
        if release is not None:
            cost, tokens, ids = release
            left = set(json.loads(ids))
            for e in envs:
                if e.id in left:
                    left.discard(e.id)
                    e.held = max(0, e.held - (cost if e.unit == "usd" else tokens))
            if left:
                conn.execute(_RELEASE, (cost, tokens, json.dumps(sorted(left))))
        if any(now_us >= e.roll_at for e in envs):
            self._maintained(conn, envs, now_us)
        return envs

    def binding_for(self, profile: str, project: str | None = None) -> KeyBinding:
        """A binding without a key (``key_id`` 0): for the passthrough profile, previews and imports."""
        conn = self._conn()
        row = conn.execute("SELECT id, paused FROM profile WHERE name = ?", (profile,)).fetchone()
        if row is None:
            raise NotFound(f"no profile named {profile!r}")
        proj = None if project is None else self._project_id(conn, project)
        return KeyBinding(0, int(row[0]), profile, proj, project, bool(row[1]))

    def applicable(
        self,
        binding: KeyBinding,
        *,
        now: datetime | None = None,
        provider: str | None = None,
        model: str | None = None,
    ) -> list[EnvelopeStatus]:
        """The envelopes a call with this binding (to ``provider``/``model``, when given) would
        charge, as they stand (for previews)."""
        conn = self._conn()
        now_us = self._now_us() if now is None else to_us(now)
        b = binding
        args = (b.profile_id, b.project_id or -1, b.profile_id, _lower(provider), _lower(model))
        envs = [EnvState.from_row(r) for r in conn.execute(_APPLICABLE, args)]
        if any(now_us >= e.roll_at for e in envs):
            with immediate(conn):  # rolling a period over writes
                envs = self._applicable(conn, binding, now_us, provider, model)
        return [e.status(now_us) for e in envs]

    def reserve(self, req: HoldRequest) -> ReserveResult:
        """Hold the call's worst case against every envelope that applies, or refuse it.

        Refused (no hold) when a ``block`` envelope cannot cover it; with ``allow_downgrade`` a
        ``downgrade`` envelope that cannot cover it sets ``downgrade`` (no hold) so the caller can
        retry with a cheaper model; ``warn`` envelopes never refuse.
        """
        conn = self._conn()
        now = self._now_us()
        refused: EnvState | None = None
        worst = (0, 1)  # the refusing envelope's shortfall / need: the one that covers least is named
        downgrade: EnvState | None = None
        hold_id: int | None = None
        cur = None
        with immediate(conn):
            envs = self._applicable(conn, req.binding, now, req.provider, req.model)
            needs = [e.charge_of(req.cost_nano, req.tokens) for e in envs]
            for env, need in zip(envs, needs, strict=True):
                short = env.available - need
                if need <= 0 or short >= 0:
                    continue
                if env.action == "block":
                    if refused is None or short * worst[1] < worst[0] * need:
                        refused, worst = env, (short, need)
                elif env.action == "downgrade" and req.allow_downgrade and downgrade is None:
                    downgrade = env
            if refused is None and downgrade is None:
                b = req.binding
                cur = conn.execute(
                    _INSERT_HOLD_SHARED if self._shared else _INSERT_HOLD,
                    (req.call_id, b.key_id, b.profile_id, b.project_id, req.provider, req.model, req.endpoint,
                     int(req.stream), req.input_tokens, req.cost_nano, req.tokens,
                     json.dumps([e.id for e in envs]), os.getpid(), procs.my_token(), now, b.session,
                     self.device_id),
                )  # fmt: skip
                held = []
                for env, need in zip(envs, needs, strict=True):
                    if need:
                        env.held += need
                        held.append((env.id, env.held))
                set_held(conn, held)
        if cur is not None:  # read after COMMIT: on PostgreSQL the insert goes in the COMMIT's round trip
            hold_id = int(cur.fetchone()[0]) if self._shared else cur.lastrowid
        # Only the envelopes the caller names get a status now (the call path reads one).
        tightest = min(envs, key=room) if envs else None
        return ReserveResult(
            hold_id=hold_id,
            refused=None if refused is None else refused.status(now),
            downgrade=None if downgrade is None else downgrade.status(now),
            statuses=_statuses(envs, now),
            tightest=None if tightest is None else tightest.status(now),
        )

    def release(self, hold_id: int) -> None:
        """Drop a hold without charging anything (the call never reached the provider)."""
        conn = self._conn()
        with immediate(conn):
            self._release(conn, hold_id)

    def _release(self, conn: sqlite3.Connection, hold_id: int) -> None:
        row = conn.execute(
            "SELECT cost_nano, tokens, envelope_ids FROM hold WHERE id = ?", (hold_id,)
        ).fetchone()
        if row is not None:
            conn.execute(_RELEASE, row)
            conn.execute("DELETE FROM hold WHERE id = ?", (hold_id,))

    def settle(self, hold_id: int | None, rec: CallRecord) -> SettleResult:
        """Write the call's ledger row, charge every envelope that applies, release the hold.

        Idempotent on ``rec.call_id``: a second settle of the same call charges nothing and
        returns the first ledger row. Publishes (and returns) BudgetCrossed once per threshold per
        period.
        """
        conn = self._conn()
        now = self._now_us()
        crossed: list[BudgetCrossed] = []
        price_id: int | None = None
        b = rec.binding
        with immediate(conn):
            # One transaction, as few statements as it takes: the hold comes off in the same
            # UPDATE that charges each envelope (env.save), and the ledger insert itself tells a
            # repeated settle (same call id) apart.
            held, device = None, self.device_id
            if hold_id is None:
                envs = self._applicable(conn, b, now, rec.provider, rec.model)
            else:
                gone = conn.execute(_DELETE_HOLD, (hold_id,))
                envs, row = self._released(conn, b, now, rec, gone)
                if row is not None:  # a recovered hold's call stays its device's ("" from before v16)
                    held, device = (row[0], row[1], row[2]), row[3]
            price_id = self._price_id(conn, rec.price_json)
            u = rec.usage
            usage = (u.input_tokens, u.cache_read_tokens, u.cache_write_tokens, u.cache_write_1h_tokens,
                     u.output_tokens, u.reasoning_tokens)  # fmt: skip
            started = None if rec.started_at is None else to_us(rec.started_at)
            cur = conn.execute(
                _INSERT_LEDGER_SHARED if self._shared else _INSERT_LEDGER_ONCE,
                (rec.call_id, now, started, b.key_id, b.profile_id, b.project_id, rec.provider, rec.model,
                 rec.requested_model, rec.endpoint, rec.status, int(rec.stream), *usage, rec.cost_nano,
                 price_id, rec.price_source, int(rec.estimated), int(rec.unpriced), rec.duration_ms,
                 rec.error, rec.prompt_text, rec.flags, rec.units, b.session,
                 rec.source, rec.response_id, u.input_audio_tokens, u.output_audio_tokens,
                 u.input_image_tokens, u.input_video_tokens, u.cache_audio_read_tokens,
                 u.output_image_tokens, device),
            )  # fmt: skip
            if self._shared:  # the new id came back with the announcement; no row: settled before
                new = cur.fetchone()
                new_id = None if new is None else int(new[0])
            else:
                new_id = None if cur.rowcount == 0 else int(cur.lastrowid or 0)
            if new_id is None:  # settled before: charge nothing, only the hold comes off
                ledger_id = self._ledger_id_of(conn, rec.call_id)
                if held is not None:
                    save_all(conn, envs)
            else:
                ledger_id = new_id
                conn.execute(
                    _UPSERT_DAILY,
                    (self._day_of(conn, now), b.profile_id, b.project_id or 0, rec.provider, rec.model,
                     int(rec.estimated), *usage, rec.cost_nano),
                )  # fmt: skip
                tokens = u.total_tokens
                for env in envs:
                    charge(conn, env, env.charge_of(rec.cost_nano, tokens), now)
                    for t in crossed_thresholds(env):
                        crossed.append(
                            BudgetCrossed(env.id, env.envelope().label, t, env.used_pct, env.available,
                                          env.unit, env.action)
                        )  # fmt: skip
                save_all(conn, envs)
        if price_id is not None:
            self._price_ids[rec.price_json] = price_id  # only after COMMIT: the row now exists for everyone
        self._publish(crossed)
        return SettleResult(ledger_id, _statuses(envs, now), crossed)

    def _ledger_id_of(self, conn: sqlite3.Connection, call_id: str) -> int:
        return int(conn.execute("SELECT id FROM ledger WHERE call_id = ?", (call_id,)).fetchone()[0])

    def _price_id(self, conn: sqlite3.Connection, price_json: str) -> int:
        cached = self._price_ids.get(price_json)
        if cached is not None:
            return cached
        conn.execute("INSERT OR IGNORE INTO price_snapshot (price_json) VALUES (?)", (price_json,))
        return int(
            conn.execute("SELECT id FROM price_snapshot WHERE price_json = ?", (price_json,)).fetchone()[0]
        )

    def hold_progress(self, hold_id: int, output_tokens: int) -> None:
        """Checkpoint a streaming call's output so far, for crash recovery (one small UPDATE).

        Best effort: a checkpoint the wallet cannot take (a full disk) must not cut the stream in
        flight; the settle at its end reports the trouble and is retried (proxy/settling.py).
        """
        with contextlib.suppress(sqlite3.Error):
            self._conn().execute("UPDATE hold SET output_tokens = ? WHERE id = ?", (output_tokens, hold_id))

    def holds(self) -> list[HoldInfo]:
        """In-flight reservations, oldest first."""
        rows = self._conn().execute(
            "SELECT h.id, h.call_id, p.name, j.name, h.provider, h.model, h.cost_nano, h.tokens,"
            " h.output_tokens, h.created_us FROM hold h JOIN profile p ON p.id = h.profile_id"
            " LEFT JOIN project j ON j.id = h.project_id ORDER BY h.id"
        )
        return [HoldInfo(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], from_us(r[9])) for r in rows]

    def recover_holds(self, price_fn: PriceFn) -> list[int]:
        """Settle holds left by processes that died mid-call; returns the new ledger ids.

        Each is charged as an estimate: its input tokens plus the output checkpointed through
        ``hold_progress``, priced by ``price_fn(stale) -> (cost_nano, price_json, price_source)``.
        Holds of live processes (this one included) are left alone, and so are another device's on
        a shared wallet until they are ``foreign_hold_timeout_s`` old (``devices``); settling is
        idempotent on the call id, so two processes recovering at once cannot double-count. Safe to
        call any time: the meter calls it at start and with every device heartbeat.
        """
        conn = self._conn()
        rows = conn.execute(
            "SELECT h.id, h.call_id, h.key_id, h.profile_id, p.name, h.project_id, j.name, p.paused,"
            " h.provider, h.model, h.endpoint, h.stream, h.input_tokens, h.output_tokens, h.cost_nano,"
            " h.created_us, h.owner_pid, h.owner_token, h.session, h.device FROM hold h"
            " JOIN profile p ON p.id = h.profile_id"
            " LEFT JOIN project j ON j.id = h.project_id ORDER BY h.id"
        ).fetchall()
        me, mine = (os.getpid(), procs.my_token()), self.device_id
        out: list[int] = []
        now = self._now_us()
        timeout_us = int(self._raw_setting(conn, "foreign_hold_timeout_s")) * 1_000_000
        for r in rows:
            owner, device = (int(r[16]), str(r[17])), str(r[19])
            if owner == me:
                continue
            why = f"process {owner[0]} ended before the call settled"
            if devices.foreign(device, mine, owner[1], shared=self._shared):
                if now - r[15] < timeout_us:  # its own device settles it when it restarts
                    continue
                why = f"device {device or 'unknown'} did not settle the call in {timeout_us // 1_000_000} s"
            elif procs.alive(*owner):
                continue
            binding = KeyBinding(r[2] or 0, r[3], r[4], r[5], r[6], bool(r[7]), r[18])
            stale = StaleHold(
                r[0], r[1], binding, r[8], r[9], r[10], bool(r[11]), r[12], r[13], r[14], from_us(r[15])
            )
            cost, price_json, source = price_fn(stale)
            rec = CallRecord(
                call_id=stale.call_id,
                binding=binding,
                provider=stale.provider,
                model=stale.model,
                endpoint=stale.endpoint,
                status=0,
                stream=stale.stream,
                usage=Usage(input_tokens=stale.input_tokens, output_tokens=stale.output_tokens),
                cost_nano=cost,
                price_json=price_json,
                price_source=source,
                estimated=True,
                unpriced=source == "fallback",
                duration_ms=max(0, (now - r[15]) // 1000),
                error=f"recovered: {why}",
                started_at=stale.started_at,
            )
            out.append(self.settle(stale.hold_id, rec).ledger_id)
        return out
