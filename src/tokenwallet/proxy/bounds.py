"""Bounded local work: body caps, big bodies parsed and counted off the loop, clients that leave.

One event loop serves every call, so anything slow done inline stalls every other caller: a large
prompt's JSON parse and token count go to a worker thread (small ones stay inline, where a thread
hop would cost more than the work). The ``/tokenwallet/`` endpoints read their body with a cap
before Starlette sees it. A client that hangs up while the provider is still thinking cancels the
upstream request (:class:`DisconnectWatch`), so its hold is settled at once instead of when the
provider finally answers.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any, TypeVar

from tokenwallet.proxy.errors import ProxyError, error_body

if TYPE_CHECKING:
    from tokenwallet.proxy.metering import Meter
    from tokenwallet.proxy.routes import Route
    from tokenwallet.tokens.counting import TokenCount

T = TypeVar("T")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BIG_BODY = 256 * 1024  # bytes: above this, parsing and counting run in a worker thread
WATCH_AFTER = 0.05  # seconds into the wait for the provider before watching for a client leaving


def too_large(limit: int, setting: str) -> ProxyError:
    return ProxyError(
        413,
        f"The request body is larger than Token Wallet's limit of {limit} bytes (setting {setting}).",
        "body_too_large",
    )


async def read_body(scope: Scope, receive: Receive, limit: int, setting: str) -> bytes:
    """The whole request body, refused with 413 as soon as it passes ``limit`` bytes."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > limit:
            raise too_large(limit, setting)
    parts: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ProxyError(400, "The client went away while sending the request.", "client_disconnected")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large(limit, setting)
        parts.append(chunk)
        more = bool(message.get("more_body"))
    return parts[0] if len(parts) == 1 else b"".join(parts)


class LimitedLocal:
    """The ``/tokenwallet/`` app behind a body cap (setting ``max_local_body_bytes``).

    The body is read here, capped, and replayed to the app; later ``receive()`` calls (an event
    stream waiting for the client to leave) go to the real connection.
    """

    def __init__(self, meter: Meter, app: ASGIApp) -> None:
        self.meter = meter
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            body = await read_body(
                scope, receive, self.meter.settings.max_local_body_bytes, "max_local_body_bytes"
            )
        except ProxyError as exc:
            data = error_body("openai", exc.status, exc.message, exc.code)
            await send(
                {
                    "type": "http.response.start",
                    "status": exc.status,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(data)).encode()),
                        (b"connection", b"close"),  # the rest of the body is not read
                    ],
                }
            )
            await send({"type": "http.response.body", "body": data})
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def parse_json(body: bytes) -> Any:
    """``json.loads``, in a worker thread for a big body (ValueError/RecursionError as usual)."""
    if len(body) > BIG_BODY:
        return await asyncio.to_thread(json.loads, body)
    return json.loads(body)


async def parse_off_loop(body: bytes, parse: Callable[[bytes], T]) -> T:
    """``parse(body)``, in a worker thread for a big body."""
    if len(body) > BIG_BODY:
        return await asyncio.to_thread(parse, body)
    return parse(body)


async def count_big(route: Route, req: dict[str, Any], size: int) -> TokenCount | None:
    """The input count of a big request, counted in a worker thread; None for small ones.

    ``None`` too when the request names no model: the planner then refuses it as usual.
    """
    if size <= BIG_BODY:
        return None
    model = route.path_model or req.get("model")
    if not isinstance(model, str) or not model:
        return None
    return await asyncio.to_thread(count_input, route.kind, route.endpoint, req, model)


def count_input(kind: str, endpoint: str, body: dict[str, Any], model: str) -> TokenCount:
    """``tokens.count_request``, with an inline image the meter cannot read refused (400): what it
    cannot size it cannot hold for, and the provider would refuse the image anyway."""
    from tokenwallet import tokens

    try:
        return tokens.count_request(kind, endpoint, body, model)
    except tokens.ImageDataError as exc:
        raise ProxyError(
            400, f"Token Wallet cannot read an image in this request: {exc}.", "unreadable_image"
        ) from None


class DisconnectWatch:
    """Cancels the request's task if the client hangs up while the proxy waits for the provider.

    Used as ``with DisconnectWatch(receive) as watch:`` around the upstream exchange; on the way
    out the watcher stops, so the response itself is never interrupted by it. ``gone`` says
    whether a ``CancelledError`` came from the client leaving (then the caller settles the call
    as 499) or from elsewhere (server shutdown: re-raise). The watcher task only starts once the
    provider has taken ``after`` seconds (``WATCH_AFTER``): a fast answer costs a timer, not a
    task; ``after=0`` watches from the start (a stream being relayed).
    """

    __slots__ = ("_receive", "_task", "_timer", "_watcher", "gone")

    def __init__(self, receive: Receive, after: float = WATCH_AFTER) -> None:
        self.gone = False
        self._receive = receive
        self._task = asyncio.current_task()
        self._watcher: asyncio.Future[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        if after > 0:
            self._timer = asyncio.get_running_loop().call_later(after, self._start)
        else:
            self._start()

    def _start(self) -> None:
        self._timer = None
        self._watcher = asyncio.ensure_future(self._watch())

    async def _watch(self) -> None:
        while (await self._receive())["type"] != "http.disconnect":
            pass
        self.gone = True
        if self._task is not None:
            self._task.cancel()

    def __enter__(self) -> DisconnectWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._watcher is not None:
            self._watcher.cancel()

    def absorb(self) -> bool:
        """After a CancelledError: True (and the task un-cancelled) when it was the client leaving."""
        if not self.gone:
            return False
        if self._task is not None:
            self._task.uncancel()  # ours, and only ours: a shutdown's own cancel still counts
        return True
