"""Settings page: providers and their keys (OS keychain), the meter's address, display currency,
default thresholds, price updates, start at login; alerts (``settings_alerts.py``).

Keychain calls run on a worker (a locked keychain may prompt or stall). General settings are all
checked before the first one is written, so a typo never leaves half of them saved.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.gui import autostart, theme
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.views.billing_pin import guard_money_change
from tokenwallet.gui.views.settings_alerts import AlertsBox
from tokenwallet.gui.views.settings_energy import EnergyBox
from tokenwallet.gui.views.settings_language import LanguageBox
from tokenwallet.gui.views.settings_wallet import WalletPlaceBox
from tokenwallet.gui.views.widgets import StatusLine, fill_table, narrow_fields, plain_table
from tokenwallet.gui.words import word
from tokenwallet.gui.workers import run_task
from tokenwallet.pricing import fx

KINDS = ("openai", "anthropic", "gemini", "openai-compatible")
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CNY", "INR", "CHF", "CAD")


class SettingsPage(QWidget):
    """All settings a user changes from the window."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.key_states: dict[str, bool] = {}
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self._providers_box())
        layout.addWidget(self._general_box())
        self.alerts = AlertsBox(session)
        layout.addWidget(self.alerts)
        self.energy = EnergyBox(session)
        layout.addWidget(self.energy)
        self.place = WalletPlaceBox(session)  # this computer's file, or a shared PostgreSQL wallet
        layout.addWidget(self.place)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        session.walletChanged.connect(self._wallet_changed)
        self.reload_providers()
        self.load_general()

    # ---- providers ----------------------------------------------------------------------------
    def _providers_box(self) -> QGroupBox:
        box = QGroupBox(tr("Providers and their API keys"))
        self.providers = plain_table([tr("Provider"), tr("Kind"), tr("Base URL"), tr("API key")], stretch=2)
        self.providers.setMinimumHeight(230)
        self.providers.itemSelectionChanged.connect(self._provider_selected)
        self.p_name = QComboBox()
        self.p_name.setEditable(True)
        self.p_name.currentTextChanged.connect(self._provider_named)
        self.p_kind = QComboBox()
        self.p_kind.addItems(KINDS)
        self.p_url = QLineEdit()
        self.p_key = QLineEdit()
        self.p_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.p_key.setPlaceholderText(
            tr("paste the provider's API key (kept in the OS keychain, never in the wallet)")
        )
        self.save_provider_button = QPushButton(tr("Save provider"))
        self.save_provider_button.clicked.connect(self.save_provider)
        self.forget_key_button = QPushButton(tr("Forget key"))
        self.forget_key_button.clicked.connect(self.forget_key)
        self.keychain_label = QLabel()
        self.keychain_label.setWordWrap(True)
        self.p_status = StatusLine()
        form = QFormLayout()
        form.addRow(tr("Provider"), self.p_name)
        form.addRow(tr("Kind"), self.p_kind)
        form.addRow(tr("Base URL"), self.p_url)
        form.addRow(tr("API key"), self.p_key)
        narrow_fields(form, 560)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_provider_button)
        buttons.addWidget(self.forget_key_button)
        buttons.addStretch(1)
        inner = QVBoxLayout(box)
        inner.addWidget(self.providers)
        inner.addLayout(form)
        inner.addLayout(buttons)
        inner.addWidget(self.keychain_label)
        inner.addWidget(self.p_status)
        return box

    def _wallet_changed(self) -> None:
        # calls settling also signal a change: only a different provider list is worth a reload
        # (and a keychain round trip), and a half-typed form must not be overwritten
        if {c.name: c for c in self.session.wallet.providers()} != getattr(self, "_configs", None):
            self.reload_providers()

    def reload_providers(self) -> None:
        configs = self.session.wallet.providers()
        self._configs = {c.name: c for c in configs}
        current = self.p_name.currentText()
        self.p_name.blockSignals(True)
        self.p_name.clear()
        self.p_name.addItems([c.name for c in configs])
        self.p_name.setCurrentText(current or "openai")
        self.p_name.blockSignals(False)
        if not self.p_url.text():
            self._provider_named(self.p_name.currentText())
        self._draw_providers()
        keystore, names = self.session.keystore, [c.name for c in configs]

        def look() -> tuple[str, dict[str, bool]]:
            return keystore.backend_name(), {n: keystore.get(n) is not None for n in names}

        def done(value: object) -> None:
            assert isinstance(value, tuple)
            backend, states = value
            self.key_states = states
            self.keychain_label.setText(tr("Keys are kept in: {backend}.").format(backend=backend))
            self._draw_providers()

        run_task(look, done, self._keychain_failed)

    def _draw_providers(self) -> None:
        rows = []
        for c in self._configs.values():
            state = self.key_states.get(c.name)
            key = (
                tr("local, no key needed")
                if c.local
                else ("stored" if state else tr("not set") if state is False else "…")
            )
            rows.append([c.name, c.kind, c.base_url, key])
        fill_table(self.providers, rows)

    def _provider_named(self, name: str) -> None:
        c = getattr(self, "_configs", {}).get(name.strip().lower())
        if c is not None:
            self.p_kind.setCurrentText(c.kind)
            self.p_url.setText(c.base_url)

    def _provider_selected(self) -> None:
        rows = self.providers.selectionModel().selectedRows()
        if rows:
            item = self.providers.item(rows[0].row(), 0)
            if item is not None:
                self.p_name.setCurrentText(item.text())
                c = self._configs[item.text()]
                self.p_kind.setCurrentText(c.kind)
                self.p_url.setText(c.base_url)

    def _keychain_failed(self, exc: BaseException) -> None:
        danger = theme.current().danger
        if self.session.keychain_failed(exc):  # explained once, in the notice at the top
            self.keychain_label.setText(
                tr(
                    "<span style='color:{danger}'><b>No keychain</b> (see the notice at the "
                    "top).</span> Until there is one, calls to providers that need a key cannot be "
                    "forwarded; local providers (Ollama, LM Studio) work without one."
                ).format(danger=danger)
            )
        else:
            self.keychain_label.setText(
                tr("<span style='color:{danger}'>Keychain trouble: {exc}</span>").format(
                    danger=danger, exc=exc
                )
            )

    def save_provider(self) -> None:
        name = self.p_name.currentText().strip().lower()
        kind = self.p_kind.currentText()
        url = self.p_url.text().strip()
        key = self.p_key.text().strip()
        if not name:
            self.p_status.error(tr("Not saved: pick or type a provider name."))
            return
        if url and not url.startswith(("http://", "https://")):
            self.p_status.error(tr("Not saved: the base URL starts with http:// or https://."))
            return
        if key and any(ch.isspace() for ch in key):
            self.p_status.error(tr("Not saved: the key contains spaces (paste only the key)."))
            return
        if not guard_money_change(self, self.session.wallet, tr("change a provider or its key")):
            return
        existing = self._configs.get(name)
        try:
            if existing is None or existing.kind != kind or (url and existing.base_url != url):
                if existing is None and not url:
                    raise ValueError(tr("{name} is a new provider: give its base URL").format(name=name))
                self.session.wallet.set_provider(name, kind=kind, base_url=url or None)
        except Exception as exc:
            self.p_status.error(tr("Not saved: {exc}").format(exc=exc))
            return
        self.session.notify_changed()
        if not key:
            self.p_status.ok(tr("Saved {name}.").format(name=name))
            return
        keystore = self.session.keystore
        self.p_key.clear()
        self.p_status.ok(tr("Saving {name}'s key in the keychain…").format(name=name))

        def done(_v: object) -> None:
            self.session.provider_key_changed(name)
            self.p_status.ok(
                tr("Saved {name}; its key is in {backend_name}.").format(
                    name=name, backend_name=keystore.backend_name()
                )
            )
            self.reload_providers()

        def failed(exc: BaseException) -> None:
            why = (
                tr("there is no keychain (see the notice at the top)")
                if self.session.keychain_failed(exc)
                else exc
            )
            self.p_status.error(
                tr("{name} saved, but its key was not stored: {why}.").format(name=name, why=why)
            )

        run_task(lambda: keystore.set(name, key), done, failed)

    def forget_key(self) -> None:
        name = self.p_name.currentText().strip().lower()
        if not guard_money_change(self, self.session.wallet, tr("remove a provider key")):
            return
        keystore = self.session.keystore

        def done(_v: object) -> None:
            self.session.provider_key_changed(name)
            self.p_status.ok(tr("Removed {name}'s key from the keychain.").format(name=name))
            self.reload_providers()

        run_task(
            lambda: keystore.delete(name),
            done,
            lambda e: self.p_status.error(tr("Not removed: {e}").format(e=e)),
        )

    # ---- general ------------------------------------------------------------------------------
    def _general_box(self) -> QGroupBox:
        box = QGroupBox(tr("Meter, display and defaults"))
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        # Picking CNY shows the wallet's CNY rate, so the USD display rate (1) left in the field is
        # never saved as a yuan-per-dollar rate.
        self.currency.currentTextChanged.connect(self._currency_picked)
        self.rate = QLineEdit()
        self.rate.setPlaceholderText(tr("units of that currency per 1 USD, e.g. 0.92"))
        self.rate.setToolTip(
            tr(
                "Units of the display currency per 1 USD. For CNY this is also the rate calls priced in "
                "yuan are booked at (tokenwallet fx)."
            )
        )
        self.thresholds = QLineEdit()
        self.unknown = QComboBox()
        self.unknown.addItem(tr("refuse calls to models without a price"), "block")
        self.unknown.addItem(tr("charge fallback prices and mark them"), "fallback")
        self.price_updates = QCheckBox(
            tr("fetch newer prices in the background (opt-in; never blocks start-up)")
        )
        self.import_watch = QCheckBox(
            tr(
                "import Claude Code, Codex and Gemini CLI usage from their logs continuously "
                "(what bypassed the meter)"
            )
        )
        self.login = QCheckBox(tr("start metering at login"))
        self.login.setToolTip(autostart.explanation())
        login_note = QLabel(autostart.explanation())
        login_note.setWordWrap(True)
        theme.set_role(login_note, "muted")
        self.theme_box = QComboBox()
        for key, text in (
            ("system", tr("follow the system")),
            ("light", word("light")),
            ("dark", word("dark")),
        ):
            self.theme_box.addItem(text, key)
        self.theme_box.currentIndexChanged.connect(lambda _i: self.apply_theme())
        self.language_box = LanguageBox(self.session.data_dir)
        self.language_box.saved.connect(self.g_status_ok)
        self.language_box.failed.connect(self.g_status_error)
        self.save_button = QPushButton(tr("Save settings"))
        self.save_button.clicked.connect(self.save_general)
        self.g_status = StatusLine()
        form = QFormLayout(box)
        form.addRow(tr("Appearance"), self.theme_box)
        form.addRow(tr("Language"), self.language_box)
        address = QHBoxLayout()
        address.addWidget(self.host, 1)
        address.addWidget(QLabel(tr("port")))
        address.addWidget(self.port)
        address.addStretch(1)
        form.addRow(tr("Meter address"), address)
        money = QHBoxLayout()
        money.addWidget(self.currency)
        money.addWidget(QLabel(tr("rate")))
        money.addWidget(self.rate, 1)
        money.addStretch(1)
        form.addRow(tr("Display currency"), money)
        form.addRow(tr("Default warnings (%)"), self.thresholds)
        form.addRow(tr("Unknown models"), self.unknown)
        form.addRow("", self.price_updates)
        form.addRow("", self.import_watch)
        form.addRow("", self.login)
        form.addRow("", login_note)
        form.addRow("", self.save_button)
        self.restart_button = QPushButton(tr("Restart the meter on the new address"))
        self.restart_button.setVisible(False)
        self.restart_button.clicked.connect(self._restart)
        form.addRow("", self.restart_button)
        form.addRow("", self.g_status)
        narrow_fields(form)
        self.host.setMaximumWidth(220)
        self.rate.setMaximumWidth(160)
        return box

    def _currency_picked(self, code: str) -> None:
        if code.strip().upper() in fx.SETTINGS:
            self.rate.setText(_plain(_display_rate(self.session.wallet, code)))

    def g_status_ok(self, text: str) -> None:
        self.g_status.ok(text)

    def g_status_error(self, text: str) -> None:
        self.g_status.error(text)

    def apply_theme(self) -> None:
        """Light, dark or the system's: applied at once; a display choice, so no owner PIN."""
        choice = str(self.theme_box.currentData())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, choice)
        if self.session.wallet.get_setting("theme") != choice:
            self.session.wallet.set_setting("theme", choice)

    def _restart(self) -> None:
        self.restart_button.setVisible(False)
        self.session.restart_metering()

    def load_general(self) -> None:
        w = self.session.wallet
        self.theme_box.blockSignals(True)
        self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(w.get_setting("theme"))))
        self.theme_box.blockSignals(False)
        self.host.setText(str(w.get_setting("proxy_host")))
        self.port.setValue(int(w.get_setting("proxy_port")))
        self.currency.setCurrentText(str(w.get_setting("currency")))
        self.rate.setText(_plain(_display_rate(w, str(w.get_setting("currency")))))
        self.thresholds.setText(", ".join(str(t) for t in w.get_setting("default_thresholds")))
        self.unknown.setCurrentIndex(max(0, self.unknown.findData(w.get_setting("unknown_model_policy"))))
        self.price_updates.setChecked(bool(w.get_setting("price_updates")))
        self.import_watch.setChecked(bool(w.get_setting("import_watch")))
        self.login.setChecked(autostart.is_enabled() if autostart.supported() else False)
        self.login.setEnabled(autostart.supported())

    def save_general(self) -> None:
        from tokenwallet.wallet.settings import setting

        w = self.session.wallet
        wanted: dict[str, Any] = {
            "proxy_host": self.host.text().strip(),
            "proxy_port": self.port.value(),
            "currency": self.currency.currentText().strip().upper(),
            "currency_rate": self.rate.text().strip() or "1",
            "default_thresholds": self.thresholds.text(),
            "unknown_model_policy": self.unknown.currentData(),
            "price_updates": self.price_updates.isChecked(),
            "import_watch": self.import_watch.isChecked(),
        }
        try:
            if not wanted["currency"].isalpha() or len(wanted["currency"]) != 3:
                raise ValueError(tr("the currency is a three-letter code like EUR"))
            parsed = {name: setting(name).parse(value) for name, value in wanted.items()}
            if parsed["currency_rate"] <= 0:
                raise ValueError(tr("the currency rate must be more than zero"))
            if not parsed["proxy_host"]:
                raise ValueError(tr("the meter address cannot be empty"))
            if not parsed["default_thresholds"]:
                raise ValueError(tr("give at least one warning threshold, e.g. 80"))
        except Exception as exc:  # WalletError or ValueError: nothing was written
            self.g_status.error(tr("Not saved: {exc}").format(exc=exc))
            return
        if not guard_money_change(self, self.session.wallet, tr("change the wallet's settings")):
            return
        old_address = (w.get_setting("proxy_host"), w.get_setting("proxy_port"))
        updates_changed = bool(w.get_setting("price_updates")) != parsed["price_updates"]
        imports_changed = bool(w.get_setting("import_watch")) != parsed["import_watch"]
        if parsed["currency"] in fx.SETTINGS:
            # One rate per currency prices are kept in: for CNY the rate typed here is the wallet's
            # exchange rate (tokenwallet fx); written only when changed, so the dated default
            # stays a default until the user gives a rate of their own.
            typed = parsed.pop("currency_rate")
            if typed != _display_rate(w, parsed["currency"]):
                w.set_setting(fx.SETTINGS[parsed["currency"]], typed)
        for name, value in parsed.items():
            w.set_setting(name, value)
        notes = []
        if autostart.supported() and self.login.isChecked() != autostart.is_enabled():
            try:
                path = autostart.set_enabled(self.login.isChecked(), self.session.data_dir)
                done = tr("wrote {path}") if self.login.isChecked() else tr("removed {path}")
                notes.append(done.format(path=path))
            except OSError as exc:
                notes.append(tr("start at login not changed: {exc}").format(exc=exc))
        running = (self.session.host, self.session.port)
        self.restart_button.setVisible(running != (parsed["proxy_host"], parsed["proxy_port"]))
        if old_address != (parsed["proxy_host"], parsed["proxy_port"]):
            notes.append(
                tr(
                    "the meter moves to the new address when restarted (button below, or the next start); "
                    "point your tools at it"
                )
            )
        if updates_changed:
            self.session.apply_price_updates()
            notes.append(
                tr("price updates on: newer prices are fetched in the background")
                if parsed["price_updates"]
                else tr("price updates off")
            )
        if imports_changed:
            self.session.apply_import_watch()
            notes.append(tr("log imports on") if parsed["import_watch"] else tr("log imports off"))
        self.session.refresh_display()
        self.session.notify_changed()
        self.g_status.ok(tr("Saved.") + (" " + tr("; ").join(notes) + tr(".") if notes else ""))


def _display_rate(wallet: Any, currency: str) -> Decimal:
    """The rate shown beside ``currency``: the wallet's exchange rate for CNY, else the display rate."""
    code = currency.strip().upper()
    if code in fx.SETTINGS:
        return fx.rate_from(code, wallet.get_setting(fx.SETTINGS[code])).per_usd
    return Decimal(str(wallet.get_setting("currency_rate")))


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
