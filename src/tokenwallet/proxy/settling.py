"""When the wallet file cannot be written: a clear refusal before the call, retries after it.

Before a call (the hold cannot be written: disk full, I/O error, read-only file) the client gets
507 or 503 with the reason, in its own wire format, and nothing goes upstream.

After a call, the provider has already been paid for it, so the ledger row must appear. A call
counts as settled only once its row is written: until then its hold stays in the wallet (with the
output checkpoint, so a crash-recovery settle at the next start charges it), and the settle is
retried in the background with a growing pause. Settling is idempotent on the call id, so a retry
that races a recovery cannot count the call twice.

On an SQLite wallet an answered call's settle waits for the loop's next idle moment
(:class:`LaterSettles`): written right after the next call's request went upstream (the loop would
only wait for the provider then), before any reserve that would otherwise be refused, before a
``/tokenwallet/`` request is answered, as the proxy stops, and at the latest ``SETTLE_WITHIN``
after the answer. Done at once, it ran between the answer and the next request a client sends
right after it: that request waited for it. It runs on the loop's thread (a fraction of a
millisecond, no thread hop). A stream's waiting settles are written at the same moment: writing
them after its first byte instead (its header worked out as if they were written) was measured,
and made the first byte later on the bench's VM, where a loop that idles while the provider
works is woken up late.

A wallet in PostgreSQL on another machine settles at once, in a worker thread: its statements
are round trips across a network, and the loop must not stand still meanwhile (every other call's
stream waits on it); its reserves go to the same worker (``remote_reserve``). A PostgreSQL server
on this machine is written like the SQLite file, on the loop (:func:`off_loop`). With the worker,
the hold stays in the wallet until the row is written, so a budget never looks bigger than it is
while a settle is on its way; the meter waits for every settle still on its way before it stops.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from tokenwallet.proxy.errors import ProxyError
from tokenwallet.wallet.errors import WalletError

if TYPE_CHECKING:
    Write = Callable[[int | None, "CallRecord", Callable[["SettleResult"], None]], "SettleResult | None"]
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.types import CallRecord, SettleResult

log = logging.getLogger(__name__)
T = TypeVar("T")

SETTLE_WITHIN = 0.01  # seconds: an answered call's ledger row is written by then at the latest
FIRST_PAUSE = 0.25  # seconds before the first retry; doubles up to MAX_PAUSE
MAX_PAUSE = 30.0
# One worker: settles queue on the wallet's lock anyway, and more threads only contended with the
# loop's reserve for it (bench_proxy.sh --wallet: 4 threads gave fewer requests a second than 1).
SETTLE_THREADS = 1
Done = Callable[["SettleResult"], None]


def off_loop(wallet: Wallet) -> bool:
    """Whether the wallet's writes leave the meter's loop for a worker thread (module doc): a
    PostgreSQL wallet on another machine. On this one (a Unix socket, a loopback address) a round
    trip is tens of microseconds, and a worker costs more than it saves: it and the loop take
    turns at Python's lock (bench_cpu.py --wallet, concurrency 32: 1.9 ms CPU and 3.0-3.5 ms a
    call on the loop, 2.1-2.6 ms and 3.7-4.1 ms with the worker). A stand-in wallet (tests) is a
    local one."""
    return bool(getattr(wallet, "shared", False)) and not getattr(wallet, "nearby", True)


def wallet_refusal(exc: WalletError) -> ProxyError:
    """The answer to a call whose hold could not be written (nothing went upstream)."""
    reason = str(exc)
    if "full" in reason.lower():
        return ProxyError(
            507,
            f"Token Wallet cannot record this call: {reason.rstrip('.')}. Nothing was sent to the provider.",
            "wallet_disk_full",
        )
    return ProxyError(
        503,
        f"Token Wallet cannot record this call: {reason}. Nothing was sent to the provider.",
        "wallet_unavailable",
    )


class SettleRetry:
    """Settles: written at once (or in a worker, for a remote wallet), retried until written."""

    def __init__(self, wallet: Wallet) -> None:
        self.wallet = wallet
        self.pending: dict[str, tuple[int | None, CallRecord, Done]] = {}
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        if off_loop(wallet):
            self._pool = concurrent.futures.ThreadPoolExecutor(
                SETTLE_THREADS, "tw-settle", initializer=_quiet_thread
            )
        self.remote = self._pool is not None  # its settles go to a worker thread
        # True while a shared wallet is known to be out of reach: no attempt (each would wait on a
        # connection), the next one comes after the usual pause (proxy/offline.py).
        self.waiting: Callable[[], bool] = lambda: False
        self._on_way: dict[concurrent.futures.Future[SettleResult], tuple[int | None, CallRecord, Done]] = {}

    def settle(self, hold_id: int | None, rec: CallRecord, done: Done) -> None:
        """Write ``rec``'s ledger row and free its hold; ``done`` runs (on the loop) once it is."""
        loop = _running_loop()
        if self._pool is None or loop is None:
            try:
                result = self.wallet.settle(hold_id, rec)
            except WalletError as exc:
                self.add(hold_id, rec, exc, done)
                return
            done(result)
            return
        fut = self._pool.submit(self.wallet.settle, hold_id, rec)
        self._on_way[fut] = (hold_id, rec, done)
        fut.add_done_callback(lambda f: _call_soon(loop, self._landed, f))

    def submit(self, fn: Callable[..., T], *args: object) -> concurrent.futures.Future[T]:
        """Run ``fn(*args)`` on the worker (a remote wallet's reserve, ``remote_reserve``): after
        every settle handed to it before, on the same connection."""
        if self._pool is None:
            raise RuntimeError("a local wallet has no settle worker")
        return self._pool.submit(fn, *args)

    def _landed(self, fut: concurrent.futures.Future[SettleResult]) -> None:
        """A worker's settle finished: announce it, or keep it for a retry (loop thread)."""
        item = self._on_way.pop(fut, None)
        if item is None:  # already handled by close()
            return
        hold_id, rec, done = item
        exc = fut.exception()
        if exc is None:
            done(fut.result())
            return
        # e.g. the worker's first connection to a database that just went away (an sqlite3 error,
        # not yet a WalletError): the row must still appear, so it is retried like any other
        self.add(hold_id, rec, exc if isinstance(exc, WalletError) else WalletError(str(exc)), done)

    @property
    def on_way(self) -> bool:
        """Whether settles are being written in a worker thread right now."""
        return bool(self._on_way)

    def wait(self) -> None:
        """Wait for the settles on their way and announce them (loop thread; a remote wallet)."""
        if self._on_way:
            concurrent.futures.wait(list(self._on_way))
            for fut in list(self._on_way):
                self._landed(fut)

    def close(self) -> int:
        """As the meter stops: wait for the settles on their way, try the failed ones once more;
        returns how many are still not written (the next start settles them from their holds)."""
        if self._pool is not None:
            self.wait()
            self._pool.shutdown(wait=True)
        return self.flush()

    def add(
        self,
        hold_id: int | None,
        rec: CallRecord,
        exc: WalletError,
        done: Callable[[SettleResult], None],
    ) -> None:
        """Keep ``rec`` to settle later; ``done`` runs once its row is written."""
        log.warning("could not settle call %s yet (%s); retrying in the background", rec.call_id, exc)
        # best effort: the checkpoint lets crash recovery charge the output
        if hold_id is not None and not self.waiting():
            with contextlib.suppress(Exception):
                self.wallet.hold_progress(hold_id, rec.usage.output_tokens)
        self.pending[rec.call_id] = (hold_id, rec, done)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a direct caller): the next start's recovery settles it
            return
        loop.call_later(FIRST_PAUSE, self._attempt, rec.call_id, FIRST_PAUSE)

    def _attempt(self, call_id: str, pause: float) -> None:
        if call_id in self.pending and (self.waiting() or not self._settle(call_id)):
            pause = min(pause * 2, MAX_PAUSE)
            asyncio.get_running_loop().call_later(pause, self._attempt, call_id, pause)

    def _settle(self, call_id: str) -> bool:
        hold_id, rec, done = self.pending[call_id]
        try:
            result = self.wallet.settle(hold_id, rec)
        except Exception as exc:  # still failing: keep the hold, try again later
            log.debug("settle of %s failed again: %s", call_id, exc)
            return False
        del self.pending[call_id]
        try:
            done(result)
        except Exception:  # publishing the event must not undo the settle
            log.exception("after settling %s", call_id)
        return True

    def flush(self) -> int:
        """Try every pending settle now (before the next call, and as the proxy stops); returns
        how many are still waiting."""
        for call_id in list(self.pending):
            self._settle(call_id)
        return len(self.pending)


