"""Guards in the wallet file: what the user set, the defaults, and the counters' snapshot.

The rules live in ``core/guards.py``; this stores them. Household members get default guards out
of the box (a child's allowance should not vanish in a minute of a looping agent) unless the user
set a guard of the same kind for that profile; ``tokenwallet run`` adds the agent defaults to its
session (:data:`AGENT_DEFAULTS`). Defaults have negative ids, so they can be lifted like any other.
"""

from __future__ import annotations

import json
from typing import Any

from tokenwallet.core.events import WalletChanged
from tokenwallet.core.guards import ACTIONS, KINDS, GuardSpec
from tokenwallet.core.money import NANO_PER_USD
from tokenwallet.wallet.base import WalletBase
from tokenwallet.wallet.db import immediate
from tokenwallet.wallet.errors import NotFound, WalletError

# (kind, limit, window_s, action): what a household member gets unless told otherwise …
HOUSEHOLD_DEFAULTS: tuple[tuple[str, int, int, str], ...] = (
    ("rate", 20, 60, "block"),
    ("request_money", NANO_PER_USD // 2, 0, "block"),
    ("loop", 5, 120, "block"),
)
# … and what an unattended agent started by `tokenwallet run` gets for its session.
AGENT_DEFAULTS: tuple[tuple[str, int, int, str], ...] = (
    ("loop", 8, 300, "block"),
    ("burn", 2 * NANO_PER_USD, 600, "block"),
    ("rate", 120, 60, "block"),
)
_WINDOW_DEFAULT = {"rate": 60, "loop": 120, "burn": 600}
STATE_NAME = "meter"  # + ":<device id>": each device's meter keeps its own counters (issue 14)


def check_guard(scope: str, kind: str, limit: int, action: str, window_s: int) -> int:
    """The window to store, or WalletError saying what is wrong (nothing is written)."""
    scope_kind, _, ref = scope.partition(":")
    if scope_kind not in ("wallet", "profile", "key", "session") or (scope_kind != "wallet" and not ref):
        raise WalletError(f"guard scope {scope!r}: use wallet, profile:NAME, key:ID or session:ID")
    if kind not in KINDS:
        raise WalletError(f"guard kind {kind!r} is not one of {', '.join(KINDS)}")
    if action not in ACTIONS:
        raise WalletError(f"guard action {action!r} is not one of {', '.join(ACTIONS)}")
    if not 0 < limit < 2**62:
        raise WalletError(f"guard limit must be a positive amount, not {limit}")
    window = window_s or _WINDOW_DEFAULT.get(kind, 0)
    if kind in _WINDOW_DEFAULT and not 1 <= window <= 7 * 86400:
        raise WalletError(f"guard window must be between 1 s and 7 days, not {window} s")
    return window if kind in _WINDOW_DEFAULT else 0


class GuardsMixin(WalletBase):
    def add_guard(
        self,
        scope: str,
        kind: str,
        limit: int,
        *,
        action: str = "block",
        window_s: int = 0,
        source: str = "user",
    ) -> GuardSpec:
        """Store a guard; a guard of the same scope and kind is replaced."""
        window = check_guard(scope, kind, limit, action, window_s)
        conn = self._conn()
        with immediate(conn):
            if scope.startswith("profile:"):
                self._profile_id(conn, scope.partition(":")[2])  # NotFound for an unknown profile
            conn.execute(
                "DELETE FROM guard_lift WHERE guard_id IN"
                " (SELECT id FROM guard WHERE scope = ? AND kind = ?)",
                (scope, kind),
            )
            conn.execute("DELETE FROM guard WHERE scope = ? AND kind = ?", (scope, kind))
            cur = conn.execute(
                "INSERT INTO guard (scope, kind, limit_value, window_s, action, source, created_us)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (scope, kind, limit, window, action, source, self._now_us()),
            )
        self._publish([WalletChanged("guards")])
        return GuardSpec(int(cur.lastrowid or 0), scope, kind, limit, action, window, source)

    def remove_guard(self, guard_id: int) -> None:
        conn = self._conn()
        with immediate(conn):
            if conn.execute("DELETE FROM guard WHERE id = ?", (guard_id,)).rowcount == 0:
                raise NotFound(f"no guard #{guard_id} (defaults cannot be removed: set your own instead)")
            conn.execute("DELETE FROM guard_lift WHERE guard_id = ?", (guard_id,))
        self._publish([WalletChanged("guards")])

    def lift_guard(self, guard_id: int, session: str | None = None) -> None:
        """Let calls through guard ``guard_id`` again: for one session, or (None) for every one."""
        if guard_id not in {g.id for g in self.guards()}:
            raise NotFound(f"no guard #{guard_id} (`tokenwallet guard list` shows them)")
        conn = self._conn()
        with immediate(conn):
            conn.execute(
                "INSERT OR IGNORE INTO guard_lift (guard_id, session, created_us) VALUES (?, ?, ?)",
                (guard_id, session or "*", self._now_us()),
            )
        self._publish([WalletChanged("guards")])

    def guard_lifts(self) -> set[str]:
        """Lifts as ``"<guard id>|<session or *>"``, the form :class:`GuardBook` keeps them in."""
        rows = self._conn().execute("SELECT guard_id, session FROM guard_lift")
        return {f"{r[0]}|{r[1]}" for r in rows}

    def guards(self) -> list[GuardSpec]:
        """Every guard in force: the stored ones and the household defaults they do not replace."""
        conn = self._conn()
        stored = [
            GuardSpec(r[0], r[1], r[2], r[3], r[5], r[4], r[6])
            for r in conn.execute(
                "SELECT id, scope, kind, limit_value, window_s, action, source FROM guard ORDER BY id"
            )
        ]
        taken = {(g.scope, g.kind) for g in stored}
        has_household = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'household_member'"
        ).fetchone()
        defaults: list[GuardSpec] = []
        if has_household:
            rows = conn.execute(
                "SELECT p.id, p.name FROM household_member m JOIN profile p ON p.id = m.profile_id"
                " ORDER BY p.id"
            ).fetchall()
            for pid, name in rows:
                for i, (kind, limit, window, action) in enumerate(HOUSEHOLD_DEFAULTS):
                    scope = f"profile:{name}"
                    if (scope, kind) not in taken:
                        defaults.append(
                            GuardSpec(-(int(pid) * 16 + i + 1), scope, kind, limit, action, window, "default")
                        )
        return stored + defaults

    def _state_name(self) -> str:
        return f"{STATE_NAME}:{self.device_id}" if self.device_id else STATE_NAME

    def save_guard_state(self, state: dict[str, Any]) -> None:
        """Save this device's counters (two meters sharing a wallet never overwrite each other's)."""
        conn = self._conn()
        with immediate(conn):
            conn.execute(
                "INSERT INTO guard_state (name, state_json, updated_us) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET state_json = excluded.state_json,"
                " updated_us = excluded.updated_us",
                (self._state_name(), json.dumps(state, separators=(",", ":")), self._now_us()),
            )

    def guard_state(self) -> dict[str, Any]:
        """This device's saved counters; until it has saved its own, the one copy a wallet kept
        before devices existed (it was that machine's, the only one then)."""
        conn = self._conn()
        row = conn.execute(
            "SELECT state_json FROM guard_state WHERE name = ?", (self._state_name(),)
        ).fetchone()
        if row is None:
            row = conn.execute("SELECT state_json FROM guard_state WHERE name = ?", (STATE_NAME,)).fetchone()
        if row is None:
            return {}
        try:
            data = json.loads(row[0])
        except ValueError:
            return {}  # a damaged snapshot costs the counters, never the meter
        return data if isinstance(data, dict) else {}
