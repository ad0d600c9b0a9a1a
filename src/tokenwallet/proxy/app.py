"""The proxy's ASGI application: a thin dispatcher in front of the provider routes.

Speed is part of the contract (issue 3: ≤ 1 ms added at p50), so provider calls do not go through
Starlette's routing and middleware: the dispatcher looks at the first path segment, reads the
body once, parses JSON once, and forwards the original bytes unless it had to change them. The
wallet's own small JSON API under ``/tokenwallet/`` is a regular Starlette app (``local.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

import httpx

from tokenwallet.core.usage import Usage
from tokenwallet.proxy import remote_reserve
from tokenwallet.proxy.bounds import DisconnectWatch, LimitedLocal, count_big, parse_off_loop, read_body
from tokenwallet.proxy.call import Call, dumps
from tokenwallet.proxy.calls import Planner
from tokenwallet.proxy.charging import charge_answer, settle
from tokenwallet.proxy.errors import ProxyError, error_body
from tokenwallet.proxy.guard import Guard, with_cors
from tokenwallet.proxy.media import handle_media
from tokenwallet.proxy.metering import remaining_header
from tokenwallet.proxy.relay import relay_stream
from tokenwallet.proxy.request_body import parse_request
from tokenwallet.proxy.routes import (
    METERED,
    BadPath,
    Route,
    canonical_path,
    resolve,
    split_provider,
    wire_for_kind,
)
from tokenwallet.proxy.settling import wallet_refusal
from tokenwallet.proxy.transport import read_answer_body
from tokenwallet.proxy.unmetered import check_unmetered, record_unmetered
from tokenwallet.proxy.unmetered import passthrough as forward_as_is
from tokenwallet.proxy.upgrade import is_upgrade, refuse
from tokenwallet.proxy.upstream import (
    ProviderKeys,
    client_key,
    response_headers,
    strip_key_param,
    upstream_headers,
)
from tokenwallet.wallet.errors import WalletError

if TYPE_CHECKING:
    from tokenwallet.proxy.metering import Meter
    from tokenwallet.proxy.transport import FastTransport
    from tokenwallet.wallet.types import ProviderConfig

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger(__name__)
MediaHandler = Callable[..., Awaitable[None]]


_JSON = (b"content-type", b"application/json")
_WIRE_GUESS = {"anthropic": "anthropic", "gemini": "gemini"}


async def send_bytes(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class ProxyApp:
    """Dispatches ``/<provider>/…`` to the metering path and ``/tokenwallet/…`` to the local API."""

    def __init__(
        self,
        meter: Meter,
        planner: Planner,
        client: httpx.AsyncClient,
        keys: ProviderKeys,
        local: ASGIApp,
        *,
        transport: FastTransport | None = None,
        guard: Guard | None = None,
    ) -> None:
        self.meter = meter
        self.planner = planner
        self.client = client
        # Metered calls go straight to the transport: AsyncClient.send's cookie, auth, redirect and
        # hook machinery costs more than the HTTP exchange itself on loopback (profiled).
        self.transport = transport
        self._urls: dict[str, httpx.URL] = {}
        self.keys = keys
        self.local = LimitedLocal(meter, local)
        self.guard = guard or Guard(meter, require_key=not meter.loopback)
        self.inflight = 0
        # Images, speech and transcription (meter kinds other than "tokens"): their own handler.
        self.media: MediaHandler = handle_media

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_upgrade(scope):  # WebSocket is not metered: 426 at once, nothing forwarded (upgrade.py)
            return await refuse(scope, receive, send, self.meter)
        if scope["type"] != "http":
            if scope["type"] == "lifespan":  # not used (lifespan="off"), but answer politely
                await receive()
            return
        refusal, origin = self.guard.check(scope)  # first: Host, Origin, CORS (a set lookup)
        if refusal is not None:
            await self.guard.answer(refusal, origin, scope, send)
            return
        if origin is not None:
            send = with_cors(origin, send)
        path: str = scope["path"]
        if path.startswith("/tokenwallet"):
            self.planner.later.write()  # what it reports includes every answered call
            await self.local(scope, receive, send)
            return
        provider, rest = split_provider(path)
        try:
            cfg = self.meter.provider(provider) if provider else None
        except Exception as exc:  # the wallet file is unreadable: say so in JSON, not a bare 500
            await self._error(
                send,
                "openai",
                ProxyError(503, f"Token Wallet cannot read its wallet: {exc}", "wallet_unavailable"),
            )
            return
        if cfg is None:
            wire = _WIRE_GUESS.get(provider, "openai")
            message = (
                f"Unknown route {path!r}: no provider named {provider!r}. Use /openai/v1, /anthropic, "
                "/gemini or /<provider>/v1 for a configured provider (`tokenwallet provider list`)."
            )
            if not provider:
                message = (
                    "Token Wallet proxy: use /openai/v1, /anthropic, /gemini or /<provider>/v1 as your "
                    "tool's base URL; /tokenwallet/health answers here."
                )
            await self._error(send, wire, ProxyError(404, message, "unknown_route"))
            return
        try:
            canonical_path(path, scope.get("raw_path"))
        except BadPath as exc:
            await self._error(
                send,
                wire_for_kind(cfg.kind),
                ProxyError(
                    400,
                    f"Token Wallet refuses the path {path!r}: {exc}. Spell it the canonical way, "
                    "e.g. /openai/v1/chat/completions.",
                    "non_canonical_path",
                ),
            )
            return
        route = resolve(provider, cfg.kind, rest, scope["method"])
        self.inflight += 1
        try:
            await self._handle(route, cfg, scope, receive, send)
        except ProxyError as exc:
            await self._error(send, route.wire, exc)
        except WalletError as exc:  # the hold could not be written: disk full, I/O error, read-only, gone
            log.warning("wallet trouble on %s %s: %s", scope["method"], path, exc)
            with contextlib.suppress(Exception):  # fails if the answer had already started
                await self._error(send, route.wire, wallet_refusal(exc))
        except Exception as exc:  # a bug: the ledger is already safe (see _handle); answer in JSON
            log.exception("proxy error on %s %s", scope["method"], path)
            with contextlib.suppress(Exception):  # fails if the answer had already started
                await self._error(
                    send,
                    route.wire,
                    ProxyError(500, f"Token Wallet proxy error: {type(exc).__name__}", "proxy_error"),
                )
        finally:
            self.inflight -= 1

    async def _error(self, send: Send, wire: str, exc: ProxyError) -> None:
        headers = [_JSON] + [(k.encode(), v.encode()) for k, v in exc.headers.items()]
        await send_bytes(send, exc.status, error_body(wire, exc.status, exc.message, exc.code), headers)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        return await read_body(scope, receive, self.meter.settings.max_body_bytes, "max_body_bytes")

    async def _handle(
        self, route: Route, cfg: ProviderConfig, scope: Scope, receive: Receive, send: Send
    ) -> None:
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        query: bytes = scope["query_string"]
        project = session = None
        for name, value in headers:
            if name == b"x-tokenwallet-project":
                project = value.decode("utf-8", "replace").strip() or None
            elif name == b"x-tokenwallet-session":
                session = value.decode("latin-1").strip()
        binding, passthrough = self.meter.authenticate(route.wire, client_key(headers, query), project)
        if route.meter in METERED or route.meter == "unpriced":
            binding = self.meter.sessions.assign(binding, session, time.monotonic())
        body = await self._read_body(scope, receive)
        key = None
        if not passthrough:
            key = await self.keys.get(route.provider)
            if key is None and not cfg.local:
                raise ProxyError(
                    401,
                    f"Token Wallet has no API key for {route.provider}: store it with "
                    f"`echo KEY | tokenwallet key set {route.provider}` (it is kept in the keychain).",
                    "provider_key_missing",
                )
        # A wallet key in the URL never goes upstream; pass-through to Gemini keeps the client's own.
        query = strip_key_param(query, keep_provider_key=passthrough and route.wire == "gemini")
        base = cfg.base_url.rstrip("/")
        url = base + route.upstream_path + ("?" + query.decode("latin-1") if query else "")
        meter = route.meter
        if meter in ("read", "free", "unpriced", "refused"):
            if meter in ("unpriced", "refused"):
                check_unmetered(self.meter, route, binding, scope["method"])
            hdrs = upstream_headers(headers, route.wire, key, keep_client_auth=passthrough, identity=False)
            status = await forward_as_is(self.client, scope["method"], url, hdrs=hdrs, body=body, send=send)
            if meter == "unpriced":
                record_unmetered(
                    self.meter,
                    self.planner.bus,
                    route,
                    binding,
                    method=scope["method"],
                    body=body,
                    status=status,
                )
            return
        if meter != "tokens":  # images, speech, transcription: metered by media.py
            self.planner.later.write()  # its reserve sees the answered calls settled
            await self.media(self, route, binding, key, passthrough, scope, body, query, receive, send)
            return
        # a big body is parsed (and counted) off the loop; what is wrong with it is a 400
        req = await parse_off_loop(body, parse_request)
        count = await count_big(route, req, len(body))
        if self.planner.retry.remote:  # PostgreSQL on another machine: its round trips off the loop
            call = await remote_reserve.plan(self.planner, route, binding, req, body, count=count)
        else:
            call = self.planner.plan(route, binding, req, body, count)
        try:
            upstream_path = route.upstream_path
            modified = call.requested_model is not None
            if modified and route.path_model:
                upstream_path = upstream_path.replace(f"/{route.path_model}:", f"/{call.model}:", 1)
            strip = False
            if call.stream and route.api in ("chat", "completions"):
                opts = req.get("stream_options")
                if not (isinstance(opts, dict) and opts.get("include_usage")):
                    req["stream_options"] = {
                        **(opts if isinstance(opts, dict) else {}),
                        "include_usage": True,
                    }
                    strip = modified = True
            out = dumps(req) if modified else body
            if upstream_path != route.upstream_path:
                url = base + upstream_path + ("?" + query.decode("latin-1") if query else "")
            hdrs = upstream_headers(headers, route.wire, key, keep_client_auth=passthrough, identity=True)
            await self._metered(call, url, hdrs, out, strip=strip, receive=receive, send=send)
        finally:
            if not call.settled:  # a bug or a cancellation: never leave a hold behind
                self.planner.settle(
                    call,
                    Usage(input_tokens=call.input_tokens),
                    500,
                    estimated=True,
                    error="proxy error before the answer",
                )

    def _our_headers(self, call: Call, remaining: Any) -> list[tuple[bytes, bytes]]:
        out = [
            (b"x-tokenwallet-call-id", call.call_id.encode()),
            (b"x-tokenwallet-remaining", remaining_header(remaining).encode()),
        ]
        if call.requested_model:
            out.append((b"x-tokenwallet-downgraded-from", call.requested_model.encode()))
            out.append((b"x-tokenwallet-model", call.model.encode()))
        return out

    async def _send_upstream(
        self, call: Call, url: str, hdrs: list[tuple[bytes, bytes]], out: bytes
    ) -> httpx.Response:
        try:
            planner = self.planner
            if self.transport is None:
                planner.catch_up(call)
                request = self.client.build_request("POST", url, headers=hdrs, content=out)
                return await self.client.send(request, stream=True)
            parsed = self._urls.get(url)
            if parsed is None:
                if len(self._urls) > 1024:
                    self._urls.clear()
                parsed = self._urls[url] = httpx.URL(url)
            # The settles that waited are written once the request is on its way (the loop would
            # only wait for the provider then).
            sent = (lambda: planner.catch_up(call)) if planner.later.queue else None
            return await self.transport.post(parsed, hdrs, out, sent=sent)
        except (
            httpx.ConnectError,
            httpx.ConnectTimeout,
            httpx.PoolTimeout,
            httpx.UnsupportedProtocol,
        ) as exc:
            # Nothing reached the provider: nothing is charged.
            self.planner.settle(
                call, Usage(), 502, estimated=False, error=f"upstream unreachable: {type(exc).__name__}"
            )
            raise ProxyError(
                502,
                f"Could not reach {call.route.provider} upstream ({type(exc).__name__}).",
                "upstream_unreachable",
            ) from None
        except httpx.TransportError as exc:
            # Sent, but no answer (timeout, reset): the provider may have read the prompt; charge input.
            self._settle_lost(call, exc)
            status = 504 if isinstance(exc, httpx.TimeoutException) else 502
            raise ProxyError(
                status,
                f"{call.route.provider} did not answer ({type(exc).__name__}).",
                "upstream_timeout" if status == 504 else "upstream_error",
            ) from None

    def _settle_lost(self, call: Call, exc: Exception) -> None:
        status = 504 if isinstance(exc, httpx.TimeoutException) else 502
        self.planner.settle(
            call,
            Usage(input_tokens=call.input_tokens),
            status,
            estimated=True,
            error=f"no answer from upstream: {type(exc).__name__}",
        )

    async def _metered(
        self,
        call: Call,
        url: str,
        hdrs: list[tuple[bytes, bytes]],
        out: bytes,
        *,
        strip: bool,
        receive: Receive,
        send: Send,
    ) -> None:
        # Until the answer is in, a client that hangs up cancels the upstream request (and with it
        # the provider's work) and the call settles at once.
        with DisconnectWatch(receive) as watch:
            try:
                resp = await self._send_upstream(call, url, hdrs, out)
                ctype = resp.headers.get("content-type", "")
                relay = (
                    call.stream
                    and resp.status_code < 400
                    and ("event-stream" in ctype or call.route.api == "gemini")
                )
                if not relay:
                    data = await self._read_answer(call, resp)
            except asyncio.CancelledError:
                if not watch.absorb():
                    raise
                self.planner.settle(
                    call,
                    Usage(input_tokens=call.input_tokens),
                    499,
                    estimated=True,
                    error="client disconnected before the answer",
                )
                return
        if relay:
            try:
                headers = response_headers(resp, decoded=True)
                headers.extend(self._our_headers(call, call.tightest))
                await relay_stream(
                    self.planner,
                    call,
                    resp,
                    headers,
                    strip=strip,
                    sse="event-stream" in ctype,
                    receive=receive,
                    send=send,
                )
            finally:
                await resp.aclose()
            return
        status = resp.status_code
        error = None if status < 400 else f"upstream HTTP {status}"
        charge = charge_answer(self.planner, call, status, ctype, data)
        # Answer first, then write the ledger: the client does not wait for the settle. The hold
        # stays until then, so budgets stay safe; X-Tokenwallet-Remaining is computed as it will be.
        priced = self.planner.cost_of(
            call, charge.usage, estimated=charge.estimated, provider_cost=charge.provider_cost
        )
        headers = response_headers(resp, decoded=True)
        headers.extend(self._our_headers(call, self.planner.remaining_after(call, charge.usage, priced[0])))
        try:
            await send_bytes(send, status, data, headers)
        finally:
            settle(self.planner, call, charge, status, error=error, priced=priced, later=True)

    async def _read_answer(self, call: Call, resp: httpx.Response) -> bytes:
        try:
            return await read_answer_body(resp)
        except httpx.TransportError as exc:
            self._settle_lost(call, exc)
            raise ProxyError(
                504 if isinstance(exc, httpx.TimeoutException) else 502,
                f"{call.route.provider} broke off its answer ({type(exc).__name__}).",
                "upstream_error",
            ) from None
        finally:
            await resp.aclose()
