"""The wallet's own small JSON API under ``/tokenwallet/`` (a Starlette app).

- ``GET /tokenwallet/health`` — is the meter up (no wallet access beyond a cached read)
- ``GET /tokenwallet/status[?profile=NAME]`` — every envelope: available, spent, held …
- ``POST /tokenwallet/preview`` — what a request would cost and whether it fits, without sending it
- ``GET /tokenwallet/events`` — Server-Sent Events of core events (``to_json``), for the GUI or scripts

On a loopback bind they need no key (anything that can reach them already runs as the user);
on any other bind a valid wallet key is required.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, NamedTuple

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route as WebRoute

from tokenwallet.core.events import Event, EventBus, to_json
from tokenwallet.core.money import nano_to_usd
from tokenwallet.core.usage import Usage
from tokenwallet.pricing.holds import worst_case
from tokenwallet.proxy.bounds import BIG_BODY, count_input, parse_json
from tokenwallet.proxy.calls import plan_output
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.routes import Route, resolve
from tokenwallet.proxy.upstream import client_key

if TYPE_CHECKING:
    from tokenwallet.proxy.metering import Meter
    from tokenwallet.tokens.counting import TokenCount
    from tokenwallet.wallet.types import EnvelopeStatus

EVENT_QUEUE_MAX = 1000  # a client that stops reading loses events instead of growing memory
KEEPALIVE_SECONDS = 15.0
_STOP = object()


def status_json(st: EnvelopeStatus) -> dict[str, Any]:
    env = st.envelope
    data: dict[str, Any] = {
        "envelope_id": env.id,
        "envelope": env.label,
        "scope": str(env.scope),
        "unit": env.unit,
        "period": env.period,
        "action": env.action,
        "amount": env.amount,
        "carried": st.carried,
        "assigned": st.assigned,
        "topups": st.topups,
        "spent": st.spent,
        "held": st.held,
        "available": st.available,
        "used_pct": st.used_pct,
        "projected": st.projected,
        "period_start": st.period_start.isoformat(),
        "period_end": st.period_end.isoformat() if st.period_end else None,
    }
    if env.unit == "usd":
        data["available_usd"] = str(nano_to_usd(st.available))
    return data


async def _not_found(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {
            "error": {
                "message": f"Unknown route {request.method} {request.url.path}: the wallet's endpoints are "
                "GET /tokenwallet/health, /status, /events and POST /tokenwallet/preview.",
                "type": "not_found_error",
            }
        },
        status_code=404,
    )


class Counted(NamedTuple):
    """A preview's request, resolved and counted (the part that may run in a worker thread)."""

    provider: str
    endpoint: str
    route: Route
    model: str
    input_count: TokenCount


