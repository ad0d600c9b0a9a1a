"""A lean HTTP/1.1 keep-alive transport for the proxy's ``httpx.AsyncClient``.

Why not httpx's default (httpcore)? Profiling the proxy at concurrency 32 showed two thirds of its
time in httpcore's pool bookkeeping: every request walks every pooled connection and asks each
whether it is idle, expired or readable, through anyio's attribute layers. Here a pool is a plain
LIFO list of idle connections per origin; a connection knows it is dead because asyncio told it
(``connection_lost``), so checking one out costs nothing. Responses are parsed by httptools (the
parser uvicorn uses) straight from the socket callbacks, and bodies stream chunk by chunk: nothing
is buffered beyond what the socket delivered, with flow control past 1 MiB.

The client code keeps speaking httpx (``client.send(request, stream=True)``, ``aiter_raw``,
httpx's exception classes); only the wire layer is ours.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import cast

import httptools
import httpx

_HIGH_WATER = 1 << 20
_Origin = tuple[bytes, bytes, int]


class _Conn(asyncio.Protocol):
    """One upstream connection: feeds the parser, hands chunks to whoever reads the body."""

    def __init__(self, pool: FastTransport, origin: _Origin) -> None:
        self.pool = pool
        self.origin = origin
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.idle_since = 0.0
        self._reset()

    def _reset(self) -> None:
        self.headers: list[tuple[bytes, bytes]] = []
        self.head: asyncio.Future[None] | None = None
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.complete = False
        self.error: Exception | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.got_bytes = False
        self.paused = False
        self.keep_alive = False

    # -- asyncio.Protocol -----------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports are not subclasses

    def data_received(self, data: bytes) -> None:
        self.got_bytes = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(httpx.RemoteProtocolError(f"invalid HTTP response from upstream: {exc}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.pool._forget(self)
        if not self.complete and self.head is not None and self.head.done() and not self._framed():
            self.complete = True  # a body delimited by the connection closing (no length, not chunked)
            self._wake()
        if not self.complete:
            if self.head is not None and not self.head.done():
                self._fail(httpx.RemoteProtocolError("upstream closed the connection without a response"))
            else:
                self._fail(httpx.ReadError("upstream closed the connection mid-response"))

    def pause_writing(self) -> None:  # request bodies are small; the kernel buffer absorbs them
        pass

    def resume_writing(self) -> None:
        pass

    # -- httptools callbacks --------------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.keep_alive = self.parser.should_keep_alive()  # only meaningful inside this callback
        if self.head is not None and not self.head.done():
            self.head.set_result(None)

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)
        self.buffered += len(body)
        if self.buffered > _HIGH_WATER and not self.paused and self.transport is not None:
            self.paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        self.complete = True
        self._wake()

    # -- helpers --------------------------------------------------------------------------------
    def _framed(self) -> bool:
        return any(n.lower() in (b"content-length", b"transfer-encoding") for n, _ in self.headers)

    def _wake(self) -> None:
        w = self.waiter
        if w is not None and not w.done():
            w.set_result(None)

    def _fail(self, exc: Exception) -> None:
        if self.error is None:
            self.error = exc
        if self.head is not None and not self.head.done():
            self.head.set_exception(exc)
        w = self.waiter
        if w is not None and not w.done():
            w.set_exception(exc)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    async def wait(self, fut: asyncio.Future[None], timeout: float | None, what: str) -> None:
        if fut.done():
            return fut.result()
        handle = None
        if timeout is not None:

            def expire() -> None:
                if not fut.done():
                    fut.set_exception(httpx.ReadTimeout(f"upstream {what} timed out"))

            handle = asyncio.get_running_loop().call_later(timeout, expire)
        try:
            await fut
        finally:
            if handle is not None:
                handle.cancel()


class _Body(httpx.AsyncByteStream):
    """The response body: chunks as the socket delivered them; returns the connection when done."""

    def __init__(self, conn: _Conn, timeout: float | None, reusable: bool) -> None:
        self.conn = conn
        self.timeout = timeout
        self.reusable = reusable
        self.done = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn = self.conn
        loop = asyncio.get_running_loop()
        chunks = conn.chunks
        while True:
            if chunks:
                # What one read brought is handed on as one piece: a stream's events go to the
                # client in one write per read, not one per upstream chunk.
                if len(chunks) == 1:
                    chunk = chunks.popleft()
                else:
                    chunk = b"".join(chunks)
                    chunks.clear()
                conn.buffered -= len(chunk)
                if conn.paused and conn.buffered < _HIGH_WATER // 2 and conn.transport is not None:
                    conn.paused = False
                    conn.transport.resume_reading()
                yield chunk
                continue
            if conn.complete:
                self.done = True
                return
            if conn.error is not None:
                raise conn.error
            conn.waiter = loop.create_future()
            await conn.wait(conn.waiter, self.timeout, "read")
            conn.waiter = None

    def ended(self) -> bool:
        """Everything the upstream sent has been handed out, and it said the answer is complete."""
        return self.conn.complete and not self.conn.chunks

    async def aclose(self) -> None:
        conn = self.conn
        if self.done and self.reusable and conn.complete and conn.error is None and not conn.closed:
            conn.pool._release(conn)
        else:
            conn.close()


def direct_body(resp: httpx.Response) -> _Body | None:
    """The answer's body as FastTransport reads it, when it can be relayed as is (not encoded)."""
    stream = resp.stream
    if isinstance(stream, _Body) and b"content-encoding" not in (n.lower() for n, _ in resp.headers.raw):
        return stream
    return None


