"""Webhooks in the wallet file: where alerts go (the sending is ``tokenwallet/alerts``).

A webhook is a URL, a body format (``ntfy``: plain text with ntfy's ``Title``/``Priority``/``Tags``
headers; ``json``: the documented JSON body), the topics it wants and, optionally, the *name* of a
secret header (an ntfy access token, a bearer token). The header's value is a secret: it lives in
the keychain under :func:`secret_account`, never in this file. Everything is checked before
anything is written, so a bad URL changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from tokenwallet.core.events import WalletChanged
from tokenwallet.wallet.base import WalletBase
from tokenwallet.wallet.db import immediate
from tokenwallet.wallet.errors import NotFound, WalletError

FORMATS = ("ntfy", "json")
TOPICS = ("thresholds", "refusals", "guards")
MAX_URL = 2048
MAX_HOOKS = 20
_TOKEN = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$")  # an HTTP header name (RFC 9110 token)
# headers the sender sets itself, or that would change what the request means
_RESERVED = {
    "host",
    "content-type",
    "content-length",
    "transfer-encoding",
    "connection",
    "title",
    "priority",
    "tags",
    "user-agent",
}


@dataclass(frozen=True, slots=True)
class WebhookSpec:
    id: int
    url: str
    format: str
    topics: tuple[str, ...]
    header_name: str  # "" when there is no secret header

    @property
    def where(self) -> str:
        """Scheme and host only, for log lines: an ntfy topic in the path is itself a secret."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.hostname}"


def secret_account(hook_id: int) -> str:
    """The keychain account holding webhook ``hook_id``'s secret header value."""
    return f"webhook-{hook_id}"


def check_url(url: str) -> str:
    """An http(s) URL with a host and no credentials, or WalletError saying what is wrong."""
    url = url.strip()
    if not url or len(url) > MAX_URL or not url.isprintable() or any(c.isspace() for c in url):
        raise WalletError(f"not a usable webhook URL: {url[:80]!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise WalletError(f"not a usable webhook URL: {url[:80]!r}") from None
    if parts.scheme not in ("http", "https"):
        raise WalletError(f"webhook URLs must start with http:// or https://, not {parts.scheme or url!r}")
    if not parts.hostname:
        raise WalletError(f"the webhook URL has no host: {url[:80]!r}")
    if parts.username is not None or parts.password is not None:
        raise WalletError("put credentials in a secret header (--header 'Authorization: …'), not the URL")
    return url


def check_topics(topics: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    items = topics.replace(",", " ").split() if isinstance(topics, str) else list(topics)
    bad = [t for t in items if t not in TOPICS]
    if bad or not items:
        raise WalletError(f"webhook events must be some of {', '.join(TOPICS)}, not {','.join(items)!r}")
    return tuple(t for t in TOPICS if t in items)


def parse_header(text: str) -> tuple[str, str]:
    """``'Name: value'`` → (name, value), or WalletError (the value is never repeated)."""
    name, sep, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not sep or not _TOKEN.match(name):
        raise WalletError("the header must look like 'Name: value' (e.g. 'Authorization: Bearer …')")
    if name.lower() in _RESERVED:
        raise WalletError(f"the header {name!r} is set by Token Wallet itself; use another one")
    if not value or len(value) > 4096 or not value.isprintable():
        raise WalletError(f"the value of header {name!r} is empty, too long or has control characters")
    return name, value


class AlertsMixin(WalletBase):
    def add_webhook(
        self, url: str, *, format: str = "ntfy", topics: str | tuple[str, ...] = TOPICS, header_name: str = ""
    ) -> WebhookSpec:
        """Store a webhook (its secret header's value goes to the keychain, by the caller)."""
        url = check_url(url)
        if format not in FORMATS:
            raise WalletError(f"webhook format {format!r} is not one of {', '.join(FORMATS)}")
        wanted = check_topics(topics)
        if header_name:
            header_name, _ = parse_header(f"{header_name}: x")
        conn = self._conn()
        with immediate(conn):
            (count,) = conn.execute("SELECT COUNT(*) FROM webhook").fetchone()
            if count >= MAX_HOOKS:
                raise WalletError(f"at most {MAX_HOOKS} webhooks; remove one first")
            same = conn.execute("SELECT id FROM webhook WHERE url = ?", (url,)).fetchone()
            if same is not None:  # one sender per URL: its rate limit is then the URL's
                raise WalletError(
                    f"webhook #{same[0]} already posts to that URL; remove it first to change it"
                )
            cur = conn.execute(
                "INSERT INTO webhook (url, format, topics, header_name, created_us) VALUES (?, ?, ?, ?, ?)",
                (url, format, ",".join(wanted), header_name, self._now_us()),
            )
        self._publish([WalletChanged("webhooks")])
        return WebhookSpec(int(cur.lastrowid or 0), url, format, wanted, header_name)

    def webhooks(self) -> list[WebhookSpec]:
        rows = self._conn().execute("SELECT id, url, format, topics, header_name FROM webhook ORDER BY id")
        return [WebhookSpec(r[0], r[1], r[2], tuple(t for t in r[3].split(",") if t), r[4]) for r in rows]

    def webhook(self, hook_id: int) -> WebhookSpec:
        for hook in self.webhooks():
            if hook.id == hook_id:
                return hook
        raise NotFound(f"no webhook #{hook_id} (`tokenwallet alerts webhook list` shows them)")

    def remove_webhook(self, hook_id: int) -> WebhookSpec:
        hook = self.webhook(hook_id)
        conn = self._conn()
        with immediate(conn):
            conn.execute("DELETE FROM webhook WHERE id = ?", (hook_id,))
        self._publish([WalletChanged("webhooks")])
        return hook