class EventStreams:
    """Fans bus events out to the open ``/tokenwallet/events`` connections."""

    def __init__(self, bus: EventBus, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._thread = threading.get_ident()
        self.queues: set[asyncio.Queue[object]] = set()
        self._unsubscribe = bus.subscribe(self._on_event)

    def _on_event(self, event: Event) -> None:
        if not self.queues:
            return
        if threading.get_ident() == self._thread:
            self._deliver(event)
        else:
            self.loop.call_soon_threadsafe(self._deliver, event)

    def _deliver(self, item: object) -> None:
        for q in self.queues:
            if q.qsize() < EVENT_QUEUE_MAX or item is _STOP:
                q.put_nowait(item)

    def close(self) -> None:
        """End every open stream (the server is stopping)."""
        self._unsubscribe()
        self._deliver(_STOP)


class LocalAPI:
    """The ``/tokenwallet/…`` endpoints."""

    def __init__(self, meter: Meter, streams: EventStreams, *, host: str = "serve") -> None:
        self.meter = meter
        self.streams = streams
        self.host = host  # what runs this meter: "serve" or "app" (a second window says which it follows)
        self.started = time.time()
        self.app = Starlette(
            exception_handlers={404: _not_found, 405: _not_found},
            routes=[
                WebRoute("/tokenwallet/health", self.health, methods=["GET"]),
                WebRoute("/tokenwallet/status", self.status, methods=["GET"]),
                WebRoute("/tokenwallet/preview", self.preview, methods=["POST"]),
                WebRoute("/tokenwallet/events", self.events, methods=["GET"]),
            ],
        )

    def _check(self, request: Request) -> JSONResponse | None:
        if self.meter.loopback:
            return None
        key = client_key(list(request.scope["headers"]), request.scope["query_string"])
        if key and key.startswith("tw-") and self.meter.wallet.resolve_key(key) is not None:
            return None
        return JSONResponse(
            {
                "error": {
                    "message": "A wallet key (tw-…) is required on this address.",
                    "type": "authentication_error",
                }
            },
            status_code=401,
        )

    async def health(self, request: Request) -> Response:
        answer = {
            "status": "ok",
            "pid": os.getpid(),
            "host": self.host,
            "uptime_s": round(time.time() - self.started, 1),
            "paused": self.meter.settings.paused,
            "wallet": str(self.meter.wallet.path),
        }
        if self.meter.offline is not None:  # a shared wallet: is it reachable, the journal's float
            answer["offline"] = self.meter.offline.status()
        return JSONResponse(answer)

    async def status(self, request: Request) -> Response:
        denied = self._check(request)
        if denied:
            return denied
        offline = self.meter.offline
        if offline is not None and offline.down:  # the budgets are in the unreachable wallet
            return JSONResponse(
                {
                    "error": {"message": offline.status()["message"], "type": "wallet_unavailable"},
                    "offline": offline.status(),
                },
                status_code=503,
            )
        profile = request.query_params.get("profile") or None
        statuses = self.meter.wallet.status(profile=profile)
        return JSONResponse(
            {"paused": self.meter.settings.paused, "envelopes": [status_json(s) for s in statuses]}
        )

    async def preview(self, request: Request) -> Response:
        """Body: ``{"provider": "openai", "endpoint": "chat/completions", "body": {...}}``."""
        denied = self._check(request)
        if denied:
            return denied
        raw = await request.body()  # capped by LimitedLocal (setting max_local_body_bytes)
        try:
            spec = await parse_json(raw)
            provider = str(spec["provider"])
            body = spec.get("body") or {}
            if not isinstance(body, dict):
                raise TypeError("body must be an object")
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            return JSONResponse(
                {"error": {"message": f"bad preview request: {exc}", "type": "invalid_request_error"}},
                status_code=400,
            )
        cfg = self.meter.provider(provider)
        if cfg is None:
            return JSONResponse(
                {"error": {"message": f"unknown provider {provider!r}", "type": "not_found_error"}},
                status_code=404,
            )
        endpoint = str(
            spec.get("endpoint")
            or (
                "messages"
                if cfg.kind == "anthropic"
                else "generateContent"
                if cfg.kind == "gemini"
                else "chat/completions"
            )
        )
        try:
            if len(raw) > BIG_BODY:  # counting a big prompt must not stall the proxy's other calls
                result = await asyncio.to_thread(
                    self._count, provider, cfg.kind, endpoint, body, spec.get("model")
                )
            else:
                result = self._count(provider, cfg.kind, endpoint, body, spec.get("model"))
            return JSONResponse(self._preview(result, body))
        except ProxyError as exc:
            return JSONResponse({"error": {"message": exc.message, "type": exc.code}}, status_code=exc.status)

    @staticmethod
    def _count(provider: str, kind: str, endpoint: str, body: dict[str, Any], model: Any) -> Counted:
        """(provider, endpoint, route, model, input count): no wallet access, so it may run in a thread."""

        path = {"messages": "/v1/messages", "generateContent": f"/v1beta/models/{model}:generateContent"}.get(
            endpoint, f"/v1/{endpoint}"
        )
        route = resolve(provider, kind, path, "POST")
        name = str(model or body.get("model") or "")
        if not name:
            raise ProxyError(400, "no model given", "missing_model")
        return Counted(provider, endpoint, route, name, count_input(kind, endpoint, body, name))

    def _preview(self, counted: Counted, body: dict[str, Any]) -> dict[str, Any]:
        provider, endpoint, route, name, count = counted
        from tokenwallet.pricing.suggest import suggest_cheaper

        price, _ = self.meter.price(provider, name)
        book = self.meter.book
        worst = worst_case(book, price, plan_output(route.endpoint or endpoint, body), count.tokens)
        mix = Usage(input_tokens=count.tokens, output_tokens=worst.output_tokens)
        try:
            options = suggest_cheaper(book, provider, name, mix, context_needed=count.tokens, limit=5)
        except LookupError:
            options = []
        return {
            "provider": provider,
            "model": name,
            "endpoint": endpoint,
            "input_tokens": count.tokens,
            "exact": count.exact,
            "method": count.method,
            "image_tokens": count.image_tokens,
            "images_unsized": count.images_unsized,
            "max_output_tokens": worst.cap,
            "choices": worst.choices,
            "worst_case_nano": worst.cost_nano,
            "worst_case_usd": str(nano_to_usd(worst.cost_nano)),
            "price_source": price.source,
            "unpriced": price.unpriced,
            "envelopes": [status_json(s) for s in self.meter.wallet.status()],
            "suggestions": [
                {
                    "provider": s.provider,
                    "model": s.model,
                    "cost_nano": s.cost_nano,
                    "saving_pct": s.saving_pct,
                    "same_tier": s.same_tier,
                }
                for s in options
            ],
        }

    async def events(self, request: Request) -> Response:
        denied = self._check(request)
        if denied:
            return denied
        queue: asyncio.Queue[object] = asyncio.Queue()
        self.streams.queues.add(queue)

        async def gen() -> AsyncIterator[bytes]:
            try:
                yield b": tokenwallet events\n\n"
                while True:
                    try:
                        item = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                    except TimeoutError:
                        yield b": keep-alive\n\n"
                        continue
                    if item is _STOP:
                        return
                    assert isinstance(item, Event)
                    data = json.dumps(to_json(item), separators=(",", ":"))
                    yield f"event: {item.kind}\ndata: {data}\n\n".encode()
            finally:
                self.streams.queues.discard(queue)

        return StreamingResponse(
            gen(),
            media_type="text/event-stream",
            headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
        )
