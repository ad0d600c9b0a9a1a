"""Blocking work off the GUI thread (aggregates, tokenising, keychain), reported back on it.

``run_task(fn, on_done, on_error)`` runs ``fn`` on the global ``QThreadPool``; the callbacks run in
the GUI thread because they are invoked from a slot of a relay object that lives there (a queued
connection), never from the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_live: set[_Relay] = set()  # relays stay referenced until their task reports


@contextmanager
def _gone_widgets_ignored() -> Iterator[None]:
    """A result that arrives after its page was closed has nowhere to go; that is not an error."""
    try:
        yield
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise
        log.debug("a background result arrived after its widget was deleted")


class _Relay(QObject):
    """Carries one task's result to the GUI thread.

    Signals:
        done(object): the task returned a value (emitted from the worker, delivered queued).
        failed(object): the task raised; carries the exception.
    """

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None] | None):
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)

    @Slot(object)
    def _deliver_done(self, value: object) -> None:
        _live.discard(self)
        with _gone_widgets_ignored():
            self._on_done(value)

    @Slot(object)
    def _deliver_error(self, exc: object) -> None:
        _live.discard(self)
        assert isinstance(exc, BaseException)
        if self._on_error is not None:
            with _gone_widgets_ignored():
                self._on_error(exc)
        else:
            log.error("background task failed: %s", exc)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            value = self._fn()
        except BaseException as exc:  # reported to the GUI thread; a worker must not die silently
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(value)


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Run ``fn()`` on the thread pool; ``on_done(result)`` / ``on_error(exc)`` run in the GUI thread."""
    relay = _Relay(on_done, on_error)
    _live.add(relay)
    QThreadPool.globalInstance().start(_Task(fn, relay))


def pending_tasks() -> int:
    """How many tasks have not reported yet (tests wait for zero)."""
    return len(_live)
