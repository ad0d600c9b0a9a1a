"""What the meter asks before it forwards a call it cannot price (issue 8: fail closed).

A batch, a fine-tuning job or an endpoint the meter does not know costs money it cannot hold
before the call is sent. Such a call may go through only for a profile that opted in, is not a
household member, and has no blocking envelope that applies to it — see ``proxy/unmetered.py``.
"""

from __future__ import annotations

from tokenwallet.wallet.calls import CallsMixin
from tokenwallet.wallet.types import EnvelopeStatus, KeyBinding


class GatesMixin(CallsMixin):
    def applicable_statuses(self, b: KeyBinding, provider: str | None = None) -> list[EnvelopeStatus]:
        """Every envelope a call by ``b`` would charge (wallet, profile, project), as of now.

        With ``provider``, also every model or provider envelope that may apply to some model of
        that provider (a call whose model the meter cannot tell could be any of them).
        """
        conn = self._conn()
        now = self._now_us()
        envs = self._applicable(conn, b, now)
        if provider is not None:
            envs += self._load(
                conn,
                "e.scope_kind IN ('model', 'provider') AND m.profile_id IN (0, ?) AND ? GLOB m.provider_glob",
                (b.profile_id, provider.lower()),
            )
        return [e.status(now) for e in envs]

    def household_kind(self, profile_id: int) -> str | None:
        """``child``/``adult`` for a household member, None for anyone else (or no household)."""
        conn = self._conn()
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'household_member'"
        ).fetchone()
        if has_table is None:
            return None
        row = conn.execute("SELECT kind FROM household_member WHERE profile_id = ?", (profile_id,)).fetchone()
        return None if row is None else str(row[0])
