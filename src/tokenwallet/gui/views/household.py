"""The household page: every member's balance, burn rate and forecast; the owner's actions.

Reading needs nothing; every action that changes money asks for the owner PIN
(:mod:`tokenwallet.gui.views.billing_pin`) and a wrong PIN changes nothing. When a member's
call is refused, the page says so (the main window also raises a tray notice).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.core import private
from tokenwallet.core.events import CallRefused, Event
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.theme import set_role
from tokenwallet.gui.views import billing_pin
from tokenwallet.gui.views.fold_row import FoldingRow, bar
from tokenwallet.gui.views.household_text import member_forecast
from tokenwallet.gui.views.widgets import (
    KeyDialog,
    StatusLine,
    date_field,
    fill_table,
    narrow_fields,
    plain_table,
    wallet_today,
)
from tokenwallet.gui.words import pin_hint, weak_pin_note, word
from tokenwallet.gui.workers import run_task
from tokenwallet.paths import is_wallet_file

if TYPE_CHECKING:
    from tokenwallet.billing.overview import MemberSummary
    from tokenwallet.gui.session import Session

COLUMNS = [
    QT_TR_NOOP("Member"),
    QT_TR_NOOP("Kind"),
    QT_TR_NOOP("Allowance"),
    QT_TR_NOOP("Spent"),
    QT_TR_NOOP("Left"),
    QT_TR_NOOP("Per day"),
    QT_TR_NOOP("Forecast"),
    QT_TR_NOOP("Cheaper choice"),
    QT_TR_NOOP("May call"),
]


class HouseholdPage(QWidget):
    """Members at a glance, and the owner's tools (each behind the PIN)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: list[MemberSummary] = []
        self.key_dialog: KeyDialog | None = None
        self.refusals: list[str] = []
        self.loopholes: list[str] = []
        self.status = StatusLine()
        layout = QVBoxLayout(self)
        self.setup_box = self._setup_box()
        layout.addWidget(self.setup_box)
        self.table = plain_table(
            COLUMNS, stretch=6, empty=tr("No members yet — add one under Add a member below.")
        )
        layout.addWidget(self.table, 1)
        self.refused_label = QLabel()
        self.refused_label.setWordWrap(True)
        set_role(self.refused_label, "danger")
        layout.addWidget(self.refused_label)
        self.actions_box = self._actions_box()
        layout.addWidget(self.actions_box)
        layout.addWidget(self.status)
        session.walletChanged.connect(self.reload)
        session.bridge.coreEvent.connect(self._on_event)
        self.reload()

    # ---- building ------------------------------------------------------------------------------
    def _setup_box(self) -> QGroupBox:
        box = QGroupBox(tr("Start a household"))
        form = QFormLayout(box)
        self.owner_name = QLineEdit()
        self.owner_name.setPlaceholderText(tr("the owner's profile, e.g. mum"))
        self.new_pin = QLineEdit()
        self.new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin.setPlaceholderText(tr("a PIN or a passphrase"))
        self.new_pin2 = QLineEdit()
        self.new_pin2.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_hint = QLabel(pin_hint())
        self.pin_hint.setWordWrap(True)
        self.init_button = QPushButton(tr("Create household"))
        self.init_button.clicked.connect(self.create_household)
        form.addRow(tr("Owner"), self.owner_name)
        form.addRow(tr("Owner PIN or passphrase"), self.new_pin)
        form.addRow(tr("Repeat it"), self.new_pin2)
        form.addRow(self.pin_hint)
        form.addRow(self.init_button)
        return box

    def _actions_box(self) -> QGroupBox:
        """One tab per job, each with only the fields it uses (the owner PIN is asked for each)."""
        box = QGroupBox(tr("Owner actions (the owner PIN is asked for each)"))
        self.buttons: dict[str, QPushButton] = {}

        def button(key: str, label: str, slot: Any) -> QPushButton:
            b = QPushButton(label)
            b.clicked.connect(slot)
            self.buttons[key] = b
            return b

        def row(*widgets: QWidget) -> QHBoxLayout:
            line = QHBoxLayout()
            for w in widgets:
                line.addWidget(w)
            line.addStretch(1)
            return line

        self.member = QComboBox()
        self.member.setMinimumWidth(160)
        self.member.currentIndexChanged.connect(lambda _i: self._apart())
        self.other = QComboBox()
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("new member's name"))
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(tr("5, $2.50 or 2M tokens"))
        self.new_amount = QLineEdit()
        self.new_amount.setPlaceholderText(tr("their allowance: 5, $2.50 or 2M tokens"))
        self.allowance = QLineEdit()
        self.allowance.setPlaceholderText(tr("5, $2.50 or 2M tokens"))
        self.period = QComboBox()
        for p in ("week", "day", "month"):
            self.period.addItem(word(p), p)
        self.new_period = QComboBox()
        for p in ("week", "day", "month"):
            self.new_period.addItem(word(p), p)
        self.adult = QCheckBox(tr("adult (a warning at the limit instead of a hard stop)"))
        self.rollover = QCheckBox(tr("carry what is left into the next period"))
        self.expires_on = QCheckBox(tr("one-off bonus that lapses after"))
        today = wallet_today(self.session.wallet)
        self.expires = date_field(today.addMonths(1))
        self.month = date_field(today)
        self.month.setDisplayFormat("yyyy-MM")
        self.models = QLineEdit()
        self.models.setPlaceholderText(tr("tier:small gpt-4o-mini … (* for any model)"))

        money = QWidget()
        f = QFormLayout(money)
        f.addRow(tr("Amount"), self.amount)
        f.addRow("", row(self.expires_on, self.expires))
        f.addRow("", row(button("topup", tr("Top up / bonus"), self.topup)))
        f.addRow(tr("Move it to"), row(self.other, button("transfer", tr("Transfer"), self.transfer)))
        allowance = QWidget()
        f = QFormLayout(allowance)
        f.addRow(tr("Allowance"), self.allowance)
        f.addRow(tr("Per"), self.period)
        f.addRow("", row(button("allowance", tr("Set allowance"), self.set_allowance)))
        access = QWidget()
        f = QFormLayout(access)
        f.addRow(tr("May call"), self.models)
        f.addRow("", row(button("models", tr("Set models"), self.set_models)))
        f.addRow(
            tr("Access"),
            row(
                button("pause", tr("Pause / resume"), self.toggle_pause),
                button("key", tr("New key…"), self.new_key),
            ),
        )
        add = QWidget()
        f = QFormLayout(add)
        f.addRow(tr("Name"), self.name)
        f.addRow(tr("Allowance"), self.new_amount)
        f.addRow(tr("Per"), self.new_period)
        f.addRow("", self.adult)
        f.addRow("", self.rollover)
        f.addRow("", row(button("add", tr("Add member"), self.add_member)))
        for page in (money, allowance, access, add):
            form = page.layout()
            if isinstance(form, QFormLayout):
                narrow_fields(form, 320)
        self.action_tabs = QTabWidget()
        self.action_tabs.addTab(money, tr("Top up or move money"))
        self.action_tabs.addTab(allowance, tr("Allowance"))
        self.action_tabs.addTab(access, tr("Models and key"))
        self.action_tabs.addTab(add, tr("Add a member"))
        self.csv_button = QPushButton(tr("Statement CSV…"))
        self.csv_button.clicked.connect(lambda: self.export_statement("csv"))
        self.pdf_button = QPushButton(tr("Statement PDF…"))
        self.pdf_button.clicked.connect(lambda: self.export_statement("pdf"))
        outer = QVBoxLayout(box)
        outer.addLayout(row(QLabel(tr("Member")), self.member))
        outer.addWidget(self.action_tabs)
        statement = bar(QLabel(tr("Statement for")), self.month, self.csv_button, self.pdf_button)
        pin = bar(button("pin", tr("Change owner PIN…"), self.change_pin))  # under them with large text
        outer.addWidget(FoldingRow([statement, pin], stretches=(0, 1)))
        return box

    # ---- reading -------------------------------------------------------------------------------
    def reload(self) -> None:
        from tokenwallet.billing.pin import household_exists

        has = household_exists(self.session.wallet)
        self.setup_box.setVisible(not has)
        self.actions_box.setEnabled(has)
        if not has:
            fill_table(self.table, [])
            return
        wallet, data_dir = self.session.reader(), self.session.data_dir

        def work() -> tuple[list[MemberSummary], dict[str, str], Any]:
            from tokenwallet.billing.household import loopholes
            from tokenwallet.billing.overview import household_overview

            rows = household_overview(wallet, data_dir=data_dir, book=self.session.pricebook())
            # read here, off the GUI thread: the window may be closing when the answer arrives
            return rows, {r.member.name: may_call(wallet, r.member.name) for r in rows}, loopholes(wallet)

        run_task(
            work,
            self._show,
            lambda exc: self.status.error(tr("Could not read the household: {exc}").format(exc=exc)),
        )

    def _show(self, result: object) -> None:
        rows, may_calls, holes = cast(
            "tuple[list[MemberSummary], dict[str, str], Any]", result
        )  # what work() returns
        self.rows = list(rows)
        display = self.session.display
        table_rows = []
        now = datetime.now(UTC)
        for r in self.rows:
            st = r.status
            kind = "paused" if r.member.paused else r.member.kind
            better = f"{r.suggestion.model} (−{r.suggestion.saving_pct} %)" if r.suggestion else ""
            may = may_calls.get(r.member.name, "")
            if st is None:
                table_rows.append(
                    [r.member.name, kind, "—", "—", "—", "—", member_forecast(r, display, now), better, may]
                )
                continue
            e = st.envelope
            allowance = f"{display.amount(e.unit, e.amount)}/{word(e.period)}" + (
                tr(" hard") if e.action == "block" else ""
            )
            table_rows.append(
                [
                    r.member.name,
                    kind,
                    allowance,
                    display.amount(e.unit, st.spent),
                    display.amount(e.unit, st.available),
                    display.amount(e.unit, r.burn_per_day),
                    member_forecast(r, display, now),
                    better,
                    may,
                ]
            )
        fill_table(self.table, table_rows)
        self.loopholes = holes
        self._show_notes()
        names = [r.member.name for r in self.rows if not r.member.is_owner]
        for combo in (self.member, self.other):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            if current in names:
                combo.setCurrentText(current)
            combo.blockSignals(False)
        self._apart()

    def _apart(self) -> None:
        """ "Move it to" never starts on the member the money comes from."""
        if self.other.count() > 1 and self.other.currentText() == self.member.currentText():
            self.other.setCurrentIndex(1 if self.member.currentIndex() == 0 else 0)

    def set_models(self) -> None:
        from tokenwallet.billing.member_models import set_member_models

        name = self.member.currentText()
        patterns = self.models.text().replace(",", " ").split()
        self._run(
            tr("change which models {name} may call").format(name=name),
            lambda pin: set_member_models(self.session.wallet, name, patterns, pin=pin),
            tr("{name} may now call: {models}.").format(name=name, models=" ".join(patterns)),
        )

    def _on_event(self, ev: Event) -> None:
        if isinstance(ev, CallRefused) and any(r.member.name == ev.profile for r in self.rows):
            line = tr("{profile}'s call to {model} was refused: {reason}").format(
                profile=ev.profile, model=ev.model, reason=ev.reason
            )
            self.refusals = [line, *self.refusals][:3]
            self._show_notes()

    def _show_notes(self) -> None:
        """Settings that let members around their allowance, then the latest refused calls."""
        self.refused_label.setText("<br>".join([*self.loopholes, *self.refusals]))

    # ---- acting --------------------------------------------------------------------------------
    def _ask(self, action: str) -> str | None:
        pin = billing_pin.asker(self, action)
        if pin is None:
            self.status.error(tr("Cancelled: nothing changed."))
        return pin

    def _done(self, text: str) -> None:
        self.session.notify_changed()
        self.status.ok(text)
        self.reload()

    def _amount(self, field: QLineEdit | None = None) -> Any:
        from tokenwallet.core.money import parse_amount

        return parse_amount((field or self.amount).text())

    def _run(self, action: str, fn: Any, ok: str) -> Any:
        """Ask the PIN, run ``fn(pin)``; any refusal (wrong PIN, bad input) shows and changes nothing."""
        pin = self._ask(action)
        if pin is None:
            return None
        try:
            result = fn(pin)
        except Exception as exc:
            self.status.error(tr("Nothing changed: {exc}").format(exc=exc))
            return None
        self._done(ok)
        return result

    def create_household(self) -> None:
        from tokenwallet.billing import household as hh

        if self.new_pin.text() != self.new_pin2.text():
            self.status.error(tr("The two PINs differ."))
            return
        pin = self.new_pin.text()
        try:
            _, key = hh.init_household(self.session.wallet, self.owner_name.text().strip(), pin)
        except Exception as exc:
            self.status.error(tr("Not created: {exc}").format(exc=exc))
            return
        self.new_pin.clear()
        self.new_pin2.clear()
        self._done(tr("Household created. Money changes now need the owner PIN.") + _weak_note(pin))
        if key:
            self._show_key(self.owner_name.text().strip(), key)

    def _show_key(self, name: str, key: str) -> None:
        self.session.revealed_keys[name] = key
        self.key_dialog = KeyDialog(name, key, self)
        self.key_dialog.open()

    def add_member(self) -> None:
        from tokenwallet.billing import household as hh

        name = self.name.text().strip()
        try:
            amount = self._amount(self.new_amount)
        except Exception as exc:
            self.status.error(str(exc))
            return
        kind = "adult" if self.adult.isChecked() else "child"
        result = self._run(
            tr("add {name}").format(name=name),
            lambda pin: hh.add_member(
                self.session.wallet,
                name,
                amount,
                pin=pin,
                period=str(self.new_period.currentData()),
                kind=kind,
                rollover=self.rollover.isChecked(),
            ),
            tr("Added {name}. Their key is shown once — put it in their tools.").format(name=name),
        )
        if result is not None:
            self._show_key(name, result[1])

    def topup(self) -> None:
        from tokenwallet.billing import household as hh
        from tokenwallet.billing.ledger import wallet_zone

        name = self.member.currentText()
        try:
            amount = self._amount()
        except Exception as exc:
            self.status.error(str(exc))
            return
        expires = None
        if self.expires_on.isChecked():
            # the bonus lasts through the chosen day: it lapses at the next local midnight
            day = py_date(self.expires.date()) + timedelta(days=1)
            expires = datetime.combine(day, time(0), tzinfo=wallet_zone(self.session.wallet))
        what = tr("bonus") if expires else tr("top-up")
        self._run(
            tr("give {name} a {what}").format(name=name, what=what),
            lambda pin: hh.topup_member(self.session.wallet, name, amount, pin=pin, expires_at=expires),
            tr("Gave {name} a {what} of {amount}.").format(name=name, what=what, amount=amount),
        )

    def set_allowance(self) -> None:
        from tokenwallet.billing import household as hh

        name = self.member.currentText()
        try:
            amount = self._amount(self.allowance)
        except Exception as exc:
            self.status.error(str(exc))
            return
        self._run(
            tr("change the allowance of {name}").format(name=name),
            lambda pin: hh.set_allowance(
                self.session.wallet, name, amount, pin=pin, period=str(self.period.currentData())
            ),
            tr("{name}'s allowance is now {amount} per {period}.").format(
                name=name, amount=amount, period=self.period.currentText()
            ),
        )

    def transfer(self) -> None:
        from tokenwallet.billing import household as hh

        src, dst = self.member.currentText(), self.other.currentText()
        try:
            amount = self._amount()
        except Exception as exc:
            self.status.error(str(exc))
            return
        self._run(
            tr("move {amount} from {src} to {dst}").format(amount=amount, src=src, dst=dst),
            lambda pin: hh.transfer(self.session.wallet, src, dst, amount, pin=pin),
            tr("Moved {amount} from {src} to {dst}.").format(amount=amount, src=src, dst=dst),
        )

    def toggle_pause(self) -> None:
        from tokenwallet.billing import household as hh

        name = self.member.currentText()
        paused = not self.session.wallet.profile(name).paused
        self._run(
            f"{'pause' if paused else 'resume'} {name}",
            lambda pin: hh.pause_member(self.session.wallet, name, paused, pin=pin),
            tr("{name} is {value}.").format(name=name, value=tr("paused") if paused else tr("active again")),
        )

    def new_key(self) -> None:
        from tokenwallet.billing import household as hh

        name = self.member.currentText()
        key = self._run(
            tr("make a new key for {name}").format(name=name),
            lambda pin: hh.new_member_key(self.session.wallet, name, pin=pin),
            tr("A new key for {name} is shown once.").format(name=name),
        )
        if key:
            self._show_key(name, key)

    def change_pin(self, new_pin: str | None = None) -> None:
        """Ask the current PIN (like every owner action), then the new one twice."""
        from tokenwallet.billing.pin import change_pin

        old = self._ask(tr("change the owner PIN"))
        if old is None:
            return
        if new_pin is None:
            dlg = billing_pin.PinDialog(tr("choose the new owner PIN"), confirm=True, parent=self)
            if dlg.exec() != billing_pin.PinDialog.DialogCode.Accepted:
                self.status.error(tr("Cancelled: nothing changed."))
                return
            new_pin = dlg.value()
        try:
            change_pin(self.session.wallet, old, new_pin)
        except Exception as exc:
            self.status.error(tr("Nothing changed: {exc}").format(exc=exc))
            return
        self.status.ok(tr("The owner PIN is changed.") + _weak_note(new_pin))

    def export_statement(self, kind: str, path: Path | None = None) -> Path | None:
        """Write the selected member's statement for the chosen month (asks where unless ``path``)."""
        from tokenwallet.billing.statement import member_statement, statement_csv

        name = self.member.currentText()
        if not name:
            self.status.error(tr("Pick a member first."))
            return None
        d = py_date(self.month.date())
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, tr("Save statement"), f"{name}-{d:%Y-%m}.{kind}", f"{kind.upper()} (*.{kind})"
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            if is_wallet_file(path, self.session.data_dir):
                raise ValueError(tr("{path} is the wallet's own file: save somewhere else").format(path=path))
            st = member_statement(self.session.wallet, name, d.year, d.month, book=self.session.pricebook())
            if kind == "csv":
                private.write_text(path, statement_csv(st))
            else:
                from tokenwallet.billing.html import statement_html
                from tokenwallet.gui.pdf import write_pdf

                write_pdf(
                    statement_html(st), path, title=tr("Statement {name} {d:%Y-%m}").format(name=name, d=d)
                )
        except Exception as exc:
            self.status.error(tr("Could not write the statement: {exc}").format(exc=exc))
            return None
        self.status.ok(tr("Wrote {path}.").format(path=path))
        return path


def _weak_note(pin: str) -> str:
    from tokenwallet.billing.pin import is_weak

    return tr(" Note: {note}.").format(note=weak_pin_note()) if is_weak(pin) else ""


def py_date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def may_call(wallet: Any, name: str) -> str:
    """A member's model rules in a few words (a child's default says so)."""
    rules = wallet.model_rules(name)
    return str(rules.describe()) + (tr(" (default)") if rules.source == "household" else "")
