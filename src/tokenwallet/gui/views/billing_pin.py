"""Asking for the household owner's PIN in the window, and the guard other pages call.

Hook for the budget and profile editors (any GUI edit that changes money)::

    from tokenwallet.gui.views.billing_pin import guard_money_change
    if not guard_money_change(self, session.wallet, "change this budget"):
        return   # no household: True at once; otherwise the PIN was asked and checked

A wrong PIN changes nothing and is counted (the retry limit is stored in the wallet).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QMessageBox, QVBoxLayout, QWidget

from tokenwallet.gui.i18n import tr
from tokenwallet.gui.theme import set_role
from tokenwallet.gui.words import pin_hint

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet

#: Returns the PIN the owner typed for ``action``, or None when cancelled. Tests replace it.
PinAsker = Callable[[QWidget | None, str], str | None]


class PinDialog(QDialog):
    """A password field for the owner PIN (optionally twice, to choose a new one)."""

    def __init__(self, action: str, *, confirm: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Owner PIN"))
        layout = QVBoxLayout(self)
        text = QLabel(
            tr("The household owner's PIN or passphrase is needed to <b>{action}</b>.").format(action=action)
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(tr("PIN or passphrase"))
        layout.addWidget(self.pin)
        self.repeat: QLineEdit | None = None
        self.hint: QLabel | None = None
        if confirm:
            self.repeat = QLineEdit()
            self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
            self.repeat.setPlaceholderText(tr("repeat it"))
            layout.addWidget(self.repeat)
            self.hint = QLabel(pin_hint())
            self.hint.setWordWrap(True)
            layout.addWidget(self.hint)
        self.error = QLabel()
        set_role(self.error, "danger")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if self.repeat is not None and self.repeat.text() != self.pin.text():
            self.error.setText(tr("The two PINs differ."))
            return
        self.accept()

    def value(self) -> str:
        return self.pin.text()


def dialog_asker(parent: QWidget | None, action: str) -> str | None:
    """The default :data:`PinAsker`: a modal dialog."""
    dlg = PinDialog(action, parent=parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return dlg.value()


#: What :func:`guard_money_change` uses to ask; a test may swap it (``billing_pin.asker = …``).
asker: PinAsker = dialog_asker


def guard_money_change(parent: QWidget | None, wallet: Wallet, action: str) -> bool:
    """True when ``action`` may go ahead: no household, or the owner PIN was given and is right."""
    from tokenwallet.billing.pin import PinError, household_exists, require_owner

    if not household_exists(wallet):
        return True
    pin = asker(parent, action)
    if pin is None:
        return False
    try:
        require_owner(wallet, pin, action=action)
    except PinError as exc:
        if parent is not None and parent.isVisible():
            QMessageBox.warning(parent, tr("Owner PIN"), str(exc))
        return False
    return True
