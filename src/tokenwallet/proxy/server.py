"""Running the proxy: uvicorn in its own thread with its own event loop.

The desktop app hosts a :class:`ProxyServer` next to its Qt loop; ``tokenwallet serve`` runs the
same server headless through :func:`serve_forever`. uvicorn started off the main thread installs
no signal handlers; we stop it with ``server.should_exit`` and let in-flight calls settle within
a bound. The wallet is opened *in* the server thread: SQLite connections belong to one thread, and
every wallet call on the request path then runs inline on that loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn

from tokenwallet.core import private
from tokenwallet.core.events import EventBus

if TYPE_CHECKING:
    from tokenwallet.proxy.app import ProxyApp
    from tokenwallet.proxy.local import EventStreams
    from tokenwallet.proxy.metering import Meter
    from tokenwallet.secrets import KeyStore
    from tokenwallet.wallet import Wallet

log = logging.getLogger(__name__)
GUARD_SAVE_EVERY = 5.0  # seconds between saves of the guards' counters (they survive a restart)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop

        return uvloop.new_event_loop()
    except ImportError:  # Windows: the default loop
        return asyncio.new_event_loop()


class ProxyServer:
    """The metering proxy, in a thread of its own.

    ``start()`` returns once the port is listening (and raises ``OSError`` when it is taken);
    ``stop()`` stops accepting, waits up to ``timeout`` seconds for in-flight calls to settle,
    then closes the upstream pool and the wallet. ``loop`` is the proxy's event loop (for
    ``asyncio.run_coroutine_threadsafe``); ``bus`` carries the call events.
    ``header_timeout`` (seconds a client has to send a request's headers) and ``max_connections``
    (more get 503) default to the wallet settings ``header_timeout_s`` and ``max_connections``.
    ``require_key``: a wallet key on every route, ``/tokenwallet/health`` included (the default
    off loopback).
    """

    def __init__(
        self,
        wallet_path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8787,
        bus: EventBus | None = None,
        keystore: KeyStore | None = None,
        allow_remote: bool = False,
        upstream_timeout: float = 600.0,
        header_timeout: float | None = None,
        max_connections: int | None = None,
        require_key: bool | None = None,
        host_kind: str = "serve",
    ) -> None:
        if not is_loopback(host) and not allow_remote:
            raise ValueError(
                f"refusing to listen on {host}: the proxy spends money, so it listens on 127.0.0.1 "
                "unless remote access is allowed explicitly (--allow-remote); wallet keys are "
                "still required"
            )
        self.wallet_path = Path(wallet_path)
        self.host = host
        self.port = port
        self.bus = bus or EventBus()
        self.keystore = keystore
        self.upstream_timeout = upstream_timeout
        # None: the wallet settings header_timeout_s / max_connections (0 turns either off)
        self.header_timeout = header_timeout
        self.max_connections = max_connections
        # Off loopback every route needs a wallet key; ``require_key=True`` asks for that on
        # loopback too (a machine other people log in to).
        self.require_key = not is_loopback(host) if require_key is None else require_key
        self.host_kind = host_kind  # "serve" or "app": reported by /tokenwallet/health
        self.loop: asyncio.AbstractEventLoop | None = None
        self.app: ProxyApp | None = None
        self.recovered: list[int] = []  # holds settled by crash recovery at start
        self._thread: threading.Thread | None = None
        self._server: uvicorn.Server | None = None
        self._streams: EventStreams | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._warm_thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Bind, open the wallet, recover stale holds, and serve in a new thread."""
        if self._thread is not None:
            raise RuntimeError("the proxy is already running")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if sys.platform != "win32":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(2048)
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]  # port 0 → the one the OS picked
        self._ready.clear()
        self._thread = threading.Thread(target=self._run, args=(sock,), name="tokenwallet-proxy", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            self._thread = None
            raise self._error

    def stop(self, timeout: float = 10.0) -> None:
        """Stop accepting calls, let in-flight ones settle (at most ``timeout`` s), release everything."""
        thread, server, loop = self._thread, self._server, self.loop
        if thread is None:
            return
        if server is not None and loop is not None and not loop.is_closed():
            server.config.timeout_graceful_shutdown = max(int(timeout), 1)
            if self._streams is not None:
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(self._streams.close)
            server.should_exit = True
        thread.join(timeout + 5)
        self._thread = None

    def refresh(self, *, forget_key: str | None = None, wait: float = 0.2) -> None:
        """Make the running proxy re-read its cached settings now (an edit made in the app).

        Without this the proxy notices wallet edits within its one-second cache; the app calls it so
        a pause or a budget change applies to the very next call. ``forget_key`` also drops the
        cached API key of that provider (the user stored a new one), so the next call reads the
        keychain again. Waits at most ``wait`` seconds: the caller is usually the GUI thread.
        """
        loop, app = self.loop, self.app
        if loop is None or app is None or loop.is_closed():
            return
        done = threading.Event()

        def run() -> None:  # the meter and the key cache belong to the proxy's loop
            try:
                app.meter.refresh(force=True)
                if forget_key is not None:
                    app.keys.forget(forget_key)
            finally:
                done.set()

        try:
            loop.call_soon_threadsafe(run)
        except RuntimeError:  # the loop stopped meanwhile
            return
        done.wait(wait)

    # -- the server thread ----------------------------------------------------------------------

    def _run(self, sock: socket.socket) -> None:
        loop = _new_loop()
        asyncio.set_event_loop(loop)
        self.loop = loop
        try:
            loop.run_until_complete(self._main(sock))
        except BaseException as exc:  # reported to start() when it happens before ready
            if not self._ready.is_set():
                self._error = exc
            else:
                log.exception("the metering proxy stopped with an error")
        finally:
            self._ready.set()
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            sock.close()

    async def _main(self, sock: socket.socket) -> None:
        from tokenwallet.proxy import heartbeat
        from tokenwallet.proxy.app import ProxyApp
        from tokenwallet.proxy.calls import Planner
        from tokenwallet.proxy.guard import Guard
        from tokenwallet.proxy.local import EventStreams, LocalAPI
        from tokenwallet.proxy.metering import Meter
        from tokenwallet.proxy.protocol import header_timeout_protocol
        from tokenwallet.proxy.upstream import ProviderKeys, make_client
        from tokenwallet.wallet import Wallet, backend
        from tokenwallet.wallet.inuse import try_use_lock

        # Held while this meter runs: 'tokenwallet restore' refuses to replace the wallet under it.
        in_use = try_use_lock(self.wallet_path)
        try:
            wallet = Wallet.open(self.wallet_path, bus=self.bus)
        except BaseException:
            if in_use is not None:
                in_use.release()
            raise
        for notice in wallet.notices:
            log.warning("%s", notice)
        from tokenwallet.proxy.transport import FastTransport

        transport = FastTransport(read_timeout=self.upstream_timeout)
        client = make_client(transport, timeout=self.upstream_timeout)
        offline = None
        try:
            meter = Meter(wallet, loopback=not self.require_key, bus=self.bus)
            if backend.url_for(self.wallet_path) is not None:  # a shared wallet: see offline.py
                from tokenwallet.proxy.offline import Offline

                meter.offline = offline = Offline(wallet)
            meter.refresh(force=True)
            self.recovered = list(wallet.recover_holds(meter.price_stale_hold))
            heartbeat.register(meter, serving=True)  # devices (issue 14): name, version, last seen
            if offline is not None:
                offline.start()  # replays what an earlier run left in the journal
            self._warm_thread = _warm_tokenizers()
            self._streams = EventStreams(self.bus, asyncio.get_running_loop())
            local = LocalAPI(meter, self._streams, host=self.host_kind)
            planner = Planner(meter, self.bus)
            self.app = ProxyApp(
                meter,
                planner,
                client,
                ProviderKeys(self.keystore),
                local.app,
                transport=transport,
                guard=Guard(meter, require_key=self.require_key, bound_host=self.host),
            )
            header_timeout = self.header_timeout
            if header_timeout is None:
                header_timeout = float(wallet.get_setting("header_timeout_s"))
            max_connections = self.max_connections
            if max_connections is None:
                max_connections = int(wallet.get_setting("max_connections"))
            config = uvicorn.Config(
                self.app,
                loop="none",
                http=header_timeout_protocol(header_timeout),
                # uvicorn counts the connection asking too: N + 1 lets N be served at once
                limit_concurrency=max_connections + 1 if max_connections else None,
                ws="none",  # upgrades reach ProxyApp as HTTP and get its 426 (proxy/upgrade.py)
                lifespan="off",
                access_log=False,
                log_level="warning",
                server_header=False,
                date_header=False,
                timeout_keep_alive=30,
                backlog=2048,
                proxy_headers=False,  # no X-Forwarded-* rewriting: nothing sits in front of the meter
                timeout_graceful_shutdown=10,
            )
            self._server = server = uvicorn.Server(config)
            serve = asyncio.ensure_future(server.serve(sockets=[sock]))
            while not server.started and not serve.done():
                await asyncio.sleep(0.005)
            self._ready.set()
            saver = asyncio.ensure_future(_save_guards_every(meter, GUARD_SAVE_EVERY))
            beats = asyncio.ensure_future(heartbeat.beat_every(meter))
            try:
                await serve
            finally:
                saver.cancel()
                beats.cancel()
                heartbeat.sign_off(meter)
                last = meter.guarding.changes()
                if last is not None:  # the last counters, as the meter stops
                    with contextlib.suppress(Exception):
                        wallet.save_guard_state(last)
        finally:
            # one last try; what still fails is settled (as estimated) at the next start
            if self.app is not None:
                self.app.planner.later.write()
            left = self.app.planner.retry.close() if self.app is not None else 0
            if offline is not None:
                offline.stop()
            if self._streams is not None:
                self._streams.close()
            await client.aclose()
            if left:
                log.warning(
                    "%d answered call(s) could not be written to the wallet %s; the next meter to "
                    "start settles them as estimates",
                    left,
                    self.wallet_path,
                )
            _close_wallet(wallet)
            if in_use is not None:
                in_use.release()


async def _save_guards_every(meter: Meter, seconds: float) -> None:
    """Save the guards' counters now and then, in a worker thread: never a write on the call path."""
    while True:
        await asyncio.sleep(seconds)
        snapshot = meter.guarding.changes()
        if snapshot is None:
            continue
        try:
            await asyncio.to_thread(_save_guard_state, meter, snapshot)
        except Exception:  # a busy or full disk: the next round tries again
            meter.guarding.dirty = True
            log.warning("could not save the guards' counters", exc_info=True)


def _save_guard_state(meter: Meter, snapshot: dict[str, Any]) -> None:
    """Save the counters, then give the C heap back what their JSON took (several MB with full
    windows): the worker thread's malloc arena would otherwise keep it as resident memory."""
    meter.wallet.save_guard_state(snapshot)
    del snapshot
    trim_c_heap()


def trim_c_heap() -> None:
    """glibc's ``malloc_trim``: freed C heap back to the system (a no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            ctypes.CDLL(None).malloc_trim(0)


def _close_wallet(wallet: Wallet) -> None:
    with contextlib.suppress(Exception):
        wallet.close()


def _warm_tokenizers() -> threading.Thread:
    """Load the tokenizer encodings in the background: the first call should not pay for it."""

    def warm() -> None:
        try:
            from tokenwallet import tokens

            # Only the encoding current OpenAI models use: cl100k_base (gpt-4, gpt-3.5, older
            # embeddings) costs ~30 MB more and loads on first use if such a model is called.
            tokens.warm(("o200k_base",))
        except Exception:  # a missing encoding file is reported when a count needs it
            log.warning("could not pre-load the tokenizer encodings", exc_info=True)

    thread = threading.Thread(target=warm, name="tokenwallet-warm", daemon=True)
    thread.start()
    return thread


def _settle_heap(server: ProxyServer) -> None:
    """Headless only: move start-up objects out of the garbage collector's way.

    The price catalog and the tokenizer tables are hundreds of thousands of long-lived objects;
    every full collection would walk them all in the middle of someone's API call (a p99 spike of
    several ms). ``gc.freeze`` parks them in a permanent generation. Not done when the app hosts
    the proxy: the GUI owns its process's collector.

    Then the C heap gives back what loading them freed (the tokenizer file's text and its
    intermediate tables, ~4 MB that small Python objects never reuse): glibc's ``malloc_trim``.
    """
    import gc

    if server._warm_thread is not None:
        server._warm_thread.join(timeout=30)
    gc.collect()
    gc.freeze()
    trim_c_heap()


def _start_price_updates(server: ProxyServer) -> None:
    """The opt-in background price updater (setting ``price_updates``); returns at once."""
    if server.app is not None and server.app.meter.wallet.get_setting("price_updates"):
        from tokenwallet.pricing.updates import update_prices

        update_prices()  # a daemon thread; silent when offline


def serve_forever(
    data_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8787,
    allow_remote: bool = False,
    *,
    keystore: KeyStore | None = None,
    ready: Any = None,
    stop_timeout: float = 10.0,
) -> int:
    """Run the proxy headless until SIGINT/SIGTERM (``tokenwallet serve``); returns an exit code.

    ``ready`` (optional) is called with the server once it listens (the CLI prints the URL).
    """
    from tokenwallet.paths import wallet_file
    from tokenwallet.wallet.daily import DailyBackups

    if keystore is None:
        from tokenwallet.secrets import default_keystore

        keystore = default_keystore()
    data_dir = Path(data_dir)
    private.make_dir(data_dir)
    server = ProxyServer(
        wallet_file(data_dir), host=host, port=port, keystore=keystore, allow_remote=allow_remote
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    # Alerts go out from the meter's host only (an app following this serve sends none), with
    # desktop notifications over D-Bus where a session bus is (silently off otherwise).
    from tokenwallet.alerts import AlertService
    from tokenwallet.alerts.desktop import DesktopNotifier

    alerts = AlertService(server.wallet_path, server.bus, keystore=keystore, desktop=DesktopNotifier())
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    backups: DailyBackups | None = None
    try:
        server.start()
        backups = DailyBackups(server.wallet_path).start()  # its own thread, off the proxy's loop
        alerts.start()
        _start_price_updates(server)
        _settle_heap(server)
        if ready is not None:
            ready(server)
        else:
            print(f"Token Wallet proxy listening on {server.url} (Ctrl+C to stop)", flush=True)
        while not stop.wait(0.5):
            if server._thread is None or not server._thread.is_alive():
                return 1
        server.stop(stop_timeout)
        return 0
    finally:
        if backups is not None:
            backups.stop()
        alerts.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)
