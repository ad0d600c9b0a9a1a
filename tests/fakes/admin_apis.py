"""Fake provider admin APIs on loopback: OpenAI's Costs and Usage, Anthropic's cost and usage
reports, OpenRouter's key and credits — in the documented shapes, with cursor paging.

Usage::

    with FakeAdminAPIs(page_size=2) as fake:        # its own thread, port 0 -> fake.url
        fake.openai_day(date(2025, 3, 3), "gpt-4o-2024-08-06", cost="20.34", input_tokens=…)
        fake.anthropic_day(date(2025, 3, 3), "claude-sonnet-4-5-20250929", cents="1234.5", …)
        fake.openrouter = {"usage_daily": "1.5", "usage_monthly": "12", …}
        … point reconcile at fake.url …
        fake.requests  # [(method, path, query dict of lists, headers)]

Amounts are kept as text and written into the JSON *as numbers* where the provider sends numbers
(OpenAI's ``amount.value``, OpenRouter's USD) and as strings where it sends strings (Anthropic's
``amount`` in cents), so the client sees exactly the digits a provider would send. Buckets are one
UTC day each, ``page_size`` buckets per page, the cursor is opaque (base64 of an offset), and
every bucket in [start, end) is present (empty ``results`` on a day without usage), as the APIs do.
Wrong key → 401 in the provider's error shape; ``fail_status`` answers every request with it;
``raw_body`` answers exactly these bytes; ``delay_s`` makes OpenAI's routes slow.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

OPENAI_KEY = "sk-admin-openai-test-0123456789"
ANTHROPIC_KEY = "sk-ant-admin01-test-0123456789"
OPENROUTER_KEY = "sk-or-v1-test-0123456789"


class _Raw(str):
    """Text written into JSON as a bare number."""


def dumps(obj: Any) -> bytes:
    marks: dict[str, str] = {}

    def enc(o: Any) -> Any:
        if isinstance(o, _Raw):
            mark = f"@@raw{len(marks)}@@"
            marks[mark] = str(o)
            return mark
        if isinstance(o, dict):
            return {k: enc(v) for k, v in o.items()}
        if isinstance(o, list):
            return [enc(v) for v in o]
        return o

    text = json.dumps(enc(obj))
    for mark, raw in marks.items():
        text = text.replace(f'"{mark}"', raw)
    return text.encode()


class FakeAdminAPIs:
    def __init__(self, *, page_size: int = 2) -> None:
        self.page_size = page_size
        self.openai_costs: dict[date, list[dict[str, Any]]] = defaultdict(list)
        self.openai_usage: dict[date, list[dict[str, Any]]] = defaultdict(list)
        self.openai_embeddings: dict[date, list[dict[str, Any]]] = defaultdict(list)
        self.delay_s = 0.0  # OpenAI routes answer this much later (a provider too slow to answer)
        self.anthropic_costs: dict[date, list[dict[str, Any]]] = defaultdict(list)
        self.anthropic_usage: dict[date, list[dict[str, Any]]] = defaultdict(list)
        self.openrouter: dict[str, Any] = {
            "usage": "0",
            "usage_daily": "0",
            "usage_weekly": "0",
            "usage_monthly": "0",
        }
        self.credits: dict[str, Any] = {"total_credits": "100", "total_usage": "0"}
        self.requests: list[tuple[str, str, dict[str, list[str]], dict[str, str]]] = []
        self.fail_status: int | None = None
        self.raw_body: bytes | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeAdminAPIs:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    # -- what the provider "knows" -------------------------------------------------------------
    def openai_day(
        self, day: date, model: str, *, cost: str, input_tokens: int = 0, cached: int = 0,
        output_tokens: int = 0, requests: int = 1, line_items: tuple[str, ...] = ("input",),
    ) -> None:  # fmt: skip
        """A model's day; ``cost`` (USD text) is split evenly over ``line_items`` when it can be."""
        from decimal import Decimal

        total = Decimal(cost)
        share = total / len(line_items)
        parts = [share] * (len(line_items) - 1)
        parts.append(total - sum(parts, Decimal(0)))
        for kind, value in zip(line_items, parts, strict=True):
            self.openai_costs[day].append(
                {
                    "object": "organization.costs.result",
                    "amount": {"value": _Raw(str(value)), "currency": "usd"},
                    "line_item": f"{model}, {kind}",
                    "project_id": None,
                }
            )
        self.openai_usage[day].append(
            {
                "object": "organization.usage.completions.result",
                "input_tokens": input_tokens + cached,
                "output_tokens": output_tokens,
                "input_cached_tokens": cached,
                "input_audio_tokens": 0,
                "output_audio_tokens": 0,
                "num_model_requests": requests,
                "project_id": None,
                "user_id": None,
                "api_key_id": None,
                "model": model,
                "batch": None,
            }
        )

    def openai_embeddings_day(self, day: date, model: str, *, input_tokens: int, requests: int = 1) -> None:
        self.openai_embeddings[day].append(
            {"object": "organization.usage.embeddings.result", "input_tokens": input_tokens,
             "num_model_requests": requests, "project_id": None, "user_id": None, "api_key_id": None,
             "model": model}
        )  # fmt: skip

    def anthropic_day(
        self, day: date, model: str, *, cents: str, input_tokens: int = 0, cache_read: int = 0,
        cache_5m: int = 0, cache_1h: int = 0, output_tokens: int = 0,
    ) -> None:  # fmt: skip
        self.anthropic_costs[day].append(
            {
                "currency": "USD",
                "amount": cents,
                "workspace_id": None,
                "description": f"{model} usage - input and output tokens",
                "cost_type": "tokens",
                "context_window": "0-200k",
                "model": model,
                "service_tier": "standard",
                "token_type": "uncached_input_tokens",
            }
        )
        self.anthropic_usage[day].append(
            {
                "uncached_input_tokens": input_tokens,
                "cache_creation": {
                    "ephemeral_1h_input_tokens": cache_1h,
                    "ephemeral_5m_input_tokens": cache_5m,
                },
                "cache_read_input_tokens": cache_read,
                "output_tokens": output_tokens,
                "server_tool_use": {"web_search_requests": 0},
                "api_key_id": None,
                "workspace_id": None,
                "model": model,
                "service_tier": None,
                "context_window": None,
            }
        )

    # -- the HTTP side -------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake.requests.append(("GET", parts.path, query, headers))
                status, body = fake._answer(parts.path, query, headers)
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def _answer(self, path: str, q: dict[str, list[str]], h: dict[str, str]) -> tuple[int, bytes]:
        if self.fail_status is not None:
            return self.fail_status, dumps({"error": {"message": "fake failure", "type": "server_error"}})
        if self.raw_body is not None:
            return 200, self.raw_body
        if path.startswith("/v1/organization/"):
            if h.get("authorization") != f"Bearer {OPENAI_KEY}":
                return 401, dumps(
                    {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
                )
            start = _from_unix(q["start_time"][0])
            end = _from_unix(q["end_time"][0]) if "end_time" in q else start + timedelta(days=7)
            tables = {
                "/v1/organization/costs": self.openai_costs,
                "/v1/organization/usage/completions": self.openai_usage,
                "/v1/organization/usage/embeddings": self.openai_embeddings,
            }
            if path not in tables:
                return 404, dumps({"error": {"message": "not found"}})
            if self.delay_s:
                time.sleep(self.delay_s)
            table = tables[path]
            return 200, self._page(table, start, end, q, openai=True)
        if path.startswith("/v1/organizations/"):
            if h.get("x-api-key") != ANTHROPIC_KEY:
                return 401, dumps(
                    {
                        "type": "error",
                        "error": {"type": "authentication_error", "message": "invalid x-api-key"},
                    }
                )
            if h.get("anthropic-version") != "2023-06-01":
                return 400, dumps(
                    {
                        "type": "error",
                        "error": {"type": "invalid_request_error", "message": "anthropic-version"},
                    }
                )
            start = _from_rfc3339(q["starting_at"][0])
            end = _from_rfc3339(q["ending_at"][0]) if "ending_at" in q else start + timedelta(days=7)
            table = self.anthropic_costs if path == "/v1/organizations/cost_report" else self.anthropic_usage
            return 200, self._page(table, start, end, q, openai=False)
        if path in ("/api/v1/key", "/api/v1/credits"):
            if h.get("authorization") != f"Bearer {OPENROUTER_KEY}":
                return 401, dumps({"error": {"code": 401, "message": "No auth credentials found"}})
            data = self.openrouter if path == "/api/v1/key" else self.credits
            return 200, dumps({"data": {k: _number(v) for k, v in data.items()}})
        return 404, dumps({"error": {"message": "not found"}})

    def _page(
        self,
        table: dict[date, list[dict[str, Any]]],
        start: date,
        end: date,
        q: dict[str, list[str]],
        *,
        openai: bool,
    ) -> bytes:
        days = [start + timedelta(days=i) for i in range((end - start).days)]
        offset = int(base64.b64decode(q["page"][0]).decode()) if "page" in q else 0
        chunk = days[offset : offset + self.page_size]
        more = offset + self.page_size < len(days)
        cursor = base64.b64encode(str(offset + self.page_size).encode()).decode() if more else None
        buckets = []
        for d in chunk:
            if openai:
                span = {"start_time": _unix(d), "end_time": _unix(d + timedelta(days=1))}
                buckets.append({"object": "bucket", **span, "results": list(table.get(d, []))})
            else:
                span = {"starting_at": f"{d}T00:00:00Z", "ending_at": f"{d + timedelta(days=1)}T00:00:00Z"}
                buckets.append({**span, "results": list(table.get(d, []))})
        body: dict[str, Any] = {"data": buckets, "has_more": more, "next_page": cursor}
        if openai:
            body = {"object": "page", **body}
        return dumps(body)


def _number(value: Any) -> Any:
    """OpenRouter's USD amounts are JSON numbers: numeric text goes out bare, other text quoted."""
    if isinstance(value, str) and value.replace(".", "", 1).isdigit():
        return _Raw(value)
    return value


def _unix(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def _from_unix(text: str) -> date:
    return datetime.fromtimestamp(int(text), UTC).date()


def _from_rfc3339(text: str) -> date:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
