"""The clients page (freelancers): terms and caps, keys, a report for any range, invoices.

A client is a project with billing terms; calls made with its key (or tagged with
``X-Tokenwallet-Project``) land on it. Cap warnings name the cheaper model that would finish
the job within what is left. Reports run on a worker; invoices are numbered when issued.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.core import private
from tokenwallet.gui.theme import set_role
from tokenwallet.gui.views import billing_pin
from tokenwallet.gui.views.widgets import KeyDialog, StatusLine, date_field, fill_table, plain_table
from tokenwallet.gui.workers import run_task
from tokenwallet.paths import is_wallet_file

if TYPE_CHECKING:
    from tokenwallet.billing.clients import Client
    from tokenwallet.billing.invoice import ClientReport, Invoice
    from tokenwallet.gui.session import Session

CAP_PERIODS = ["month", "week", "day", "year", "engagement"]


class ClientsPage(QWidget):
    """Clients with their terms and caps; report and invoice for the selected one."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.key_dialog: KeyDialog | None = None
        self.report: ClientReport | None = None
        self.status = StatusLine()
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        set_role(self.warnings, "warn")
        self.table = plain_table(
            ["Client", "Markup", "Tax", "Currency", "Cap"], empty="No clients yet — add one below."
        )
        self.table.itemSelectionChanged.connect(self._selected)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.warnings)
        lv.addWidget(self.table, 1)
        lv.addWidget(self._form())
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self._report_box(), 1)
        rv.addWidget(self._issuer_box())
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        session.walletChanged.connect(self.reload)
        self.reload()

    # ---- building ------------------------------------------------------------------------------
    def _form(self) -> QGroupBox:
        box = QGroupBox("Client")
        form = QFormLayout(box)
        self.name = QLineEdit()
        self.name.setPlaceholderText("short name used by keys, e.g. acme")
        self.markup, self.tax = QLineEdit("0"), QLineEdit("0")
        self.currency, self.rate = QLineEdit("USD"), QLineEdit("1")
        self.rate.setToolTip("Invoice currency units per USD — you set it.")
        self.cap = QLineEdit()
        self.cap.setPlaceholderText("optional: 50, or 5M tokens")
        self.cap_period = QComboBox()
        self.cap_period.addItems(CAP_PERIODS)
        self.legal_name, self.email, self.tax_id = QLineEdit(), QLineEdit(), QLineEdit()
        self.address = QPlainTextEdit()
        self.address.setFixedHeight(54)
        for label, w in (
            ("Name", self.name),
            ("Markup %", self.markup),
            ("Tax %", self.tax),
            ("Currency", self.currency),
            ("Rate per USD", self.rate),
            ("Cap", self.cap),
            ("Cap period", self.cap_period),
            ("Legal name", self.legal_name),
            ("Address", self.address),
            ("Email", self.email),
            ("Tax ID", self.tax_id),
        ):
            form.addRow(label, w)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add client")
        self.add_button.clicked.connect(self.add_client)
        self.save_button = QPushButton("Save changes")
        self.save_button.clicked.connect(self.save_client)
        self.key_button = QPushButton("New key…")
        self.key_button.clicked.connect(self.new_key)
        for b in (self.add_button, self.save_button, self.key_button):
            row.addWidget(b)
        row.addStretch(1)
        form.addRow(row)
        return box

    def _report_box(self) -> QGroupBox:
        box = QGroupBox("Report and invoice")
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        today = QDate.currentDate()
        self.first = date_field(QDate(today.year(), today.month(), 1))
        self.last = date_field(today)
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.report_button = QPushButton("Show report")
        self.report_button.clicked.connect(self.show_report)
        self.invoice_button = QPushButton("Issue invoice…")
        self.invoice_button.clicked.connect(self._issue_clicked)
        for w in (QLabel("From"), self.first, QLabel("to"), self.last):
            row.addWidget(w)
        row.addStretch(1)
        v.addLayout(row)
        buttons = QHBoxLayout()  # on their own row: beside the dates they widen the page past 1024 px
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.invoice_button)
        buttons.addStretch(1)
        v.addLayout(buttons)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        v.addWidget(self.totals)
        self.by_model = plain_table(
            ["Model", "Provider", "Calls", "Tokens", "Amount"],
            stretch=0,
            empty="No calls for this client in this range.",
        )
        self.by_day = plain_table(
            ["Day", "Calls", "Tokens", "Cost (USD)"], empty="No calls for this client in this range."
        )
        v.addWidget(self.by_model, 1)
        v.addWidget(self.by_day, 1)
        return box

    def _issuer_box(self) -> QGroupBox:
        box = QGroupBox("Your details on invoices")
        form = QFormLayout(box)
        self.me_name, self.me_email, self.me_tax = QLineEdit(), QLineEdit(), QLineEdit()
        self.me_address = QPlainTextEdit()
        self.me_address.setFixedHeight(54)
        self.next_label = QLabel()
        save = QPushButton("Save my details")
        save.clicked.connect(self.save_issuer)
        for label, w in (
            ("Name", self.me_name),
            ("Address", self.me_address),
            ("Email", self.me_email),
            ("Tax ID", self.me_tax),
            ("Next invoice", self.next_label),
        ):
            form.addRow(label, w)
        form.addRow(save)
        return box

    # ---- reading -------------------------------------------------------------------------------
    def reload(self) -> None:
        from tokenwallet.billing import clients as cl
        from tokenwallet.billing.overview import cap_warnings

        wallet = self.session.wallet
        try:
            self.clients: list[Client] = cl.clients(wallet)
            me = cl.issuer(wallet)
        except Exception as exc:
            self.status.error(f"Could not read the clients: {exc}")
            return
        fill_table(self.table, [self._row(c) for c in self.clients])
        self.next_label.setText(f"{me.prefix}{me.next_number:04d}")
        if not self.me_name.text():
            self.me_name.setText(me.name)
            self.me_address.setPlainText(me.address)
            self.me_email.setText(me.email)
            self.me_tax.setText(me.tax_id)
        reader, data_dir = self.session.reader(), self.session.data_dir

        def work() -> list[str]:
            return [w.text for w in cap_warnings(reader, data_dir=data_dir, book=self.session.pricebook())]

        run_task(work, self._show_warnings)

    def _show_warnings(self, texts: object) -> None:
        self.warnings.setText("<br>".join(str(t) for t in texts) if isinstance(texts, list) else "")

    def _row(self, c: Client) -> list[str]:
        t = c.terms
        cap = "—"
        if c.cap is not None:
            per = "engagement" if c.cap.period == "none" else c.cap.period
            cap = f"{self.session.display.amount(c.cap.unit, c.cap.amount)}/{per} {c.cap.action}"
        return [c.name, f"{t.markup_pct:f} %", f"{t.tax_pct:f} %", f"{t.currency} {t.rate:f}", cap]

    def selected(self) -> str | None:
        items = self.table.selectedItems()
        if not items:
            return self.name.text().strip() or None
        item = self.table.item(items[0].row(), 0)
        return item.text() if item is not None else None

    def _selected(self) -> None:
        name = self.selected()
        found = [c for c in self.clients if c.name == name]
        if not found:
            return
        c = found[0]
        t = c.terms
        self.name.setText(c.name)
        self.markup.setText(f"{t.markup_pct:f}")
        self.tax.setText(f"{t.tax_pct:f}")
        self.currency.setText(t.currency)
        self.rate.setText(f"{t.rate:f}")
        self.legal_name.setText(c.legal_name)
        self.address.setPlainText(c.address)
        self.email.setText(c.email)
        self.tax_id.setText(c.tax_id)
        if c.cap is not None:
            from tokenwallet.core.money import format_amount

            self.cap.setText(format_amount(c.cap.unit, c.cap.amount).replace("$", "").replace(",", ""))
            self.cap_period.setCurrentText("engagement" if c.cap.period == "none" else c.cap.period)
        else:
            self.cap.clear()

    # ---- editing -------------------------------------------------------------------------------
    def _pin(self, action: str) -> tuple[bool, str | None]:
        """(go ahead, pin): no household → no PIN; otherwise the owner's PIN or a cancel."""
        from tokenwallet.billing.pin import household_exists

        if not household_exists(self.session.wallet):
            return True, None
        pin = billing_pin.asker(self, action)
        if pin is None:
            self.status.error("Cancelled: nothing changed.")
            return False, None
        return True, pin

    def _fields(self) -> dict[str, Any]:
        from tokenwallet.core.money import parse_amount

        cap = self.cap.text().strip()
        return {
            "markup": self.markup.text() or "0",
            "tax": self.tax.text() or "0",
            "currency": self.currency.text() or "USD",
            "rate": self.rate.text() or "1",
            "budget": parse_amount(cap) if cap else None,
            "period": self.cap_period.currentText(),
            "legal_name": self.legal_name.text().strip(),
            "address": self.address.toPlainText().strip(),
            "email": self.email.text().strip(),
            "tax_id": self.tax_id.text().strip(),
        }

    def add_client(self) -> None:
        from tokenwallet.billing import clients as cl

        name = self.name.text().strip()
        go, pin = self._pin(f"add client {name}")
        if not go:
            return
        try:
            cl.add_client(self.session.wallet, name, pin=pin, **self._fields())
        except Exception as exc:
            self.status.error(f"Not added: {exc}")
            return
        self.session.notify_changed()
        self.status.ok(f"Added client {name}. Give it a key with “New key…”.")

    def save_client(self) -> None:
        from tokenwallet.billing import clients as cl

        name = self.selected()
        if not name:
            self.status.error("Select a client first.")
            return
        go, pin = self._pin(f"change client {name}")
        if not go:
            return
        try:
            fields = self._fields()
            if fields["budget"] is None:
                fields.pop("budget")
                fields.pop("period")
            cl.set_client(self.session.wallet, name, pin=pin, **fields)
        except Exception as exc:
            self.status.error(f"Not saved: {exc}")
            return
        self.session.notify_changed()
        self.status.ok(f"Saved {name}.")

    def new_key(self) -> None:
        from tokenwallet.billing import clients as cl

        name = self.selected()
        if not name:
            self.status.error("Select a client first.")
            return
        go, pin = self._pin(f"make a key for client {name}")
        if not go:
            return
        try:
            who, key = cl.client_key(self.session.wallet, name, profile=self.session.profile, pin=pin)
        except Exception as exc:
            self.status.error(f"No key made: {exc}")
            return
        self.session.notify_changed()
        self.status.ok(f"A key for {name} (spent by {who}) is shown once.")
        self.key_dialog = KeyDialog(f"{who} → {name}", key, self)
        self.key_dialog.open()

    def save_issuer(self) -> None:
        from tokenwallet.billing import clients as cl

        try:
            cl.set_issuer(
                self.session.wallet,
                name=self.me_name.text(),
                address=self.me_address.toPlainText(),
                email=self.me_email.text(),
                tax_id=self.me_tax.text(),
            )
        except Exception as exc:
            self.status.error(f"Not saved: {exc}")
            return
        self.status.ok("Saved your details.")
        self.reload()

    # ---- report and invoice --------------------------------------------------------------------
    def _range(self) -> tuple[Any, Any]:
        from tokenwallet.gui.views.household import py_date

        return py_date(self.first.date()), py_date(self.last.date())

    def show_report(self) -> None:
        from tokenwallet.billing.invoice import client_report

        name = self.selected()
        if not name:
            self.status.error("Select a client first.")
            return
        first, last = self._range()
        reader = self.session.reader()
        run_task(
            lambda: client_report(reader, name, first, last),
            self._show_report,
            lambda exc: self.status.error(f"No report: {exc}"),
        )

    def _show_report(self, report: object) -> None:
        from tokenwallet.billing.invoice import ClientReport
        from tokenwallet.billing.rounding import format_minor

        assert isinstance(report, ClientReport)
        self.report = report
        t, cur = report.totals, report.totals.terms.currency

        def m(minor: int) -> str:
            return format_minor(minor, cur)

        self.totals.setText(
            f"<b>{report.client.name}</b>, {report.first} – {report.last}: {report.calls:,} calls, "
            f"{report.tokens:,} tokens — cost {m(t.cost_minor)}, markup {m(t.markup_minor)}, "
            f"tax {m(t.tax_minor)}, <b>total {m(t.total_minor)}</b>"
        )
        fill_table(
            self.by_model,
            [
                [x.model, x.provider, f"{x.calls:,}", f"{x.tokens:,}", m(a)]
                for x, a in zip(report.lines, t.line_minor, strict=True)
            ],
        )
        money = self.session.display
        fill_table(
            self.by_day,
            [
                [d.day.isoformat(), f"{d.calls:,}", f"{d.tokens:,}", money.money(d.cost_nano)]
                for d in report.days
            ],
        )

    def _issue_clicked(self) -> None:
        self.issue_invoice()

    def issue_invoice(self, pdf: Path | None = None, csv: Path | None = None) -> Invoice | None:
        """Number and store an invoice for the range; write the PDF and CSV (asks where unless given)."""
        from tokenwallet.billing.exports import invoice_csv
        from tokenwallet.billing.html import invoice_html
        from tokenwallet.billing.invoice import issue_invoice
        from tokenwallet.gui.pdf import write_pdf

        name = self.selected()
        if not name:
            self.status.error("Select a client first.")
            return None
        first, last = self._range()
        if pdf is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save invoice PDF", f"invoice-{name}.pdf", "PDF (*.pdf)"
            )
            if not chosen:
                return None
            pdf = Path(chosen)
            csv = pdf.with_suffix(".csv")
        try:
            if any(is_wallet_file(p, self.session.data_dir) for p in (pdf, csv) if p is not None):
                raise ValueError(f"{pdf} is the wallet's own file: save somewhere else")
            inv = issue_invoice(self.session.wallet, name, first, last)
            write_pdf(invoice_html(inv), pdf, title=f"Invoice {inv.number}")
            if csv is not None:
                private.write_text(csv, invoice_csv(inv))
        except Exception as exc:
            self.status.error(f"No invoice: {exc}")
            return None
        self.status.ok(f"Issued invoice {inv.number}: {pdf}" + (f" and {csv.name}" if csv else ""))
        self._show_report(inv.report)
        self.reload()
        return inv
