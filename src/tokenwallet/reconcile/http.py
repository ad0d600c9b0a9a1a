"""Read-only GETs to a provider's admin API: one-line errors, exact numbers, cursor paging.

Every failure becomes a :class:`ReconcileError` with one line a user can act on; the admin key is
sent in a header and never appears in a message (httpx errors are described by kind, not by
their text, which could carry the URL and its query).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx

from tokenwallet.reconcile.report import ReconcileError

MAX_PAGES = 200  # a provider that keeps saying has_more is broken; stop rather than loop forever
MAX_BODY = 32 * 1024 * 1024

Params = Mapping[str, str | int | Sequence[str]]


def check_base_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ReconcileError(f"not an http(s) base URL: {url!r}")
    if parts.username or parts.password:
        raise ReconcileError("put the admin key in the keychain ('tokenwallet key set'), not in the URL")
    return url.strip().rstrip("/")


class AdminClient:
    """GET JSON from one provider's admin API with its auth headers and a timeout."""

    def __init__(
        self, provider: str, base_url: str, headers: Mapping[str, str], *, timeout_s: float = 30.0
    ) -> None:
        self.provider = provider
        self.base_url = check_base_url(base_url)
        self._secrets = [
            v.removeprefix("Bearer ") for k, v in headers.items() if k.lower() != "anthropic-version"
        ]
        self._client = httpx.Client(
            headers=dict(headers), timeout=httpx.Timeout(timeout_s), follow_redirects=False, trust_env=False
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> AdminClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str, params: Params | None = None) -> dict[str, Any]:
        """The JSON object at ``path``; numbers with a fraction come back as Decimal."""
        where = f"{self.provider} {path}"
        try:
            resp = self._client.get(self.base_url + path, params=_flat(params or {}))
        except httpx.TimeoutException:
            raise ReconcileError(f"{where}: the provider did not answer in time") from None
        except httpx.HTTPError as exc:
            raise ReconcileError(f"{where}: cannot reach {self.base_url} ({type(exc).__name__})") from None
        if resp.status_code in (401, 403):
            raise ReconcileError(
                f"{where}: the admin key was refused (HTTP {resp.status_code}); store a read-only admin "
                f"key with 'tokenwallet key set {self.provider}-admin'"
            )
        if resp.status_code == 429:
            raise ReconcileError(f"{where}: the provider is rate limiting (HTTP 429); try again in a minute")
        if resp.status_code != 200:
            raise ReconcileError(f"{where}: the provider answered HTTP {resp.status_code}{self._said(resp)}")
        if len(resp.content) > MAX_BODY:
            raise ReconcileError(f"{where}: the answer is larger than {MAX_BODY // 2**20} MiB")
        try:
            body = json.loads(resp.content, parse_float=Decimal, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise ReconcileError(f"{where}: the answer is not JSON") from None
        if not isinstance(body, dict):
            raise ReconcileError(f"{where}: unexpected answer: not a JSON object")
        return body

    def _said(self, resp: httpx.Response) -> str:
        """The provider's own error message, short, on one line, with our key masked if echoed."""
        try:
            body = resp.json()
        except ValueError:
            return ""
        err = body.get("error") if isinstance(body, dict) else None
        msg = err.get("message") if isinstance(err, dict) else err if isinstance(err, str) else None
        if not msg:
            return ""
        text = " ".join(str(msg).split())
        for secret in self._secrets:
            if secret:
                text = text.replace(secret, "[key]")
        return f": {text[:200]}"

    def pages(self, path: str, params: Params, *, items: str = "data") -> Iterator[tuple[int, list[Any]]]:
        """Follow ``has_more``/``next_page`` (passed back as ``page``); yields (page no., items).

        OpenAI and Anthropic page the same way: ``{"data": [...], "has_more": bool,
        "next_page": str|null}`` and the cursor goes back as the ``page`` query parameter.
        """
        query = dict(params)
        for number in range(1, MAX_PAGES + 1):
            body = self.get(path, query)
            data = body.get(items)
            if not isinstance(data, list):
                raise ReconcileError(f"{self.provider} {path}: unexpected answer: no '{items}' list")
            yield number, data
            more = body.get("has_more")
            if not isinstance(more, bool):
                raise ReconcileError(
                    f"{self.provider} {path}: unexpected answer: 'has_more' is not true/false"
                )
            if not more:
                return
            cursor = body.get("next_page")
            if not isinstance(cursor, str) or not cursor:
                raise ReconcileError(
                    f"{self.provider} {path}: unexpected answer: has_more without a 'next_page' cursor"
                )
            query["page"] = cursor
        raise ReconcileError(f"{self.provider} {path}: more than {MAX_PAGES} pages; ask for a shorter period")


def _flat(params: Params) -> list[tuple[str, str | int | float | bool | None]]:
    out: list[tuple[str, str | int | float | bool | None]] = []
    for name, value in params.items():
        if isinstance(value, str | int):
            out.append((name, value))
        else:
            out.extend((name, v) for v in value)
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")
