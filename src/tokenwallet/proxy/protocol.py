"""uvicorn's httptools protocol with a header-read timeout (slowloris).

uvicorn closes a keep-alive connection that stays idle *between* requests, but a client that
opens a connection and then sends half a request line, or headers one byte a minute, is held
forever: every such connection is a socket and a parser the proxy keeps. Here a timer runs from
the moment a connection opens (and from the first byte of each further request) until the
request's headers are complete; when it fires, the client gets a 408 and the connection closes.
The cost per request is one timer armed and cancelled.

Each request's response also goes out in as few sends as it can: uvicorn writes the status line
and headers at ``http.response.start`` and the body at ``http.response.body``, two syscalls and two
TCP segments for an answer the client then reads in two wakeups. :class:`_HeadFirst` holds the
headers back until the body's first write, or at the latest ``HOLD_HEADERS`` later: a whole
non-streamed answer leaves in one send, and so do a stream's headers and its first chunk when the
provider sends that chunk right behind its own headers (as fast providers do). A provider that
takes longer for its first chunk gets its headers to the client ``HOLD_HEADERS`` late, which no
client can use for anything before the first byte.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_TIMEOUT_BODY = b"Token Wallet: the request headers came too late\n"
_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_TIMEOUT_BODY), _TIMEOUT_BODY)
)


_JOIN_UP_TO = 64 * 1024  # a bigger body goes in its own write rather than be copied behind the headers
HOLD_HEADERS = 0.002  # seconds the headers wait for the body's first write


class _HeadFirst:
    """A request cycle's transport that holds its first write (the headers) for the next one
    (module doc)."""

    __slots__ = ("_first", "_held", "_loop", "_timer", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._first = True
        self._held: bytes | None = None
        self._timer: asyncio.TimerHandle | None = None

    def write(self, data: bytes) -> None:
        held = self._held
        if held is not None:
            self._held = None
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if len(data) <= _JOIN_UP_TO:
                self._transport.write(held + data)
                return
            self._transport.write(held)
        elif self._first:
            self._first = False
            self._held = data
            self._timer = self._loop.call_later(HOLD_HEADERS, self.flush)
            return
        self._transport.write(data)

    def flush(self) -> None:
        timer = self._timer
        if timer is not None:  # (cancelling the timer that is running this is harmless)
            self._timer = None
            timer.cancel()
        held = self._held
        if held is not None:
            self._held = None
            if not self._transport.is_closing():
                self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:  # is_closing, get_extra_info …: the real transport's
        return getattr(self._transport, name)


def header_timeout_protocol(seconds: float) -> type[HttpToolsProtocol]:
    """An HttpToolsProtocol class that allows ``seconds`` for each request's headers (0: off)."""

    class HeaderTimeoutProtocol(HttpToolsProtocol):
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self._header_timer is None:
                self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()
            cycle = self.cycle  # the new request's (an upgrade request makes none: skip it)
            current: object = cycle.transport if cycle is not None else None
            if cycle is not None and not isinstance(current, _HeadFirst):
                cycle.transport = _HeadFirst(self.transport, self.loop)  # type: ignore[assignment]

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if seconds > 0:
                self._header_timer = self.loop.call_later(seconds, self._headers_too_late)

        def _disarm(self) -> None:
            timer = self._header_timer
            if timer is not None:
                timer.cancel()
                self._header_timer = None

        def _headers_too_late(self) -> None:
            self._header_timer = None
            transport = self.transport
            if transport is None or transport.is_closing():
                return
            # A request in progress (its headers done) is not ours to end: the timer is only ever
            # armed while headers are awaited, so this connection is idle or half-way through them.
            if self.cycle is None or self.cycle.response_complete:
                transport.write(_TIMEOUT_RESPONSE)
            transport.close()

    return HeaderTimeoutProtocol
