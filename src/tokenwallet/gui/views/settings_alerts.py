"""Settings → Alerts: desktop notifications on/off, and the webhooks a phone listens to.

Adding a webhook with a secret header writes the keychain, and Test sends a real request: both run
on a worker (a locked keychain or a slow receiver must not freeze the window). The owner PIN is
asked on a household wallet, as in the CLI.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.theme import set_role
from tokenwallet.gui.views.billing_pin import guard_money_change
from tokenwallet.gui.views.widgets import StatusLine, fill_table, plain_table
from tokenwallet.gui.words import word
from tokenwallet.gui.workers import run_task
from tokenwallet.wallet.alerts import TOPICS, WebhookSpec

HINT = QT_TR_NOOP(
    "Webhooks are sent by the process that runs the meter (this app, or `tokenwallet serve`). "
    "ntfy: e.g. https://ntfy.sh/your-secret-topic and the ntfy app on the phone."
)


class AlertsBox(QGroupBox):
    """The "Alerts" group of the Settings page."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(tr("Alerts"), parent)
        self.session = session
        self.hooks: list[WebhookSpec] = []
        self.desktop = QCheckBox(
            tr("Desktop notifications for budget warnings, guard trips and refused calls")
        )
        self.desktop.toggled.connect(self.set_desktop)
        self.table = plain_table(
            ["#", tr("Format"), tr("Events"), "URL"], empty=tr("No alerts yet — add a webhook below.")
        )
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(150)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://ntfy.sh/your-secret-topic")
        self.format = QComboBox()
        self.format.addItems(["ntfy", "json"])
        self.topics = {t: QCheckBox(word(t)) for t in TOPICS}
        topics_row = QHBoxLayout()
        for box in self.topics.values():
            box.setChecked(True)
            topics_row.addWidget(box)
        topics_row.addStretch(1)
        self.header = QLineEdit()
        self.header.setEchoMode(QLineEdit.EchoMode.Password)
        self.header.setPlaceholderText(
            tr("optional secret header, e.g. Authorization: Bearer tk_… (keychain)")
        )
        self.add_button = QPushButton(tr("Add webhook"))
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(tr("Remove"))
        self.remove_button.clicked.connect(self.remove)
        self.test_button = QPushButton(tr("Send a test"))
        self.test_button.clicked.connect(self.test)
        self.status = StatusLine()
        form = QFormLayout()
        form.addRow("URL", self.url)
        form.addRow(tr("Format"), self.format)
        form.addRow(tr("Events"), topics_row)
        form.addRow(tr("Header"), self.header)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.test_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        hint = QLabel(tr(HINT))
        hint.setWordWrap(True)
        set_role(hint, "muted")
        inner = QVBoxLayout(self)
        inner.addWidget(self.desktop)
        inner.addWidget(self.table)
        inner.addLayout(form)
        inner.addLayout(buttons)
        inner.addWidget(hint)
        inner.addWidget(self.status)
        self.reload()

    def reload(self) -> None:
        wallet = self.session.wallet
        self.desktop.blockSignals(True)
        self.desktop.setChecked(bool(wallet.get_setting("desktop_notifications")))
        self.desktop.blockSignals(False)
        self.hooks = wallet.webhooks()
        rows = [[str(h.id), h.format, ",".join(h.topics), h.url] for h in self.hooks]
        fill_table(self.table, rows)

    def selected(self) -> WebhookSpec | None:
        rows = self.table.selectionModel().selectedRows()
        return self.hooks[rows[0].row()] if rows else None

    def set_desktop(self, on: bool) -> None:
        if not guard_money_change(self, self.session.wallet, tr("change desktop notifications")):
            self.reload()
            return
        self.session.wallet.set_setting("desktop_notifications", on)
        self.session.notify_changed()
        self.status.ok(tr("Desktop notifications on.") if on else tr("Desktop notifications off."))

    def add(self) -> None:
        from tokenwallet.wallet.alerts import check_topics, check_url, parse_header

        url, header = self.url.text().strip(), self.header.text().strip()
        topics = tuple(t for t, box in self.topics.items() if box.isChecked())
        try:  # checked before the PIN is asked or anything is written
            check_url(url)
            check_topics(topics)
            if header:
                parse_header(header)
        except Exception as exc:
            self.status.error(tr("Not added: {exc}").format(exc=exc))
            return
        if not guard_money_change(self, self.session.wallet, tr("add a webhook")):
            return
        session, fmt = self.session, self.format.currentText()

        def store() -> WebhookSpec:
            from tokenwallet.alerts.setup import add_webhook

            keystore = session.keystore if header else None
            return add_webhook(
                session.reader(), keystore, url, format=fmt, topics=topics, header=header or None
            )

        def done(hook: object) -> None:
            assert isinstance(hook, WebhookSpec)
            self.url.clear()
            self.header.clear()
            self.session.notify_changed()
            self.reload()
            self.status.ok(
                tr("Added webhook #{id}. Send a test to check it reaches your phone.").format(id=hook.id)
            )

        run_task(store, done, lambda exc: self.status.error(tr("Not added: {exc}").format(exc=exc)))

    def remove(self) -> None:
        hook = self.selected()
        if hook is None:
            self.status.error(tr("Select a webhook first."))
            return
        if not guard_money_change(self, self.session.wallet, tr("remove a webhook")):
            return
        from tokenwallet.alerts.setup import remove_webhook

        _, problem = remove_webhook(
            self.session.wallet, self.session.keystore if hook.header_name else None, hook.id
        )
        self.session.notify_changed()
        self.reload()
        note = (
            tr(" (its header value stayed in the keychain: {problem})").format(problem=problem)
            if problem
            else ""
        )
        self.status.ok(tr("Removed webhook #{id}.{note}").format(id=hook.id, note=note))

    def test(self) -> None:
        hook = self.selected()
        if hook is None:
            self.status.error(tr("Select a webhook first."))
            return
        session = self.session
        self.test_button.setEnabled(False)
        self.status.ok(tr("Sending a test to webhook #{id} …").format(id=hook.id))

        def send() -> int:
            from tokenwallet.alerts.setup import test_webhook

            keystore = session.keystore if hook.header_name else None
            return test_webhook(session.reader(), keystore, hook.id)[1]

        def done(status: object) -> None:
            self.test_button.setEnabled(True)
            if isinstance(status, int) and 200 <= status < 300:
                self.status.ok(
                    tr("Webhook #{id} answered HTTP {status}: delivered.").format(id=hook.id, status=status)
                )
            else:
                self.status.error(
                    tr("Webhook #{id} answered HTTP {status}.").format(id=hook.id, status=status)
                )

        def failed(exc: BaseException) -> None:
            self.test_button.setEnabled(True)
            self.status.error(str(exc))

        run_task(send, done, failed)
