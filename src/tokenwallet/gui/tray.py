"""The tray icon, where the desktop has a tray: balance in the tooltip; open, pause, quit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from tokenwallet.gui.i18n import tr
from tokenwallet.gui.icons import app_icon


class Tray(QSystemTrayIcon):
    """Tray icon of the app; only built when ``QSystemTrayIcon.isSystemTrayAvailable()``."""

    def __init__(
        self,
        open_window: Callable[[], None],
        set_paused: Callable[[bool], None],
        quit_app: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(app_icon(), parent)
        self.menu = QMenu()
        self.open_action = QAction(tr("Open Token Wallet"), self.menu)
        self.open_action.triggered.connect(open_window)
        self.pause_action = QAction(tr("Pause metering"), self.menu)
        self.pause_action.setCheckable(True)
        self.pause_action.toggled.connect(set_paused)
        self.quit_action = QAction(tr("Quit (stops metering)"), self.menu)
        self.quit_action.triggered.connect(quit_app)
        for action in (self.open_action, self.pause_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.setContextMenu(self.menu)
        self.activated.connect(self._activated)
        self._open = open_window
        self.setToolTip("Token Wallet")

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self._open()

    def show_paused(self, paused: bool) -> None:
        self.pause_action.blockSignals(True)
        self.pause_action.setChecked(paused)
        self.pause_action.blockSignals(False)
        self.setIcon(app_icon(paused=paused) if paused else app_icon())

    def notify(self, title: str, text: str, critical: bool = False) -> None:
        icon = QSystemTrayIcon.MessageIcon.Critical if critical else QSystemTrayIcon.MessageIcon.Warning
        self.showMessage(title, text, icon, 8000)


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()
