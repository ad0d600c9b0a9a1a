"""Sharing a wallet with a meter already running (``tokenwallet serve`` or another window).

When the port is already held, :func:`probe` asks ``/tokenwallet/health`` whether it is a Token
Wallet proxy, which wallet file it meters and what runs it (``"host"``: the app or ``serve``).
:class:`EventFollower` reads ``/tokenwallet/events`` (Server-Sent Events of core events as JSON)
on its own thread with httpx and posts each event to the bridge, reconnecting with a short
back-off when the server restarts.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet.core.events import Event, from_json

if TYPE_CHECKING:
    import httpx  # imported when used: it costs a quarter second at start-up

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Health:
    """What a server on the port said about itself."""

    is_tokenwallet: bool
    wallet: str | None
    raw: dict[str, Any]

    def following(self) -> str:
        """Which process a window attached to this meter follows, in words: "the Token Wallet
        window (pid 1234)" or "'tokenwallet serve' (pid 1234)"."""
        pid = self.raw.get("pid")
        which = f" (pid {pid})" if isinstance(pid, int) else ""
        host = self.raw.get("host")
        if host == "app":
            return f"the Token Wallet window{which}"
        if host == "serve":
            return f"'tokenwallet serve'{which}"
        return f"the Token Wallet meter{which}"  # an older meter that does not say

    def same_wallet(self, path: Path) -> bool:
        if self.wallet is None:
            return False
        try:
            return os.path.samefile(self.wallet, path)
        except OSError:
            return Path(self.wallet).resolve() == path.resolve()


def probe(base_url: str, timeout: float = 1.0) -> Health | None:
    """GET ``/tokenwallet/health``; ``None`` when nothing answers like a Token Wallet proxy."""
    import httpx

    try:
        resp = httpx.get(f"{base_url}/tokenwallet/health", timeout=timeout)
        data = resp.json()
    except (httpx.HTTPError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    wallet = data.get("wallet") or data.get("wallet_path") or data.get("path")
    ok = resp.status_code == 200 and (
        data.get("app") == "tokenwallet" or data.get("status") == "ok" or data.get("ok") is True
    )
    return Health(bool(ok), str(wallet) if wallet else None, data)


class EventFollower:
    """Follows ``/tokenwallet/events`` on a daemon thread and hands each event to ``sink``."""

    def __init__(
        self, base_url: str, sink: Callable[[Event], None], on_state: Callable[[bool], None] | None = None
    ) -> None:
        self._url = f"{base_url}/tokenwallet/events"
        self._sink = sink
        self._on_state = on_state
        self._stop = threading.Event()
        self._client: httpx.Client | None = None
        self._thread = threading.Thread(target=self._run, name="tokenwallet-events", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        client = self._client
        if client is not None:
            client.close()  # unblocks a read waiting on the stream
        self._thread.join(timeout)

    def _run(self) -> None:
        import httpx

        backoff = 0.2
        while not self._stop.is_set():
            try:
                with httpx.Client(timeout=httpx.Timeout(5.0, read=None)) as client:
                    self._client = client
                    with client.stream("GET", self._url, headers={"Accept": "text/event-stream"}) as resp:
                        resp.raise_for_status()
                        self._state(True)
                        backoff = 0.2
                        self._read(resp)
            except Exception as exc:  # a restart or network blip: report, wait, reconnect
                if self._stop.is_set():
                    break
                log.info("event stream interrupted: %s", exc)
            finally:
                self._client = None
            self._state(False)
            self._stop.wait(backoff)
            backoff = min(backoff * 2, 5.0)

    def _read(self, resp: httpx.Response) -> None:
        data: list[str] = []
        for line in resp.iter_lines():
            if self._stop.is_set():
                return
            if line.startswith("data:"):
                data.append(line[5:].lstrip(" "))
            elif not line and data:
                self._deliver("\n".join(data))
                data = []

    def _deliver(self, payload: str) -> None:
        try:
            doc = json.loads(payload)
            if isinstance(doc, dict) and "kind" in doc:
                self._sink(from_json(doc))
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("unreadable event from the proxy: %s", exc)

    def _state(self, connected: bool) -> None:
        if self._on_state is not None:
            self._on_state(connected)
