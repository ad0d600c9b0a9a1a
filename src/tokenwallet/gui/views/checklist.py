"""The dashboard's "get started" checklist: shown until every first-run step is done.

It replaces the empty chart and the blank donut a new wallet would show; each open step has a
button that opens the welcome at that step.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tokenwallet.gui.firstrun import STEP_TITLES, STEPS, Checklist
from tokenwallet.gui.i18n import QT_TR_NOOP, tr

BUTTONS = {
    "key": QT_TR_NOOP("Add a provider key…"),
    "budget": QT_TR_NOOP("Set a budget…"),
    "tool": QT_TR_NOOP("Connect a tool…"),
    "test": QT_TR_NOOP("Send a test call…"),
}


class ChecklistPanel(QFrame):
    """Four lines with a mark each, and a button per open step.

    Signals:
        openStep(str): the user asked to do a step ("key", "budget", "tool", "test").
        hideRequested(): the user does not want the list (a wallet set up before it existed).
    """

    openStep = Signal(str)
    hideRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklist")
        self.setStyleSheet(
            "QFrame#checklist{background:#f6f8fa; border:1px solid #d0d7de; border-radius:8px;}"
            " QFrame#checklist QLabel{color:#1f2328;}"
        )
        self.setMaximumWidth(720)
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16px; font-weight:600;")
        intro = QLabel(
            tr(
                "Four steps from nothing to a metered call. Each one ticks itself off when the wallet "
                "shows it done."
            )
        )
        intro.setWordWrap(True)
        self.marks: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        for row, step in enumerate(STEPS):
            mark = QLabel()
            mark.setFixedWidth(22)
            text = QLabel(tr(STEP_TITLES[step]))
            button = QPushButton(tr(BUTTONS[step]))
            button.setFixedWidth(170)
            button.clicked.connect(lambda _c=False, s=step: self.openStep.emit(s))
            grid.addWidget(mark, row, 0)
            grid.addWidget(text, row, 1)
            grid.addWidget(button, row, 2)
            self.marks[step], self.buttons[step] = mark, button
        grid.setColumnStretch(1, 1)
        self.welcome_button = QPushButton(tr("Open the welcome (F1)"))
        self.welcome_button.clicked.connect(lambda: self.openStep.emit(""))
        self.hide_button = QPushButton(tr("Hide this list"))
        self.hide_button.setToolTip(tr("For good; the welcome stays under Help (F1)."))
        self.hide_button.clicked.connect(self.hideRequested.emit)
        footer = QHBoxLayout()
        footer.addWidget(self.hide_button)
        footer.addStretch(1)
        footer.addWidget(self.welcome_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addLayout(footer)

    def show_checklist(self, checklist: Checklist) -> None:
        self.title.setText(
            tr("Get started — {count} of {len} done").format(count=checklist.count(), len=len(STEPS))
        )
        for step in STEPS:
            done = checklist.state(step)
            self.marks[step].setText(
                "<span style='color:#1a7f37; font-size:15px'>✓</span>"
                if done
                else "<span style='color:#57606a; font-size:15px'>○</span>"
            )
            self.buttons[step].setVisible(not done)
