"""The live meter's table model: one row per call, newest first, repainted at most ~10 times a second.

Events update plain row objects at once (cheap); the table's cells are written by
:meth:`MeterModel.flush`, which a :class:`~tokenwallet.gui.throttle.Throttle` calls at most every
100 ms. Fifty concurrent streams therefore cost ten repaints a second, not one per chunk.

The cells live in Qt's own model (``QStandardItemModel``, C++), written only where their text
changed: painting the table never calls into Python. A Python ``data()`` is asked half a dozen roles
per cell on every repaint, and each call has to win the interpreter back from the hosted proxy's
thread, which holds it while streams run: 50 streams turned one repaint into a 100–200 ms stall.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItemModel

from tokenwallet.core.events import CallProgress, CallRefused, CallSettled, CallStarted, Event
from tokenwallet.gui import theme
from tokenwallet.gui.display import Display
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.views.energy_text import energy_cell, energy_tip
from tokenwallet.gui.words import label_text, word

COL_TIME, COL_PROFILE, COL_PROJECT, COL_MODEL, COL_IN, COL_OUT, COL_COST, COL_ENERGY, COL_STATUS = range(9)
HEADERS = [
    QT_TR_NOOP("Started"),
    QT_TR_NOOP("Profile"),
    QT_TR_NOOP("Project"),
    QT_TR_NOOP("Model"),
    QT_TR_NOOP("Input"),
    QT_TR_NOOP("Output"),
    QT_TR_NOOP("Cost"),
    QT_TR_NOOP("Energy"),
    QT_TR_NOOP("Status"),
]
MAX_ROWS = 500

# What the live meter says about usage the meter did not take at its word (ledger flags).
FLAG_NOTES = {
    "invalid_usage": QT_TR_NOOP("usage invalid, charged the hold"),
    "over_cap": QT_TR_NOOP("over the output cap"),
    "no_usage": QT_TR_NOOP("no usage, estimated"),
    "offline": QT_TR_NOOP("metered offline, written when the shared wallet is back"),
}

STATUS_COLORS = {"running": "accent", "settled": "ok", "refused": "danger", "error": "warn"}  # palette roles

NUMERIC = (COL_IN, COL_OUT, COL_COST, COL_ENERGY)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
FOREGROUND, TOOLTIP = len(HEADERS), len(HEADERS) + 1  # after the texts in a row's written cells
_UNSET = object()  # a cell not written yet


@dataclass
class MeterRow:
    """One call as the meter shows it (mutable: a running call ticks up)."""

    call_id: str
    started: datetime
    profile: str
    project: str | None
    provider: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_nano: int = 0
    state: str = "running"  # running | settled | refused | error
    note: str = ""  # "estimated", "downgraded from gpt-4o", the refusal reason
    downgraded_from: str | None = None
    energy: Any = None  # core.energy.Impact, once the window's EnergyFiller computed it

    def status_text(self) -> str:
        if self.state == "running":
            text = tr("streaming…") if self.output_tokens else tr("running…")
        elif self.state == "refused":
            text = tr("refused (402)")
        elif self.state == "error":
            text = tr("upstream error")
        else:
            text = tr("settled")
        if self.downgraded_from:
            text += tr(" · downgraded from {downgraded_from}").format(downgraded_from=self.downgraded_from)
        if self.note:
            text += f" · {self.note}"
        return text


def flag_note(flags: str, *, estimated: bool) -> str:
    """``"usage invalid, charged the hold"``…, or ``"estimated"`` for an estimate with no flag."""
    notes = [tr(FLAG_NOTES.get(f, f.replace("_", " "))) for f in flags.split(",") if f]
    if not notes and estimated:
        notes = [tr("estimated")]
    return " · ".join(notes)


class MeterModel(QStandardItemModel):
    """Calls seen since the window opened (at most ``MAX_ROWS``), newest at the top."""

    def __init__(self, display: Display, parent: QObject | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self._display = display
        self._rows: list[MeterRow] = []  # oldest first; row r on screen is _rows[-1 - r]
        self._by_id: dict[str, MeterRow] = {}
        self._new: list[MeterRow] = []  # arrived since the last flush, not yet inserted
        self._dirty: set[str] = set()  # call ids whose cells changed since the last flush
        self._pos: dict[str, int] = {}  # call id → index in _rows
        self._written: dict[str, list[Any]] = {}  # call id → its texts, colour and tooltip on screen
        theme.state().changed.connect(self._recolor)

    @property
    def display(self) -> Display:
        return self._display

    @display.setter
    def display(self, display: Display) -> None:
        """Another currency or rate: every cost is written again at the next flush."""
        self._display = display
        self._dirty.update(self._pos)

    def _recolor(self) -> None:
        for cells in self._written.values():
            cells[FOREGROUND] = _UNSET
        self._dirty.update(self._pos)
        self.flush()

    # ---- events -------------------------------------------------------------------------------
    def apply(self, ev: Event) -> bool:
        """Fold one event into the rows; returns True when something visible changed."""
        if isinstance(ev, CallStarted):
            row = MeterRow(
                ev.call_id,
                ev.at,
                ev.profile,
                ev.project,
                ev.provider,
                ev.model,
                input_tokens=ev.input_tokens,
                cost_nano=0,
                downgraded_from=ev.downgraded_from,
            )
            self._add(row)
            return True
        if isinstance(ev, CallProgress):
            row_p = self._by_id.get(ev.call_id)
            if row_p is None or row_p.state != "running":
                return False
            row_p.output_tokens, row_p.cost_nano = ev.output_tokens, ev.cost_nano
            self._dirty.add(ev.call_id)
            return True
        if isinstance(ev, CallSettled):
            row_s = self._by_id.get(ev.call_id)
            if row_s is None:
                row_s = MeterRow(ev.call_id, ev.at, ev.profile, ev.project, ev.provider, ev.model)
                self._add(row_s)
            row_s.model = ev.model
            row_s.input_tokens = ev.usage.total_input
            row_s.output_tokens = ev.usage.output_tokens
            row_s.cost_nano = ev.cost_nano
            row_s.state = "settled" if ev.status < 400 else "error"
            row_s.downgraded_from = ev.downgraded_from or row_s.downgraded_from
            row_s.note = flag_note(ev.flags, estimated=ev.estimated)
            if ev.source != "meter":  # usage read from an agent's log (subscription use, tokenwallet import)
                tool = ev.source.removeprefix("imported:")
                row_s.note = " · ".join(
                    n for n in (tr("from {tool}'s log").format(tool=tool), row_s.note) if n
                )
            self._dirty.add(ev.call_id)
            return True
        if isinstance(ev, CallRefused):
            row_r = self._by_id.get(ev.call_id)
            if row_r is None:
                row_r = MeterRow(ev.call_id, ev.at, ev.profile, ev.project, ev.provider, ev.model)
                self._add(row_r)
            row_r.state = "refused"
            reason = word(ev.reason)
            row_r.note = f"{reason} {label_text(ev.envelope)}" if ev.envelope else reason
            self._dirty.add(ev.call_id)
            return True
        return False

    def _add(self, row: MeterRow) -> None:
        old = self._by_id.get(row.call_id)
        if old is not None:  # a retry under the same id (a downgrade): keep one row
            old.model, old.downgraded_from = row.model, row.downgraded_from or old.downgraded_from
            old.state = "running"
            self._dirty.add(row.call_id)
            return
        self._by_id[row.call_id] = row
        self._new.append(row)

    def flush(self) -> None:
        """Write the cells of everything folded in since the last flush."""
        if self._new:
            new, self._new = self._new, []
            self.insertRows(0, len(new))
            for row in new:
                self._pos[row.call_id] = len(self._rows)
                self._rows.append(row)
            for r, row in enumerate(reversed(new)):
                for col in NUMERIC:
                    self.setData(self.index(r, col), RIGHT, Qt.ItemDataRole.TextAlignmentRole)
                self._write(r, row)
                self._dirty.discard(row.call_id)
        if len(self._rows) > MAX_ROWS:
            extra = len(self._rows) - MAX_ROWS
            for row in self._rows[:extra]:
                self._by_id.pop(row.call_id, None)
                self._written.pop(row.call_id, None)
                self._dirty.discard(row.call_id)
            del self._rows[:extra]
            self._pos = {row.call_id: i for i, row in enumerate(self._rows)}
            self.removeRows(MAX_ROWS, extra)
        if self._dirty:
            n = len(self._rows)
            for call_id in self._dirty:
                pos = self._pos.get(call_id)
                if pos is not None:
                    self._write(n - 1 - pos, self._rows[pos])
            self._dirty.clear()

    def _write(self, r: int, row: MeterRow) -> None:
        """Set the cells of screen row ``r`` whose text, colour or tooltip changed (each write is a
        call into Qt, and only changed cells are repainted)."""
        cells = self._written.setdefault(row.call_id, [_UNSET] * (TOOLTIP + 1))
        for col in range(len(HEADERS)):
            text = self._text(row, col)
            if cells[col] != text:
                cells[col] = text
                self.setData(self.index(r, col), text)
        if cells[FOREGROUND] != row.state:
            cells[FOREGROUND] = row.state
            color = QColor(getattr(theme.current(), STATUS_COLORS.get(row.state, "text")))
            self.setData(self.index(r, COL_STATUS), QBrush(color), Qt.ItemDataRole.ForegroundRole)
        if cells[TOOLTIP] is not row.energy:
            cells[TOOLTIP] = row.energy
            self.setData(self.index(r, COL_ENERGY), energy_tip(row.energy), Qt.ItemDataRole.ToolTipRole)

    # ---- reading ------------------------------------------------------------------------------
    def row_for(self, call_id: str) -> MeterRow | None:
        return self._by_id.get(call_id)

    def at(self, r: int) -> MeterRow:
        return self._rows[-1 - r]

    def without_energy(self) -> list[str]:
        """Call ids of settled rows whose energy is not known yet."""
        return [r.call_id for r in self._rows if r.state in ("settled", "error") and r.energy is None]

    def set_energies(self, found: dict[str, Any]) -> None:
        """Energy figures read back from the ledger (``Wallet.energies``)."""
        for call_id, impact in found.items():
            row = self._by_id.get(call_id)
            if row is not None:
                row.energy = impact
                self._dirty.add(call_id)

    def running(self) -> list[MeterRow]:
        return [r for r in self._rows if r.state == "running"]

    def _text(self, row: MeterRow, col: int) -> str:
        if col == COL_TIME:
            return row.started.astimezone().strftime("%H:%M:%S")
        if col == COL_PROFILE:
            return row.profile
        if col == COL_PROJECT:
            return row.project or ""
        if col == COL_MODEL:
            return f"{row.provider}/{row.model}"
        if col in (COL_IN, COL_OUT) and row.state == "refused":
            return "—"  # never sent
        if col == COL_IN:
            return f"{row.input_tokens:,}"
        if col == COL_OUT:
            return f"{row.output_tokens:,}"
        if col == COL_COST:
            return "—" if row.state == "refused" else self.display.money(row.cost_nano)
        if col == COL_ENERGY:
            return energy_cell(row.energy)
        return row.status_text()
