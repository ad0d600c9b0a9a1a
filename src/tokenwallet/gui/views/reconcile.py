"""Reconcile page: the provider's own figures against the wallet's, per UTC day and model.

A thin view over :mod:`tokenwallet.reconcile`: the fetch (network) or the CSV read runs on a
worker; the page shows the rows, the difference in red when it is more than half a cent, and
the likely cause. Admin keys are opt-in (``tokenwallet key set openai-admin`` …).

Signals:
    reconciled(object): a reconciliation was shown (carries the :class:`Reconciliation`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.gui import theme
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.theme import set_role
from tokenwallet.gui.views import reconcile_text
from tokenwallet.gui.views.billing_pin import guard_money_change
from tokenwallet.gui.views.fold_row import FoldingRow, bar
from tokenwallet.gui.views.widgets import StatusLine, fill_table, plain_table
from tokenwallet.gui.workers import run_task
from tokenwallet.reconcile import (
    PROVIDERS,
    FetchOptions,
    Reconciliation,
    admin_key_name,
    run_one,
    usd_short,
    usd_text,
)
from tokenwallet.reconcile.compare import TOLERANCE_NANO

HEADERS = [
    QT_TR_NOOP("Day (UTC)"),
    QT_TR_NOOP("Model"),
    QT_TR_NOOP("Provider"),
    QT_TR_NOOP("Metered"),
    QT_TR_NOOP("Imported"),
    QT_TR_NOOP("Difference"),
    QT_TR_NOOP("Likely cause"),
]
COL_DIFF = 5


class ReconcilePage(QWidget):
    """Provider and month on top, a compare button (API) and a CSV button, the table below."""

    reconciled = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.result: Reconciliation | None = None
        self.provider = QComboBox()
        self.provider.addItems(list(PROVIDERS))
        self.month = QLineEdit(datetime.now(UTC).strftime("%Y-%m"))
        self.month.setPlaceholderText("YYYY-MM")
        self.month.setMaximumWidth(100)
        self.compare = QPushButton(tr("Compare with provider"))
        self.compare.clicked.connect(self._run_api)
        self.from_csv = QPushButton(tr("Compare with a CSV export…"))
        self.from_csv.clicked.connect(self._pick_csv)
        self.only_diffs = QCheckBox(tr("Only rows that differ"))
        self.only_diffs.setChecked(True)
        self.only_diffs.toggled.connect(self._refill)
        self.summary = QLabel()
        set_role(self.summary, "title")
        self.summary.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        set_role(self.notes, "muted")
        self.status = StatusLine()
        self.table = plain_table(
            HEADERS,
            empty=tr("Pick a provider and a month, then Check: its bill and the wallet side by side."),
        )
        self.admin_key = QLineEdit()
        self.admin_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.admin_key.setPlaceholderText(tr("paste a read-only admin key for the provider above"))
        self.save_key = QPushButton(tr("Save admin key"))
        self.save_key.clicked.connect(self.store_admin_key)

        pick = bar(QLabel(tr("Provider")), self.provider, QLabel(tr("Month")), self.month)
        run = bar(self.compare, self.from_csv)  # beside the fields, or under them with large text
        hint = QLabel(
            tr(
                "Opt-in: the provider's figures come from its admin API with a read-only admin key kept in "
                "your keychain (<code>tokenwallet key set openai-admin</code>, <code>anthropic-admin</code>, "
                "<code>openrouter-admin</code>), or from its console's CSV export. Days are UTC days."
            )
        )
        hint.setWordWrap(True)
        keys = QHBoxLayout()
        keys.addWidget(QLabel(tr("Admin key")))
        keys.addWidget(self.admin_key, 1)
        keys.addWidget(self.save_key)
        layout = QVBoxLayout(self)
        layout.addWidget(FoldingRow([pick, run], stretches=(0, 1)))
        layout.addWidget(hint)
        layout.addLayout(keys)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.status)

    def run(self, csv_path: Path | None = None) -> None:
        """Reconcile the chosen provider and month on a worker; the result lands in the table."""
        provider = self.provider.currentText()
        month = self.month.text().strip() or None
        wallet = self.session.wallet
        url = str(wallet.get_setting(f"reconcile_{provider}_url"))
        opts = FetchOptions(url, float(wallet.get_setting("reconcile_timeout_s")))
        keys = self.session.keystore
        clock = getattr(wallet, "_clock", None)  # Wallet.open(clock=...) replays time in tests
        now = (clock() if callable(clock) else datetime.now(UTC)).astimezone(UTC)
        self.compare.setEnabled(False)
        self.from_csv.setEnabled(False)
        self.status.ok(
            tr("Asking the provider…")
            if csv_path is None
            else tr("Reading {name}…").format(name=csv_path.name)
        )
        run_task(
            lambda: run_one(
                self.session.wallet_path, provider, month, keys=keys, opts=opts, now=now, csv_path=csv_path
            ),
            self._show,
            self._failed,
        )

    def store_admin_key(self) -> None:
        """Put the pasted admin key in the keychain as ``<provider>-admin`` (owner PIN if any)."""
        from tokenwallet.secrets import check_key

        name = admin_key_name(self.provider.currentText())
        try:
            key = check_key(self.admin_key.text())
        except ValueError as exc:
            self.status.error(tr("Not saved: {exc}").format(exc=exc))
            return
        if not guard_money_change(self, self.session.wallet, tr("store a provider admin key")):
            return
        keystore = self.session.keystore
        self.admin_key.clear()

        def done(_: object) -> None:
            self.status.ok(
                tr("Saved the {name} key in {backend_name}.").format(
                    name=name, backend_name=keystore.backend_name()
                )
            )

        run_task(
            lambda: keystore.set(name, key),
            done,
            lambda e: self.status.error(tr("Not saved: {e}").format(e=e)),
        )

    def _run_api(self) -> None:  # clicked(bool) must not become a CSV path
        self.run()

    def _pick_csv(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("Provider's usage/cost export"), "", tr("CSV files (*.csv)")
        )
        if name:
            self.run(Path(name))

    def _failed(self, exc: BaseException) -> None:
        self.compare.setEnabled(True)
        self.from_csv.setEnabled(True)
        self.status.error(" ".join(str(exc).split()) or type(exc).__name__)

    def _show(self, rec: Reconciliation) -> None:
        self.compare.setEnabled(True)
        self.from_csv.setEnabled(True)
        self.result = rec
        self.summary.setText(reconcile_text.summary(rec, usd_short))
        self._refill()
        self.notes.setText("\n".join(tr("Note: {n}").format(n=reconcile_text.sentence(n)) for n in rec.notes))
        shown, total = self.table.rowCount(), len(rec.rows) + len(rec.totals)
        self.status.ok(
            tr("{total} row(s) compared, {shown} shown.").format(total=total, shown=shown)
            if total
            else tr("Nothing to compare in this period.")
        )
        self.reconciled.emit(rec)

    def _refill(self) -> None:
        """The rows (all, or only those more than half a cent apart); exact amounts in tooltips."""
        rec = self.result
        if rec is None:
            return
        lines: list[tuple[list[str], list[int | None]]] = [
            (
                [r.day.isoformat(), r.model],
                [r.provider_nano, r.metered_nano, r.imported_nano, r.difference_nano],
            )
            for r in rec.rows
        ] + [
            (
                [t.label, tr("(all models)")],
                [t.provider_nano, t.metered_nano, t.imported_nano, t.difference_nano],
            )
            for t in rec.totals
        ]
        causes = [[reconcile_text.sentence(c) for c in r.causes] for r in rec.rows] + [
            [reconcile_text.sentence(c) for c in t.causes] for t in rec.totals
        ]
        keep = [
            i for i, (_, money) in enumerate(lines)
            if not self.only_diffs.isChecked() or money[3] is None or abs(money[3]) >= TOLERANCE_NANO
        ]  # fmt: skip
        fill_table(
            self.table,
            [
                [*lines[i][0], *(usd_short(m, signed=c == 3) for c, m in enumerate(lines[i][1])),
                 tr("; ").join(causes[i])]
                for i in keep
            ],
        )  # fmt: skip
        for row, i in enumerate(keep):
            for c, nano in enumerate(lines[i][1]):
                item = self.table.item(row, 2 + c)
                if item is not None:
                    item.setToolTip(usd_text(nano, signed=c == 3))
            diff = lines[i][1][3]
            cell = self.table.item(row, COL_DIFF)
            if cell is not None and diff is not None and abs(diff) >= TOLERANCE_NANO:
                cell.setForeground(QBrush(QColor(theme.current().danger)))
            why = self.table.item(row, COL_DIFF + 1)
            if why is not None:
                why.setToolTip("\n".join(causes[i]))
