"""The live meter's agent sessions: per session calls, tokens, cost, duration and burn rate.

Fed by the same events as the calls table (``CallStarted``/``CallSettled`` carry the session) and
flushed by the same throttle, so a busy agent costs no more repaints than its calls do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from tokenwallet.core.events import CallSettled, CallStarted, Event
from tokenwallet.core.money import format_tokens
from tokenwallet.gui.display import Display
from tokenwallet.gui.i18n import QT_TR_NOOP
from tokenwallet.gui.views.rows_model import RowsModel
from tokenwallet.wallet.sessions import duration_text

HEADERS = [
    QT_TR_NOOP("Session"),
    QT_TR_NOOP("Profile"),
    QT_TR_NOOP("Calls"),
    QT_TR_NOOP("Tokens"),
    QT_TR_NOOP("Cost"),
    QT_TR_NOOP("Duration"),
    QT_TR_NOOP("Burn rate"),
]
COL_SESSION, COL_PROFILE, COL_CALLS, COL_TOKENS, COL_COST, COL_DURATION, COL_BURN = range(7)
MAX_SESSIONS = 50
_Index = QModelIndex | QPersistentModelIndex


@dataclass
class SessionRow:
    session: str
    profile: str
    first: datetime
    last: datetime
    calls: int = 0
    tokens: int = 0
    cost_nano: int = 0

    @property
    def seconds(self) -> float:
        return max((self.last - self.first).total_seconds(), 0.0)

    @property
    def burn_nano_per_min(self) -> int:
        s = self.seconds
        return 0 if s < 1 else int(self.cost_nano * 60 // int(s))


class SessionsModel(RowsModel):
    """Sessions seen since the window opened, most recently active first."""

    headers = HEADERS

    def __init__(self, display: Display, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.display = display
        self._by_id: dict[str, SessionRow] = {}
        self._rows: list[SessionRow] = []
        self._dirty = False

    def apply(self, ev: Event) -> bool:
        if not isinstance(ev, CallStarted | CallSettled) or not ev.session:
            return False
        row = self._by_id.get(ev.session)
        if row is None:
            row = self._by_id[ev.session] = SessionRow(ev.session, ev.profile, ev.at, ev.at)
        row.last = max(row.last, ev.at)
        if isinstance(ev, CallStarted):
            row.calls += 1
        else:
            row.tokens += ev.usage.total_tokens
            row.cost_nano += ev.cost_nano
        self._dirty = True
        return True

    def flush(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self.beginResetModel()  # a handful of rows: a reset is cheaper than tracking moves
        self._rows = sorted(self._by_id.values(), key=lambda r: r.last, reverse=True)[:MAX_SESSIONS]
        self.endResetModel()

    def at(self, r: int) -> SessionRow:
        return self._rows[r]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= COL_CALLS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        money = self.display.money
        return (
            row.session,
            row.profile,
            f"{row.calls:,}",
            format_tokens(row.tokens),
            money(row.cost_nano),
            duration_text(row.seconds),
            f"{money(row.burn_nano_per_min)}/min" if row.seconds >= 1 else "—",
        )[col]
