"""Settings → Where the wallet lives: this computer's file, or a PostgreSQL wallet shared by devices.

The same as ``tokenwallet wallet use URL`` / ``--file`` and ``wallet password``: the database is
reached (and the wallet created or upgraded in it) on a worker before the data folder points at
it, the password goes to the keychain, never into the URL or a file. The switch takes effect when
Token Wallet starts again (the open wallet, the meter and its holds stay where they are until then).
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from tokenwallet.gui.session import Session
from tokenwallet.gui.views.widgets import StatusLine
from tokenwallet.gui.workers import run_task
from tokenwallet.wallet import WalletError, backend

RESTART = "restart Token Wallet to switch"


class WalletPlaceBox(QGroupBox):
    """The "Where the wallet lives" group of the Settings page."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Where the wallet lives", parent)
        self.session = session
        self.now = QLabel()
        self.now.setWordWrap(True)
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://USER@HOST/DATABASE?sslmode=require (no password here)")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("the database password (kept in the keychain), if it needs one")
        self.shared_button = QPushButton("Use this shared wallet")
        self.shared_button.clicked.connect(self.use_shared)
        self.file_button = QPushButton("Use this computer's file")
        self.file_button.clicked.connect(self.use_file)
        self.status = StatusLine()
        buttons = QHBoxLayout()
        buttons.addWidget(self.shared_button)
        buttons.addWidget(self.file_button)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow("", self.now)
        form.addRow("Shared wallet", self.url)
        form.addRow("Password", self.password)
        form.addRow("", buttons)
        form.addRow("", self.status)
        self.show_place()

    def show_place(self) -> None:
        url = backend.url_for(self.session.wallet_path)
        if url is None:
            self.now.setText(f"This computer's file: {self.session.wallet_path}")
            return
        how = " (from TOKENWALLET_WALLET_URL or --wallet)" if os.environ.get(backend.ENV_URL) else ""
        self.now.setText(f"A shared PostgreSQL wallet: {backend.redact(url)}{how}")

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
            self.status.ok(f"This computer now uses the shared wallet at {backend.redact(url)}: {RESTART}.")

        self.status.ok("Reaching the database…")
        run_task(reach, done, lambda exc: self.status.error(f"Not switched: {exc}"))

    def use_file(self) -> None:
        backend.use(self.session.data_dir, None)
        self.status.ok(
            f"This computer uses its own wallet file again ({self.session.wallet_path}): {RESTART}."
        )
