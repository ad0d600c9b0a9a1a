"""The main window: profile picker and meter state on top, notices, a page list and the pages.

Pages are built the first time they are shown (the dashboard at once), so the window paints fast.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.core.events import BudgetCrossed, CallRefused, Event, GuardTripped
from tokenwallet.gui import theme
from tokenwallet.gui.actions import set_envelope_action, suggest_for_envelope
from tokenwallet.gui.banner import BannerArea, Notice, crossed_text, guard_text, refused_text
from tokenwallet.gui.firstpaint import after_first_paint
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.icons import app_icon, page_icon
from tokenwallet.gui.notify import DesktopAlerts
from tokenwallet.gui.session import Session
from tokenwallet.gui.tray import Tray, tray_available
from tokenwallet.gui.views.billing_pin import guard_money_change
from tokenwallet.gui.views.widgets import narrow_fields
from tokenwallet.gui.words import scope_key_text, word
from tokenwallet.gui.workers import run_task

if TYPE_CHECKING:
    from tokenwallet.gui.welcome import WelcomeDialog

log = logging.getLogger(__name__)

PAGES: list[tuple[str, str]] = [
    ("dashboard", QT_TR_NOOP("Dashboard")),
    ("meter", QT_TR_NOOP("Live meter")),
    ("preview", QT_TR_NOOP("Cost preview")),
    ("wallet", QT_TR_NOOP("Profiles & budgets")),
    ("connect", QT_TR_NOOP("Connect your tools")),
    ("history", QT_TR_NOOP("History")),
    ("reconcile", QT_TR_NOOP("Reconcile")),
    ("household", QT_TR_NOOP("Household")),
    ("clients", QT_TR_NOOP("Clients & invoices")),
    ("settings", QT_TR_NOOP("Settings")),
]
OFFLINE_CHECK_MS = 2000  # how often the window asks the hosted meter whether a shared wallet is reachable
MODE_COLORS = {"hosted": "ok", "attached": "accent", "starting": "warn", "off": "danger"}  # palette roles


def _factory(key: str) -> Callable[[Session], QWidget]:
    # imported on first use: QtCharts and the tokenizer code load only when their page is opened
    if key == "dashboard":
        from tokenwallet.gui.views.dashboard import DashboardPage as D

        return D
    if key == "meter":
        from tokenwallet.gui.views.meter import MeterPage as M

        return M
    if key == "preview":
        from tokenwallet.gui.views.preview import PreviewPage as P

        return P
    if key == "wallet":
        from tokenwallet.gui.views.manage import ManagePage as W

        return W
    if key == "connect":
        from tokenwallet.gui.views.connect import ConnectPage as C

        return C
    if key == "history":
        from tokenwallet.gui.views.history import HistoryPage as H

        return H
    if key == "reconcile":  # provider-reported spend vs the wallet's (issue 11)
        from tokenwallet.gui.views.reconcile import ReconcilePage as RC

        return RC
    if key == "household":  # the billing helper's pages (households, freelancers' clients)
        from tokenwallet.gui.views.household import HouseholdPage as HH

        return HH
    if key == "clients":
        from tokenwallet.gui.views.clients import ClientsPage as CL

        return CL
    from tokenwallet.gui.views.settings import SettingsPage as S

    return S


class MainWindow(QMainWindow):
    """The "Token Wallet" window.

    Signals:
        quitRequested(): the user chose Quit (tray menu or Ctrl+Q); the app ends its event loop.
    """

    quitRequested = Signal()

    def __init__(self, session: Session, *, use_tray: bool | None = None) -> None:
        super().__init__()
        self.session = session
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, str(session.wallet.get_setting("theme")))
        self.setWindowTitle("Token Wallet")
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        self._quitting = False
        self._pages: dict[str, QWidget] = {}

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._top_bar())
        self.banner = BannerArea()
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setContentsMargins(8, 8, 8, 8)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(200)
        self.nav.setIconSize(QSize(18, 18))
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.stack = QStackedWidget()
        for key, title in PAGES:
            self.nav.addItem(tr(title))
            self.nav.item(self.nav.count() - 1).setSizeHint(QSize(0, 34))
            holder = QWidget()
            holder.setObjectName(f"holder-{key}")
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.stack.addWidget(holder)
        self.nav.currentRowChanged.connect(self._show_row)
        QTimer.singleShot(0, self._tint_nav)  # after the first paint: start-up stays fast
        theme.state().changed.connect(self._tint_nav)
        theme.state().changed.connect(self._refresh_mode)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.tray: Tray | None = None
        if tray_available() if use_tray is None else use_tray:
            self.tray = Tray(self.bring_up, self.session.set_paused, self.quit_app, self)
            self.tray.show()
        self.desktop_alerts = DesktopAlerts(session, self.tray, parent=self)
        session.bridge.coreEvent.connect(self._on_event)
        session.walletChanged.connect(self._refresh_top)
        session.meteringChanged.connect(self._metering_changed)
        session.keychainMissing.connect(self._keychain_missing)
        self.nav.setCurrentRow(0)
        self.page("meter")  # built now so it records every call from the start, visited or not
        for n, (key, _title) in enumerate(PAGES[:9], start=1):  # Ctrl+1 … Ctrl+9 switch pages
            QShortcut(QKeySequence(f"Ctrl+{n}"), self, lambda k=key: self.show_page(k))
        QShortcut(QKeySequence.StandardKey.Quit, self, self.quit_app)
        QShortcut(QKeySequence.StandardKey.HelpContents, self, lambda: self.open_welcome(""))  # F1
        self.welcome: WelcomeDialog | None = None
        self._refresh_top()
        after_first_paint(self, self._check_keychain)  # keyring's import waits for the paint
        self._offline_said: str | None = None
        self._offline_timer = QTimer(self)  # a shared wallet out of reach: say so, and the float
        self._offline_timer.timeout.connect(self._show_offline)
        self._offline_timer.start(OFFLINE_CHECK_MS)
        for n, notice in enumerate(session.notices):  # e.g. the wallet's permissions were tightened
            self.banner.show_notice(notice[:1].upper() + notice[1:], "info", key=f"open-{n}")

    def _tint_nav(self) -> None:
        p = theme.current()
        for row, (key, _title) in enumerate(PAGES):
            item = self.nav.item(row)
            if item is not None:
                item.setIcon(page_icon(key, p.muted, p.on_accent))

    # ---- top bar ------------------------------------------------------------------------------
    def _top_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("topbar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)  # the theme's top-bar colours
        row = QHBoxLayout(bar)
        row.setContentsMargins(12, 8, 12, 8)
        title = QLabel("Token Wallet")
        title.setObjectName("apptitle")
        row.addWidget(title)
        row.addSpacing(24)
        row.addWidget(QLabel(tr("Showing:")))
        self.profile_box = QComboBox()
        self.profile_box.setMinimumWidth(180)
        self.profile_box.currentIndexChanged.connect(self._profile_picked)
        row.addWidget(self.profile_box)
        self.metering_label = QLabel(self.session.mode_text)
        self.metering_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # the spare width is the label's: one line where it fits, two with large desktop text rather
        # than a window wider than 1024 px
        self.metering_label.setWordWrap(True)
        self.metering_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.metering_label, 1)
        self.pause_button = QPushButton(tr("Pause metering"))
        self.pause_button.setCheckable(True)
        self.pause_button.setToolTip(tr("While paused, the proxy refuses every call with a clear message."))
        self.pause_button.toggled.connect(self._pause_toggled)
        row.addWidget(self.pause_button)
        help_button = QPushButton(tr("Help"))
        help_menu = QMenu(help_button)
        help_menu.addAction(tr("Welcome and first steps…"), lambda: self.open_welcome(""), QKeySequence("F1"))
        help_button.setMenu(help_menu)
        row.addWidget(help_button)
        return bar

    def _refresh_top(self) -> None:
        wallet = self.session.wallet
        names = [p.name for p in wallet.profiles()]
        current = self.session.profile
        shown = [self.profile_box.itemData(i) for i in range(1, self.profile_box.count())]
        self.profile_box.blockSignals(True)
        # rebuilt only when profiles change (an open drop-down stays open), and on first fill
        if shown != names or self.profile_box.count() == 0:
            self.profile_box.clear()
            self.profile_box.addItem(tr("Whole wallet"), "")
            for name in names:
                self.profile_box.addItem(tr("Profile: {name}").format(name=name), name)
        idx = self.profile_box.findData(current or "")
        self.profile_box.setCurrentIndex(max(0, idx))
        self.profile_box.blockSignals(False)
        if current and current not in names:
            self.session.set_profile(None)
        paused = self.session.is_paused()
        self.pause_button.blockSignals(True)
        self.pause_button.setChecked(paused)
        self.pause_button.setText(tr("Resume metering") if paused else tr("Pause metering"))
        self.pause_button.blockSignals(False)
        self._show_paused(paused)
        if self.tray is not None:
            self.tray.show_paused(paused)
            self.tray.setToolTip(self.tray_tooltip())

    def tray_tooltip(self) -> str:
        """'Token Wallet — alice: $12.40 left (month)': the default profile's tightest envelope."""
        wallet = self.session.wallet
        profiles = wallet.profiles()
        name = self.session.profile or (profiles[0].name if profiles else None)
        statuses = wallet.status(profile=name) if name else wallet.status()
        tip = "Token Wallet"
        if self.session.is_paused():
            tip += tr(" — metering paused")
        if not statuses:
            return tip + (tr(" — {name}: no budget").format(name=name) if name else "")
        tight = max(statuses, key=lambda s: s.used_pct)  # the envelope closest to its limit
        left = self.session.display.amount(tight.envelope.unit, tight.available)
        return tr("{tip} — {who}: {left} left ({period})").format(
            tip=tip, who=name or word("wallet"), left=left, period=word(tight.envelope.period or "none")
        )

    def _show_paused(self, paused: bool) -> None:
        shown = any(n.key == "paused" for n in self.banner.notices)
        if paused and not shown:
            self.banner.show_notice(
                tr("Metering is paused: the proxy refuses every call until you resume."),
                "refused",
                (tr("Resume metering"), lambda: self._pause_toggled(False)),
                key="paused",
            )
        elif not paused and shown:
            self.banner.remove_key("paused")

    def _show_offline(self) -> None:
        """The offline notice: shown while offline, again when its figures change (a dismissed one
        stays away until then), gone once the shared wallet answers."""
        text = self.session.offline_text()
        if text is None:
            self.banner.remove_key("offline")
        elif text != self._offline_said:
            self.banner.show_notice(text, "warn", key="offline")
        self._offline_said = text

    def _profile_picked(self, index: int) -> None:
        data = self.profile_box.itemData(index)
        self.session.set_profile(str(data) or None)

    def _pause_toggled(self, paused: bool) -> None:
        self.session.set_paused(paused)
        self._refresh_top()

    def _check_keychain(self) -> None:
        """Say at once, on every page, when there is no keychain for provider keys.

        Without one the meter cannot forward calls that need a provider key; finding out only
        when a call fails (or on the Settings page) would leave a new user guessing. Every other
        place that meets the missing keychain reports it to the session, and this one notice
        (replaced, never repeated) carries the explanation.
        """
        keystore = self.session.keystore

        def failed(exc: BaseException) -> None:
            if not self.session.keychain_failed(exc):
                log.warning("keychain check failed: %s", exc)

        # keychain access can block (a locked keyring prompting): off the GUI thread
        run_task(lambda: keystore.get("openai"), lambda _value: None, failed)

    def _keychain_missing(self, explanation: str) -> None:
        self.banner.show_notice(
            tr("No keychain for provider keys: {explanation}").format(explanation=explanation),
            "warn",
            (tr("Settings"), self._open_settings),
            key="keychain",
        )

    def open_welcome(self, step: str = "") -> WelcomeDialog:
        """The first-run welcome (one at a time), at ``step`` or where it makes sense to start."""
        from tokenwallet.gui.welcome import WelcomeDialog

        if self.welcome is not None and self.welcome.isVisible():
            if step:
                self.welcome.go(step)
            self.welcome.raise_()
            return self.welcome
        self.welcome = WelcomeDialog(self.session, self, start=step or "key")
        self.welcome.finished.connect(lambda _r: self.session.notify_changed())
        self.welcome.open()
        return self.welcome

    def welcome_if_new(self) -> None:
        """Open the welcome when the wallet is new: no profile and no call yet."""
        from tokenwallet.gui.firstrun import is_empty

        if is_empty(self.session.wallet):
            self.open_welcome("key")

    def _open_settings(self) -> None:
        self.show_page("settings")

    def _refresh_mode(self) -> None:
        self._metering_changed(self.session.mode, self.session.mode_text, notices=False)

    def _metering_changed(self, mode: str, text: str, *, notices: bool = True) -> None:
        # When the meter is off, the why is said once, in the notice; the top bar keeps a short
        # state (a long reason there would widen the window), and pausing a meter that does not
        # run means nothing, so that button goes.
        short = tr("metering is off") if mode == "off" else text
        color = getattr(theme.current(), MODE_COLORS.get(mode, "muted"))
        self.metering_label.setText(f"<span style='color:{color}'>●</span> {short}")
        self.metering_label.setToolTip(text)
        self.pause_button.setVisible(mode != "off")
        if not notices:
            return
        if mode == "off":
            reason = text.removeprefix("metering is off: ")
            self.banner.show_notice(
                f"Metering is off: {reason[:1].upper()}{reason[1:]}.".replace("..", "."),
                "refused",
                (tr("Settings"), self._open_settings),
                key="metering",
            )
        elif mode in ("hosted", "attached"):
            self.banner.remove_key("metering")

    # ---- pages --------------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page widget for ``key``, built on first use."""
        widget = self._pages.get(key)
        if widget is None:
            row = [k for k, _ in PAGES].index(key)
            widget = _factory(key)(self.session)
            welcome = getattr(widget, "openWelcome", None)  # the dashboard's first-run checklist
            if welcome is not None:
                welcome.connect(self.open_welcome)
            for form in widget.findChildren(QFormLayout):  # no 1000 px name fields on a wide window
                narrow_fields(form)
            holder = self.stack.widget(row)
            layout = holder.layout() if holder is not None else None
            assert layout is not None
            layout.addWidget(widget)
            self._pages[key] = widget
        return widget

    def show_page(self, key: str) -> QWidget:
        self.nav.setCurrentRow([k for k, _ in PAGES].index(key))
        return self.page(key)

    def _show_row(self, row: int) -> None:
        self.page(PAGES[row][0])
        self.stack.setCurrentIndex(row)

    # ---- notices ------------------------------------------------------------------------------
    def _on_event(self, ev: Event) -> None:
        if isinstance(ev, BudgetCrossed):
            text = crossed_text(ev, self.session.display)
            action = None
            if ev.action != "downgrade":
                action = (tr("Downgrade when over"), lambda: self.switch_to_downgrade(ev.envelope_id))
            notice = self.banner.show_notice(text, "warn", action, key=f"env-{ev.envelope_id}")
            if ev.suggestion is None:
                self._add_suggestion(notice, ev.envelope_id)
        elif isinstance(ev, GuardTripped):
            self._on_guard(ev)
        elif isinstance(ev, CallRefused) and ev.reason != "guard":  # a guard says more: GuardTripped
            text = refused_text(ev, self.session.display)
            action = None
            if ev.envelope_id is not None:
                eid = ev.envelope_id
                action = (tr("Downgrade instead of refusing"), lambda: self.switch_to_downgrade(eid))
            elif "pause" in ev.reason.lower():
                action = (tr("Resume metering"), lambda: self._pause_toggled(False))
            self.banner.show_notice(text, "refused", action, key=f"refused-{ev.envelope_id}")
        # desktop notifications (tray or notification service): self.desktop_alerts, coalesced

    def _on_guard(self, ev: GuardTripped) -> None:
        text = guard_text(ev)
        blocked = ev.action == "block"
        action = None
        if blocked:
            gid, sid = ev.guard_id, ev.session
            action = (tr("Lift for this session"), lambda: self.lift_guard(gid, sid))
        self.banner.show_notice(
            text, "refused" if blocked else "warn", action, key=f"guard-{ev.guard_id}-{ev.session}"
        )  # (the desktop notification comes from self.desktop_alerts, coalesced)

    def lift_guard(self, guard_id: int, session: str) -> None:
        """The notice's one click: let this session's calls through the guard again."""
        if not guard_money_change(self, self.session.wallet, tr("lift a guard")):
            return
        try:
            self.session.wallet.lift_guard(guard_id, session or None)
        except Exception as exc:
            self.banner.show_notice(tr("Could not lift the guard: {exc}").format(exc=exc), "refused")
            return
        self.session.notify_changed()
        where = tr("session {session}").format(session=session) if session else tr("every session")
        self.banner.show_notice(
            tr("Guard #{guard_id} lifted for {where}.").format(guard_id=guard_id, where=where),
            "info",
            key=f"guard-{guard_id}-{session}",
        )

    def _add_suggestion(self, notice: Notice, envelope_id: int) -> None:
        session = self.session

        def find() -> str | None:
            return suggest_for_envelope(session.reader(), session.pricebook(), envelope_id, session.data_dir)

        def done(found: object) -> None:
            if found and notice in self.banner.notices:
                notice.label.setText(
                    tr("{text} Suggestion: {found}.").format(text=notice.label.text(), found=found)
                )

        run_task(find, done, lambda exc: log.info("no suggestion for budget #%s: %s", envelope_id, exc))

    def switch_to_downgrade(self, envelope_id: int) -> None:
        if not guard_money_change(self, self.session.wallet, tr("switch this budget to downgrade")):
            return
        try:
            env = set_envelope_action(self.session.wallet, envelope_id, "downgrade")
        except Exception as exc:
            self.banner.show_notice(tr("Could not change the budget: {exc}").format(exc=exc), "refused")
            return
        self.session.notify_changed()
        self.banner.show_notice(
            tr("Budget {scope} ({period}) now downgrades to a cheaper model instead of refusing.").format(
                scope=scope_key_text(env.scope), period=word(env.period or "none")
            ),
            "info",
            key=f"env-{envelope_id}",
        )

    # ---- window life --------------------------------------------------------------------------
    def bring_up(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def quit_app(self) -> None:
        self._quitting = True
        self.close()
        self.quitRequested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.tray is not None and not self._quitting:
            # with a tray, closing hides the window: metering goes on; Quit is in the tray menu
            event.ignore()
            self.hide()
            self.tray.notify(tr("Token Wallet is still metering"), tr("Open it or quit from the tray icon."))
            return
        if self.tray is not None:
            self.tray.hide()
        self.desktop_alerts.close()
        event.accept()
