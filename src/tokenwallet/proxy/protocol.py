"""uvicorn's httptools protocol with a header-read timeout (slowloris).

uvicorn closes a keep-alive connection that stays idle *between* requests, but a client that
opens a connection and then sends half a request line, or headers one byte a minute, is held
forever: every such connection is a socket and a parser the proxy keeps. Here a timer runs from
the moment a connection opens (and from the first byte of each further request) until the
request's headers are complete; when it fires, the client gets a 408 and the connection closes.
The cost per request is one timer armed and cancelled.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_TIMEOUT_BODY = b"Token Wallet: the request headers came too late\n"
_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_TIMEOUT_BODY), _TIMEOUT_BODY)
)


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
