"""What every view shares: the wallet, the bus and bridge, the price book, the proxy, the selection.

The GUI thread uses one :class:`~tokenwallet.wallet.Wallet` for short reads and edits; workers
(aggregates, history export, previews) go through :meth:`Session.reader` (the wallet keeps a
connection per thread).

Metering: :meth:`Session.start_metering` starts the in-process :class:`ProxyServer` on a worker so
the window paints first. When the port is already held by a meter on the same wallet (``tokenwallet
serve`` or another window) the session attaches instead: it reads the wallet file and follows
``/tokenwallet/events``, and says which process it follows.
"""

from __future__ import annotations

import errno
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from tokenwallet.core import private
from tokenwallet.core.events import Event, EventBus, WalletChanged
from tokenwallet.gui.attach import EventFollower, Health, probe
from tokenwallet.gui.bridge import Bridge
from tokenwallet.gui.display import Display
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.workers import run_task
from tokenwallet.paths import wallet_file
from tokenwallet.wallet.daily import DailyBackups
from tokenwallet.wallet.inuse import try_use_lock

if TYPE_CHECKING:
    from tokenwallet.alerts import AlertService
    from tokenwallet.importers.watch import ImportWatcher
    from tokenwallet.pricing import PriceBook
    from tokenwallet.proxy import ProxyServer
    from tokenwallet.secrets import KeyStore
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.callfeed import CallFeed

log = logging.getLogger(__name__)


GUI_EDIT = "gui edit"
CLOSE_WAIT_MS = 15_000


class PortBusy(RuntimeError):
    """The proxy port is held by something that is not a Token Wallet proxy on this wallet."""


# What the OS said when the meter could not listen, in words (never "[Errno 98] …").
PORT_TROUBLE = {
    errno.EADDRINUSE: QT_TR_NOOP("is in use by another program"),
    errno.EACCES: QT_TR_NOOP("may not be used by this user (ports below 1024 need administrator rights)"),
    errno.EADDRNOTAVAIL: QT_TR_NOOP("is not an address of this computer"),
}


def port_trouble(exc: OSError) -> str:
    """Why the meter could not listen, as the end of a sentence about the port."""
    known = PORT_TROUBLE.get(exc.errno or 0)
    return tr(known) if known else tr("cannot be used: {value}").format(value=exc.strerror or exc)


