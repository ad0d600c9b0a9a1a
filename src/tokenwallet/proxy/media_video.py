"""Video jobs (OpenAI's ``/v1/videos``, Sora 2): what a creation or a remix is held and charged.

A video job is billed when it is created, for the seconds it asks for, at its model's rate for its
size (``resources/media_prices.toml``). So the hold is the exact price, and the creation answer
(the job object, with its ``model``, ``size`` and ``seconds``) settles it; an error answer charges
nothing. Polling the job and downloading its content are free reads.

A remix (``POST /v1/videos/{id}/remix``) makes a new video of the original's model, size and
length, none of which its request names. Before holding it, the meter reads the original job from
the provider (``GET /v1/videos/{id}``, a free read, with the caller's own credentials); when that
read fails or does not say all three, the remix is refused with the reason, never sent uncounted.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx

from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.media_request import MediaRequest, video_seconds
from tokenwallet.proxy.upstream import upstream_headers

if TYPE_CHECKING:
    from tokenwallet.proxy.app import ProxyApp
    from tokenwallet.proxy.routes import Route

MAX_JOB_BYTES = 1024 * 1024  # a job object is a few hundred bytes


def job_units(body: Any) -> dict[str, Any] | None:
    """``{"video_seconds": s, "size": "WxH"}`` of a video job object; None when it does not say."""
    if not isinstance(body, dict) or body.get("object") != "video":
        return None
    size = body.get("size")
    try:
        seconds = video_seconds(body.get("seconds"))
    except ProxyError:
        return None
    if seconds is None or not isinstance(size, str) or not size:
        return None
    return {"video_seconds": seconds, "size": size}


def _refuse(video: str, why: str) -> ProxyError:
    return ProxyError(
        400,
        f"Token Wallet cannot price this remix of {video}: {why}. A remix is billed for the "
        "original's model, size and length, so it is not sent without them.",
        "unpriced_remix",
    )


async def remix_request(
    app: ProxyApp,
    route: Route,
    base: str,
    headers: list[tuple[bytes, bytes]],
    key: str | None,
    *,
    passthrough: bool,
    prompt: str,
) -> MediaRequest:
    """The remix as a creation of the original's model, size and seconds (read from the provider)."""
    job_path = route.upstream_path.removesuffix("/remix")
    video = job_path.rsplit("/", 1)[-1]
    hdrs = upstream_headers(headers, route.wire, key, keep_client_auth=passthrough, identity=True)
    hdrs = [(k, v) for k, v in hdrs if k.lower() not in (b"content-type", b"content-length")]
    try:
        resp = await app.client.get(base + job_path, headers=hdrs)
    except httpx.TransportError as exc:
        raise _refuse(video, f"the original job could not be read ({type(exc).__name__})") from None
    if resp.status_code != 200 or len(resp.content) > MAX_JOB_BYTES:
        raise _refuse(video, f"reading the original job answered HTTP {resp.status_code}")
    try:
        body = json.loads(resp.content)
    except (ValueError, RecursionError):
        body = None
    units = job_units(body)
    model = body.get("model") if isinstance(body, dict) else None
    if units is None or not isinstance(model, str) or not model:
        raise _refuse(video, "the original job does not say its model, size and seconds")
    return MediaRequest(model, size=units["size"], seconds=units["video_seconds"], text=prompt)
