"""WebSocket upgrades are answered at once with 426 and never reach a provider.

The meter counts HTTP calls. OpenAI's WebSocket transports (Responses over WebSocket, which Codex
CLI tries before HTTP, and Realtime; Gemini's Live API too) would carry many billable turns on one
connection that the meter never sees, so an upgrade is refused here, before authentication, routing
or a provider key are looked at: nothing about it is forwarded.

Why 426 and nothing else: Codex CLI (codex-rs ``core/src/client.rs``) treats exactly ``426 Upgrade
Required`` on the handshake as "this server has no WebSocket transport" and switches the session to
HTTP streaming at once. Any other answer is a stream error to Codex: a 404 cost seven handshakes,
five of them retries with backoff, about 7 s, before the fallback (measured with @openai/codex
0.171.0; tests/proxy/test_codex_cli.py counts the handshakes). Realtime clients have no HTTP
fallback; they fail at once with our message.

The answer closes the connection: a client that asked to switch protocols may already be sending
WebSocket frames, which must not be read as the next HTTP request.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from tokenwallet.proxy.errors import error_body
from tokenwallet.proxy.routes import split_provider, wire_for_kind

if TYPE_CHECKING:
    from tokenwallet.proxy.metering import Meter

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

log = logging.getLogger(__name__)

STATUS = 426
CODE = "websocket_not_metered"
_HEADERS = [(b"content-type", b"application/json"), (b"connection", b"close")]


class _QuietUpgrades(logging.Filter):
    """uvicorn warns on every upgrade it does not handle itself ("install websockets"); we answer
    those on purpose, so the advice would only mislead whoever reads the proxy's log."""

    _NOISE = ("Unsupported upgrade request", "No supported WebSocket library detected")

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(self._NOISE))


logging.getLogger("uvicorn.error").addFilter(_QuietUpgrades())


def is_upgrade(scope: Scope) -> bool:
    """A WebSocket scope, or an HTTP request asking to switch to WebSocket (any ``Upgrade`` value
    naming websocket, with or without ``Connection: upgrade``: fail closed)."""
    kind = scope["type"]
    if kind == "websocket":
        return True
    if kind != "http":
        return False
    # Every request passes here: a plain loop costs half of any() over a generator (measured).
    for name, value in scope["headers"]:  # noqa: SIM110
        if name == b"upgrade" and b"websocket" in value.lower():
            return True
    return False


def message(path: str) -> str:
    return (
        f"Token Wallet does not meter the WebSocket transport, so it refused the upgrade on {path} "
        "and sent nothing to the provider. Use the HTTP API instead (for the Responses API: POST "
        "…/responses, with stream: true to stream); Codex CLI switches to HTTP by itself on this answer."
    )


def wire_of(meter: Meter, path: str) -> str:
    """The error format the caller speaks: its provider's kind, else a guess from the path."""
    provider, _ = split_provider(path)
    try:
        cfg = meter.provider(provider) if provider else None
    except Exception:  # an unreadable wallet: the refusal does not need it
        cfg = None
    if cfg is not None:
        return wire_for_kind(cfg.kind)
    return provider if provider in ("anthropic", "gemini") else "openai"


async def refuse(scope: Scope, receive: Receive, send: Send, meter: Meter) -> None:
    """Answer an upgrade with 426 and an error in the caller's wire format."""
    path: str = scope.get("path", "")
    body = error_body(wire_of(meter, path), STATUS, message(path), CODE)
    headers = [*_HEADERS, (b"content-length", str(len(body)).encode())]
    log.info("refused a WebSocket upgrade on %s (the WebSocket transport is not metered)", path)
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": STATUS, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return
    # A server with a WebSocket library hands us the handshake as a "websocket" scope. The
    # websocket.http.response extension lets us answer it with a plain HTTP response; without it
    # the only refusal ASGI allows is a close before accept, which the server turns into a 403.
    await receive()  # websocket.connect
    if "websocket.http.response" in scope.get("extensions", {}):
        await send({"type": "websocket.http.response.start", "status": STATUS, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": body})
    else:
        await send({"type": "websocket.close", "code": 1008, "reason": "WebSocket transport not metered"})
