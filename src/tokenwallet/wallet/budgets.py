"""Envelopes: budgets, top-ups, transfers and their status (the money rules are in state.py)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from tokenwallet.core.events import WalletChanged
from tokenwallet.core.model_patterns import PatternError, scope_pattern
from tokenwallet.core.money import Amount, format_amount
from tokenwallet.core.periods import PeriodError, check_period, period_bounds
from tokenwallet.wallet.base import WalletBase
from tokenwallet.wallet.db import MAX_US, from_us, immediate, opt_from_us, to_us
from tokenwallet.wallet.errors import NotFound, Refused, WalletError
from tokenwallet.wallet.state import (
    ENV_SELECT,
    FOREVER_US,
    EnvState,
    add_movement,
    debit_for_transfer,
    maintain,
    refresh_next_expiry,
)
from tokenwallet.wallet.types import ACTIONS, Envelope, EnvelopeStatus, Movement, Scope

# Which envelope a top-up or transfer goes to when a scope has several of the same unit:
# the longest-lived one (a prepaid balance first).
_PERIOD_RANK = {"none": 0, "year": 1, "month": 2, "week": 3, "day": 4}


class BudgetsMixin(WalletBase):
    def _scope_ref(self, conn: sqlite3.Connection, scope: Scope) -> int:
        if scope.kind == "wallet":
            return 0
        assert scope.name is not None
        if scope.kind == "profile":
            return self._profile_id(conn, scope.name)
        if scope.kind == "project":
            return self._project_id(conn, scope.name)
        return self._model_scope_id(conn, scope)

    def _model_scope_id(self, conn: sqlite3.Connection, scope: Scope) -> int:
        """The ``model_scope`` row of a model/provider scope, made on first use (in the caller's write)."""
        assert scope.name is not None
        try:
            p = scope_pattern(scope.kind, scope.name)
        except PatternError as exc:
            raise WalletError(str(exc)) from None
        if p.tier is not None:
            raise WalletError("a budget is for models by name or provider, not by tier")
        pid = 0 if scope.profile is None else self._profile_id(conn, scope.profile)
        key = (scope.kind, p.text, pid)
        row = conn.execute(
            "SELECT id FROM model_scope WHERE kind=? AND pattern=? AND profile_id=?", key
        ).fetchone()
        if row is not None:
            return int(row[0])
        cur = conn.execute(
            "INSERT INTO model_scope (kind, pattern, profile_id, provider_glob, model_glob)"
            " VALUES (?, ?, ?, ?, ?)",
            (*key, p.provider_glob, p.model_glob),
        )
        return int(cur.lastrowid or 0)

    def _load(self, conn: sqlite3.Connection, where: str, args: Sequence[object]) -> list[EnvState]:
        return [EnvState.from_row(r) for r in conn.execute(f"{ENV_SELECT} WHERE {where} ORDER BY e.id", args)]

    def _maintained(self, conn: sqlite3.Connection, envs: list[EnvState], now_us: int) -> list[EnvState]:
        """Roll/expire envelopes that need it (caller holds a write transaction)."""
        stale = [e for e in envs if now_us >= e.roll_at]
        if stale:
            tz, ws = self._calendar(conn)
            for env in stale:
                if maintain(conn, env, now_us, tz, ws):
                    env.save(conn)
        return envs

    def set_budget(
        self,
        scope: Scope,
        amount: Amount,
        *,
        period: str = "month",
        action: str = "warn",
        rollover: bool = False,
        thresholds: Sequence[int] | None = None,
    ) -> Envelope:
        """Create or change the envelope of ``scope`` for ``period`` (one per scope and period).

        Changing the amount mid-period changes this period's allowance by the difference.
        ``thresholds=None`` uses the ``default_thresholds`` setting.
        """
        try:
            per = check_period(period)
        except PeriodError as exc:
            raise WalletError(str(exc)) from None
        if action not in ACTIONS:
            raise WalletError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
        if amount.value < 0:
            raise WalletError("a budget cannot be negative")
        conn = self._conn()
        now = self._now_us()
        with immediate(conn):
            if thresholds is None:
                thresholds = self._raw_setting(conn, "default_thresholds")
            thr = sorted({int(t) for t in thresholds})
            if any(not 1 <= t <= 100 for t in thr):
                raise WalletError("thresholds are percentages from 1 to 100")
            ref = self._scope_ref(conn, scope)
            found = self._load(
                conn, "e.scope_kind=? AND e.scope_ref=? AND e.period=?", (scope.kind, ref, per)
            )
            if found:
                env = self._maintained(conn, found, now)[0]
                if env.unit != amount.unit:
                    raise WalletError(
                        f"{scope} ({per}) is budgeted in {env.unit};"
                        f" remove it before budgeting in {amount.unit}"
                    )
                delta = amount.value - env.amount
                env.amount, env.action, env.rollover, env.thresholds = (
                    amount.value,
                    action,
                    rollover,
                    tuple(thr),
                )
                env.assigned += delta
                conn.execute(
                    "UPDATE envelope SET amount=?, action=?, rollover=?, thresholds=? WHERE id=?",
                    (env.amount, action, int(rollover), json.dumps(thr), env.id),
                )
                env.save(conn)
                if delta:
                    add_movement(conn, env.id, "assign", delta, now, note="budget changed")
            else:
                if per == "none":
                    start, end = now, FOREVER_US
                else:
                    tz, ws = self._calendar(conn)
                    s, e = period_bounds(per, from_us(now), tz, ws)
                    start, end = to_us(s), to_us(e)
                cur = conn.execute(
                    "INSERT INTO envelope (scope_kind, scope_ref, unit, amount, period, action, rollover,"
                    " thresholds, created_us, cur_start, cur_end, carried, assigned, spent, topup_drawn,"
                    " topup_left, next_expiry, held, crossed_pct)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, 0, 0, ?, 0, 0)",
                    (scope.kind, ref, amount.unit, amount.value, per, action, int(rollover), json.dumps(thr),
                     now, start, end, amount.value, MAX_US),
                )  # fmt: skip
                env_id = int(cur.lastrowid or 0)
                add_movement(conn, env_id, "assign", amount.value, now, note="budget set")
                env = self._load(conn, "e.id=?", (env_id,))[0]
        self._publish([WalletChanged("budgets")])
        return env.envelope()

    def remove_budget(self, envelope_id: int) -> None:
        conn = self._conn()
        with immediate(conn):
            cur = conn.execute("DELETE FROM envelope WHERE id=?", (envelope_id,))
            if cur.rowcount == 0:
                raise NotFound(f"no envelope #{envelope_id}")
            conn.execute(
                "DELETE FROM model_scope WHERE id NOT IN"
                " (SELECT scope_ref FROM envelope WHERE scope_kind IN ('model', 'provider'))"
            )
        self._publish([WalletChanged("budgets")])

    def envelopes(self) -> list[Envelope]:
        return [e.envelope() for e in self._load(self._conn(), "1", ())]

    def envelope(self, envelope_id: int) -> Envelope:
        found = self._load(self._conn(), "e.id=?", (envelope_id,))
        if not found:
            raise NotFound(f"no envelope #{envelope_id}")
        return found[0].envelope()

    def _target(
        self, conn: sqlite3.Connection, scope: Scope, unit: str, period: str | None
    ) -> EnvState | None:
        ref = self._scope_ref(conn, scope)
        envs = self._load(conn, "e.scope_kind=? AND e.scope_ref=? AND e.unit=?", (scope.kind, ref, unit))
        if period is not None:
            envs = [e for e in envs if e.period == period]
        envs.sort(key=lambda e: _PERIOD_RANK.get(e.period, 9))
        return envs[0] if envs else None

    def _target_or_prepaid(
        self, conn: sqlite3.Connection, scope: Scope, unit: str, period: str | None, now: int
    ) -> EnvState:
        env = self._target(conn, scope, unit, period)
        if env is not None:
            return self._maintained(conn, [env], now)[0]
        if period not in (None, "none"):
            raise NotFound(f"{scope} has no {period} budget in {unit}")
        # No envelope yet: money put into a scope becomes a prepaid balance that blocks at zero.
        thr = self._raw_setting(conn, "default_thresholds")
        conn.execute(
            "INSERT INTO envelope (scope_kind, scope_ref, unit, amount, period, action, rollover, thresholds,"
            " created_us, cur_start, cur_end, carried, assigned, spent, topup_drawn, topup_left, next_expiry,"
            " held, crossed_pct) VALUES (?, ?, ?, 0, 'none', 'block', 0, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?, 0, 0)",
            (
                scope.kind,
                self._scope_ref(conn, scope),
                unit,
                json.dumps(list(thr)),
                now,
                now,
                FOREVER_US,
                MAX_US,
            ),
        )
        found = self._target(conn, scope, unit, "none")
        assert found is not None
        return found

    def _add_lot(
        self,
        *,
        conn: sqlite3.Connection,
        env: EnvState,
        amount: int,
        expires_us: int | None,
        now: int,
        note: str,
        kind: str,
    ) -> None:
        conn.execute(
            "INSERT INTO topup (envelope_id, amount, remaining, expires_us, created_us, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (env.id, amount, amount, expires_us, now, note),
        )
        add_movement(conn, env.id, kind, amount, now, note=note, expires_us=expires_us)
        env.topup_left += amount
        if expires_us is not None:
            env.next_expiry = min(env.next_expiry, expires_us)

    def topup(
        self,
        scope: Scope,
        amount: Amount,
        *,
        expires_at: datetime | None = None,
        note: str = "",
        period: str | None = None,
    ) -> Envelope:
        """Add money (or tokens) to the envelope of ``scope`` in that unit.

        A top-up is not part of the period allowance: spending uses the allowance first, then
        top-ups, soonest-expiring first; top-ups survive period resets until used or expired, and
        an expired top-up's unused remainder lapses (except what in-flight calls hold: that part
        lapses once they settle). With several envelopes of that unit the
        longest-lived one is chosen (or the one of ``period``); with none, a prepaid (period
        ``none``, action ``block``) envelope is created.
        """
        if amount.value <= 0:
            raise WalletError("a top-up must be more than zero")
        conn = self._conn()
        now = self._now_us()
        exp = None if expires_at is None else to_us(expires_at)
        if exp is not None and exp <= now:
            raise WalletError("the top-up's expiry date is already past")
        with immediate(conn):
            env = self._target_or_prepaid(conn, scope, amount.unit, period, now)
            self._add_lot(
                conn=conn, env=env, amount=amount.value, expires_us=exp, now=now, note=note, kind="topup"
            )
            env.save(conn)
        self._publish([WalletChanged("budgets")])
        return env.envelope()

    def transfer(self, src: Scope, dst: Scope, amount: Amount) -> None:
        """Move money (or tokens) between two scopes' envelopes of the same unit, atomically.

        Refused when the source's available amount cannot cover it. The source gives from this
        period's allowance first, then from its top-ups; the destination receives a top-up without
        expiry, so transferred money is never lost at a period reset.
        """
        if amount.value <= 0:
            raise WalletError("a transfer must be more than zero")
        conn = self._conn()
        now = self._now_us()
        with immediate(conn):
            s = self._target(conn, src, amount.unit, None)
            if s is None:
                raise NotFound(f"{src} has no budget in {amount.unit} to transfer from")
            s = self._maintained(conn, [s], now)[0]
            d = self._target_or_prepaid(conn, dst, amount.unit, None, now)
            if d.id == s.id:
                raise WalletError("source and destination are the same envelope")
            if s.available < amount.value:
                raise Refused(
                    f"{src} has {format_amount(amount.unit, max(s.available, 0))} available,"
                    f" cannot transfer {format_amount(amount.unit, amount.value)}"
                )
            debit_for_transfer(conn, s, amount.value, now)
            refresh_next_expiry(conn, s)
            add_movement(conn, s.id, "transfer", -amount.value, now, note=f"to {dst}")
            s.save(conn)
            self._add_lot(
                conn=conn,
                env=d,
                amount=amount.value,
                expires_us=None,
                now=now,
                note=f"from {src}",
                kind="transfer",
            )
            d.save(conn)
        self._publish([WalletChanged("budgets")])

    def status(self, *, now: datetime | None = None, profile: str | None = None) -> list[EnvelopeStatus]:
        """Every envelope in its current period (only wallet + ``profile``'s when given).

        A pure read unless a period has ended or a top-up expired since the last write.
        """
        conn = self._conn()
        now_us = self._now_us() if now is None else to_us(now)
        if profile is None:
            where: str = "1"
            args: tuple[int, ...] = ()
        else:
            pid = self._profile_id(conn, profile)
            where = (
                "e.scope_kind='wallet' OR (e.scope_kind='profile' AND e.scope_ref=?)"
                " OR (e.scope_kind IN ('model', 'provider') AND m.profile_id IN (0, ?))"
            )
            args = (pid, pid)
        envs = self._load(conn, where, args)
        if any(now_us >= e.roll_at for e in envs):
            with immediate(conn):
                envs = self._maintained(conn, self._load(conn, where, args), now_us)
        return [e.status(now_us) for e in envs]

    def movements(self, envelope_id: int, *, limit: int = 200) -> list[Movement]:
        """An envelope's movements (assign, topup, transfer, rollover, expiry), newest first."""
        rows = self._conn().execute(
            "SELECT id, envelope_id, kind, amount, at_us, note, expires_us FROM movement WHERE envelope_id=?"
            " ORDER BY at_us DESC, id DESC LIMIT ?",
            (envelope_id, limit),
        )
        return [Movement(r[0], r[1], r[2], r[3], from_us(r[4]), r[5], opt_from_us(r[6])) for r in rows]
