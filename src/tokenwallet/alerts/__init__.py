"""Alerts that leave the app: desktop notifications and webhooks (issue 10).

The process that hosts the meter (the app, or ``tokenwallet serve``) runs one
:class:`AlertService`: it turns budget crossings, guard trips and refused calls into
:class:`Alert` s, coalesces bursts, and hands them to the desktop and to each configured webhook,
all off the proxy's event loop. Qt-free: the app adds its own tray notifier (``gui/notify.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokenwallet.alerts.coalesce import Coalescer
from tokenwallet.alerts.messages import TOPICS, Alert, alert_for
from tokenwallet.core.lazy import lazy_names

if TYPE_CHECKING:
    from tokenwallet.alerts.service import AlertService
    from tokenwallet.alerts.webhooks import Webhook, WebhookError, check_url, parse_header, send_once

# The service and the webhooks bring httpx (~0.1 s to import): loaded when first named, so the
# window's start-up, which only needs the coalescer and the messages, does not pay for them.
_LAZY = {
    "AlertService": "service",
    "Webhook": "webhooks",
    "WebhookError": "webhooks",
    "check_url": "webhooks",
    "parse_header": "webhooks",
    "send_once": "webhooks",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "TOPICS",
    "Alert",
    "AlertService",
    "Coalescer",
    "Webhook",
    "WebhookError",
    "alert_for",
    "check_url",
    "parse_header",
    "send_once",
]
