"""Budgets (envelopes) and money movements: top-ups with expiry, transfers between envelopes.

Every form is read and checked completely before the wallet is touched, and each save is one
wallet call (one transaction): an edit is either saved whole or not at all.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.core.money import Amount, AmountError, nano_to_usd, parse_amount
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.views.budget_models import PER_MODEL, ModelScopeFields
from tokenwallet.gui.views.fold_row import FoldingRow
from tokenwallet.gui.views.widgets import (
    EditorTab,
    ScopeCombo,
    StatusLine,
    date_field,
    fill_table,
    plain_table,
)
from tokenwallet.gui.words import envelope_label, scope_key_text, word

PERIODS = ("month", "week", "day", "year", "none")
ACTIONS = ("warn", "downgrade", "block")


def parse_thresholds(text: str) -> tuple[int, ...]:
    """``"50, 80, 95"`` → ``(50, 80, 95)``; each between 1 and 100."""
    items = text.replace(",", " ").split()
    try:
        values = sorted({int(x.rstrip("%")) for x in items})
    except ValueError:
        raise ValueError(
            tr("thresholds are whole percentages like '50, 80, 95', not {text!r}").format(text=text)
        ) from None
    if any(not 1 <= v <= 100 for v in values):
        raise ValueError(tr("each threshold is a percentage between 1 and 100"))
    return tuple(values)


def read_amount(text: str, unit: str) -> Amount:
    """A positive amount from what the user typed, in the unit picked beside it."""
    if not text.strip():
        raise ValueError(tr("type an amount, e.g. 20 or 2M"))
    try:
        amount = parse_amount(text, default_unit="tokens" if unit == "tokens" else "usd")
    except AmountError as exc:
        raise ValueError(str(exc)) from None
    if amount.value <= 0:
        raise ValueError(tr("the amount must be more than zero"))
    return amount


class BudgetsTab(EditorTab):
    """Envelopes: amount in money or tokens, period, rollover, thresholds, limit action."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._envelopes: list[Any] = []
        self.table = plain_table(
            [tr("For"), tr("Amount"), tr("Period"), tr("Action"), tr("Rollover"), tr("Warn at")],
            empty=tr("No budgets yet — create one below."),
        )
        self.table.itemSelectionChanged.connect(self._selected)
        self.scope = ScopeCombo()
        self.models = ModelScopeFields()  # which models / provider, when "For" is one of those
        self.scope.currentIndexChanged.connect(
            lambda _i: self.models.show_kind(PER_MODEL.get(str(self.scope.currentData())))
        )
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(tr("20, $5.50, 2M tokens"))
        self.unit = QComboBox()
        self.unit.addItem(tr("money"), "usd")
        self.unit.addItem(tr("tokens"), "tokens")
        self.period = QComboBox()
        for p in PERIODS:
            self.period.addItem(tr("prepaid (no reset)") if p == "none" else word(p), p)
        self.action = QComboBox()
        for a, text in (
            ("warn", tr("warn only")),
            ("downgrade", tr("downgrade to a cheaper model")),
            ("block", tr("block (refuse calls)")),
        ):
            self.action.addItem(text, a)
        self.rollover = QCheckBox(tr("carry what is left into the next period"))
        self.thresholds = QLineEdit()
        self.save_button = QPushButton(tr("Save budget"))
        self.save_button.clicked.connect(self.save)
        self.remove_button = QPushButton(tr("Remove selected"))
        self.remove_button.clicked.connect(self.remove)
        self.status = StatusLine()

        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount, 1)
        amount_row.addWidget(self.unit)
        form = QFormLayout()
        form.addRow(tr("For"), self.scope)
        form.addRow(tr("Models"), self.models)
        form.addRow(tr("Amount"), amount_row)
        form.addRow(tr("Period"), self.period)
        form.addRow(tr("When over"), self.action)
        form.addRow("", self.rollover)
        form.addRow(tr("Warn at (%)"), self.thresholds)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box = QGroupBox(tr("Budget (one per scope and period; saving an existing one updates it)"))
        inner = QVBoxLayout(box)
        inner.addLayout(form)
        inner.addLayout(buttons)
        inner.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(box)
        session.walletChanged.connect(self.wallet_changed)
        session.displayChanged.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        wallet = self.session.wallet
        self.scope.reload(wallet, models=True)
        self.models.reload(wallet)
        if not self.thresholds.text():
            self.thresholds.setText(", ".join(str(t) for t in wallet.get_setting("default_thresholds")))
        self._envelopes = list(wallet.envelopes())
        d = self.session.display
        rows = [
            [
                scope_key_text(e.scope),
                d.amount(e.unit, e.amount),
                "prepaid" if e.period == "none" else e.period,
                e.action,
                "yes" if e.rollover else "no",
                ", ".join(f"{t} %" for t in e.thresholds),
            ]
            for e in self._envelopes
        ]
        fill_table(self.table, rows)

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        env = self._envelopes[rows[0].row()]
        if env.scope.per_model:
            self.scope.select(f"{env.scope.kind}:")
            self.models.select(env.scope)
        else:
            self.scope.select(str(env.scope))
        self.unit.setCurrentIndex(self.unit.findData(env.unit))
        self.amount.setText(
            f"{nano_to_usd(env.amount).normalize():f}" if env.unit == "usd" else str(env.amount)
        )
        self.period.setCurrentIndex(self.period.findData(env.period))
        self.action.setCurrentIndex(self.action.findData(env.action))
        self.rollover.setChecked(env.rollover)
        self.thresholds.setText(", ".join(str(t) for t in env.thresholds))

    def save(self) -> None:
        try:
            kind = PER_MODEL.get(str(self.scope.currentData()))
            scope = self.models.scope(kind) if kind else self.scope.scope()
            amount = read_amount(self.amount.text(), str(self.unit.currentData()))
            thresholds = parse_thresholds(self.thresholds.text())
            period = str(self.period.currentData())
            if self.rollover.isChecked() and period == "none":
                raise ValueError(tr("a prepaid budget never resets, so there is nothing to roll over"))
        except ValueError as exc:
            self.status.error(tr("Not saved: {exc}").format(exc=exc))
            return
        action = str(self.action.currentData())
        done = self.apply_edit(
            self.status,
            tr("change a budget"),
            tr("Not saved"),
            lambda: self.session.wallet.set_budget(
                scope,
                amount,
                period=period,
                action=action,
                rollover=self.rollover.isChecked(),
                thresholds=thresholds,
            ),
        )
        if done is None:
            return
        env = done.value
        self.status.ok(
            tr(
                "Saved: {scope} gets {amount} per {value}, {action} when over. The proxy applies it "
                "to the next call."
            ).format(
                scope=env.scope,
                amount=self.session.display.amount(env.unit, env.amount),
                value=tr("prepaid balance") if env.period == "none" else env.period,
                action=env.action,
            )
        )

    def remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.status.error(tr("Select the budget to remove."))
            return
        env = self._envelopes[rows[0].row()]
        wallet = self.session.wallet
        if (
            self.apply_edit(
                self.status, tr("remove a budget"), tr("Not removed"), lambda: wallet.remove_budget(env.id)
            )
            is None
        ):
            return
        self.status.ok(
            tr("Removed the {period} budget of {scope}.").format(period=env.period, scope=env.scope)
        )


