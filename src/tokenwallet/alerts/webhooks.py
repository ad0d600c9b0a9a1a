"""Sending alerts to webhooks: the request for each format, and one sender thread per webhook.

Each :class:`WebhookSender` owns a thread, a bounded queue, a :class:`Coalescer` and a short list
of deliveries waiting to be retried, so a slow or dead receiver only ever delays its own alerts.
A delivery that fails (network error, timeout, 408/425/429/5xx) is retried with exponential
backoff up to a cap; after ``max_attempts`` it is dropped with a log line. Other 3xx/4xx answers
mean the webhook is misconfigured: dropped at once. Redirects are not followed (they could carry the
secret header elsewhere) and the environment's proxies are ignored, as for the meter's upstream.
Log lines name the webhook's id and host only: an ntfy topic in the URL path is itself a secret.
"""

from __future__ import annotations

import base64
import contextlib
import heapq
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from tokenwallet import __version__
from tokenwallet.alerts.coalesce import Coalescer
from tokenwallet.alerts.messages import PRIORITY, TAGS, Alert
from tokenwallet.wallet.alerts import WebhookSpec, check_url, parse_header, secret_account
from tokenwallet.wallet.errors import WalletError

if TYPE_CHECKING:
    from tokenwallet.secrets import KeyStore

log = logging.getLogger(__name__)

Webhook = WebhookSpec
SecretLookup = Callable[[int], str | None]
RETRY_STATUS = {408, 425, 429}


class WebhookError(WalletError):
    """A webhook could not be reached (the message names its host, never its path)."""


def encode_secret(value: str) -> str:
    """The keychain refuses whitespace in a stored value ("Bearer abc" has some): store it encoded."""
    return base64.urlsafe_b64encode(value.encode()).decode()


def decode_secret(stored: str | None) -> str | None:
    if not stored:
        return None
    try:
        return base64.urlsafe_b64decode(stored.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def keychain_secrets(keystore: KeyStore | None) -> SecretLookup:
    """Secret header values from a KeyStore (``None`` when there is none or it is locked)."""

    def lookup(hook_id: int) -> str | None:
        if keystore is None:
            return None
        try:
            return decode_secret(keystore.get(secret_account(hook_id)))
        except Exception:  # a locked or missing keychain: send without the header's value
            log.warning("webhook #%s: cannot read its secret header from the keychain", hook_id)
            return None

    return lookup


def _header_text(text: str) -> str:
    """A header value ntfy can read: ASCII as is, anything else as an RFC 2047 encoded word."""
    if text.isascii():
        return text
    return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="


def build_request(hook: WebhookSpec, alert: Alert, secret: str | None) -> httpx.Request:
    headers = {"User-Agent": f"tokenwallet/{__version__}"}
    if hook.format == "ntfy":
        headers.update(
            {
                "Title": _header_text(alert.title),
                "Priority": str(PRIORITY[alert.topic]),
                "Tags": TAGS[alert.topic],
                "Content-Type": "text/plain; charset=utf-8",
            }
        )
        request = httpx.Request("POST", hook.url, headers=headers, content=alert.message.encode())
    else:
        request = httpx.Request("POST", hook.url, headers=headers, json=alert.to_json())
    if hook.header_name and secret:
        request.headers[hook.header_name] = secret
    return request


def new_client(timeout: float) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        follow_redirects=False,  # a redirect could carry the secret header to another host
        trust_env=False,
    )


def send_once(hook: WebhookSpec, alert: Alert, secret: str | None, *, timeout: float = 10.0) -> int:
    """Send one alert now (``alerts webhook test``); returns the HTTP status or raises WebhookError."""
    with new_client(timeout) as client:
        try:
            return client.send(build_request(hook, alert, secret)).status_code
        except httpx.HTTPError as exc:
            raise WebhookError(f"webhook #{hook.id} ({hook.where}): {type(exc).__name__}: {exc}") from None


@dataclass(order=True)
class _Retry:
    due: float
    attempt: int = field(compare=False)
    alert: Alert = field(compare=False)


@dataclass(frozen=True)
class SenderOptions:
    window_s: float = 60.0  # coalescing window per topic
    max_attempts: int = 5
    backoff_s: float = 2.0  # first retry after this; doubles each time …
    backoff_cap_s: float = 300.0  # … up to this
    timeout_s: float = 10.0
    queue_size: int = 1000
    max_retrying: int = 50


