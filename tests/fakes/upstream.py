"""A fake LLM upstream on loopback: OpenAI, Anthropic and Gemini wire formats, with failure modes.

Usage (pytest; ``tests/`` must be importable, see tests/fakes/__init__.py)::

    from fakes.upstream import FakeUpstream

    @pytest.fixture
    def upstream():
        with FakeUpstream() as fake:          # own thread + loop, port 0 -> fake.port
            yield fake

    def test_x(upstream):
        upstream.scenario(cached_tokens=40, reasoning_tokens=7, chunks=3)   # all following calls
        upstream.once(error_status=429)                                     # the next call only
        client = openai.OpenAI(base_url=upstream.openai_base_url, api_key="sk-real", max_retries=0)
        ...
        rec = upstream.last                     # Recorded: method, path, query, headers, body, raw,
        assert rec.headers["authorization"] == "Bearer sk-real"    # provider, status, stream,
        assert rec.json["stream_options"] == {"include_usage": True}  # usage (tokenwallet Usage
        assert rec.usage == Usage(input_tokens=..., ...)   # the fake reported, None if never
                                                           # delivered), chunks_sent, finished

Base URLs: ``fake.url`` (bare host: Anthropic, Gemini), ``fake.openai_base_url`` (``…/v1``). OpenAI
routes answer under any prefix (``/v1``, ``/api/v1``, ``/openai/v1``…) so OpenAI-compatible presets
can point here too. Routes: ``…/chat/completions``, ``…/responses``, ``…/completions``,
``…/embeddings``, GET ``…/models``, GET ``…/files``; ``/v1/messages``, ``/v1/messages/count_tokens``;
``/v1beta/models/{model}:generateContent`` / ``:streamGenerateContent[?alt=sse]`` (also under ``/v1``),
GET ``/v1beta/models``; images, speech, transcription and Imagen ``:predict`` (``_media``).

Scenario knobs (:class:`Scenario`; also per request as ``x-fake-<name-with-dashes>`` headers, e.g.
``x-fake-cached-tokens: 40``): input/output/cached/reasoning tokens, cache writes 5m/1h, chunks,
chunk_delay, latency, error_status (provider's error shape), hang, hang_after, cut_after (drop the
connection after N chunks, no usage), error_after (in-stream error event), no_usage, tool_call,
outcome (Responses: completed/incomplete/failed), extra_usage (e.g. OpenRouter ``cost``; it overrides
any usage field, so crafted usage — negative, 10**15, floats, strings — goes through it), raw_body
(answer exactly these bytes as a 200 JSON body: broken JSON, an answer without usage).

Token numbers are deterministic: input = len(prompt text) // 4 (min 1) unless ``input_tokens`` is
set; visible output = one token per chunk ("tok " each, 5 chunks by default) unless
``output_tokens``; reasoning tokens are added to the output as each provider reports them.
``api_key=`` makes the fake answer 401 (provider shape) unless that key arrives. A client that hangs
up while the fake waits (``latency``, ``hang``) is recorded as ``rec.cancelled``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Coroutine, Iterator
from dataclasses import replace
from types import TracebackType
from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from . import _anthropic, _gemini, _media, _openai, _responses, _video
from ._common import Call, CutStream, Recorded, Scenario, json_response

__all__ = ["FakeUpstream", "Recorded", "Scenario"]

_ERRORS = {
    "openai": _openai.error_response,
    "anthropic": _anthropic.error_response,
    "gemini": _gemini.error_response,
}


class _QuietCuts(logging.Filter):
    """uvicorn logs every aborted response; a cut we asked for is not an error worth printing."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        while exc is not None:
            if isinstance(exc, CutStream):
                return False
            if isinstance(exc, BaseExceptionGroup):
                exc = exc.exceptions[0]
            else:
                exc = exc.__cause__ or exc.__context__
        return True


logging.getLogger("uvicorn.error").addFilter(_QuietCuts())


