"""The welcome's four steps as widgets: provider key, budget, connect, test call.

Each step only shows and reads its fields; :class:`~tokenwallet.gui.welcome.WelcomeDialog` does
the work (keychain, wallet, the test call) when the user moves on.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QTextOption
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.core.money import format_tokens
from tokenwallet.gui.display import Display
from tokenwallet.gui.firstrun import KEYED_PROVIDERS, LOCAL_CHOICES, TEST_MODELS, TOOLS, env_lines, run_line
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.views.widgets import StatusLine
from tokenwallet.wallet.types import LedgerRow

FIELD_WIDTH = 320  # forms keep a readable width however wide the dialog is
PERIODS = (("month", QT_TR_NOOP("a month")), ("week", QT_TR_NOOP("a week")), ("day", QT_TR_NOOP("a day")))


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size:16px; font-weight:600;")
    label.setWordWrap(True)
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color:#57606a;")
    return label


def _fixed(widget: QWidget, width: int = FIELD_WIDTH) -> QWidget:
    widget.setFixedWidth(width)
    return widget


class KeyStep(QWidget):
    """Step 1: a provider's API key into the keychain, or "I only use local models"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.use_key = QRadioButton(tr("I have an &API key from a provider"))
        self.use_local = QRadioButton(tr("I only use &local models (no key needed)"))
        self.use_key.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.use_key)
        group.addButton(self.use_local)
        self.provider = QComboBox()
        self.provider.addItems(KEYED_PROVIDERS)
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(tr("paste the key (sk-…)"))
        key_box = QGroupBox(tr("Provider key"))
        key_form = QFormLayout(key_box)
        key_form.addRow(tr("&Provider"), _fixed(self.provider, 200))
        key_form.addRow(tr("&Key"), _fixed(self.key))
        key_form.addRow(
            _note(
                tr(
                    "Kept in your system keychain, never in the wallet file. Tools get a wallet key of "
                    "their own instead; the meter adds the real key when it forwards a call."
                )
            )
        )
        self.local = QComboBox()
        for name, title in LOCAL_CHOICES.items():
            self.local.addItem(title, name)
        self.local_url = QLineEdit()
        local_box = QGroupBox(tr("Local models"))
        local_form = QFormLayout(local_box)
        local_form.addRow(tr("&Server"), _fixed(self.local, 200))
        local_form.addRow(tr("Its &address"), _fixed(self.local_url))
        local_form.addRow(_note(tr("Calls to local models are metered in tokens and cost nothing.")))
        self.key_box, self.local_box = key_box, local_box
        self.status = StatusLine()
        layout = QVBoxLayout(self)
        layout.addWidget(_title(tr("1 · Where do your calls go?")))
        layout.addWidget(self.use_key)
        layout.addWidget(key_box)
        layout.addWidget(self.use_local)
        layout.addWidget(local_box)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.use_local.toggled.connect(self._switch)
        self._switch(False)

    def _switch(self, local: bool) -> None:
        self.key_box.setEnabled(not local)
        self.local_box.setEnabled(local)

    def provider_name(self) -> str:
        return str(self.local.currentData()) if self.use_local.isChecked() else self.provider.currentText()


class BudgetStep(QWidget):
    """Step 2: a profile and its budget, blocking by default."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = QLineEdit("me")
        self.amount = QLineEdit("$20")
        self.period = QComboBox()
        for key, text in PERIODS:
            self.period.addItem(tr(text), key)
        self.block = QRadioButton(tr("&Block calls once it is used up (recommended)"))
        self.warn = QRadioButton(tr("Only &warn me; let calls go on"))
        self.block.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.block)
        group.addButton(self.warn)
        box = QGroupBox(tr("Budget"))
        form = QFormLayout(box)
        form.addRow(tr("P&rofile"), _fixed(self.profile, 200))
        amount_row = QHBoxLayout()
        amount_row.addWidget(_fixed(self.amount, 100))
        amount_row.addWidget(QLabel(tr("every")))
        amount_row.addWidget(_fixed(self.period, 120))
        amount_row.addStretch(1)
        amount_label = QLabel(tr("&Amount"))
        amount_label.setBuddy(self.amount)
        form.addRow(amount_label, amount_row)
        form.addRow(tr("When it runs out"), self.block)
        form.addRow("", self.warn)
        self.status = StatusLine()
        layout = QVBoxLayout(self)
        layout.addWidget(_title(tr("2 · How much may be spent?")))
        layout.addWidget(
            _note(
                tr(
                    "A profile is who spends (you, a child, a client project). Its budget stops "
                    "spending when it is used up; warnings come at 50, 80 and 95 %."
                )
            )
        )
        layout.addWidget(box)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.amount.setToolTip(tr("money like $20 or €15, or tokens like 500k"))


class CopyBlock(QGroupBox):
    """A titled block of monospace text with a Copy button."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(mono)
        # wrapped anywhere (a key has no spaces) so the whole line is seen; Copy copies it unwrapped
        self.text.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.text.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the form
        layout = self.text.document().documentLayout()
        layout.documentSizeChanged.connect(lambda _size: self._fit())
        self.copy = QPushButton(tr("Copy"))
        self.copy.clicked.connect(self._copy)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.copy)

    def set_text(self, text: str) -> None:
        self.text.setPlainText(text)
        self.copy.setText(tr("Copy"))
        self._fit()

    def _fit(self) -> None:
        # a plain-text document measures its height in lines (wrapped lines included)
        lines = max(1, int(self.text.document().size().height()))
        margins = self.text.contentsMargins()
        frame = 2 * int(self.text.document().documentMargin()) + margins.top() + margins.bottom()
        self.text.setFixedHeight(lines * self.text.fontMetrics().lineSpacing() + frame + 2)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.copy.setText(tr("Copied"))


