"""Opt-in price updates through genai-prices' own updater.

Off by default (setting ``price_updates``): the bundled catalog works offline. When switched on,
:func:`update_prices` starts genai-prices' background thread, which fetches the project's
published price file and swaps it in when it parses; it returns at once, so start-up never
waits on the network, and a failed fetch (offline, proxy, bad data) only leaves the bundled or
previously fetched prices in use. genai-prices logs the failure on its own logger, which we
quieten to a debug message so an offline laptop does not print errors.

A :class:`~tokenwallet.pricing.book.PriceBook` notices a new snapshot on its next lookup and
re-resolves its cache; ledger rows keep the price JSON they were charged at.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

_lock = threading.Lock()
_updater: Any = None


class _Quiet(logging.Filter):
    """Turn genai-prices' background fetch errors into debug records: offline is normal here."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


def update_prices(*, url: str | None = None, interval_s: float = 24 * 3600, timeout_s: float = 10.0) -> bool:
    """Start (once) the background price updater; returns immediately.

    Returns True if an updater is running after the call, False if it could not be started
    (genai-prices' updater unavailable). Never raises for network problems and never blocks.
    """
    global _updater  # noqa: PLW0603 - one updater per process, like genai-prices' own
    with _lock:
        if _updater is not None:
            return True
        try:
            import httpx2
            from genai_prices import UpdatePrices
        except ImportError as exc:  # pragma: no cover - both ship with genai-prices
            log.debug("price updates unavailable: %s", exc)
            return False
        genai_log = logging.getLogger("genai-prices")
        if not any(isinstance(f, _Quiet) for f in genai_log.filters):
            genai_log.addFilter(_Quiet())
        kwargs: dict[str, Any] = {
            "update_interval": interval_s,
            "request_timeout": httpx2.Timeout(timeout=timeout_s, connect=min(timeout_s, 5.0)),
        }
        if url:
            kwargs["url"] = url
        updater = UpdatePrices(**kwargs)
        try:
            updater.start(wait=False)
        except Exception as exc:  # thread start failure: keep the bundled prices
            log.debug("price updater did not start: %s", exc)
            return False
        _updater = updater
        return True


def wait_for_update(timeout_s: float) -> bool:
    """Block up to ``timeout_s`` for the first fetch; True if new prices are in use.

    For tests and an explicit "update now" button only; errors are swallowed (False).
    """
    updater = _updater
    if updater is None:
        return False
    try:
        return bool(updater.wait(timeout_s))
    except Exception as exc:
        log.debug("price update failed: %s", exc)
        return False


def stop_updates() -> None:
    """Stop the background updater (fetched prices stay in use)."""
    global _updater  # noqa: PLW0603 - one updater per process, like genai-prices' own
    with _lock:
        if _updater is not None:
            _updater.stop()
            _updater = None


def using_updated_prices() -> bool:
    """True when the catalog in use came from an update rather than the bundled data."""
    from genai_prices import data_snapshot

    return bool(data_snapshot.get_snapshot().from_auto_update)
