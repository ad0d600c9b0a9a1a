"""The ledger as a lazily fetched table model (smooth with a million rows).

Only ``history_count`` runs when the filter changes; rows come in pages of ``page_size`` as the
view scrolls (``canFetchMore``/``fetchMore``). The model holds frozen ``LedgerRow`` records and
never a live database object; it works with any object that has the wallet's ``history`` and
``history_count`` methods, so tests use it without a view.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from tokenwallet.core import modality, private
from tokenwallet.core.energy import ENERGY_FIELDS
from tokenwallet.core.money import nano_to_usd
from tokenwallet.gui.display import Display
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.views.energy_text import energy_cell, energy_tip
from tokenwallet.gui.views.meter_model import flag_note
from tokenwallet.gui.views.rows_model import RowsModel
from tokenwallet.gui.words import word
from tokenwallet.paths import is_wallet_file

(
    COL_TIME,
    COL_PROFILE,
    COL_PROJECT,
    COL_PROVIDER,
    COL_MODEL,
    COL_INPUT,
    COL_CACHED,
    COL_OUTPUT,
    COL_COST,
    COL_STATUS,
    COL_DURATION,
    COL_ENERGY,
    COL_MEDIA,
) = range(13)
HEADERS = [
    QT_TR_NOOP("Time"),
    QT_TR_NOOP("Profile"),
    QT_TR_NOOP("Project"),
    QT_TR_NOOP("Provider"),
    QT_TR_NOOP("Model"),
    QT_TR_NOOP("Input"),
    QT_TR_NOOP("Cached in"),
    QT_TR_NOOP("Output"),
    QT_TR_NOOP("Cost"),
    QT_TR_NOOP("Status"),
    QT_TR_NOOP("Duration"),
    QT_TR_NOOP("Energy"),
    QT_TR_NOOP("Audio · image · video"),
]
CSV_HEADERS = [
    "time",
    "profile",
    "project",
    "provider",
    "model",
    "requested_model",
    "endpoint",
    "status",
    "input_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cost_usd",
    "estimated",
    "unpriced",
    "price_source",
    "duration_ms",
    "call_id",
    "flags",
    *ENERGY_FIELDS,
    "media",
]

_Index = QModelIndex | QPersistentModelIndex


class LedgerSource(Protocol):
    def history(
        self, f: Any, *, limit: int, offset: int = 0, before: tuple[datetime, int] | None = None
    ) -> list[Any]: ...
    def history_count(self, f: Any) -> int: ...


class HistoryModel(RowsModel):
    """Ledger rows matching a filter, newest first, fetched a page at a time."""

    headers = HEADERS

    def __init__(
        self, source: LedgerSource, display: Display, *, page_size: int = 500, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.display = display
        self.page_size = page_size
        self.filter: Any = None
        self.total = 0
        self._rows: list[Any] = []

    def set_filter(self, f: Any) -> None:
        """Show the rows matching ``f`` (a ``HistoryFilter``); only the count is read now."""
        self.beginResetModel()
        self.filter = f
        self._rows = []
        self.total = self.source.history_count(f)
        self.endResetModel()

    def reload(self) -> None:
        """Re-read after new calls settled: the count, and the first page again."""
        if self.filter is not None:
            self.set_filter(self.filter)

    # ---- lazy fetching ------------------------------------------------------------------------
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        if parent.isValid() or self.filter is None:
            return
        page = next_page(self.source, self.filter, self._rows, self.page_size)
        if not page:
            self.total = len(self._rows)  # rows vanished (a filter race): stop asking
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def loaded(self) -> int:
        return len(self._rows)

    def row(self, r: int) -> Any:
        return self._rows[r]

    # ---- Qt model -----------------------------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            COL_INPUT,
            COL_CACHED,
            COL_OUTPUT,
            COL_COST,
            COL_DURATION,
            COL_ENERGY,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_ENERGY:
            return energy_tip(r.energy)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_COST:
            notes = (tr(" · estimated") if r.estimated else "") + (
                tr(" · fallback price") if r.unpriced else ""
            )
            if r.flags:
                notes += " · " + flag_note(r.flags, estimated=False)
            return f"{r.price_source}{notes}"
        if role == Qt.ItemDataRole.UserRole:
            return r
        return None

    def _text(self, r: Any, col: int) -> str:
        u = r.usage
        if col == COL_TIME:
            return str(r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"))
        if col == COL_PROFILE:
            return str(r.profile)
        if col == COL_PROJECT:
            return r.project or ""
        if col == COL_PROVIDER:
            return str(r.provider)
        if col == COL_MODEL:
            return str(r.model) + (
                tr(" (asked {requested_model})").format(requested_model=r.requested_model)
                if r.requested_model and r.requested_model != r.model
                else ""
            )
        if col == COL_INPUT:
            return f"{u.input_tokens + u.cache_write_tokens + u.cache_write_1h_tokens:,}"
        if col == COL_CACHED:
            return f"{u.cache_read_tokens:,}" if u.cache_read_tokens else ""
        if col == COL_OUTPUT:
            return f"{u.output_tokens:,}"
        if col == COL_COST:
            return self.display.money(r.cost_nano) + (" ~" if r.estimated else "")
        if col == COL_STATUS:
            text = word("ok") if r.status < 400 else tr("error {status}").format(status=r.status)
            return text + (" · " + flag_note(r.flags, estimated=False) if r.flags else "")
        if col == COL_ENERGY:
            return energy_cell(r.energy)
        if col == COL_MEDIA:  # "12 s video 1280x720", "340 audio tokens in" (core.modality)
            return modality.describe(u, r.units)
        return f"{r.duration_ms / 1000:.1f} s"


def _energy_fields(e: Any) -> list[Any]:
    if e is None:
        return ["", "", "", "", "", ""]
    return [e.wh_min_micro, e.wh_max_micro, e.gco2_min_micro, e.gco2_max_micro, e.method, e.zone]


def next_page(source: LedgerSource, f: Any, loaded: list[Any], limit: int) -> list[Any]:
    """The ``limit`` rows after ``loaded`` (newest first), by keyset rather than OFFSET.

    An OFFSET deep into a million rows costs SQLite a scan of everything skipped (a third of a
    second at 500,000); the wallet's ``before=(at, id)`` keyset makes every page as cheap as the first.
    """
    if not loaded:
        return source.history(f, limit=limit)
    last = loaded[-1]
    return source.history(f, limit=limit, before=(last.at, last.id))


def iter_all(source: LedgerSource, f: Any, page_size: int = 5000) -> Iterator[Any]:
    """Every row matching ``f``, newest first, read a page at a time."""
    page: list[Any] = []
    while True:
        page = next_page(source, f, page, page_size)
        if not page:
            return
        yield from page


def export_csv(source: LedgerSource, f: Any, path: Path) -> int:
    """Write every row matching ``f`` to ``path`` (exact USD costs); returns the row count."""
    if is_wallet_file(path):
        raise ValueError(f"{path} is the wallet's own file: export somewhere else")
    tmp = path.with_name(path.name + ".part")
    n = 0
    with private.open_text(tmp, newline="") as fh:  # owner-only, like the wallet
        w = csv.writer(fh)
        w.writerow(CSV_HEADERS)
        for r in iter_all(source, f):
            u = r.usage
            w.writerow(
                [
                    r.at.isoformat(),
                    r.profile,
                    r.project or "",
                    r.provider,
                    r.model,
                    r.requested_model or "",
                    r.endpoint,
                    r.status,
                    u.input_tokens,
                    u.cache_read_tokens,
                    u.cache_write_tokens + u.cache_write_1h_tokens,
                    u.output_tokens,
                    u.reasoning_tokens,
                    f"{nano_to_usd(r.cost_nano):f}",
                    int(r.estimated),
                    int(r.unpriced),
                    r.price_source,
                    r.duration_ms,
                    r.call_id,
                    r.flags,
                    *_energy_fields(r.energy),
                    modality.describe(u, r.units),
                ]
            )
            n += 1
    tmp.replace(path)  # a finished file or none: never a half export under the real name
    return n
