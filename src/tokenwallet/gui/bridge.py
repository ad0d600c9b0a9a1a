"""The one place where core events cross into the GUI thread.

The proxy publishes frozen event dataclasses on an :class:`~tokenwallet.core.events.EventBus` from
its own thread (or, when the window follows a headless ``tokenwallet serve``, from the SSE reader
thread). :class:`Bridge` lives in the GUI thread; :meth:`Bridge.post` may be called from any thread.
Posted events are queued and drained in the GUI thread in one batch per event-loop turn, so a burst
of 50 streams costs one queued wake-up rather than one per event.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from tokenwallet.core.events import Event, EventBus


class Bridge(QObject):
    """Re-emits core events in the GUI thread.

    Signals:
        coreEvent(object): one core event (``CallStarted``, ``CallProgress``, ``CallSettled``,
            ``CallRefused``, ``BudgetCrossed``, ``WalletChanged``), always emitted in the GUI thread.
        batch(list): the events drained in one turn, emitted after the individual ``event``
            signals; views that repaint once per burst connect here.
    """

    coreEvent = Signal(object)
    batch = Signal(list)
    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: list[Event] = []
        self._scheduled = False
        self._closed = False
        self._unsubscribe: list[Callable[[], None]] = []
        # Queued even when posted from the GUI thread: a publisher inside a slot must not re-enter views.
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def post(self, ev: Event) -> None:
        """Queue one event for the GUI thread; safe from any thread, never blocks on the GUI."""
        with self._lock:
            if self._closed:
                return
            self._pending.append(ev)
            if self._scheduled:
                return
            self._scheduled = True
        self._wake.emit()

    def attach(self, bus: EventBus) -> None:
        """Follow a bus: every event it publishes is posted here."""
        self._unsubscribe.append(bus.subscribe(self.post))

    def detach_all(self) -> None:
        """Stop following every bus and drop what was not delivered yet (the window is closing)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        with self._lock:
            self._pending.clear()
            self._closed = True

    @Slot()
    def _drain(self) -> None:
        with self._lock:
            events, self._pending = self._pending, []
            self._scheduled = False
        for ev in events:
            self.coreEvent.emit(ev)
        if events:
            self.batch.emit(events)
