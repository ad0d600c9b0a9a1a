"""In-window notices for budgets near the limit and refused calls, with a one-click fix."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tokenwallet.core.events import BudgetCrossed, CallRefused, GuardTripped
from tokenwallet.gui.display import Display
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.theme import set_level
from tokenwallet.gui.words import label_text

MAX_NOTICES = 3
LEVELS = ("warn", "refused", "info")  # coloured by the theme (QFrame[notice=…])


class Notice(QFrame):
    """One banner line: a sentence, an optional action button, a close button.

    Signals:
        closed(): the user dismissed it (or its action ran).
    """

    closed = Signal()

    def __init__(
        self, text: str, level: str, action: tuple[str, Callable[[], None]] | None = None, key: str = ""
    ) -> None:
        super().__init__()
        self.key = key
        self.setObjectName("notice")
        set_level(self, "notice", level if level in LEVELS else "info")
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.label, 1)
        self.action_button: QPushButton | None = None
        if action is not None:
            caption, fn = action
            self.action_button = QPushButton(caption)

            def run() -> None:
                fn()
                self.closed.emit()

            self.action_button.clicked.connect(run)
            row.addWidget(self.action_button)
        close = QPushButton("✕")
        close.setFlat(True)
        close.setFixedWidth(28)
        close.setToolTip(tr("Dismiss"))
        close.clicked.connect(self.closed.emit)
        row.addWidget(close)


class BannerArea(QWidget):
    """A stack of at most three notices above the pages; a repeated notice replaces the older one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 0)
        self.notices: list[Notice] = []
        self.setVisible(False)

    def show_notice(
        self,
        text: str,
        level: str = "warn",
        action: tuple[str, Callable[[], None]] | None = None,
        key: str = "",
    ) -> Notice:
        for old in list(self.notices):
            if key and old.key == key:
                self._remove(old)
        notice = Notice(text, level, action, key)
        notice.closed.connect(lambda: self._remove(notice))
        self._layout.insertWidget(0, notice)
        self.notices.insert(0, notice)
        while len(self.notices) > MAX_NOTICES:
            self._remove(self.notices[-1])
        self.setVisible(True)
        return notice

    def remove_key(self, key: str) -> None:
        for notice in list(self.notices):
            if notice.key == key:
                self._remove(notice)

    def texts(self) -> list[str]:
        return [n.label.text() for n in self.notices]

    def _remove(self, notice: Notice) -> None:
        if notice in self.notices:
            self.notices.remove(notice)
            notice.setParent(None)
            notice.deleteLater()
        self.setVisible(bool(self.notices))


GUARD_VERBS = {
    "block": QT_TR_NOOP("refused"),
    "downgrade": QT_TR_NOOP("downgraded"),
    "warn": QT_TR_NOOP("let through"),
}


def crossed_text(ev: BudgetCrossed, display: Display) -> str:
    left = display.amount(ev.unit, ev.available)
    text = tr("Budget {envelope} is at {used_pct} % (crossed {threshold_pct} %): {left} left.").format(
        envelope=label_text(ev.envelope), used_pct=ev.used_pct, threshold_pct=ev.threshold_pct, left=left
    )
    if ev.suggestion:
        text += tr(" {suggestion} would make it last longer.").format(suggestion=ev.suggestion)
    return text


def guard_text(ev: GuardTripped) -> str:
    verb = tr(GUARD_VERBS[ev.action]) if ev.action in GUARD_VERBS else ev.action
    session = tr(" (session {session})").format(session=ev.session) if ev.session else ""
    return tr("A call to {model} by {profile}{session} was {verb}: {message}.").format(
        model=ev.model, profile=ev.profile, session=session, verb=verb, message=ev.message
    )


def refused_text(ev: CallRefused, display: Display) -> str:
    text = tr("A call to {model} by {profile} was refused: {reason}.").format(
        model=ev.model, profile=ev.profile, reason=ev.reason.rstrip(".")
    )
    if ev.envelope and ev.available is not None and ev.unit:
        text = tr("A call to {model} by {profile} was refused: budget {envelope} has {amount} left.").format(
            model=ev.model,
            profile=ev.profile,
            envelope=label_text(ev.envelope),
            amount=display.amount(ev.unit, ev.available),
        )
    if ev.suggestion:
        text += tr(" {suggestion} would fit.").format(suggestion=ev.suggestion)
    return text