def answer_chunks(resp: httpx.Response) -> AsyncIterator[bytes]:
    """An answer's body as it arrives: straight from the connection when it came through
    FastTransport unencoded (httpx's aiter_bytes adds a decoder, a chunker and two generator
    layers per piece), else through httpx."""
    body = direct_body(resp)
    return body.__aiter__() if body is not None else resp.aiter_bytes()


async def read_answer_body(resp: httpx.Response) -> bytes:
    """A whole answer's body (see :func:`answer_chunks`); taken at once when it is all in hand
    already (a small answer comes in the read that brought its headers)."""
    body = direct_body(resp)
    if body is not None and body.conn.complete and body.conn.error is None:
        conn = body.conn
        data = b"".join(conn.chunks)
        conn.chunks.clear()
        conn.buffered = 0
        if conn.paused and conn.transport is not None:  # it may go back to the pool: reading again
            conn.paused = False
            conn.transport.resume_reading()
        body.done = True
        return data
    return b"".join([chunk async for chunk in answer_chunks(resp)])


class FastTransport(httpx.AsyncBaseTransport):
    """Keep-alive HTTP/1.1 to the providers (TLS when https), an LIFO idle pool per origin."""

    def __init__(
        self,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float | None = 600.0,
        keepalive_expiry: float = 30.0,
        max_idle_per_origin: int = 256,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.keepalive_expiry = keepalive_expiry
        self.max_idle = max_idle_per_origin
        self._ssl = ssl_context
        self._idle: dict[_Origin, list[_Conn]] = {}
        self._all: set[_Conn] = set()

    def _ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        return self._ssl

    async def _connect(self, origin: _Origin) -> _Conn:
        scheme, host, port = origin
        loop = asyncio.get_running_loop()
        conn = _Conn(self, origin)
        hostname = host.decode("ascii")
        tls = self._ssl_context() if scheme == b"https" else None
        try:
            await asyncio.wait_for(
                loop.create_connection(
                    lambda: conn, hostname, port, ssl=tls, server_hostname=hostname if tls else None
                ),
                self.connect_timeout,
            )
        except TimeoutError:
            raise httpx.ConnectTimeout(f"connecting to {hostname}:{port} timed out") from None
        except OSError as exc:
            raise httpx.ConnectError(f"cannot connect to {hostname}:{port}: {exc.strerror or exc}") from None
        self._all.add(conn)
        return conn

    def _checkout(self, origin: _Origin) -> _Conn | None:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            conn = idle.pop()
            if not conn.closed and now - conn.idle_since < self.keepalive_expiry:
                return conn
            conn.close()
        return None

    def _release(self, conn: _Conn) -> None:
        idle = self._idle.setdefault(conn.origin, [])
        if len(idle) >= self.max_idle:
            conn.close()
            return
        conn._reset()
        conn.idle_since = time.monotonic()
        idle.append(conn)

    def _forget(self, conn: _Conn) -> None:
        self._all.discard(conn)
        idle = self._idle.get(conn.origin)
        if idle and conn in idle:
            idle.remove(conn)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        timeouts = request.extensions.get("timeout") or {}
        read_timeout = timeouts.get("read", self.read_timeout)
        return await self._exchange(
            request.method.encode(), request.url, request.headers.raw, body, read_timeout
        )

    async def post(
        self,
        url: httpx.URL,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        sent: Callable[[], object] | None = None,
    ) -> httpx.Response:
        """POST ``body`` with ``headers`` (no Host, no Content-Length: added here) to ``url``.

        The metered path's way in: the same exchange without building an httpx.Request first.
        ``sent`` runs once the request is written, before the wait for the answer.
        """
        head = [(b"Host", url.netloc), *headers, (b"Content-Length", b"%d" % len(body))]
        return await self._exchange(b"POST", url, head, body, self.read_timeout, sent=sent)

    async def _exchange(
        self,
        method: bytes,
        url: httpx.URL,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        read_timeout: float | None,
        *,
        sent: Callable[[], object] | None = None,
    ) -> httpx.Response:
        scheme = url.raw_scheme
        port = url.port or (443 if scheme == b"https" else 80)
        origin = (scheme, url.raw_host, port)
        conn = self._checkout(origin) or await self._connect(origin)
        conn._reset()
        loop = asyncio.get_running_loop()
        conn.head = loop.create_future()
        parts = [method, b" ", url.raw_path, b" HTTP/1.1\r\n"]
        for name, value in headers:
            parts += (name, b": ", value, b"\r\n")
        parts.append(b"\r\n")
        if body:
            parts.append(body)
        assert conn.transport is not None
        conn.transport.write(b"".join(parts))
        if sent is not None:
            sent()
        try:
            await conn.wait(conn.head, read_timeout, "response")
        except BaseException:
            conn.close()
            raise
        reusable = conn.keep_alive and method != b"HEAD"
        if method == b"HEAD":
            conn.complete = True
        return httpx.Response(
            conn.parser.get_status_code(),
            headers=conn.headers,
            stream=_Body(conn, read_timeout, reusable),
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def aclose(self) -> None:
        for conn in list(self._all):
            conn.close()
        self._all.clear()
        self._idle.clear()
