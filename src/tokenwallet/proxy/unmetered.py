"""Calls the meter cannot price before they run, and plain pass-through.

A batch, a fine-tuning job, a file upload that feeds them, or a write to a path in no endpoint
table (``routes.py``) costs money the meter cannot hold up front. Such a call is refused unless
every one of these holds: the profile opted in (per-profile setting ``allow_unmetered_endpoints``),
it is not a household member (a child's hard stop must hold), and no blocking envelope applies
to it. A call let through is recorded in the ledger at $0, flagged ``unmetered``, so the user
sees it and can reconcile it with the provider's bill.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from tokenwallet.core.events import CallSettled
from tokenwallet.core.usage import Usage
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.upstream import response_headers
from tokenwallet.wallet.types import CallRecord

if TYPE_CHECKING:
    from tokenwallet.core.events import EventBus
    from tokenwallet.proxy.metering import Meter
    from tokenwallet.proxy.routes import Route
    from tokenwallet.wallet.types import KeyBinding

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]

UNMETERED_PRICE = '{"unmetered": true}'
_NOT_IN_TABLE = "it is not an endpoint Token Wallet knows how to meter"


def check_unmetered(meter: Meter, route: Route, binding: KeyBinding, method: str) -> None:
    """Raise a 403 ProxyError unless ``binding`` may make this call the meter cannot price."""
    what = f"{method} {route.path or '/'}"
    reason = route.why or _NOT_IN_TABLE
    if route.meter == "refused":
        raise ProxyError(403, f"Token Wallet does not forward {what}: {reason}.", "endpoint_refused")
    wallet = meter.wallet
    if wallet.household_kind(binding.profile_id) is not None:
        raise ProxyError(
            403,
            f"Token Wallet refuses {what} for household member {binding.profile!r}: {reason}, "
            "and a household allowance only covers calls the meter can count.",
            "unmetered_endpoint",
        )
    if meter.models.rules(binding.profile_id) is not None:
        raise ProxyError(
            403,
            f"Token Wallet refuses {what} for profile {binding.profile!r}: {reason}, and the profile's "
            f"model rules can only be checked on calls the meter reads "
            f"(`tokenwallet model-rules show --profile {binding.profile}`).",
            "unmetered_endpoint",
        )
    for st in wallet.applicable_statuses(binding, route.provider):
        if st.envelope.action == "block":
            raise ProxyError(
                403,
                f"Token Wallet refuses {what}: {reason}, and budget {st.envelope.label} blocks "
                "spending it cannot count. Use an endpoint that is metered, or make the budget warn.",
                "unmetered_endpoint",
            )
    if not meter.allow_unmetered(binding.profile):
        raise ProxyError(
            403,
            f"Token Wallet refuses {what}: {reason}. To let profile {binding.profile!r} make such "
            "calls (recorded at $0 and flagged 'unmetered'), run `tokenwallet settings set "
            f"allow_unmetered_endpoints true --profile {binding.profile}`.",
            "unmetered_endpoint",
        )


def record_unmetered(
    meter: Meter, bus: EventBus, route: Route, binding: KeyBinding, *, method: str, body: bytes, status: int
) -> None:
    """The ledger row of an opted-in unmetered call: $0, flagged, so it is seen and reconcilable."""
    model = ""
    if body[:1] == b"{":
        with contextlib.suppress(ValueError, RecursionError):
            value = json.loads(body).get("model")
            model = value if isinstance(value, str) else ""
    call_id = os.urandom(12).hex()
    endpoint = f"{method} {route.path}"[:200]
    rec = CallRecord(
        call_id,
        binding,
        route.provider,
        model[:200] or "(unmetered)",
        endpoint,
        status,
        False,
        Usage(),
        0,
        UNMETERED_PRICE,
        "unmetered",
        False,
        True,
        0,
        started_at=datetime.now(UTC),
        flags="unmetered",
    )
    result = meter.wallet.record(rec)
    bus.publish(
        CallSettled(
            call_id,
            result.ledger_id,
            binding.profile,
            binding.project,
            route.provider,
            rec.model,
            endpoint,
            Usage(),
            0,
            False,
            status,
        )
    )


async def passthrough(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    hdrs: list[tuple[bytes, bytes]],
    body: bytes,
    send: Send,
) -> int:
    """Forward a call as is and relay the answer; returns the upstream status."""
    request = client.build_request(method, url, headers=hdrs, content=body or None)
    try:
        resp = await client.send(request, stream=True)
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
    return resp.status_code
