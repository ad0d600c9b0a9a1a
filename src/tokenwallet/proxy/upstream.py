"""The upstream side: one pooled httpx client, provider keys, and header hygiene.

Provider keys are read from the KeyStore once per provider (the keychain may be slow, so the
first read runs in a worker thread) and kept in memory; they are never logged and never appear in
an error message. Client headers are forwarded except hop-by-hop ones, the client's credentials
(a wallet key must not leak upstream) and our own ``X-Tokenwallet-*`` headers.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import httpx

from tokenwallet.proxy.errors import ProxyError

if TYPE_CHECKING:
    from tokenwallet.secrets import KeyStore

_DROP_REQUEST = frozenset(
    {
        b"host",
        b"content-length",
        b"connection",
        b"keep-alive",
        b"transfer-encoding",
        b"te",
        b"trailer",
        b"upgrade",
        b"proxy-authorization",
        b"proxy-connection",
        b"authorization",
        b"x-api-key",
        b"x-goog-api-key",
        b"accept-encoding",
        b"expect",
        # Google's front end (and others) honour method overrides: a GET that is "really" a POST
        # would pass the endpoint table as a read.
        b"x-http-method-override",
        b"x-http-method",
        b"x-method-override",
    }
)
DROP_RESPONSE = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"transfer-encoding",
        b"te",
        b"trailer",
        b"upgrade",
        b"content-length",
        b"proxy-authenticate",
        b"date",
        b"server",
    }
)
_CLIENT_AUTH = (b"authorization", b"x-api-key", b"x-goog-api-key")


def make_client(
    transport: httpx.AsyncBaseTransport, *, timeout: float = 600.0, connect_timeout: float = 10.0
) -> httpx.AsyncClient:
    """The shared client: httpx's API over our lean keep-alive transport (see transport.py)."""
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(timeout, connect=connect_timeout, pool=connect_timeout),
        follow_redirects=False,
        trust_env=False,  # a user's HTTP(S)_PROXY must not silently route metered keys elsewhere
    )


class ProviderKeys:
    """Provider API keys from the KeyStore, cached in memory after the first read."""

    def __init__(self, keystore: KeyStore | None) -> None:
        self._store = keystore
        self._cache: dict[str, str | None] = {}

    async def get(self, provider: str) -> str | None:
        if provider in self._cache:
            return self._cache[provider]
        if self._store is None:
            return None
        try:
            key = await asyncio.to_thread(self._store.get, provider)
        except Exception as exc:  # keychain locked or missing: say so without any key material
            raise ProxyError(
                502,
                f"Could not read the {provider} API key from the keychain "
                f"({type(exc).__name__}). Unlock it or store the key again with "
                f"`echo KEY | tokenwallet key set {provider}`.",
                "keychain_error",
            ) from None
        if key is not None:  # a missing key is looked up again next time (the user may add it)
            self._cache[provider] = key
        return key

    def forget(self, provider: str | None = None) -> None:
        if provider is None:
            self._cache.clear()
        else:
            self._cache.pop(provider, None)


def client_key(headers: list[tuple[bytes, bytes]], query: bytes) -> str | None:
    """The API key a client sent: ``Authorization: Bearer``, ``x-api-key``, ``x-goog-api-key``, ``?key=``."""
    for name, value in headers:
        if name == b"authorization":
            v = value.decode("latin-1").strip()
            if v[:7].lower() == "bearer ":
                return v[7:].strip() or None
            return v or None
        if name in (b"x-api-key", b"x-goog-api-key"):
            return value.decode("latin-1").strip() or None
    if query and b"key=" in query:
        for part in query.split(b"&"):
            if part.startswith(b"key="):
                return part[4:].decode("latin-1") or None
    return None


def strip_key_param(query: bytes) -> bytes:
    """The query string without Gemini's ``key=`` parameter."""
    if b"key=" not in query:
        return query
    return b"&".join(p for p in query.split(b"&") if not p.startswith(b"key="))


def upstream_headers(
    headers: list[tuple[bytes, bytes]], wire: str, key: str | None, *, keep_client_auth: bool, identity: bool
) -> list[tuple[bytes, bytes]]:
    """Headers to send upstream: the client's, cleaned, plus the provider's credentials."""
    out: list[tuple[bytes, bytes]] = []
    for name, value in headers:
        if name in _DROP_REQUEST or name.startswith(b"x-tokenwallet-"):
            if (keep_client_auth and name in _CLIENT_AUTH) or (name == b"accept-encoding" and not identity):
                out.append((name, value))
            continue
        out.append((name, value))
    if identity:
        out.append((b"accept-encoding", b"identity"))  # metered answers are read on the side
    if key is not None and not keep_client_auth:
        secret = key.encode("latin-1")
        if wire == "anthropic":
            out.append((b"x-api-key", secret))
        elif wire == "gemini":
            out.append((b"x-goog-api-key", secret))
        else:
            out.append((b"authorization", b"Bearer " + secret))
    return out


def response_headers(resp: httpx.Response, *, decoded: bool) -> list[tuple[bytes, bytes]]:
    """Upstream response headers worth relaying (``decoded``: drop content-encoding too)."""
    out = []
    for name, value in resp.headers.raw:
        low = name.lower()
        if low in DROP_RESPONSE or (decoded and low == b"content-encoding"):
            continue
        out.append((low, value))
    return out