class Session(QObject):
    """Shared state of one window.

    Signals:
        walletChanged(): the wallet was edited or a call settled; views re-read (coalesced to ≤10/s).
        profileChanged(str): the selected profile changed ("" means the whole wallet).
        displayChanged(): the display currency or rate changed.
        meteringChanged(str, str): mode ("starting", "hosted", "attached", "off") and a sentence.
        keychainMissing(str): a keychain call found no usable keychain; carries the explanation
            (the window says it once, in its notice area, however many places noticed).
    """

    walletChanged = Signal()
    profileChanged = Signal(str)
    displayChanged = Signal()
    meteringChanged = Signal(str, str)
    keychainMissing = Signal(str)
    _followedMeterLost = Signal()  # from the follower's thread: the meter this window followed went away

    def __init__(
        self,
        data_dir: Path,
        *,
        keystore: KeyStore | None = None,
        host: str | None = None,
        port: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        from tokenwallet.wallet import Wallet

        self.data_dir = data_dir
        try:
            private.make_dir(data_dir)
        except OSError as exc:
            from tokenwallet.wallet.errors import WalletError

            raise WalletError(
                f"cannot create the data folder {data_dir}: {exc.strerror or exc}; "
                "pick a folder you can write to with --data-dir"
            ) from None
        self.wallet_path = wallet_file(data_dir)
        self.bus = EventBus()
        self.bridge = Bridge(self)
        self.bridge.attach(self.bus)
        # Held while the window is open: 'tokenwallet restore' refuses to replace the wallet under it.
        self._in_use = try_use_lock(self.wallet_path)
        try:
            self.wallet: Wallet = Wallet.open(self.wallet_path, bus=self.bus)
        except BaseException:
            if self._in_use is not None:
                self._in_use.release()
            raise
        self.notices = list(self.wallet.notices)  # shown by the window; e.g. permissions tightened
        for notice in self.notices:
            log.warning("%s", notice)
        self.backups: DailyBackups | None = None
        self.importer: ImportWatcher | None = None  # setting import_watch: agents' logs, continuously
        self._keystore = keystore
        self._book: PriceBook | None = None
        self._book_lock = threading.Lock()
        self.profile: str | None = None
        self.display = self._read_display()
        self.host = host or str(self.wallet.get_setting("proxy_host") or "127.0.0.1")
        self.port = int(port if port is not None else self.wallet.get_setting("proxy_port") or 8787)
        self.proxy: ProxyServer | None = None
        self.follower: EventFollower | None = None
        self.feed: CallFeed | None = None  # other devices' calls, on a shared (PostgreSQL) wallet
        self.alerts: AlertService | None = None  # webhooks, while this window hosts the meter
        self.attached_to: Health | None = None  # the meter this window follows, when attached
        self.mode = "idle"  # → "starting" → "hosted" | "attached" | "off"
        self.mode_text = tr("metering not started")
        self.closed = False
        self.revealed_keys: dict[str, str] = {}  # keys shown once this session, per profile
        self._changed_timer = QTimer(self)
        self._changed_timer.setSingleShot(True)
        self._changed_timer.setInterval(100)
        self._changed_timer.timeout.connect(self.walletChanged.emit)
        from tokenwallet.gui.energy import EnergyFiller

        self.energy = EnergyFiller(self)  # energy and CO₂ of settled calls, off the meter's path
        self.bridge.coreEvent.connect(self._on_event)
        self._followedMeterLost.connect(self._take_over)

    # ---- shared objects -------------------------------------------------------------------------
    @property
    def proxy_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def keystore(self) -> KeyStore:
        if self._keystore is None:
            from tokenwallet.secrets import default_keystore

            self._keystore = default_keystore()
        return self._keystore

    def reader(self) -> Wallet:
        """The wallet for a worker thread: the wallet keeps one SQLite connection per thread, so the
        same object serves every thread (WAL lets these reads run beside the proxy's writes)."""
        return self.wallet

    def pricebook(self) -> PriceBook:
        """The price book built from the wallet's overrides and settings (cached until an edit)."""
        with self._book_lock:
            if self._book is None:
                # the proxy's own builder: a preview prices exactly as the proxy will charge
                from tokenwallet.pricing import pricebook_for

                self._book = pricebook_for(self.reader())
            return self._book

    def set_profile(self, name: str | None) -> None:
        if name != self.profile:
            self.profile = name
            self.profileChanged.emit(name or "")

    def notify_changed(self) -> None:
        """Something in the GUI edited the wallet: views re-read, the price book is rebuilt, and the
        hosted proxy re-reads its cached settings now instead of within its one-second TTL."""
        with self._book_lock:
            self._book = None
        self._poke_proxy()
        self.bus.publish(WalletChanged(GUI_EDIT))
        self._changed_timer.stop()
        self.walletChanged.emit()  # at once: the form that saved shows its result immediately

    def _poke_proxy(self, *, forget_key: str | None = None) -> None:
        # so the very next call sees the edit (a pause, a budget action, a new provider key)
        if self.proxy is not None:
            self.proxy.refresh(forget_key=forget_key)

    def provider_key_changed(self, provider: str) -> None:
        """A provider's API key was stored or removed in the keychain: the hosted proxy reads it anew.

        (A separate ``tokenwallet serve`` this window follows reads it at its next start.)
        """
        self._poke_proxy(forget_key=provider)

    def keychain_failed(self, exc: BaseException) -> bool:
        """Report a keychain error; True when it was "no keychain at all" (said once by the window,
        so the caller shows a short line instead of the whole explanation again)."""
        from tokenwallet.secrets import NoKeychainError

        if isinstance(exc, NoKeychainError):
            self.keychainMissing.emit(str(exc))
            return True
        return False

    def _read_display(self) -> Display:
        from tokenwallet.pricing import fx

        shown = fx.shown(self.wallet)
        return Display.from_settings(shown.currency, shown.rate)

    def refresh_display(self) -> None:
        self.display = self._read_display()
        self.displayChanged.emit()

    def _on_event(self, ev: Event) -> None:
        from tokenwallet.core.events import BudgetCrossed, CallRefused, CallSettled, CallStarted

        if isinstance(ev, WalletChanged):
            if ev.what == GUI_EDIT:
                return  # handled at once in notify_changed
            with self._book_lock:
                self._book = None
        if (
            isinstance(ev, WalletChanged | CallStarted | CallSettled | CallRefused | BudgetCrossed)
            and not self._changed_timer.isActive()
        ):
            self._changed_timer.start()

    # ---- metering -------------------------------------------------------------------------------
    def start_metering(self) -> None:
        """Host the proxy (or attach to one already serving this wallet) without blocking the GUI."""
        self._set_mode("starting", tr("starting the meter on {proxy_url} …").format(proxy_url=self.proxy_url))
        if self.backups is None:  # the daily backup: its own thread, whether hosted or attached
            self.backups = DailyBackups(self.wallet_path).start()
        self.apply_import_watch()
        self._follow_other_devices()
        run_task(self._start_blocking, self._on_started, self._on_start_failed)

    @property
    def shared(self) -> bool:
        """Is the wallet a PostgreSQL one that other devices meter into too?"""
        from tokenwallet.wallet.backend import url_for

        return url_for(self.wallet_path) is not None

    def _follow_other_devices(self) -> None:
        """The live meter shows every device's calls (LISTEN/NOTIFY, on a thread of its own)."""
        if self.feed is None and self.shared:
            from tokenwallet.wallet.callfeed import CallFeed

            self.feed = CallFeed(self.wallet, self.bridge.post).start()

    def restart_metering(self, *, reread: bool = True) -> None:
        """Stop the meter (letting calls in flight settle) and start it on the address in the settings
        (``reread=False``: on the same address)."""
        if self.mode == "starting":
            return
        self._set_mode("starting", tr("restarting the meter …"))
        follower, proxy, alerts = self.follower, self.proxy, self.alerts
        self.follower = self.proxy = self.alerts = None
        if reread:
            self.host = str(self.wallet.get_setting("proxy_host") or "127.0.0.1")
            self.port = int(self.wallet.get_setting("proxy_port") or 8787)

        def restart() -> str:
            if follower is not None:
                follower.stop()
            if alerts is not None:
                alerts.stop()
            if proxy is not None:
                proxy.stop(timeout=5.0)
            return self._start_blocking()

        run_task(restart, self._on_started, self._on_start_failed)

    def _start_blocking(self) -> str:
        from tokenwallet.proxy import ProxyServer

        server = ProxyServer(
            self.wallet_path,
            host=self.host,
            port=self.port,
            bus=self.bus,
            keystore=self.keystore,
            host_kind="app",
        )
        try:
            server.start()
        except OSError as exc:
            health = probe(self.proxy_url)
            if health is not None and health.is_tokenwallet and health.same_wallet(self.wallet_path):
                self.attached_to = health
                return "attached"
            if health is not None and health.is_tokenwallet:
                raise PortBusy(
                    tr(
                        "port {port} is held by a Token Wallet proxy metering another wallet "
                        "({wallet}); pick another port in Settings"
                    ).format(port=self.port, wallet=health.wallet)
                ) from exc
            raise PortBusy(
                tr("port {port} on {host} {port_trouble}; pick another port in Settings").format(
                    port=self.port, host=self.host, port_trouble=port_trouble(exc)
                )
            ) from exc
        self.proxy, self.attached_to = server, None
        self.port = server.port  # port 0 (tests) → the port the OS picked
        # The host of the meter sends the webhooks; the window shows desktop notifications itself
        # (gui/notify.py: the tray, or the notification service).
        from tokenwallet.alerts import AlertService

        self.alerts = AlertService(self.wallet_path, self.bus, keystore=self.keystore)
        self.alerts.start()
        return "hosted"

    def apply_price_updates(self) -> None:
        """Start or stop the opt-in background price updater to match the ``price_updates`` setting."""
        wanted = bool(self.wallet.get_setting("price_updates"))

        def switch() -> None:
            from tokenwallet.pricing.updates import stop_updates, update_prices

            if wanted:
                update_prices()  # returns at once; silent when offline
            else:
                stop_updates()

        run_task(switch, lambda _v: None, lambda exc: log.info("price updates unavailable: %s", exc))

    def apply_import_watch(self) -> None:
        """Start or stop the background import of agents' logs to match the ``import_watch`` setting.

        It runs on a thread of its own and publishes on this session's bus, so rows of requests made
        just now reach the live meter like metered calls.
        """
        wanted = bool(self.wallet.get_setting("import_watch"))
        if wanted and self.importer is None:
            from tokenwallet.importers.watch import ImportWatcher

            self.importer = ImportWatcher(self.wallet).start()
        elif not wanted and self.importer is not None:
            self.importer.stop()
            self.importer = None

    def _on_started(self, mode: object) -> None:
        if self.wallet.get_setting("price_updates"):
            self.apply_price_updates()
        if mode == "attached":
            self.follower = EventFollower(self.proxy_url, self.bridge.post, on_state=self._follower_state)
            self.follower.start()
            who = self.attached_to.following() if self.attached_to else tr("the Token Wallet meter")
            self._set_mode(
                "attached",
                tr("following {who} on this wallet at {proxy_url}").format(who=who, proxy_url=self.proxy_url),
            )
        else:
            self._set_mode("hosted", tr("metering on {proxy_url}").format(proxy_url=self.proxy_url))

    def _follower_state(self, connected: bool) -> None:  # on the follower's thread
        if not connected:
            self._followedMeterLost.emit()

    def _take_over(self) -> None:
        """The meter this window followed went away (its window closed, ``serve`` stopped): meter
        here instead, on the same address — or follow whichever process got there first."""
        if self.closed or self.mode != "attached":
            return
        self.restart_metering(reread=False)

    def _on_start_failed(self, exc: BaseException) -> None:
        self._set_mode("off", tr("metering is off: {exc}").format(exc=exc))

    def _set_mode(self, mode: str, text: str) -> None:
        self.mode, self.mode_text = mode, text
        self.meteringChanged.emit(mode, text)

    def is_paused(self) -> bool:
        return bool(self.wallet.get_setting("paused"))

    def offline_text(self) -> str | None:
        """While the hosted meter cannot reach a shared wallet: what it does instead (offline.py)."""
        app = self.proxy.app if self.proxy is not None else None
        offline = app.meter.offline if app is not None else None
        if offline is None or not offline.down:
            return None
        from tokenwallet.core.money import format_tokens, format_usd

        st = offline.status()
        text = tr(
            "The shared wallet cannot be reached. Metering into the local journal: {used} of the"
            " {float} float used; calls beyond the float are refused until it is back."
        ).format(used=format_usd(int(st["used_usd_nano"])), float=format_usd(int(st["float_usd_nano"])))
        if st["used_tokens"]:
            text += " " + tr("Tokens: {used} of {float}.").format(
                used=format_tokens(int(st["used_tokens"])), float=format_tokens(int(st["float_tokens"]))
            )
        return text

    def set_paused(self, paused: bool) -> None:
        self.wallet.set_setting("paused", paused)
        self.notify_changed()

    def close(self) -> None:
        """Stop the hosted proxy (letting in-flight calls settle), the follower, and close wallets."""
        self.closed = True
        self._changed_timer.stop()
        # background tasks read the wallet (and one may still be starting the proxy): let them end
        # before the wallet's connections close under them
        QThreadPool.globalInstance().waitForDone(CLOSE_WAIT_MS)
        if self.follower is not None:
            self.follower.stop()
            self.follower = None
        if self.feed is not None:
            self.feed.stop()
            self.feed = None
        if self.alerts is not None:
            self.alerts.stop()
            self.alerts = None
        if self.proxy is not None:
            try:
                self.proxy.stop(timeout=5.0)
            except Exception:
                log.exception("stopping the proxy failed")
            self.proxy = None
        self.bridge.detach_all()
        if self.wallet.get_setting("price_updates"):
            from tokenwallet.pricing.updates import stop_updates

            stop_updates()
        if self.backups is not None:
            self.backups.stop()
            self.backups = None
        if self.importer is not None:
            self.importer.stop()
            self.importer = None
        try:
            self.wallet.close()
        except Exception:
            log.exception("closing the wallet failed")
        if self._in_use is not None:
            self._in_use.release()
            self._in_use = None