class ConnectStep(QWidget):
    """Step 3: what to type or set for the user's tool."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tool = QComboBox()
        for tool in TOOLS:
            self.tool.addItem(tr(tool.title))
        self.note = _note("")
        self.run_block = CopyBlock(tr("One command (a wallet key of its own for each session)"))
        self.env_block = CopyBlock(tr("Or set these in your shell"))
        self.path_note = _note("")
        self.seen = QLabel()
        self.show_seen(False)
        form = QFormLayout()
        form.addRow(tr("Your &tool"), _fixed(self.tool, 280))
        layout = QVBoxLayout(self)
        layout.addWidget(_title(tr("3 · Connect your tool")))
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.run_block)
        layout.addWidget(self.path_note)
        layout.addWidget(self.env_block)
        layout.addWidget(
            _note(
                tr(
                    "Your tool's calls then go to the meter, which forwards them with your provider key "
                    "and charges this profile. The checklist ticks 'tool connected' at its first call."
                )
            )
        )
        layout.addWidget(self.seen)
        layout.addStretch(1)

    def show_seen(self, seen: bool) -> None:
        self.seen.setText(
            tr("<span style='color:#1a7f37'>✓ A call from your tool came through the meter.</span>")
            if seen
            else tr(
                "<span style='color:#57606a'>Waiting for your tool's first call… (or go on and send "
                "a test call)</span>"
            )
        )

    def fill(self, *, profile: str, key: str, provider: str, url: str, command: str) -> None:
        """The lines for the tool picked, the profile's key and the meter's address."""
        tool = TOOLS[max(0, self.tool.currentIndex())]
        line = run_line(tool, command=command, profile=profile, provider=provider)
        self.note.setText(tr(tool.note))
        self.run_block.setVisible(line is not None)
        self.run_block.set_text(line or "")
        self.path_note.setVisible(line is not None and command != "tokenwallet")
        self.path_note.setText(
            tr(
                "The 'tokenwallet' command is not on your PATH yet, so the line names this checkout's; "
                "run 'tools/run install-cli' once to add it (see docs/first-run.md)."
            )
        )
        self.env_block.set_text(env_lines(tool, url=url, key=key, provider=provider))


class CallStep(QWidget):
    """Step 4: the smallest real call through the meter, its cost and its ledger row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QLineEdit(TEST_MODELS["openai"])
        self.send = QPushButton(tr("&Send the test call"))
        self.status = StatusLine()
        self.row = QLabel()
        self.row.setWordWrap(True)
        self.row.setVisible(False)
        form = QFormLayout()
        form.addRow(tr("&Model"), _fixed(self.model, 240))
        self.what = _note("")
        layout = QVBoxLayout(self)
        layout.addWidget(_title(tr("4 · A real call through the meter")))
        layout.addWidget(self.what)
        layout.addLayout(form)
        send_row = QHBoxLayout()
        send_row.addWidget(self.send)
        send_row.addStretch(1)
        layout.addLayout(send_row)
        layout.addWidget(self.status)
        layout.addWidget(self.row)
        layout.addStretch(1)

    def show_result(self, message: str, row: LedgerRow, d: Display) -> None:
        """The call went through: its cost and its ledger row."""
        self.status.ok(
            tr("✓ {message}. It cost {money}.").format(message=message, money=d.money(row.cost_nano))
        )
        u = row.usage
        self.row.setText(
            tr(
                "<b>The ledger row</b><br>{at:%Y-%m-%d %H:%M:%S} · profile {profile} · "
                "{provider}/{model}<br>{format_tokens} in · {format_tokens2} out · <b>{money}</b> · "
                "priced from {price_source}"
            ).format(
                at=row.at.astimezone(),
                profile=row.profile,
                provider=row.provider,
                model=row.model,
                format_tokens=format_tokens(u.input_tokens),
                format_tokens2=format_tokens(u.output_tokens),
                money=d.money(row.cost_nano),
                price_source=row.price_source,
            )
        )
        self.row.setVisible(True)


class DoneStep(QWidget):
    """The end: what is set up, and where to look next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(_title(tr("Done — your calls are metered")))
        layout.addWidget(self.summary)
        layout.addStretch(1)
