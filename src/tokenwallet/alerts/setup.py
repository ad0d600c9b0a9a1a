"""Adding, removing and testing webhooks: the steps the CLI and the app share.

A webhook with a secret header is two writes (the wallet row, the keychain value); if the keychain
refuses, the row is removed again, so a failed add changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tokenwallet.alerts.messages import test_alert
from tokenwallet.alerts.webhooks import encode_secret, keychain_secrets, send_once
from tokenwallet.wallet.alerts import WebhookSpec, check_topics, check_url, parse_header, secret_account

if TYPE_CHECKING:
    from tokenwallet.secrets import KeyStore
    from tokenwallet.wallet import Wallet


def add_webhook(
    wallet: Wallet,
    keystore: KeyStore | None,
    url: str,
    *,
    format: str = "ntfy",
    topics: str | tuple[str, ...] = "thresholds,refusals,guards",
    header: str | None = None,
) -> WebhookSpec:
    """Check everything, then store the webhook and (if any) its secret header value."""
    url = check_url(url)
    wanted = check_topics(topics)
    name, value = parse_header(header) if header else ("", "")
    if value:
        if keystore is None:
            raise ValueError("a secret header needs the keychain, and there is none here")
        keystore.get(secret_account(0))  # no keychain → its clear error now, before anything is stored
    hook = wallet.add_webhook(url, format=format, topics=wanted, header_name=name)
    if value and keystore is not None:
        try:
            keystore.set(secret_account(hook.id), encode_secret(value))
        except BaseException:
            wallet.remove_webhook(hook.id)
            raise
    return hook


def remove_webhook(wallet: Wallet, keystore: KeyStore | None, hook_id: int) -> tuple[WebhookSpec, str]:
    """Remove the row, then its secret. Returns the webhook and, when the keychain refused to
    forget the secret (an orphan entry is harmless, but the user should know), why; else ""."""
    hook = wallet.remove_webhook(hook_id)
    if hook.header_name and keystore is not None:
        try:
            keystore.delete(secret_account(hook.id))
        except Exception as exc:
            return hook, str(exc)
    return hook, ""


def test_webhook(wallet: Wallet, keystore: KeyStore | None, hook_id: int) -> tuple[WebhookSpec, int]:
    """Send one test alert now; returns the webhook and the HTTP status (WebhookError if unreachable)."""
    hook = wallet.webhook(hook_id)
    secret = keychain_secrets(keystore)(hook.id) if hook.header_name else None
    return hook, send_once(hook, test_alert(hook.topics[0], datetime.now(UTC)), secret)
