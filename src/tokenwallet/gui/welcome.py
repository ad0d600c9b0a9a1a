"""The welcome: from nothing to a metered call in four steps, then "done".

1. a provider key into the keychain (or "I only use local models": Ollama, LM Studio);
2. a profile with a budget that blocks by default (warn is a choice);
3. the lines for the user's tool (``tokenwallet run -- …`` where it exists), with copy buttons;
4. a real test call through the running meter: its cost and its ledger row.

It opens on the first start of an empty wallet, can be skipped (Esc), and reopened from the
dashboard's checklist or the top bar's Help (F1). Keyboard: Enter moves on, Alt+B goes back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from tokenwallet.gui import firstrun as fr
from tokenwallet.gui.firstrun import STEPS, CallResult
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.views.billing_pin import guard_money_change
from tokenwallet.gui.welcome_steps import BudgetStep, CallStep, ConnectStep, DoneStep, KeyStep
from tokenwallet.gui.workers import run_task

RAIL = (
    QT_TR_NOOP("Provider key"),
    QT_TR_NOOP("Budget"),
    QT_TR_NOOP("Connect"),
    QT_TR_NOOP("Test call"),
    QT_TR_NOOP("Done"),
)


class WelcomeDialog(QDialog):
    """The first-run welcome.

    Signals:
        stepDone(str): a step's work was saved ("key", "budget", "tool", "test").
        tested(bool): the test call finished (True: it went through and was recorded).
    """

    stepDone = Signal(str)
    tested = Signal(bool)

    def __init__(self, session: Session, parent: QWidget | None = None, *, start: str = "key") -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(tr("Welcome to Token Wallet"))
        self.resize(860, 600)
        self.profile_name = ""
        self.profile_key = ""
        self.call_result: CallResult | None = None
        self.key_step, self.budget_step = KeyStep(), BudgetStep()
        self.connect_step, self.call_step, self.done_step = ConnectStep(), CallStep(), DoneStep()
        self.stack = QStackedWidget()
        for page in (self.key_step, self.budget_step, self.connect_step, self.call_step, self.done_step):
            self.stack.addWidget(page)
        self.rail: list[QLabel] = []
        rail = QVBoxLayout()
        for n, title in enumerate(RAIL, start=1):
            label = QLabel(f"{n}  {tr(title)}" if n < len(RAIL) else f"✓  {tr(title)}")
            rail.addWidget(label)
            self.rail.append(label)
        rail.addStretch(1)
        rail_box = QWidget()
        rail_box.setFixedWidth(150)
        rail_box.setLayout(rail)
        self.skip_button = QPushButton(tr("S&kip for now"))
        self.back_button = QPushButton(tr("&Back"))
        self.next_button = QPushButton(tr("&Next"))
        self.next_button.setDefault(True)
        self.skip_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.forward)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        body = QHBoxLayout()
        body.addWidget(rail_box)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        self.key_step.local.currentIndexChanged.connect(lambda _i: self._local_url())
        self.key_step.provider.currentTextChanged.connect(lambda _t: self._prefill_model())
        self.key_step.use_local.toggled.connect(lambda _on: self._prefill_model())
        self.connect_step.tool.currentIndexChanged.connect(lambda _i: self._fill_connect())
        self.call_step.send.clicked.connect(self.send_test)
        session.walletChanged.connect(self._look_for_tool)  # a call settled: maybe the user's tool
        self._local_url()
        self._prefill_profile()
        self.go(start)

    # ---- moving between steps ---------------------------------------------------------------------
    def step(self) -> str:
        return (*STEPS, "done")[self.stack.currentIndex()]

    def go(self, step: str) -> None:
        index = (*STEPS, "done").index(step)
        if step in ("tool", "test") and not self._have_key():
            index = 1  # the lines and the test call need a profile and its key: make them first
        self.stack.setCurrentIndex(index)
        for n, label in enumerate(self.rail):
            style = (
                "font-weight:600;" if n == index else ("color:#1a7f37;" if n < index else "color:#57606a;")
            )
            label.setStyleSheet(style)
        self.back_button.setEnabled(0 < index < len(RAIL) - 1)
        self.skip_button.setVisible(index < len(RAIL) - 1)
        self.next_button.setText(tr("&Finish") if index == len(RAIL) - 1 else tr("&Next"))
        if self.step() == "tool":
            self._fill_connect()
            self._look_for_tool()
        elif self.step() == "test":
            self._prefill_model()
            self.call_step.what.setText(
                tr(
                    "Sends the smallest call to <b>{provider_name}</b> (one word out) with profile "
                    "<b>{profile_name}</b>'s key through the meter at {proxy_url}."
                ).format(
                    provider_name=self.key_step.provider_name(),
                    profile_name=self.profile_name,
                    proxy_url=self.session.proxy_url,
                )
            )
        elif self.step() == "done":
            self._fill_done()
        focus = {
            "key": self.key_step.key,
            "budget": self.budget_step.amount,
            "tool": self.connect_step.tool,
            "test": self.call_step.send,
        }
        widget = focus.get(self.step(), self.next_button)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def back(self) -> None:
        self.go((*STEPS, "done")[max(0, self.stack.currentIndex() - 1)])

    def forward(self) -> None:
        step = self.step()
        if step == "key":
            self.save_key()
        elif step == "budget":
            self.save_budget()
        elif step == "tool":
            self.stepDone.emit("tool")
            self.go("test")
        elif step == "test":
            self.go("done")
        else:
            self.accept()

    # ---- step 1: the key ----------------------------------------------------------------------
    def _local_url(self) -> None:
        name = str(self.key_step.local.currentData())
        config = self.session.wallet.provider_config(name)
        self.key_step.local_url.setText(config.base_url if config is not None else "")

    def save_key(self) -> None:
        step, wallet = self.key_step, self.session.wallet
        if step.use_local.isChecked():
            name, url = str(step.local.currentData()), step.local_url.text().strip()
            if not url.startswith(("http://", "https://")):
                step.status.error("The address starts with http:// — e.g. http://127.0.0.1:11434/v1.")
                return
            config = wallet.provider_config(name)
            if config is None or config.base_url != url:
                wallet.set_provider(name, base_url=url)
                self.session.notify_changed()
            self.stepDone.emit("key")
            self.go("budget")
            return
        provider, key, keystore = step.provider.currentText(), step.key.text().strip(), self.session.keystore
        if any(ch.isspace() for ch in key):
            step.status.error(tr("The key has spaces in it: paste only the key."))
            return
        step.status.ok(tr("Checking the keychain…"))
        self.next_button.setEnabled(False)

        def work() -> bool:
            if key:
                keystore.set(provider, key)
                return True
            return keystore.get(provider) is not None  # Next with no key: fine if one is stored

        def done(stored: object) -> None:
            self.next_button.setEnabled(True)
            if not stored:
                step.status.error(
                    tr("Paste your {provider} API key (or choose local models).").format(provider=provider)
                )
                return
            step.key.clear()
            self.session.provider_key_changed(provider)
            step.status.ok(
                tr("{provider}'s key is in {backend_name}.").format(
                    provider=provider, backend_name=keystore.backend_name()
                )
            )
            self.stepDone.emit("key")
            self.go("budget")

        def failed(exc: BaseException) -> None:
            self.next_button.setEnabled(True)
            step.status.error(tr("The key was not stored: {exc}").format(exc=exc))

        run_task(work, done, failed)

    # ---- step 2: profile and budget -------------------------------------------------------------
    def _prefill_profile(self) -> None:
        profiles = self.session.wallet.profiles()
        if profiles:
            name = self.session.profile or profiles[0].name
            self.budget_step.profile.setText(name)
            self.profile_name = name
            self.profile_key = self.session.revealed_keys.get(name, "")

    def _have_key(self) -> bool:
        return bool(self.profile_name and self.profile_key)

    def save_budget(self) -> None:
        from tokenwallet.core.money import parse_amount

        step, wallet = self.budget_step, self.session.wallet
        name = step.profile.text().strip()
        try:
            amount = parse_amount(step.amount.text().strip())
            if amount.value <= 0:
                raise ValueError(tr("a budget is more than nothing"))
        except ValueError as exc:
            step.status.error(tr("Not saved: {exc} (try $20).").format(exc=exc))
            return
        if not name:
            step.status.error(tr("Not saved: give the profile a name, e.g. me."))
            return
        if not guard_money_change(self, wallet, tr("set a budget")):
            return
        action = "block" if step.block.isChecked() else "warn"
        try:
            period, known = str(step.period.currentData()), self.session.revealed_keys.get(name)
            key = fr.profile_budget(wallet, name, amount=amount, period=period, action=action, key=known)
        except Exception as exc:  # WalletError: a bad name, a budget in another unit …
            step.status.error(tr("Not saved: {exc}").format(exc=exc))
            return
        self.session.revealed_keys[name] = key
        self.profile_name, self.profile_key = name, key
        self.session.notify_changed()
        self.session.set_profile(name)
        self.stepDone.emit("budget")
        self.go("tool")

    # ---- step 3: connect ------------------------------------------------------------------------
    def _fill_connect(self) -> None:
        self.connect_step.fill(
            profile=self.profile_name,
            key=self.profile_key,
            provider=self.key_step.provider_name(),
            url=self.session.proxy_url,
            command=fr.cli_command(),
        )

    def _look_for_tool(self) -> None:
        if self.step() == "tool" and self.isVisible():
            reader = self.session.reader()
            run_task(lambda: fr.tool_call_seen(reader), lambda seen: self.connect_step.show_seen(bool(seen)))

    # ---- step 4: the test call ------------------------------------------------------------------
    def _prefill_model(self) -> None:
        self.call_step.model.setText(fr.TEST_MODELS.get(self.key_step.provider_name(), ""))

    def send_test(self) -> None:
        step = self.call_step
        provider, model = self.key_step.provider_name(), step.model.text().strip()
        config = self.session.wallet.provider_config(provider)
        kind = config.kind if config is not None else "openai"
        if self.session.mode not in ("hosted", "attached"):
            step.status.error(tr("The meter is not running (see the notice in the main window)."))
            return
        wallet, url, key, session_id = (
            self.session.reader(),
            self.session.proxy_url,
            self.profile_key,
            fr.new_test_session(),
        )
        step.send.setEnabled(False)
        step.status.ok(tr("Sending…"))

        def work() -> CallResult:
            return fr.send_test_call(
                wallet, url=url, key=key, provider=provider, kind=kind, model=model, session=session_id
            )

        run_task(work, self._tested, lambda exc: self._tested(CallResult(False, str(exc))))

    def _tested(self, value: object) -> None:
        assert isinstance(value, CallResult)
        self.call_result = value
        step = self.call_step
        step.send.setEnabled(True)
        row = value.row
        if not value.ok or row is None:
            step.status.error(
                tr("The test call did not go through: {message}.").format(message=value.message)
            )
            step.row.setVisible(False)
            self.tested.emit(False)
            return
        step.show_result(value.message, row, self.session.display)
        self.session.notify_changed()
        self.stepDone.emit("test")
        self.tested.emit(True)
        self.next_button.setFocus()

    def _fill_done(self) -> None:
        budget = self.budget_step
        action = tr("blocks calls") if budget.block.isChecked() else tr("only warns")
        tested = tr("Your test call is in History.") if self.call_result and self.call_result.ok else ""
        self.done_step.summary.setText(
            tr(
                "Profile <b>{profile_name}</b> has {amount} {period} and {action} when it is "
                "used up. {tested}<br><br>Run your tool with the lines from step 3 (they are also on "
                "the Connect page): each call shows up on the Live meter and the Dashboard. Reopen "
                "this welcome with F1."
            ).format(
                profile_name=self.profile_name,
                amount=budget.amount.text().strip(),
                period=budget.period.currentText(),
                action=action,
                tested=tested,
            )
        )
