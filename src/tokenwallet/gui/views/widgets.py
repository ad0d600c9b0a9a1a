"""Small widgets the management pages share: a scope picker, a status line, the key-shown-once dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.gui.i18n import tr
from tokenwallet.gui.theme import FORM_WIDTH, SPACE_L, SPACE_M, SPACE_S, set_role
from tokenwallet.gui.words import word

if TYPE_CHECKING:
    from tokenwallet.gui.session import Session
    from tokenwallet.wallet import Scope, Wallet

T = TypeVar("T")
MAX_COLUMN = 260
QWIDGETSIZE_MAX = (
    1 << 24
) - 1  # Qt's "no maximum width"  # px: wider cell text is elided, its tooltip shows it whole


class ReloadWhenShown(QWidget):
    """A page part that re-reads the wallet on change only while visible (else once when shown).

    Settled calls signal a wallet change up to ten times a second; hidden tables need not follow.
    Subclasses implement ``reload``.
    """

    _stale = False

    def reload(self) -> None:
        raise NotImplementedError

    def wallet_changed(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()


@dataclass(frozen=True)
class Edit(Generic[T]):
    """What a successful :meth:`EditorTab.apply_edit` returns (``value`` may itself be None)."""

    value: T


class EditorTab(ReloadWhenShown):
    """A management tab whose forms write to the wallet, each through :meth:`apply_edit`."""

    session: Session

    def apply_edit(
        self, status: StatusLine, action: str, failed: str, edit: Callable[[], T]
    ) -> Edit[T] | None:
        """One form's write: the owner PIN first when a household exists, then ``edit``.

        On failure ``status`` says why (``"{failed}: {reason}"``) and nothing else happens. On
        success every view re-reads, the hosted proxy applies it from the next call, and this tab
        shows it at once even when it is not on screen. One place for all of it, so no form can
        forget the PIN.
        """
        from tokenwallet.gui.views.billing_pin import guard_money_change

        if not guard_money_change(self, self.session.wallet, action):
            return None
        try:
            value = edit()
        except Exception as exc:  # the wallet refused (validation, not found…): nothing was written
            status.error(f"{failed}: {exc}")
            return None
        self.session.notify_changed()
        self.reload()
        return Edit(value)


class ScopeCombo(QComboBox):
    """Picks ``wallet``, ``profile:NAME`` or ``project:NAME`` from what exists."""

    def reload(self, wallet: Wallet, *, include_wallet: bool = True, models: bool = False) -> None:
        """``models``: also "Some models…" and "A provider…" (see budget_models.ModelScopeFields)."""
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        if include_wallet:
            self.addItem(tr("Whole wallet"), "wallet")
        for p in wallet.profiles():
            self.addItem(tr("Profile: {name}").format(name=p.name), f"profile:{p.name}")
        for pr in wallet.projects():
            self.addItem(tr("Project: {name}").format(name=pr.name), f"project:{pr.name}")
        if models:
            self.addItem(tr("Some models…"), "model:")
            self.addItem(tr("A provider…"), "provider:")
        idx = self.findData(current)
        self.setCurrentIndex(max(0, idx))
        self.blockSignals(False)

    def scope(self) -> Scope:
        from tokenwallet.wallet.types import Scope

        data = self.currentData()
        if not data:
            raise ValueError(tr("pick who this is for (whole wallet, a profile or a project)"))
        return Scope.parse(str(data))

    def select(self, scope_text: str) -> None:
        idx = self.findData(scope_text)
        if idx >= 0:
            self.setCurrentIndex(idx)


class StatusLine(QLabel):
    """One line under a form: green when saved, red with the reason when refused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def ok(self, text: str) -> None:
        set_role(self, "ok")
        self.setText(text)

    def error(self, text: str) -> None:
        set_role(self, "danger")
        self.setText(text)

    def is_error(self) -> bool:
        return bool(self.property("tw") == "danger")


class EmptyHint(QLabel):
    """Centred words over an item view while it has no rows ("No calls yet — …")."""

    def __init__(self, view: QAbstractItemView, text: str) -> None:
        super().__init__(text, view.viewport())
        self.view = view
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self, "empty")
        view.viewport().installEventFilter(self)
        self.watch()

    def watch(self) -> None:
        """Follow the view's current model (call again after ``setModel``)."""
        model = self.view.model()
        if model is not None:
            for sig in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
                sig.connect(self.update_shown)
        self.update_shown()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.place()
        return False

    def place(self) -> None:
        area = self.view.viewport().rect().adjusted(SPACE_L, SPACE_L, -SPACE_L, -SPACE_L)
        self.setGeometry(area.x(), area.y(), area.width(), max(self.heightForWidth(area.width()), 40))

    def update_shown(self) -> None:
        model = self.view.model()
        empty = model is None or model.rowCount() == 0
        self.setVisible(empty)
        if empty:
            self.place()