class FakeUpstream:
    """The fake server. A context manager; also ``start()`` / ``stop()``. Thread-safe to drive."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, api_key: str | None = None) -> None:
        self.host = host
        self.port = port
        self.api_key = api_key
        self._default = Scenario()
        self._queue: deque[Scenario] = deque()
        self._records: list[Recorded] = []
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._release: asyncio.Event | None = None

    # ------------------------------------------------------------------ control
    def scenario(self, **knobs: Any) -> Scenario:
        """Set the scenario for every following request (fields of :class:`Scenario`)."""
        with self._lock:
            self._default = replace(Scenario(), **knobs)
            return self._default

    def once(self, **knobs: Any) -> None:
        """Queue a scenario for exactly one request (on top of the defaults), first in first out."""
        with self._lock:
            self._queue.append(replace(self._default, **knobs))

    def reset(self) -> None:
        """Default scenario, empty queue, forget recorded requests."""
        with self._lock:
            self._default = Scenario()
            self._queue.clear()
            self._records.clear()

    @property
    def requests(self) -> list[Recorded]:
        """Every request received so far (copy of the list; the records themselves are live)."""
        with self._lock:
            return list(self._records)

    @property
    def last(self) -> Recorded:
        with self._lock:
            assert self._records, "the fake upstream received no request"
            return self._records[-1]

    def wait_for(self, count: int, timeout: float = 5.0, *, finished: bool = False) -> list[Recorded]:
        """Block until ``count`` requests arrived (and, if asked, their responses went out)."""
        deadline = time.monotonic() + timeout
        while True:
            recs = self.requests
            if len(recs) >= count and (not finished or all(r.finished or r.status >= 400 for r in recs)):
                return recs
            if time.monotonic() > deadline:
                raise TimeoutError(f"fake upstream saw {len(recs)} requests, wanted {count}")
            time.sleep(0.005)

    # ------------------------------------------------------------------ addresses
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return self.url + "/v1"

    # ------------------------------------------------------------------ life cycle
    def start(self) -> FakeUpstream:
        """Listen (port 0 picks a free one) on a background thread; returns once accepting."""
        config = uvicorn.Config(
            self._app,
            host=self.host,
            port=self.port,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            interface="asgi3",
            timeout_graceful_shutdown=2,
            backlog=1024,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="fake-upstream", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("fake upstream did not start")
            time.sleep(0.002)
        sock = self._server.servers[0].sockets[0]
        self.port = int(sock.getsockname()[1])
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._release = asyncio.Event()
        assert self._server is not None
        try:
            loop.run_until_complete(self._server.serve())
        finally:
            loop.close()

    def stop(self) -> None:
        """Stop serving: hung requests are released, open streams get ~2 s, then are cut."""
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        if self._loop is not None and self._release is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                self._loop.call_soon_threadsafe(self._release.set)
        self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeUpstream:
        return self.start()

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ serving
    def _next_scenario(self, headers: dict[str, str]) -> Scenario:
        with self._lock:
            sc = self._queue.popleft() if self._queue else self._default
        return sc.merged_with_headers(headers)

    async def _app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        raw = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        rec = Recorded(request.method, request.url.path, dict(request.query_params), headers, body, raw)
        with self._lock:
            self._records.append(rec)
        try:
            response = await self._handle(request, rec, receive)
        except CutStream:
            response = Response(status_code=502)
        except _ClientGone:
            rec.cancelled = True
            return
        rec.status = response.status_code
        if not rec.stream:
            rec.finished = True  # streams mark themselves as their last frame goes out
        await response(scope, receive, send)

    async def _handle(self, request: Request, rec: Recorded, receive: Receive) -> Response:
        path, method = rec.path, rec.method
        provider, route, model = _route(path, method)
        rec.provider = provider
        if not route:
            return json_response(
                {
                    "error": {
                        "message": f"fake upstream: no route {method} {path}",
                        "type": "invalid_request_error",
                    }
                },
                404,
            )
        sc = self._next_scenario(rec.headers)
        if self.api_key is not None and self.api_key not in _keys_sent(rec):
            return _ERRORS[provider](401, "Incorrect API key provided (fake upstream)")
        if sc.latency:
            await _unless_gone(asyncio.sleep(sc.latency), receive)
        if sc.hang:
            assert self._release is not None
            await _unless_gone(self._release.wait(), receive)
            raise CutStream
        if sc.error_status:
            return _ERRORS[provider](sc.error_status, sc.error_message)
        if sc.raw_body is not None:
            return Response(sc.raw_body, media_type="application/json")
        video = _video.route(path, method)
        if video:
            return await _video.handle(request, rec, video)
        media = _media.route(path, method)
        if media:
            return await _media.handle(request, rec, sc, media, model)
        if method == "GET":
            return {"models": _openai.models, "files": _openai.files, "gemini-models": _gemini.models}[
                route
            ]()
        if not isinstance(rec.body, dict):
            return _ERRORS[provider](400, "We could not parse the JSON body of your request.")
        assert self._release is not None
        call = Call(rec.body, sc, rec, self._release, model or str(rec.body.get("model") or "unknown-model"))
        rec.stream = bool(rec.body.get("stream")) or route == "stream-generate"
        handler = {
            "chat": _openai.chat,
            "responses": _responses.responses,
            "completions": _openai.completions,
            "embeddings": _openai.embeddings,
            "messages": _anthropic.messages,
            "count-tokens": _anthropic.count_tokens,
        }.get(route)
        if handler is not None:
            return handler(call)
        alt_sse = request.query_params.get("alt") == "sse"
        return _gemini.generate(call, stream=route == "stream-generate", alt_sse=alt_sse)


class _ClientGone(Exception):
    """The client hung up while the fake was still "thinking" (recorded as ``cancelled``)."""


async def _unless_gone(work: Coroutine[Any, Any, Any], receive: Receive) -> None:
    """Wait for ``work`` unless the client disconnects first (then raise _ClientGone)."""

    async def gone() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    task, watcher = asyncio.ensure_future(work), asyncio.ensure_future(gone())
    await asyncio.wait((task, watcher), return_when=asyncio.FIRST_COMPLETED)
    for t in (task, watcher):
        t.cancel()
    if watcher.done() and not watcher.cancelled():
        raise _ClientGone


def _keys_sent(rec: Recorded) -> set[str]:
    h = rec.headers
    auth = h.get("authorization", "")
    return {auth.removeprefix("Bearer ").strip(), h.get("x-api-key", ""), h.get("x-goog-api-key", "")} | {
        rec.query.get("key", "")
    }


def _route(path: str, method: str) -> tuple[str, str, str]:
    """(provider, route name, model from the path) — route "" when nothing matches."""
    # Gemini answers on v1beta and on v1 (google-genai 3.x posts to v1 by default).
    gemini = next((p for p in ("/v1beta/models", "/v1/models/") if path.startswith(p)), None)
    if gemini is not None and (gemini == "/v1beta/models" or ":" in path):
        if method == "GET":
            return "gemini", "gemini-models", ""
        tail = path.removeprefix(gemini).removeprefix("/")
        model, _, action = tail.partition(":")
        if action == "generateContent":
            return "gemini", "generate", model
        if action == "streamGenerateContent":
            return "gemini", "stream-generate", model
        if action == "predict":
            return "gemini", "predict", model
        return "gemini", "", ""
    if path == "/v1/messages":
        return "anthropic", "messages" if method == "POST" else "", ""
    if path == "/v1/messages/count_tokens":
        return "anthropic", "count-tokens" if method == "POST" else "", ""
    posts = {"/chat/completions": "chat", "/responses": "responses", "/completions": "completions"}
    posts["/embeddings"] = "embeddings"
    for suffix, name in posts.items():
        if path.endswith(suffix) and method == "POST":
            return "openai", name, ""
    if _video.route(path, method):
        return "openai", "video", ""
    if _media.route(path, method):
        return "openai", "media", ""
    for suffix, name in (("/models", "models"), ("/files", "files")):
        if path.endswith(suffix) and method == "GET":
            return "openai", name, ""
    return "openai", "", ""


def iter_sse(raw: bytes) -> Iterator[tuple[str | None, str]]:
    """Split an SSE body into (event, data) pairs; handy for raw-httpx assertions in tests."""
    for block in raw.replace(b"\r\n", b"\n").split(b"\n\n"):
        event, data = None, []
        for line in block.decode().splitlines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
        if data:
            yield event, "\n".join(data)