class WebhookSender:
    """One webhook's delivery thread. ``offer`` never blocks: a full queue drops with a log line."""

    def __init__(
        self, hook: WebhookSpec, secrets: SecretLookup, options: SenderOptions | None = None
    ) -> None:
        self.hook = hook
        self.options = options or SenderOptions()
        self._secrets = secrets
        self._queue: queue.Queue[Alert | None] = queue.Queue(self.options.queue_size)
        self._coalescer = Coalescer(self.options.window_s)
        self._retries: list[_Retry] = []
        self._thread = threading.Thread(target=self._run, name=f"tokenwallet-webhook-{hook.id}", daemon=True)
        self.delivered = 0
        self.dropped = 0
        self._full_logged = False
        self._stopping = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self.request_stop()
        self.join(timeout)

    def request_stop(self) -> None:
        """Ask the thread to end after what it is sending now (returns at once)."""
        self._stopping.set()
        with contextlib.suppress(queue.Full):  # wakes it; a full queue is seen at the next turn
            self._queue.put_nowait(None)

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def offer(self, alert: Alert) -> None:
        if alert.topic not in self.hook.topics:
            return
        try:
            self._queue.put_nowait(alert)
        except queue.Full:
            self.dropped += 1
            if not self._full_logged:
                self._full_logged = True
                log.warning("webhook #%s (%s): queue full, dropping alerts", self.hook.id, self.hook.where)

    def _run(self) -> None:
        with new_client(self.options.timeout_s) as client:
            while not self._stopping.is_set():
                retry_due = self._retries[0].due if self._retries else None
                wake = [t for t in (self._coalescer.next_due(), retry_due) if t is not None]
                wait = max(0.0, min(wake) - time.monotonic()) if wake else None
                try:
                    item = self._queue.get(timeout=wait)
                except queue.Empty:  # woke up for a window's summary or a retry
                    ready = self._coalescer.due(time.monotonic())
                else:
                    if item is None:
                        break
                    ready = self._coalescer.add(item, time.monotonic())
                for alert in ready:
                    self._attempt(client, alert, 1)
                while self._retries and self._retries[0].due <= time.monotonic():
                    retry = heapq.heappop(self._retries)
                    self._attempt(client, retry.alert, retry.attempt)
        if self._retries:
            self.dropped += len(self._retries)
            log.warning(
                "webhook #%s (%s): %d alerts still waiting for a retry were dropped at shutdown",
                self.hook.id,
                self.hook.where,
                len(self._retries),
            )

    def _attempt(self, client: httpx.Client, alert: Alert, attempt: int) -> None:
        try:
            status = client.send(build_request(self.hook, alert, self._secrets(self.hook.id))).status_code
            reason = f"HTTP {status}"
        except httpx.HTTPError as exc:
            status, reason = 0, type(exc).__name__
        if 200 <= status < 300:
            self.delivered += 1
            return
        if 300 <= status < 500 and status not in RETRY_STATUS:  # a redirect or a refusal: fix the URL
            return self._drop(alert, attempt, f"{reason}: check the webhook's URL and header")
        if attempt >= self.options.max_attempts:
            return self._drop(alert, attempt, reason)
        if len(self._retries) >= self.options.max_retrying:
            return self._drop(alert, attempt, f"{reason}, and too many alerts are waiting for a retry")
        delay = min(self.options.backoff_cap_s, self.options.backoff_s * 2 ** (attempt - 1))
        heapq.heappush(self._retries, _Retry(time.monotonic() + delay, attempt + 1, alert))

    def _drop(self, alert: Alert, attempt: int, reason: str) -> None:
        self.dropped += 1
        log.warning(
            "webhook #%s (%s): dropped a %s alert after %d attempt(s): %s",
            self.hook.id,
            self.hook.where,
            alert.kind,
            attempt,
            reason,
        )


__all__ = [
    "SenderOptions",
    "Webhook",
    "WebhookError",
    "WebhookSender",
    "build_request",
    "check_url",
    "decode_secret",
    "encode_secret",
    "keychain_secrets",
    "parse_header",
    "send_once",
]
