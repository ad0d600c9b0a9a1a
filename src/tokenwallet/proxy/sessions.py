"""Which agent session a call belongs to (issue 10).

In this order: the session of the wallet key (``tokenwallet run`` makes a key per session), the
``X-Tokenwallet-Session`` header, or else the key's own calls, a new session after an idle gap
(setting ``session_idle_minutes``, 30 by default). A session row is written once, when the
session is first seen — never per call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from tokenwallet.proxy.errors import ProxyError
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.sessions import new_session_id
from tokenwallet.wallet.types import KeyBinding

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet

_SESSION_ID = re.compile(r"[A-Za-z0-9._:@-]{1,64}")
_MAX_TRACKED = 10_000


def _bound(b: KeyBinding, session: str, budget_session: str) -> KeyBinding:
    """``b`` with its sessions (dataclasses.replace, but at a fifth of its cost on the call path)."""
    return KeyBinding(
        b.key_id, b.profile_id, b.profile, b.project_id, b.project, b.paused, session, budget_session
    )


class SessionTracker:
    def __init__(self, wallet: Wallet) -> None:
        self.wallet = wallet
        self.idle_s = 30 * 60.0
        self._known: set[str] = set()
        self._idle: dict[tuple[int, int], tuple[str, float]] = {}  # (key id, profile id) → (session, last)
        # True while a shared wallet is out of reach (set by the meter): the offline journal's
        # replay writes the session row later, and the call does not wait on the database.
        self.frozen: Callable[[], bool] = lambda: False

    def assign(self, binding: KeyBinding, header: str | None, now: float) -> KeyBinding:
        """``binding`` with its session set (writing the session row the first time it is seen)."""
        if binding.session:
            return _bound(binding, binding.session, binding.session)
        if header is not None and not _SESSION_ID.fullmatch(header):
            raise ProxyError(
                400, "X-Tokenwallet-Session must be 1–64 letters, digits or . _ : @ -", "invalid_session"
            )
        # The key's own idle-gap session, also under a header: per-session budgets count that one
        # (KeyBinding.budget_session); it is written down once a call is recorded under it.
        slot = (binding.key_id, binding.profile_id)
        hit = self._idle.get(slot)
        if hit is not None and now - hit[1] <= self.idle_s:
            sid = hit[0]
        else:
            sid = new_session_id()
            if len(self._idle) > _MAX_TRACKED:
                self._idle.clear()
        self._idle[slot] = (sid, now)
        if header is not None:
            self._ensure(binding, header, "header")
            return _bound(binding, header, sid)
        self._ensure(binding, sid, "idle")
        return _bound(binding, sid, sid)

    def _ensure(self, binding: KeyBinding, sid: str, source: str) -> None:
        if sid in self._known or self.frozen():
            return
        try:
            self.wallet.start_session(
                binding.profile, project=binding.project, source=source, session_id=sid, with_key=False
            )
        except WalletError as exc:  # a shared wallet out of reach: the journal replay writes it
            from tokenwallet.proxy.offline import unreachable

            if not unreachable(exc):
                raise
            return
        if len(self._known) > _MAX_TRACKED:
            self._known.clear()
        self._known.add(sid)
