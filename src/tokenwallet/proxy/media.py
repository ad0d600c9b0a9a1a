"""Images, speech, transcription, video: held at their worst case, charged by what they produced.

The dispatcher (``app.py``) hands a route whose meter is ``images``, ``speech``,
``transcription`` or ``video`` to :func:`handle_media` (video jobs: ``media_video``). The order is
the token path's: read the request (``media_request``), price it (``pricing.media``), reserve its
worst case (``media_units``), send, then settle exactly once from the answer — the images
returned, the usage reported, the characters sent, the length of the audio, the video job. An
upstream error charges nothing; a call whose answer was not seen whole (the upstream broke off, a
bug) is charged its hold, marked estimated."""

from __future__ import annotations

import asyncio
import hashlib
from typing import TYPE_CHECKING

import httpx

from tokenwallet.core.events import CallStarted
from tokenwallet.pricing.media import MediaPrice, UnknownMediaModel, cost_nano, media_price
from tokenwallet.proxy.call import MAX_PROMPT_STORED, new_call_id
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.media_answer import answer_units
from tokenwallet.proxy.media_audio import audio_ms, worst_case_ms
from tokenwallet.proxy.media_request import MediaRequest, parse_media
from tokenwallet.proxy.media_units import token_totals, worst_units
from tokenwallet.proxy.media_video import remix_request
from tokenwallet.proxy.media_wallet import MediaCall, refuse, refuse_token_budgets, remaining_after, settle
from tokenwallet.proxy.metering import remaining_header
from tokenwallet.proxy.upstream import response_headers, upstream_headers
from tokenwallet.wallet.types import HoldRequest, KeyBinding

if TYPE_CHECKING:
    from tokenwallet.proxy.app import ProxyApp, Receive, Scope, Send
    from tokenwallet.proxy.routes import Route

MAX_KEPT = 64 * 1024 * 1024  # answer bytes kept to read units from (a 10-image b64 answer is ~30 MB)


async def handle_media(  # noqa: PLR0917 (the app.media hook's signature)
    app: ProxyApp,
    route: Route,
    binding: KeyBinding,
    key: str | None,
    passthrough: bool,
    scope: Scope,
    body: bytes,
    query: bytes,
    receive: Receive,
    send: Send,
) -> None:
    """Meter one image / speech / transcription call end to end (the ``app.media`` hook)."""
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    req = parse_media(route.endpoint, route.path_model, headers, body)
    cfg = app.meter.provider(route.provider)
    base = cfg.base_url.rstrip("/") if cfg is not None else ""
    if route.endpoint == "videos/remix":
        req = await remix_request(app, route, base, headers, key, passthrough=passthrough, prompt=req.text)
    call = await _plan(app, route, binding, req)
    try:
        url = base + route.upstream_path + ("?" + query.decode("latin-1") if query else "")
        hdrs = upstream_headers(headers, route.wire, key, keep_client_auth=passthrough, identity=True)
        await _exchange(app, call, url, hdrs=hdrs, body=body, send=send)
    finally:
        if not call.settled:  # a bug or a cancellation after the hold: charge the hold
            settle(app, call, call.worst, 500, estimated=True, error="proxy error before the answer")


def price_for(app: ProxyApp, route: Route, model: str, size: str | None = None) -> tuple[MediaPrice, str]:
    """(price, billing) for ``model`` on this route, or ProxyError 400 when it cannot be priced."""
    meter = app.meter
    cfg = meter.provider(route.provider)
    book = meter.book
    local = bool(cfg is not None and cfg.local) or route.provider.lower() in book.local_providers
    try:
        price = media_price(route.provider, model, local=local, fallback=book.unknown_policy == "fallback")
    except UnknownMediaModel as exc:
        raise ProxyError(400, f"Token Wallet refuses this call: {exc}.", "unknown_model") from None
    billing = price.billing(route.meter)
    if billing == "video" and price.second_rate(size) is None:
        sizes = ", ".join(sorted(price.per_second))
        raise ProxyError(
            400,
            f"Token Wallet has no price for {model} videos at size {size!r} (priced sizes: {sizes}), "
            "so it does not send this call.",
            "unknown_model",
        )
    if billing is None:
        raise ProxyError(
            400,
            f"Token Wallet has no {route.meter} price for model {model!r} on {route.provider}, "
            f"so it does not send this {route.endpoint} call.",
            "unknown_model",
        )
    return price, billing