class MoneyTab(EditorTab):
    """Top-ups (with an optional expiry) and transfers between envelopes."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.top_scope = ScopeCombo()
        self.top_amount = QLineEdit()
        self.top_amount.setPlaceholderText(tr("10, $25, 1M tokens"))
        self.top_expires = QCheckBox(tr("expires on"))
        self.top_date = date_field(QDate.currentDate().addMonths(3))
        self.top_date.setCalendarPopup(True)
        self.top_date.setDisplayFormat("yyyy-MM-dd")
        self.top_date.setEnabled(False)
        self.top_expires.toggled.connect(self.top_date.setEnabled)
        self.top_note = QLineEdit()
        self.top_note.setPlaceholderText(tr("e.g. client prepaid 3 months"))
        self.top_button = QPushButton(tr("Add top-up"))
        self.top_button.clicked.connect(self.topup)
        self.top_status = StatusLine()
        expiry = QHBoxLayout()
        expiry.addWidget(self.top_expires)
        expiry.addWidget(self.top_date)
        expiry.addStretch(1)
        top_form = QFormLayout()
        top_form.addRow(tr("To"), self.top_scope)
        top_form.addRow(tr("Amount"), self.top_amount)
        top_form.addRow(tr("Expiry"), expiry)
        top_form.addRow(tr("Note"), self.top_note)
        top_box = QGroupBox(tr("Top up (adds to the budget of that scope)"))
        top_inner = QVBoxLayout(top_box)
        top_inner.addLayout(top_form)
        top_inner.addWidget(self.top_button)
        top_inner.addWidget(self.top_status)

        self.src = ScopeCombo()
        self.dst = ScopeCombo()
        self.move_amount = QLineEdit()
        self.move_amount.setPlaceholderText(tr("5, 500k tokens"))
        self.src.currentIndexChanged.connect(lambda _i: self._apart())
        self.move_button = QPushButton(tr("Transfer"))
        self.move_button.clicked.connect(self.transfer)
        self.move_status = StatusLine()
        move_form = QFormLayout()
        move_form.addRow(tr("From"), self.src)
        move_form.addRow(tr("To"), self.dst)
        move_form.addRow(tr("Amount"), self.move_amount)
        move_box = QGroupBox(tr("Transfer between budgets (all or nothing)"))
        move_inner = QVBoxLayout(move_box)
        move_inner.addLayout(move_form)
        move_inner.addWidget(self.move_button)
        move_inner.addWidget(self.move_status)

        self.movements = plain_table(
            [tr("When"), tr("Budget"), tr("Movement"), tr("Amount"), tr("Expires"), tr("Note")],
            empty=tr("No top-ups or transfers yet."),
        )
        layout = QVBoxLayout(self)
        layout.addWidget(FoldingRow([top_box, move_box]))
        layout.addWidget(
            QLabel(tr("Recent movements (assignments, top-ups, transfers, rollovers, expiries)"))
        )
        layout.addWidget(self.movements, 1)
        session.walletChanged.connect(self.wallet_changed)
        self.reload()

    def reload(self) -> None:
        wallet = self.session.wallet
        for combo in (self.top_scope, self.src, self.dst):
            combo.reload(wallet)
        self._apart()
        d = self.session.display
        rows: list[tuple[datetime, list[str]]] = []
        for env in wallet.envelopes():
            for m in wallet.movements(env.id, limit=50):
                expires = m.expires_at.astimezone().strftime("%Y-%m-%d") if m.expires_at else ""
                rows.append(
                    (
                        m.at,
                        [
                            m.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                            envelope_label(env),
                            m.kind,
                            d.amount(env.unit, m.amount),
                            expires,
                            m.note,
                        ],
                    )
                )
        rows.sort(key=lambda r: r[0], reverse=True)
        fill_table(self.movements, [r for _, r in rows[:200]])

    def _apart(self) -> None:
        """To never starts equal to From: a transfer to itself is never what anyone means."""
        if self.dst.count() > 1 and self.dst.currentIndex() == self.src.currentIndex():
            self.dst.setCurrentIndex(1 if self.src.currentIndex() == 0 else 0)

    def topup(self) -> None:
        try:
            scope = self.top_scope.scope()
            amount = read_amount(self.top_amount.text(), "usd")
            expires: datetime | None = None
            if self.top_expires.isChecked():
                qd = self.top_date.date()
                day = date(qd.year(), qd.month(), qd.day())
                expires = datetime.combine(day, time(23, 59, 59)).astimezone().astimezone(UTC)
                if expires <= datetime.now(UTC):
                    raise ValueError(tr("the expiry date is in the past"))
        except ValueError as exc:
            self.top_status.error(tr("Not added: {exc}").format(exc=exc))
            return
        note = self.top_note.text().strip()
        wallet = self.session.wallet
        if (
            self.apply_edit(
                self.top_status,
                tr("add a top-up"),
                tr("Not added"),
                lambda: wallet.topup(scope, amount, expires_at=expires, note=note),
            )
            is None
        ):
            return
        self.top_amount.clear()
        until = (
            tr(", usable until {day}").format(day=expires.astimezone().date().isoformat()) if expires else ""
        )
        self.top_status.ok(
            tr("Added {amount} to {scope}{until}.").format(
                amount=self.session.display.amount(amount.unit, amount.value), scope=scope, until=until
            )
        )

    def transfer(self) -> None:
        try:
            src, dst = self.src.scope(), self.dst.scope()
            if src == dst:
                raise ValueError(tr("pick two different budgets"))
            amount = read_amount(self.move_amount.text(), "usd")
        except ValueError as exc:
            self.move_status.error(tr("Not moved: {exc}").format(exc=exc))
            return
        wallet = self.session.wallet
        moved = lambda: wallet.transfer(src, dst, amount)  # noqa: E731 - reads better than a def here
        if (
            self.apply_edit(self.move_status, tr("move money between budgets"), tr("Not moved"), moved)
            is None
        ):
            return
        self.move_amount.clear()
        self.move_status.ok(
            tr("Moved {amount} from {src} to {dst}.").format(
                amount=self.session.display.amount(amount.unit, amount.value), src=src, dst=dst
            )
        )
