"""The live meter's Devices table: every meter sharing the wallet, and what each spends right now.

Shown when the wallet is a shared PostgreSQL one (an SQLite file has one device: this one). Read
from the wallet's ``device`` table off the GUI thread whenever the wallet changes (every device's
calls reach this window through the feed, ``wallet.callfeed``), at most every two seconds however
busy it is, and every half minute, the devices' heartbeat, so "last seen" stays true while nothing
happens.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from tokenwallet.gui.display import Display
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.throttle import Throttle
from tokenwallet.gui.views.rows_model import RowsModel
from tokenwallet.gui.workers import run_task
from tokenwallet.wallet.devicebook import DeviceInfo, seen_text

HEADERS = [
    QT_TR_NOOP("Device"),
    QT_TR_NOOP("Last seen"),
    QT_TR_NOOP("Now spending"),
    QT_TR_NOOP("Calls in flight"),
    QT_TR_NOOP("Today"),
]
# the words of wallet.devicebook.SEEN_WORDS, for lupdate
SEEN = (
    QT_TR_NOOP("just now"),
    QT_TR_NOOP("{n} min ago"),
    QT_TR_NOOP("{n} h ago"),
    QT_TR_NOOP("yesterday"),
    QT_TR_NOOP("{n} days ago"),
)
COL_NAME, COL_SEEN, COL_NOW, COL_FLIGHT, COL_TODAY = range(5)
REFRESH_MS = 30_000
# at most one read per this many ms however busy the wallet: the read sums today's ledger rows
READ_EVERY_MS = 2_000
MAX_ROWS_SHOWN = 5
EMPTY = QT_TR_NOOP(
    "No device has metered into this shared wallet yet. Each computer whose meter (this app, or "
    "`tokenwallet serve`) uses the wallet shows up here with what it is spending."
)
_Index = QModelIndex | QPersistentModelIndex


class DevicesModel(RowsModel):
    headers = HEADERS

    def __init__(self, display: Display, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.display = display
        self._rows: list[DeviceInfo] = []
        self.now = datetime.now(UTC)

    def set_devices(self, devices: list[DeviceInfo], now: datetime) -> None:
        self.beginResetModel()  # a handful of rows
        self._rows, self.now = devices, now
        self.endResetModel()

    def at(self, r: int) -> DeviceInfo:
        return self._rows[r]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        d, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= COL_NOW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("{name}: Token Wallet {version}, id {id}, first seen {day}").format(
                name=d.name, version=d.version, id=d.id[:8], day=f"{d.first_seen:%Y-%m-%d}"
            )
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        money = self.display.money
        name = d.name + (tr(" (this computer)") if d.this_device else "")
        seen = seen_text(d.last_seen, self.now, tr) + ("" if d.serving else tr(" · meter stopped"))
        return (
            name,
            seen,
            money(d.held_nano) if d.holds else "—",
            f"{d.holds:,}",
            (tr("{cost} · 1 call") if d.calls_today == 1 else tr("{cost} · {n} calls")).format(
                cost=money(d.cost_today_nano), n=f"{d.calls_today:,}"
            ),
        )[col]


class DevicesPanel(QWidget):
    """Title, table and empty-state line; hidden on a wallet file."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = DevicesModel(session.display, self)
        title = QLabel(tr("Devices sharing this wallet"))
        title.setObjectName("sectionTitle")
        self.empty = QLabel(tr(EMPTY))
        self.empty.setWordWrap(True)
        self.empty.setObjectName("emptyState")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        self._reading = False
        self._again = False
        self.setVisible(session.shared)
        if session.shared:
            self.timer = QTimer(self)
            self.timer.setInterval(REFRESH_MS)
            self.timer.timeout.connect(self.refresh)
            self.timer.start()
            self.throttle = Throttle(self.refresh, READ_EVERY_MS, self)
            session.walletChanged.connect(self.throttle.request)
            session.displayChanged.connect(self._display_changed)
            self._show([])
            self.refresh()

    def refresh(self) -> None:
        """Read the devices in a worker; a refresh asked for meanwhile runs once it is done."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        wallet = self.session.reader()
        run_task(wallet.devices, self._read, self._failed)

    def _read(self, devices: object) -> None:
        assert isinstance(devices, list)
        self._show(devices)
        self._done()

    def _failed(self, _exc: BaseException) -> None:  # the database away: keep the last rows
        self._done()

    def _done(self) -> None:
        self._reading = False
        if self._again and not self.session.closed:
            self._again = False
            self.refresh()

    def _show(self, devices: list[DeviceInfo]) -> None:
        self.model.set_devices(devices, datetime.now(UTC))
        self.empty.setVisible(not devices)
        self.table.setVisible(bool(devices))
        shown = min(len(devices), MAX_ROWS_SHOWN)  # as tall as its rows, up to a few (then it scrolls)
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + 24 * shown + frame)

    def _display_changed(self) -> None:
        self.model.display = self.session.display
        self.model.set_devices(list(self.model._rows), self.model.now)