async def _plan(app: ProxyApp, route: Route, binding: KeyBinding, req: MediaRequest) -> MediaCall:
    # The profile's model rules first (a child limited to tier:small makes no images): there is no
    # cheaper media model to swap in, so a refused model is refused even under "downgrade".
    allowed = app.meter.models.admit(route, binding, req.model, 0, 0, meter=app.meter, bus=app.planner.bus)
    if allowed != req.model:
        rule = app.meter.models.refusing(binding.profile_id, route.provider, req.model)
        raise ProxyError(
            403,
            f"Token Wallet model rules for profile {binding.profile!r} do not allow {req.model} "
            f"on {route.provider} (rule: {rule}). To lift it: `tokenwallet model-rules allow "
            f"--profile {binding.profile} {route.provider}/{req.model}`.",
            "model_not_allowed",
        )
    price, billing = price_for(app, route, req.model, req.size)
    measured = None
    if req.audio is not None:  # transcription: the upload's length, read off the event loop
        measured = await asyncio.to_thread(audio_ms, req.audio.data)
    length = measured if measured is not None else worst_case_ms(len(req.audio.data) if req.audio else 0)
    worst = worst_units(route.meter, billing, req, price, length)
    held = cost_nano(price, worst)
    ins, outs = token_totals(worst)
    wallet = app.meter.wallet
    call_id = new_call_id()
    if billing not in ("tokens", "free"):
        refuse_token_budgets(app, route, binding, model=req.model, billing=billing, call_id=call_id)
    # Guards (per-request money, rate, loops) see a media call like any other: a blocking one
    # refuses it here; a downgrade has no cheaper media model to offer, so the call goes as asked.
    guards = app.meter.guarding
    turn = req.text + (hashlib.sha256(req.audio.data).hexdigest() if req.audio is not None else "")
    facts = guards.facts(route, binding, {"messages": [turn]}, req.model, worst=held, tokens=ins + outs)
    guards.check(facts, route, binding, call_id)
    hold = HoldRequest(
        call_id, binding, route.provider, req.model, route.endpoint, req.stream, ins, held, ins + outs, True
    )
    res = wallet.reserve(hold)
    if res.hold_id is None:
        status = res.refused or res.downgrade or res.tightest
        refuse(
            app, route, binding, model=req.model, call_id=call_id, status=status, held=held, tokens=ins + outs
        )
    assert res.hold_id is not None
    guards.started(facts)
    call = MediaCall(
        call_id,
        route,
        binding,
        req,
        price,
        price.to_json(),
        billing,
        worst,
        held,
        res.hold_id,
        res.tightest,
        measured,
        guard=facts,
    )
    from datetime import UTC, datetime

    call.started_at = datetime.now(UTC)
    if app.meter.store_prompts(binding.profile) and req.text:
        call.prompt_text = req.text[:MAX_PROMPT_STORED]
    app.planner.bus.publish(
        CallStarted(
            call_id,
            binding.profile,
            binding.project,
            route.provider,
            req.model,
            route.endpoint,
            req.stream,
            held,
            ins,
            session=binding.session,
        )
    )
    return call


async def _exchange(
    app: ProxyApp, call: MediaCall, url: str, *, hdrs: list[tuple[bytes, bytes]], body: bytes, send: Send
) -> None:
    request = app.client.build_request("POST", url, headers=hdrs, content=body)
    try:
        resp = await app.client.send(request, stream=True)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol) as exc:
        settle(app, call, {}, 502, estimated=False, error=f"upstream unreachable: {type(exc).__name__}")
        raise ProxyError(
            502,
            f"Could not reach {call.route.provider} upstream ({type(exc).__name__}).",
            "upstream_unreachable",
        ) from None
    except httpx.TransportError as exc:  # sent, no answer: the provider may have made it
        settle(
            app, call, call.worst, 504, estimated=True, error=f"no answer from upstream: {type(exc).__name__}"
        )
        raise ProxyError(
            504, f"{call.route.provider} did not answer ({type(exc).__name__}).", "upstream_timeout"
        ) from None
    try:
        ctype = resp.headers.get("content-type", "")
        status = resp.status_code
        buffered = status >= 400 or "json" in ctype or ctype.startswith("text/plain")
        headers = response_headers(resp, decoded=True)
        headers.append((b"x-tokenwallet-call-id", call.call_id.encode()))
        kept: list[bytes] = []
        size = 0
        try:
            if buffered:
                data = await resp.aread()
                kept.append(data)
                size = len(data)
            else:
                headers.append((b"x-tokenwallet-remaining", remaining_header(call.tightest).encode()))
                await send({"type": "http.response.start", "status": status, "headers": headers})
                async for chunk in resp.aiter_bytes():
                    size += len(chunk)
                    if size <= MAX_KEPT:
                        kept.append(chunk)
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except httpx.TransportError as exc:
            settle(
                app, call, call.worst, 502, estimated=True, error=f"upstream broke off: {type(exc).__name__}"
            )
            if buffered:
                raise ProxyError(
                    502, f"{call.route.provider} broke off its answer.", "upstream_error"
                ) from None
            return
        answer = b"".join(kept) if size <= MAX_KEPT else None
        units, estimated, flags = answer_units(call, status, ctype, answer)
        error = None if status < 400 else f"upstream HTTP {status}"
        if buffered:
            cost = cost_nano(call.price, units)
            headers.append(
                (b"x-tokenwallet-remaining", remaining_header(remaining_after(call, cost, units)).encode())
            )
            headers.append((b"content-length", str(len(kept[0])).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            try:
                await send({"type": "http.response.body", "body": kept[0]})
            finally:
                settle(app, call, units, status, estimated=estimated, error=error, flags=flags)
        else:
            settle(app, call, units, status, estimated=estimated, error=error, flags=flags)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
    finally:
        await resp.aclose()