def empty_hint(view: QAbstractItemView, text: str) -> EmptyHint:
    hint = EmptyHint(view, text)
    view.setProperty("empty_hint", True)
    return hint


def date_field(day: QDate) -> QDateEdit:
    """A date picker showing ISO dates (2026-11-29), like every table and export."""
    field = QDateEdit(day)
    field.setDisplayFormat("yyyy-MM-dd")
    field.setCalendarPopup(True)
    return field


def wallet_today(wallet: Any) -> QDate:
    """Today in the wallet's time zone (its reports' days), not this computer's: the two differ
    for a wallet kept in another zone, and for an hour or so around midnight."""
    from datetime import datetime

    from tokenwallet.core.periods import zone

    try:
        day = datetime.now(zone(str(wallet.get_setting("timezone")))).date()
    except Exception:  # a wallet that cannot be read now: this computer's day
        return QDate.currentDate()
    return QDate(day.year, day.month, day.day)


def narrow_fields(form: QFormLayout, width: int = FORM_WIDTH) -> None:
    """A form's single fields stay at most ``width`` px wide: names and amounts are short."""
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        widget = item.widget() if item is not None else None
        wide_open = widget is not None and widget.maximumWidth() >= QWIDGETSIZE_MAX
        if isinstance(widget, QLineEdit | QComboBox | QAbstractSpinBox) and wide_open:
            widget.setMaximumWidth(width)


def plain_table(headers: list[str], *, stretch: int | None = None, empty: str = "") -> QTableWidget:
    """A read-only table; ``stretch`` names the column that takes the spare width (default: last);
    ``empty`` is what the table says while it has no rows."""
    table = QTableWidget(0, len(headers))
    table.setProperty("stretch_column", len(headers) - 1 if stretch is None else stretch)
    if empty:
        empty_hint(table, empty)
    table.setHorizontalHeaderLabels([tr(h) for h in headers])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)  # one line per row: long text is elided, its tooltip shows it whole
    table.resizeColumnsToContents()  # while empty: each column as wide as its title, not 100 px
    return table


def size_columns(table: QTableView, stretch: int | None = None) -> None:
    """Columns fit their contents up to ``MAX_COLUMN`` px (longer text is elided, whole in its
    tooltip); the last one fills the rest, and a narrow window scrolls sideways rather than squeezing
    a column to "…". ``stretch`` (default: the table's own) gets whatever width is left over."""
    header = table.horizontalHeader()
    if stretch is None:
        prop = table.property("stretch_column")
        stretch = int(prop) if prop is not None else header.count() - 1
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    table.resizeColumnsToContents()
    for col in range(header.count()):
        if header.sectionSize(col) > MAX_COLUMN:
            header.resizeSection(col, MAX_COLUMN)
    last = header.count() - 1
    spare = table.viewport().width() - header.length()
    if table.isVisible() and spare > 0 and stretch != last:
        header.resizeSection(stretch, header.sectionSize(stretch) + spare)
    header.setStretchLastSection(False)  # resizing to contents undid the stretch: ask for it again
    header.setStretchLastSection(True)


def fit_columns(table: QTableView, samples: list[str]) -> None:
    """Column widths from the font: each fits its header and a typical value (``samples``, one per
    column), so nothing is clipped at 150 % scaling and no re-measuring happens per repaint."""
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    head_metrics = header.fontMetrics()
    model = table.model()
    for col, sample in enumerate(samples):
        title = str(model.headerData(col, Qt.Orientation.Horizontal)) if model is not None else ""
        width = max(metrics.horizontalAdvance(sample), head_metrics.horizontalAdvance(title) + SPACE_S)
        table.setColumnWidth(col, width + 2 * SPACE_M)


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            text = word(value)  # the wallet's own words (month, member, topup) in the user's language
            item = QTableWidgetItem(text)
            item.setToolTip(text if len(text) > 30 else "")
            table.setItem(r, c, item)
    size_columns(table)


class KeyDialog(QDialog):
    """Shows a new wallet key once, with a copy button; the wallet keeps only its hash."""

    def __init__(self, profile: str, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("New key for {profile}").format(profile=profile))
        self.key = key
        layout = QVBoxLayout(self)
        msg = QLabel(
            tr(
                "This is the key for <b>{profile}</b>. It is shown <b>only now</b>: the wallet keeps "
                "a hash, not the key. Copy it into your tool's settings (see Connect your tools)."
            ).format(profile=profile)
        )
        msg.setWordWrap(True)
        layout.addWidget(msg)
        row = QHBoxLayout()
        self.field = QLineEdit(key)
        self.field.setReadOnly(True)
        self.field.setMinimumWidth(420)
        self.copy_button = QPushButton(tr("Copy"))
        self.copy_button.clicked.connect(self.copy)
        row.addWidget(self.field)
        row.addWidget(self.copy_button)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.key)
        self.copy_button.setText(tr("Copied"))