class LaterSettles:
    """Settles of answered calls, written when the loop has nothing better to do (module doc).

    The caller has already done what must not wait (the guards' counters, the answer itself);
    the queue holds the wallet writes, in order. ``write`` is the planner's own settle (which
    hands a failed one to :class:`SettleRetry`).
    """

    __slots__ = ("_timer", "_write", "queue")

    def __init__(self, write: Write) -> None:
        self._write = write
        self.queue: list[tuple[int | None, CallRecord, Done]] = []  # (hold id, record, then what)
        self._timer: asyncio.TimerHandle | None = None

    def add(self, hold_id: int | None, rec: CallRecord, done: Done) -> None:
        self.queue.append((hold_id, rec, done))
        if self._timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop (a direct caller): now
                self.write()
                return
            self._timer = loop.call_later(SETTLE_WITHIN, self.write)

    def write(self) -> list[tuple[CallRecord, SettleResult | None]]:
        """Write every waiting settle now, oldest first: each record, and its result when written."""
        timer = self._timer
        if timer is not None:
            self._timer = None
            timer.cancel()
        queue = self.queue
        if not queue:
            return []
        self.queue = []
        written: list[tuple[CallRecord, SettleResult | None]] = []
        for hold_id, rec, done in queue:
            result = None
            try:
                result = self._write(hold_id, rec, done)
            except Exception:  # a bug: the hold stays (recovered at the next start); the others go on
                log.exception("settling call %s", rec.call_id)
            written.append((rec, result))
        return written


def _quiet_thread() -> None:
    """The settle worker's ledger rows are not changes the meter's own caches must re-read."""
    from tokenwallet.wallet.pgquiet import quiet_writes

    quiet_writes()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _call_soon(loop: asyncio.AbstractEventLoop, fn: Callable[..., object], *args: object) -> None:
    # the loop may have closed while the worker ran: close() handles what is left then
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(fn, *args)
