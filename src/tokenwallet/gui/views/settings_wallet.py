"""Settings → Where the wallet lives: this computer's file, or a PostgreSQL wallet shared by devices.

The same as ``tokenwallet wallet use URL`` / ``--file`` and ``wallet password``: the database is
reached (and the wallet created or upgraded in it) on a worker before the data folder points at
it, the password goes to the keychain, never into the URL or a file. The switch takes effect when
Token Wallet starts again (the open wallet, the meter and its holds stay where they are until then).
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.views.widgets import StatusLine
from tokenwallet.gui.workers import run_task
from tokenwallet.wallet import WalletError, backend

RESTART = QT_TR_NOOP("restart Token Wallet to switch")


class WalletPlaceBox(QGroupBox):
    """The "Where the wallet lives" group of the Settings page."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(tr("Where the wallet lives"), parent)
        self.session = session
        self.now = QLabel()
        self.now.setWordWrap(True)
        self.url = QLineEdit()
        self.url.setPlaceholderText(tr("postgresql://USER@HOST/DATABASE?sslmode=require (no password here)"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("the database password (kept in the keychain), if it needs one"))
        self.shared_button = QPushButton(tr("Use this shared wallet"))
        self.shared_button.clicked.connect(self.use_shared)
        self.file_button = QPushButton(tr("Use this computer's file"))
        self.file_button.clicked.connect(self.use_file)
        self.status = StatusLine()
        buttons = QHBoxLayout()
        buttons.addWidget(self.shared_button)
        buttons.addWidget(self.file_button)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow("", self.now)
        form.addRow(tr("Shared wallet"), self.url)
        form.addRow(tr("Password"), self.password)
        form.addRow("", buttons)
        form.addRow("", self.status)
        self.show_place()

    def show_place(self) -> None:
        url = backend.url_for(self.session.wallet_path)
        if url is None:
            self.now.setText(
                tr("This computer's file: {wallet_path}").format(wallet_path=self.session.wallet_path)
            )
            return
        how = tr(" (from TOKENWALLET_WALLET_URL or --wallet)") if os.environ.get(backend.ENV_URL) else ""
        self.now.setText(
            tr("A shared PostgreSQL wallet: {address}{how}").format(address=backend.redact(url), how=how)
        )

    def use_shared(self) -> None:
        try:
            url = backend.storable_url(self.url.text().strip())
        except WalletError as exc:
            self.status.error(str(exc))
            return
        password = self.password.text()
        self.password.clear()  # the password does not linger in the form
        data_dir = self.session.data_dir

        def reach() -> None:
            from tokenwallet.secrets import KeyringStore, check_key
            from tokenwallet.wallet.pgwallet import open_url

            store = KeyringStore(service=backend.PASSWORD_SERVICE)
            entry = backend.password_entry(url)
            if password:
                store.set(entry, check_key(password))
            try:
                open_url(url)
            except Exception:
                if password:
                    store.delete(entry)
                raise
            backend.use(data_dir, url)

        def done(_v: object) -> None:
            self.status.ok(
                tr("This computer now uses the shared wallet at {address}: {restart}.").format(
                    address=backend.redact(url), restart=tr(RESTART)
                )
            )

        self.status.ok(tr("Reaching the database…"))
        run_task(reach, done, lambda exc: self.status.error(tr("Not switched: {exc}").format(exc=exc)))

    def use_file(self) -> None:
        backend.use(self.session.data_dir, None)
        self.status.ok(
            tr("This computer uses its own wallet file again ({wallet_path}): {restart}.").format(
                wallet_path=self.session.wallet_path, restart=tr(RESTART)
            )
        )
