"""OpenAI's video jobs (Sora 2, ``/v1/videos``) in their wire format.

``POST /v1/videos`` (multipart from the SDK, JSON from raw clients) answers a queued job object
(``Video`` in the openai SDK: ``id``, ``object: "video"``, ``model``, ``size``, ``seconds`` as a
string …); ``GET /v1/videos/{id}`` answers it completed; ``GET /v1/videos/{id}/content`` answers
a few bytes of "MP4"; ``POST /v1/videos/{id}/remix`` makes a new job of the original's model, size
and seconds. Defaults are the API's: sora-2, 4 seconds, 720x1280. Jobs live in memory for the
life of the test process (ids are random, so tests do not see each other's).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ._common import JSON, Recorded, json_response

MP4 = b"\x00\x00\x00\x18ftypmp42fake video"
JOBS: dict[str, JSON] = {}
_JOB = re.compile(r"^/v1/videos/(?P<id>video_[0-9a-f]+)(?P<tail>/content|/remix)?$")


def route(path: str, method: str) -> str:
    """The video route name for ``path``, "" when it is not one."""
    if path == "/v1/videos" and method == "POST":
        return "create"
    hit = _JOB.match(path)
    if hit is None:
        return ""
    tail = hit.group("tail")
    if tail == "/remix":
        return "remix" if method == "POST" else ""
    if method == "GET":
        return "content" if tail == "/content" else "retrieve"
    return "delete" if method == "DELETE" and tail is None else ""


def _job(model: str, size: str, seconds: str, prompt: str, remixed_from: str | None = None) -> JSON:
    job: JSON = {
        "id": "video_" + secrets.token_hex(8),
        "object": "video",
        "model": model,
        "status": "queued",
        "progress": 0,
        "created_at": int(time.time()),
        "size": size,
        "seconds": seconds,
        "prompt": prompt,
        "remixed_from_video_id": remixed_from,
    }
    JOBS[job["id"]] = job
    return job


async def handle(request: Request, rec: Recorded, name: str) -> Response:
    if name == "create":
        if request.headers.get("content-type", "").startswith("multipart/"):
            form = await request.form()
            body: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
            await form.close()
        else:
            body = json.loads(rec.raw or b"{}")
        job = _job(
            str(body.get("model") or "sora-2"),
            str(body.get("size") or "720x1280"),
            str(body.get("seconds") or "4"),
            str(body.get("prompt") or ""),
        )
        return json_response(job)
    hit = _JOB.match(rec.path)
    assert hit is not None
    job = JOBS.get(hit.group("id"))
    if job is None:
        return json_response({"error": {"message": "Video not found", "type": "invalid_request_error"}}, 404)
    if name == "content":
        return Response(MP4, media_type="video/mp4")
    if name == "delete":
        JOBS.pop(job["id"], None)
        return json_response({"id": job["id"], "object": "video.deleted", "deleted": True})
    if name == "remix":
        prompt = str(rec.json.get("prompt") or "")
        return json_response(_job(job["model"], job["size"], job["seconds"], prompt, remixed_from=job["id"]))
    return json_response({**job, "status": "completed", "progress": 100, "completed_at": int(time.time())})
