"""``tokenwallet`` with no command: the desktop app.

Start-up order keeps the window fast: QApplication, the wallet, the window (dashboard only) is
shown, then the proxy starts on a worker thread (or attaches to a running ``tokenwallet serve``).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tokenwallet.core import language
from tokenwallet.gui import i18n, startprobe
from tokenwallet.gui.firstpaint import after_first_paint
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.icons import app_icon
from tokenwallet.gui.mainwindow import MainWindow
from tokenwallet.gui.refcounts import pin_singletons
from tokenwallet.gui.session import Session

if TYPE_CHECKING:
    from tokenwallet.secrets import KeyStore

log = logging.getLogger(__name__)
SWITCH_INTERVAL_S = 0.001


def ensure_app(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication (created once)."""
    pin_singletons()  # PySide6 6.12 on Python 3.11 leaks references to None/True (gui/refcounts.py)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    # The hosted proxy runs Python in another thread of this process: a shorter GIL switch interval
    # (default 5 ms) hands the GUI thread the interpreter more often while streams are relayed.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app = QApplication(list(argv) if argv else [sys.argv[0] if sys.argv else "tokenwallet"])
    app.setApplicationName("Token Wallet")
    app.setOrganizationName("tokenwallet")
    app.setDesktopFileName("tokenwallet")
    app.setWindowIcon(app_icon())
    return app


def build(
    data_dir: Path,
    *,
    keystore: KeyStore | None = None,
    start_metering: bool = True,
    use_tray: bool | None = None,
    port: int | None = None,
    host: str | None = None,
) -> tuple[Session, MainWindow]:
    """Create the session and the window (used by :func:`main`, the tests and the screenshots)."""
    session = Session(data_dir, port=port, host=host, keystore=keystore)
    window = MainWindow(session, use_tray=use_tray)
    if start_metering:
        session.mode_text = tr("starting the meter on {proxy_url} …").format(proxy_url=session.proxy_url)
        window.metering_label.setText(session.mode_text)
        # after the first paint: the proxy's start-up would hold the interpreter lock the window
        # needs (gui/firstpaint.py); the top bar says the meter is starting meanwhile
        after_first_paint(window, lambda: None if session.closed else session.start_metering())
    return session, window


def open_error(data_dir: Path, exc: BaseException) -> str | None:
    """The one line the CLI would print for a wallet that cannot be opened; None for a bug."""
    import sqlite3

    from tokenwallet.paths import wallet_file
    from tokenwallet.wallet.errors import WalletError
    from tokenwallet.wallet.trouble import explain

    if isinstance(exc, WalletError):
        return str(exc)
    if isinstance(exc, sqlite3.Error | OSError):
        return explain(wallet_file(data_dir), exc)
    return None


def _freeze_startup_objects() -> None:
    import gc

    gc.collect()
    gc.freeze()


def main(argv: list[str], data_dir: Path) -> int:
    """Open the Token Wallet window; returns the process exit status."""
    app = ensure_app(argv)
    # before any widget exists: every page is made in the language the user asked for
    lang = language.current(data_dir)
    if not i18n.install(lang):
        log.warning(
            "the %s translations cannot be loaded (%s): the window stays in English", lang, i18n.qm_file(lang)
        )
    try:
        session, window = build(data_dir)
    except Exception as exc:  # a damaged, read-only, full or vanished wallet: say so, no traceback
        message = open_error(data_dir, exc)
        if message is None:
            raise
        print(f"tokenwallet: error: {message}", file=sys.stderr)
        if not os.environ.get("TOKENWALLET_EXIT_AFTER_PAINT"):
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(
                None, "Token Wallet", tr("The wallet cannot be opened.\n\n{message}").format(message=message)
            )
        return 1
    if window.tray is not None:
        # closing the window keeps metering in the tray; the tray's Quit ends the app
        app.setQuitOnLastWindowClosed(False)
    window.quitRequested.connect(app.quit)
    startprobe.install(app, session, window)  # only with $TOKENWALLET_BENCH_START (bench/bench_gui.py)
    window.show()
    if not os.environ.get("TOKENWALLET_EXIT_AFTER_PAINT"):
        QTimer.singleShot(0, window.welcome_if_new)  # a new wallet: the welcome, once the window shows
    # Once start-up has loaded the price catalog and the tokenizer, park those long-lived objects
    # outside the collector (as `tokenwallet serve` does): otherwise every full collection walks
    # them, a ~45 ms pause for the hosted proxy's calls and the window alike.
    QTimer.singleShot(3000, _freeze_startup_objects)
    if os.environ.get("TOKENWALLET_EXIT_AFTER_PAINT"):  # the start-up benchmark and smoke tests
        QTimer.singleShot(0, app.quit)
    try:
        return int(app.exec())
    finally:
        session.close()
