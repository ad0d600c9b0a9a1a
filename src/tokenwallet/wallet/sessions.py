"""Agent sessions (issue 10): a run of a tool whose calls are counted together.

A session comes from ``tokenwallet run`` (which makes a wallet key that belongs to the session and
revokes it when the tool exits), from an ``X-Tokenwallet-Session`` header, or from a wallet key's
own calls separated by an idle gap. Calls carry the session id in the ledger; the figures here are
sums over the ledger's ``(session, at_us)`` index, never a scan.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from tokenwallet.core.events import WalletChanged
from tokenwallet.core.usage import Usage
from tokenwallet.wallet.admin import AdminMixin
from tokenwallet.wallet.db import from_us, immediate, opt_from_us

SOURCES = ("run", "header", "idle", "imported")  # imported: a session read from an agent's log


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One session and what its calls added up to."""

    id: str
    profile: str
    project: str | None
    source: str
    label: str
    started_at: datetime
    ended_at: datetime | None
    calls: int
    usage: Usage
    cost_nano: int
    first_call: datetime | None
    last_call: datetime | None

    @property
    def duration_s(self) -> float:
        """From the session's start to its end (or its last call while it runs)."""
        end = self.ended_at or self.last_call or self.started_at
        return max((end - self.started_at).total_seconds(), 0.0)

    @property
    def burn_nano_per_min(self) -> int:
        """Money per minute over the session so far (0 for a session shorter than a second)."""
        seconds = self.duration_s
        return 0 if seconds < 1 else int(self.cost_nano * 60 // int(seconds))


def duration_text(seconds: float) -> str:
    """``42s``, ``3m 05s``, ``2h 07m``: a session's length, the same in the CLI and the app."""
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s"
    return f"{s // 3600}h {s % 3600 // 60:02d}m"


def new_session_id() -> str:
    return "s-" + os.urandom(6).hex()


class SessionsMixin(AdminMixin):
    def start_session(
        self,
        profile: str,
        *,
        project: str | None = None,
        source: str = "run",
        label: str = "",
        session_id: str | None = None,
        with_key: bool = True,
    ) -> tuple[str, str | None]:
        """Open a session; returns its id and (``with_key``) a wallet key that belongs to it.

        A ``run`` session (an agent started by ``tokenwallet run``, often unattended) gets the agent
        default guards (``wallet/guards.py`` AGENT_DEFAULTS): a loop stop, a burn-rate stop and a
        rate limit, scoped to the session and removed with it.
        """
        if source not in SOURCES:
            raise ValueError(f"unknown session source {source!r}")
        sid = session_id or new_session_id()
        conn = self._conn()
        now = self._now_us()
        key = None
        with immediate(conn):
            pid = self._profile_id(conn, profile)
            proj = None if project is None else self._project_id(conn, project)
            conn.execute(
                "INSERT OR IGNORE INTO agent_session (id, profile_id, project_id, source, label, started_us)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (sid, pid, proj, source, label[:500], now),
            )
            if with_key:
                key = self._insert_key(conn, pid, proj, f"session {sid}", now, session=sid)
            if source == "run":
                from tokenwallet.wallet.guards import AGENT_DEFAULTS

                conn.executemany(
                    "INSERT INTO guard (scope, kind, limit_value, window_s, action, source, created_us)"
                    " VALUES (?, ?, ?, ?, ?, 'default', ?)",
                    [(f"session:{sid}", k, lim, win, act, now) for k, lim, win, act in AGENT_DEFAULTS],
                )
        if with_key:  # a session the meter opens for a header or an idle gap changes no key
            self._publish([WalletChanged("keys")])
        return sid, key

    def end_session(self, session_id: str) -> None:
        """Close a session and revoke the keys that belong to it (at once, in every process)."""
        conn = self._conn()
        now = self._now_us()
        with immediate(conn):
            conn.execute(
                "UPDATE agent_session SET ended_us = ? WHERE id = ? AND ended_us IS NULL", (now, session_id)
            )
            conn.execute(
                "UPDATE wallet_key SET revoked_us = ? WHERE session = ? AND revoked_us IS NULL",
                (now, session_id),
            )
            scope = f"session:{session_id}"  # its guards go with it (their counters too, at the meter)
            conn.execute(
                "DELETE FROM guard_lift WHERE guard_id IN (SELECT id FROM guard WHERE scope = ?)", (scope,)
            )
            conn.execute("DELETE FROM guard WHERE scope = ?", (scope,))
        self._key_cache.clear()
        self._publish([WalletChanged("keys")])

    def session_in_flight(self, session_id: str) -> int:
        """How many of the session's calls are still in flight (holds not yet settled)."""
        row = self._conn().execute("SELECT COUNT(*) FROM hold WHERE session = ?", (session_id,)).fetchone()
        return int(row[0])

    def sessions(
        self, *, profile: str | None = None, session_id: str | None = None, limit: int = 50
    ) -> list[SessionSummary]:
        """Sessions newest first, each with its calls, tokens, cost, first and last call."""
        conn = self._conn()
        where: list[str] = []
        args: list[object] = []
        if profile is not None:
            where.append("s.profile_id = ?")
            args.append(self._profile_id(conn, profile))
        if session_id is not None:
            where.append("s.id = ?")
            args.append(session_id)
        sql = (
            "SELECT s.id, p.name, j.name, s.source, s.label, s.started_us, s.ended_us,"
            " (SELECT COUNT(*) FROM ledger l WHERE l.session = s.id),"
            " (SELECT COALESCE(SUM(input_tokens), 0) || ',' || COALESCE(SUM(cache_read_tokens), 0) || ','"
            "  || COALESCE(SUM(cache_write_tokens), 0) || ',' || COALESCE(SUM(cache_write_1h_tokens), 0)"
            "  || ',' || COALESCE(SUM(output_tokens), 0) || ',' || COALESCE(SUM(reasoning_tokens), 0)"
            "  || ',' || COALESCE(SUM(cost_nano), 0) || ',' || COALESCE(MIN(at_us), '') || ','"
            "  || COALESCE(MAX(at_us), '') FROM ledger l WHERE l.session = s.id)"
            " FROM agent_session s JOIN profile p ON p.id = s.profile_id"
            " LEFT JOIN project j ON j.id = s.project_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY s.started_us DESC LIMIT ?"
        )
        out = []
        for r in conn.execute(sql, (*args, limit)):
            parts = str(r[8]).split(",")
            nums = [int(x) for x in parts[:7]]
            first = int(parts[7]) if parts[7] else None
            last = int(parts[8]) if parts[8] else None
            out.append(
                SessionSummary(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    from_us(r[5]),
                    opt_from_us(r[6]),
                    int(r[7]),
                    Usage(*nums[:6]),
                    nums[6],
                    opt_from_us(first),
                    opt_from_us(last),
                )
            )
        return out
