"""The proxy's ASGI application: a thin dispatcher in front of the provider routes.

Speed is part of the contract (issue 3: ≤ 1 ms added at p50), so provider calls do not go through
Starlette's routing and middleware: the dispatcher looks at the first path segment, reads the
body once, parses JSON once, and forwards the original bytes unless it had to change them. The
wallet's own small JSON API under ``/tokenwallet/`` is a regular Starlette app (``local.py``).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

import httpx

from tokenwallet.core.usage import Usage
from tokenwallet.proxy.calls import Call, Planner, dumps
from tokenwallet.proxy.errors import ProxyError, error_body
from tokenwallet.proxy.metering import remaining_header
from tokenwallet.proxy.relay import relay_stream
from tokenwallet.proxy.routes import Route, resolve, split_provider
from tokenwallet.proxy.upstream import (
    ProviderKeys,
    client_key,
    response_headers,
    strip_key_param,
    upstream_headers,
)
from tokenwallet.proxy.usage import usage_from_body
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
    ) -> None:
        self.meter = meter
        self.planner = planner
        self.client = client
        # Metered calls go straight to the transport: AsyncClient.send's cookie, auth, redirect and
        # hook machinery costs more than the HTTP exchange itself on loopback (profiled).
        self.transport = transport
        self._urls: dict[str, httpx.URL] = {}
        self.keys = keys
        self.local = local
        self.inflight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":  # not used (lifespan="off"), but answer politely
                await receive()
            return
        path: str = scope["path"]
        if path.startswith("/tokenwallet"):
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
        route = resolve(provider, cfg.kind, rest, scope["method"])
        self.inflight += 1
        try:
            await self._handle(route, cfg, scope, receive, send)
        except ProxyError as exc:
            await self._error(send, route.wire, exc)
        except WalletError as exc:  # a full, read-only or vanished wallet: refused, and said why
            log.warning("wallet trouble on %s %s: %s", scope["method"], path, exc)
            with contextlib.suppress(Exception):  # fails if the answer had already started
                await self._error(
                    send, route.wire, ProxyError(503, f"Token Wallet: {exc}", "wallet_unavailable")
                )
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
        limit = self.meter.settings.max_body_bytes
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                raise ProxyError(
                    413,
                    f"The request body is larger than Token Wallet's limit of {limit} bytes "
                    "(setting max_body_bytes).",
                    "body_too_large",
                )
        message = await receive()
        body: bytes = message.get("body", b"")
        if not message.get("more_body"):
            return body
        parts = [body]
        size = len(body)
        while message.get("more_body"):
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ProxyError(
                    400, "The client went away while sending the request.", "client_disconnected"
                )
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise ProxyError(
                    413,
                    f"The request body is larger than Token Wallet's limit of {limit} bytes "
                    "(setting max_body_bytes).",
                    "body_too_large",
                )
            parts.append(chunk)
        return b"".join(parts)

    async def _handle(
        self, route: Route, cfg: ProviderConfig, scope: Scope, receive: Receive, send: Send
    ) -> None:
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        query: bytes = scope["query_string"]
        project = None
        for name, value in headers:
            if name == b"x-tokenwallet-project":
                project = value.decode("utf-8", "replace").strip() or None
        binding, passthrough = self.meter.authenticate(route.wire, client_key(headers, query), project)
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
        if not passthrough and route.wire == "gemini":  # (pass-through keeps the client's own ?key=)
            query = strip_key_param(query)
        base = cfg.base_url.rstrip("/")
        if not route.metered:
            url = base + route.upstream_path + ("?" + query.decode("latin-1") if query else "")
            hdrs = upstream_headers(headers, route.wire, key, keep_client_auth=passthrough, identity=False)
            await self._passthrough(scope["method"], url, hdrs, body, send)
            return
        try:
            req = json.loads(body)
        except ValueError as exc:
            raise ProxyError(
                400,
                f"The request body is not valid JSON ({exc.args[0] if exc.args else exc}).",
                "invalid_json",
            ) from None
        if not isinstance(req, dict):
            raise ProxyError(400, "The request body must be a JSON object.", "invalid_json")
        call = self.planner.plan(route, binding, req, body)
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
            if self.transport is None:
                request = self.client.build_request("POST", url, headers=hdrs, content=out)
                return await self.client.send(request, stream=True)
            parsed = self._urls.get(url)
            if parsed is None:
                if len(self._urls) > 1024:
                    self._urls.clear()
                parsed = self._urls[url] = httpx.URL(url)
            request = httpx.Request("POST", parsed, headers=hdrs, content=out)
            return await self.transport.handle_async_request(request)
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
        resp = await self._send_upstream(call, url, hdrs, out)
        try:
            ctype = resp.headers.get("content-type", "")
            if (
                call.stream
                and resp.status_code < 400
                and ("event-stream" in ctype or call.route.api == "gemini")
            ):
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
                return
            try:
                data = await resp.aread()
            except httpx.TransportError as exc:
                self._settle_lost(call, exc)
                raise ProxyError(
                    504 if isinstance(exc, httpx.TimeoutException) else 502,
                    f"{call.route.provider} broke off its answer ({type(exc).__name__}).",
                    "upstream_error",
                ) from None
        finally:
            await resp.aclose()
        usage, provider_cost = None, None
        if data[:1] in (b"{", b"[") or b"json" in ctype.encode():
            with contextlib.suppress(ValueError):
                usage, provider_cost = usage_from_body(call.route.api, json.loads(data))
        status = resp.status_code
        error = None if status < 400 else f"upstream HTTP {status}"
        if usage is None:
            usage = Usage()  # an error, or an answer without usage: nothing consumed that we can see
            if status < 400:
                error = "upstream answer carried no usage"
        # Answer first, then write the ledger: the client does not wait for the settle. The hold
        # stays until then, so budgets stay safe; X-Tokenwallet-Remaining is computed as it will be.
        cost, _ = self.planner.cost_of(call, usage, estimated=False, provider_cost=provider_cost)
        headers = response_headers(resp, decoded=True)
        headers.extend(self._our_headers(call, self.planner.remaining_after(call, usage, cost)))
        try:
            await send_bytes(send, status, data, headers)
        finally:
            self.planner.settle(
                call, usage, status, estimated=False, error=error, provider_cost=provider_cost
            )

    async def _passthrough(
        self, method: str, url: str, hdrs: list[tuple[bytes, bytes]], body: bytes, send: Send
    ) -> None:
        request = self.client.build_request(method, url, headers=hdrs, content=body or None)
        try:
            resp = await self.client.send(request, stream=True)
        except httpx.TransportError as exc:
            raise ProxyError(
                502, f"Could not reach the provider ({type(exc).__name__}).", "upstream_error"
            ) from None
        try:
            headers = response_headers(resp, decoded=False)
            await send({"type": "http.response.start", "status": resp.status_code, "headers": headers})
            with contextlib.suppress(httpx.TransportError):
                async for chunk in resp.aiter_raw():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await resp.aclose()
