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
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.theme import set_role
from tokenwallet.gui.views import billing_pin
from tokenwallet.gui.views.widgets import (
    KeyDialog,
    StatusLine,
    date_field,
    fill_table,
    plain_table,
    wallet_today,
)
from tokenwallet.gui.words import word
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
            [tr("Client"), tr("Markup"), tr("Tax"), tr("Currency"), tr("Cap")],
            empty=tr("No clients yet — add one below."),
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
        box = QGroupBox(tr("Client"))
        form = QFormLayout(box)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("short name used by keys, e.g. acme"))
        self.markup, self.tax = QLineEdit("0"), QLineEdit("0")
        self.currency, self.rate = QLineEdit("USD"), QLineEdit("1")
        self.rate.setToolTip(tr("Invoice currency units per USD — you set it."))
        self.cap = QLineEdit()
        self.cap.setPlaceholderText(tr("optional: 50, or 5M tokens"))
        self.cap_period = QComboBox()
        for p in CAP_PERIODS:
            self.cap_period.addItem(word(p), p)
        self.legal_name, self.email, self.tax_id = QLineEdit(), QLineEdit(), QLineEdit()
        self.address = QPlainTextEdit()
        self.address.setFixedHeight(54)
        for label, w in (
            (tr("Name"), self.name),
            (tr("Markup %"), self.markup),
            (tr("Tax %"), self.tax),
            (tr("Currency"), self.currency),
            (tr("Rate per USD"), self.rate),
            (tr("Cap"), self.cap),
            (tr("Cap period"), self.cap_period),
            (tr("Legal name"), self.legal_name),
            (tr("Address"), self.address),
            (tr("Email"), self.email),
            (tr("Tax ID"), self.tax_id),
        ):
            form.addRow(label, w)
        row = QHBoxLayout()
        self.add_button = QPushButton(tr("Add client"))
        self.add_button.clicked.connect(self.add_client)
        self.save_button = QPushButton(tr("Save changes"))
        self.save_button.clicked.connect(self.save_client)
        self.key_button = QPushButton(tr("New key…"))
        self.key_button.clicked.connect(self.new_key)
        for b in (self.add_button, self.save_button, self.key_button):
            row.addWidget(b)
        row.addStretch(1)
        form.addRow(row)
        return box

    def _report_box(self) -> QGroupBox:
        box = QGroupBox(tr("Report and invoice"))
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        today = wallet_today(self.session.wallet)
        self.first = date_field(QDate(today.year(), today.month(), 1))
        self.last = date_field(today)
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.report_button = QPushButton(tr("Show report"))
        self.report_button.clicked.connect(self.show_report)
        self.invoice_button = QPushButton(tr("Issue invoice…"))
        self.invoice_button.clicked.connect(self._issue_clicked)
        for w in (QLabel(tr("From")), self.first, QLabel(tr("to")), self.last):
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
            [tr("Model"), tr("Provider"), tr("Calls"), tr("Tokens"), tr("Amount")],
            stretch=0,
            empty=tr("No calls for this client in this range."),
        )
        self.by_day = plain_table(
            [tr("Day"), tr("Calls"), tr("Tokens"), tr("Cost (USD)")],
            empty=tr("No calls for this client in this range."),
        )
        v.addWidget(self.by_model, 1)
        v.addWidget(self.by_day, 1)
        return box

    def _issuer_box(self) -> QGroupBox:
        box = QGroupBox(tr("Your details on invoices"))
        form = QFormLayout(box)
        self.me_name, self.me_email, self.me_tax = QLineEdit(), QLineEdit(), QLineEdit()
        self.me_address = QPlainTextEdit()
        self.me_address.setFixedHeight(54)
        self.next_label = QLabel()
        save = QPushButton(tr("Save my details"))
        save.clicked.connect(self.save_issuer)
        for label, w in (
            (tr("Name"), self.me_name),
            (tr("Address"), self.me_address),
            (tr("Email"), self.me_email),
            (tr("Tax ID"), self.me_tax),
            (tr("Next invoice"), self.next_label),
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
            self.status.error(tr("Could not read the clients: {exc}").format(exc=exc))
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
            cap = f"{self.session.display.amount(c.cap.unit, c.cap.amount)}/{word(per)} {word(c.cap.action)}"
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
            self.cap_period.setCurrentIndex(
                self.cap_period.findData("engagement" if c.cap.period == "none" else c.cap.period)
            )
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
            self.status.error(tr("Cancelled: nothing changed."))
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
            "period": str(self.cap_period.currentData()),
            "legal_name": self.legal_name.text().strip(),
            "address": self.address.toPlainText().strip(),
            "email": self.email.text().strip(),
            "tax_id": self.tax_id.text().strip(),
        }

    def add_client(self) -> None:
        from tokenwallet.billing import clients as cl

        name = self.name.text().strip()
        go, pin = self._pin(tr("add client {name}").format(name=name))
        if not go:
            return
        try:
            cl.add_client(self.session.wallet, name, pin=pin, **self._fields())
        except Exception as exc:
            self.status.error(tr("Not added: {exc}").format(exc=exc))
            return
        self.session.notify_changed()
        self.status.ok(tr("Added client {name}. Give it a key with “New key…”.").format(name=name))

    def save_client(self) -> None:
        from tokenwallet.billing import clients as cl

        name = self.selected()
        if not name:
            self.status.error(tr("Select a client first."))
            return
        go, pin = self._pin(tr("change client {name}").format(name=name))
        if not go:
            return
        try:
            fields = self._fields()
            if fields["budget"] is None:
                fields.pop("budget")
                fields.pop("period")
            cl.set_client(self.session.wallet, name, pin=pin, **fields)
        except Exception as exc:
            self.status.error(tr("Not saved: {exc}").format(exc=exc))
            return
        self.session.notify_changed()
        self.status.ok(tr("Saved {name}.").format(name=name))

    def new_key(self) -> None:
        from tokenwallet.billing import clients as cl

        name = self.selected()
        if not name:
            self.status.error(tr("Select a client first."))
            return
        go, pin = self._pin(tr("make a key for client {name}").format(name=name))
        if not go:
            return
        try:
            who, key = cl.client_key(self.session.wallet, name, profile=self.session.profile, pin=pin)
        except Exception as exc:
            self.status.error(tr("No key made: {exc}").format(exc=exc))
            return
        self.session.notify_changed()
        self.status.ok(tr("A key for {name} (spent by {who}) is shown once.").format(name=name, who=who))
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
            self.status.error(tr("Not saved: {exc}").format(exc=exc))
            return
        self.status.ok(tr("Saved your details."))
        self.reload()

    # ---- report and invoice --------------------------------------------------------------------
    def _range(self) -> tuple[Any, Any]:
        from tokenwallet.gui.views.household import py_date

        return py_date(self.first.date()), py_date(self.last.date())

    def show_report(self) -> None:
        from tokenwallet.billing.invoice import client_report

        name = self.selected()
        if not name:
            self.status.error(tr("Select a client first."))
            return
        first, last = self._range()
        reader = self.session.reader()
        run_task(
            lambda: client_report(reader, name, first, last),
            self._show_report,
            lambda exc: self.status.error(tr("No report: {exc}").format(exc=exc)),
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
            tr(
                "<b>{name}</b>, {first} – {last}: {calls:,} calls, {tokens:,} tokens — cost {m}, "
                "markup {m2}, tax {m3}, <b>total {m4}</b>"
            ).format(
                name=report.client.name,
                first=report.first,
                last=report.last,
                calls=report.calls,
                tokens=report.tokens,
                m=m(t.cost_minor),
                m2=m(t.markup_minor),
                m3=m(t.tax_minor),
                m4=m(t.total_minor),
            )
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
            self.status.error(tr("Select a client first."))
            return None
        first, last = self._range()
        if pdf is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, tr("Save invoice PDF"), f"invoice-{name}.pdf", tr("PDF (*.pdf)")
            )
            if not chosen:
                return None
            pdf = Path(chosen)
            csv = pdf.with_suffix(".csv")
        try:
            if any(is_wallet_file(p, self.session.data_dir) for p in (pdf, csv) if p is not None):
                raise ValueError(tr("{pdf} is the wallet's own file: save somewhere else").format(pdf=pdf))
            inv = issue_invoice(self.session.wallet, name, first, last)
            write_pdf(invoice_html(inv), pdf, title=tr("Invoice {number}").format(number=inv.number))
            if csv is not None:
                private.write_text(csv, invoice_csv(inv))
        except Exception as exc:
            self.status.error(tr("No invoice: {exc}").format(exc=exc))
            return None
        self.status.ok(
            tr("Issued invoice {number}: {pdf}").format(number=inv.number, pdf=pdf)
            + (tr(" and {name}").format(name=csv.name) if csv else "")
        )
        self._show_report(inv.report)
        self.reload()
        return inv
