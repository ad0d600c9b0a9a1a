"""A webhook receiver on loopback: records every POST, answers from a script, can hang.

``statuses`` are the answers to the next requests in order (then 200). ``hold()`` makes every
request wait until ``release()`` (a stuck phone gateway); the server is threaded, so a held
request never blocks the test.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []  # every request, whatever was answered
        self.statuses: list[int] = []
        self._held = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                if receiver._held.is_set():
                    receiver._released.wait(30)
                if status in (301, 302, 307):
                    self.send_response(status)
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                else:
                    self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def hold(self) -> None:
        self._released.clear()
        self._held.set()

    def release(self) -> None:
        self._held.clear()
        self._released.set()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """The requests once at least ``count`` arrived (fails after ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            assert time.monotonic() < deadline, f"{len(self.received)} of {count} webhook requests arrived"
            time.sleep(0.01)
        return list(self.received)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
