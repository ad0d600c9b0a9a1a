"""Who may talk to the meter: Host, Origin and CORS checks, run first on every request.

Two browser attacks are closed here. *DNS rebinding*: a page on ``evil.example`` makes its own
name resolve to 127.0.0.1 and then reads the proxy's answers as if same-origin; its requests still
say ``Host: evil.example``, so only loopback names (and names the user adds, ``allowed_hosts``)
are answered. *Cross-site requests*: any page can send a "simple" POST to 127.0.0.1 without a
preflight; the browser names the page in ``Origin``, so a request whose Origin is neither a
loopback page nor one the user allowed (``allowed_origins``) is refused on every route.

On the hot path this is one scan of the headers and a set lookup: values already accepted are
remembered until the settings change.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tokenwallet.proxy.errors import error_body
from tokenwallet.proxy.metering import DEFAULT_MAX_BODY, Settings
from tokenwallet.proxy.routes import split_provider, wire_for_kind
from tokenwallet.proxy.upstream import client_key

if TYPE_CHECKING:
    from tokenwallet.proxy.metering import Meter

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]

LOCAL_PREFIX = "/tokenwallet"
_SEEN_MAX = 256  # remembered accepted values; cleared when full (a flood of ports stays cheap)
_ALLOW_METHODS = b"GET, POST, PUT, PATCH, DELETE, OPTIONS"
_WIRE_GUESS = {"anthropic": "anthropic", "gemini": "gemini"}
_WILDCARD = frozenset({"0.0.0.0", "::", ""})
_NO_SETTINGS = Settings(
    paused=False, passthrough_profile=None, max_body_bytes=DEFAULT_MAX_BODY, store_prompts=False
)


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    message: str
    code: str


PREFLIGHT = Refusal(204, "", "")  # not a refusal: a CORS preflight from an allowed origin


def host_name(text: str) -> str | None:
    """``[::1]:8787`` → ``::1``, ``Box:80`` → ``box``; None when it is not a host[:port]."""
    text = text.strip().lower()
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or (end + 1 < len(text) and not _port(text[end + 1 :])):
            return None
        return text[1:end]
    name, colon, port = text.partition(":")
    if colon and not port.isdigit():
        return None
    return name or None


def _port(rest: str) -> bool:
    return rest.startswith(":") and rest[1:].isdigit()


def is_loopback_name(name: str) -> bool:
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Guard:
    """The Host/Origin allow-lists, CORS answers, and the wallet-key rule off loopback.

    ``require_key``: every route needs a valid wallet key (a non-loopback bind, --allow-remote).
    """

    def __init__(self, meter: Meter, *, require_key: bool = False, bound_host: str = "127.0.0.1") -> None:
        self.meter = meter
        self.require_key = require_key
        bound = bound_host.strip("[]").lower()
        # A remote bind also answers to its own address; a wildcard bind (0.0.0.0) to the machine's
        # name and to IP literals, which no rebinding page can send (it needs a name it controls).
        self._names = frozenset({bound})
        self._any_ip = bound in _WILDCARD
        if self._any_ip:
            self._names |= {socket.gethostname().lower()}
        self._settings: Settings | None = None
        self._hosts: set[bytes] = set()
        self._origins: set[bytes] = set()

    def check(self, scope: MutableMapping[str, Any]) -> tuple[Refusal | None, bytes | None]:
        """(what to answer instead, or None to go on; the allowed Origin to echo, or None)."""
        try:
            settings = self.meter.settings
        except Exception:  # an unreadable wallet: the last rules known (the call path answers 503)
            settings = self._settings or _NO_SETTINGS
        if settings is not self._settings:  # the allow-lists may have changed
            self._settings = settings
            self._hosts.clear()
            self._origins.clear()
        host = origin = None
        preflight = False
        for name, value in scope["headers"]:
            if name == b"host":
                host = value
            elif name == b"origin":
                origin = value
            elif name == b"access-control-request-method":
                preflight = scope["method"] == "OPTIONS"
        if host not in self._hosts:
            if host is None or not self._host_ok(host.decode("latin-1"), settings):
                shown = "none" if host is None else host.decode("latin-1")[:100]
                return Refusal(
                    421,
                    f"Token Wallet answers only to Host 127.0.0.1, localhost or [::1] and the names in its "
                    f"allowed_hosts setting; this request said Host: {shown}. Add the name with "
                    "`tokenwallet settings set allowed_hosts NAME` if you reach the proxy that way.",
                    "host_not_allowed",
                ), None
            _remember(self._hosts, host)
        if origin is not None and origin not in self._origins:
            if not self._origin_ok(origin.decode("latin-1"), settings):
                return Refusal(
                    403,
                    f"Token Wallet refuses requests from the web page {origin.decode('latin-1')[:100]}: only "
                    "pages on this machine (localhost) and the origins in the allowed_origins setting "
                    "may call it (`tokenwallet settings set allowed_origins https://…`).",
                    "origin_not_allowed",
                ), None
            _remember(self._origins, origin)
        if preflight:
            if origin is None:
                return Refusal(403, "A CORS preflight without an Origin header.", "origin_not_allowed"), None
            return PREFLIGHT, origin
        if self.require_key:
            refusal = self._remote_key(scope)
            if refusal is not None:
                return refusal, None
        return None, origin

    def _host_ok(self, text: str, settings: Settings) -> bool:
        lowered = text.strip().lower()
        if lowered in settings.allowed_hosts:  # a name given with its port
            return True
        name = host_name(lowered)
        if name is None:
            return False
        if is_loopback_name(name) or name in settings.allowed_hosts or name in self._names:
            return True
        return self._any_ip and _is_ip(name)

    def _origin_ok(self, text: str, settings: Settings) -> bool:
        lowered = text.strip().lower()
        if lowered in settings.allowed_origins:
            return True
        scheme, sep, rest = lowered.partition("://")
        if not sep or scheme not in ("http", "https"):
            return False  # "null" (sandboxed frames, file://) included
        name = host_name(rest)
        return name is not None and is_loopback_name(name)

    def _remote_key(self, scope: MutableMapping[str, Any]) -> Refusal | None:
        """Off loopback, every route needs a wallet key (provider routes check it further on)."""
        key = client_key(scope["headers"], scope["query_string"])
        if (
            key is not None
            and key.startswith("tw-")
            and (not scope["path"].startswith(LOCAL_PREFIX) or self.meter.wallet.resolve_key(key) is not None)
        ):
            return None
        return Refusal(
            401,
            "A wallet key (tw-…) is required on this address: the proxy listens beyond this machine "
            "(--allow-remote), so every route, /tokenwallet/health included, needs one.",
            "wallet_key_required",
        )

    # -- answers ---------------------------------------------------------------------------------

    async def answer(
        self, refusal: Refusal, origin: bytes | None, scope: MutableMapping[str, Any], send: Send
    ) -> None:
        """Send the preflight's 204 or the refusal, in the caller's wire format."""
        if refusal is PREFLIGHT:
            assert origin is not None
            await _send(send, 204, b"", self._preflight_headers(origin, scope["headers"]))
            return
        path: str = scope["path"]
        if path.startswith(LOCAL_PREFIX):
            body = error_body("openai", refusal.status, refusal.message, refusal.code)
        else:
            body = error_body(self._wire(path), refusal.status, refusal.message, refusal.code)
        await _send(send, refusal.status, body, [(b"content-type", b"application/json")])

    def _wire(self, path: str) -> str:
        provider = split_provider(path)[0]
        try:
            cfg = self.meter.provider(provider)
        except Exception:  # an unreadable wallet: the guess below still answers
            cfg = None
        return wire_for_kind(cfg.kind) if cfg is not None else _WIRE_GUESS.get(provider, "openai")

    def _preflight_headers(
        self, origin: bytes, headers: list[tuple[bytes, bytes]]
    ) -> list[tuple[bytes, bytes]]:
        out = [
            (b"access-control-allow-origin", origin),
            (b"access-control-allow-methods", _ALLOW_METHODS),
            (b"access-control-max-age", b"600"),
            (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
        ]
        for name, value in headers:
            if name == b"access-control-request-headers":
                out.append((b"access-control-allow-headers", value))
            elif name == b"access-control-request-private-network":
                out.append((b"access-control-allow-private-network", b"true"))
        return out


def with_cors(origin: bytes, send: Send) -> Send:
    """``send`` that marks the answer readable by the allowed page ``origin``."""

    async def cors_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [h for h in message.get("headers", ()) if not h[0].startswith(b"access-control-")]
            headers += [
                (b"access-control-allow-origin", origin),
                (b"access-control-expose-headers", b"*"),
                (b"vary", b"Origin"),
            ]
            message = {**message, "headers": headers}
        await send(message)

    return cors_send


def _remember(seen: set[bytes], value: bytes) -> None:
    if len(seen) >= _SEEN_MAX:
        seen.clear()
    seen.add(value)


async def _send(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
