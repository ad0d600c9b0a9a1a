"""Anthropic's Admin API: the cost report and the Messages usage report (read-only admin key).

Shapes, from Anthropic's API reference ("Get Cost Report", platform.claude.com/docs/en/api/admin/
cost_report, and "Get Messages Usage Report", …/api/admin/usage_report/retrieve_messages):

- ``GET /v1/organizations/cost_report?starting_at=<RFC 3339>&ending_at=…&group_by[]=description
  &limit=<1-31>&page=<cursor>`` (buckets are always one day) →
  ``{"data": [{"starting_at": "2026-11-01T00:00:00Z", "ending_at": …, "results": [{"amount":
  "123.45", "currency": "USD", "cost_type": "tokens", "model": "claude-…", "token_type":
  "uncached_input_tokens", "description": …, "service_tier": …, "workspace_id": …}]}],
  "has_more": false, "next_page": null}``. **``amount`` is a decimal string in cents**
  ("123.45" is $1.2345). ``model`` is null for non-token costs (web search, code execution):
  those lines are kept under their ``cost_type``.
- ``GET /v1/organizations/usage_report/messages?starting_at=…&ending_at=…&bucket_width=1d
  &group_by[]=model&limit=<1-31>`` → buckets whose ``results`` carry ``uncached_input_tokens``,
  ``cache_read_input_tokens``, ``cache_creation: {ephemeral_5m_input_tokens,
  ephemeral_1h_input_tokens}``, ``output_tokens`` and ``model``. No request counts.

Headers: ``x-api-key`` and ``anthropic-version: 2023-06-01``. Paging: ``has_more`` + ``next_page``
sent back as ``page``. The cost report leaves out Priority Tier costs (Anthropic's usage & cost
guide says so); we add that to the report's notes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from tokenwallet.core.usage import Usage
from tokenwallet.reconcile.dates import day_of_rfc3339, rfc3339
from tokenwallet.reconcile.http import AdminClient
from tokenwallet.reconcile.report import ProviderLine, ProviderReport, ReconcileError, cents_nano, count_of

DEFAULT_URL = "https://api.anthropic.com"
COSTS = "/v1/organizations/cost_report"
USAGE = "/v1/organizations/usage_report/messages"
VERSION = "2023-06-01"


def fetch(base_url: str, key: str, start: date, end: date, *, timeout_s: float = 30.0) -> ProviderReport:
    report = ProviderReport("anthropic", "api", start, end)
    report.notes.append("Anthropic's cost report leaves out Priority Tier costs")
    window: dict[str, str | int | list[str]] = {"starting_at": rfc3339(start), "ending_at": rfc3339(end)}
    headers = {"x-api-key": key, "anthropic-version": VERSION}
    with AdminClient("anthropic", base_url, headers, timeout_s=timeout_s) as api:
        costs: dict[tuple[date, str], int] = defaultdict(int)
        for page, buckets in api.pages(COSTS, {**window, "group_by[]": ["description"], "limit": 31}):
            for day, item, where in _results(buckets, COSTS, page):
                currency = item.get("currency", "USD")
                if not isinstance(currency, str) or currency.upper() != "USD":
                    raise ReconcileError(f"unexpected answer: {where}.currency is {currency!r}, not USD")
                model = item.get("model") or item.get("cost_type") or "(all models)"
                costs[(day, str(model))] += cents_nano(item.get("amount"), f"{where}.amount")
        usage: dict[tuple[date, str], Usage] = defaultdict(Usage)
        params = {**window, "bucket_width": "1d", "group_by[]": ["model"], "limit": 31}
        for page, buckets in api.pages(USAGE, params):
            for day, item, where in _results(buckets, USAGE, page):
                usage[(day, str(item.get("model") or "(all models)"))] += _usage(item, where)
    for k in sorted(set(costs) | set(usage)):
        report.lines.append(ProviderLine(k[0], k[1], costs.get(k), usage.get(k)))
    return report


def _results(buckets: list[Any], path: str, page: int) -> list[tuple[date, dict[str, Any], str]]:
    out = []
    for i, bucket in enumerate(buckets):
        where = f"anthropic {path} page {page} data[{i}]"
        if not isinstance(bucket, dict):
            raise ReconcileError(f"unexpected answer: {where} is not an object")
        day = day_of_rfc3339(bucket.get("starting_at"), f"{where}.starting_at")
        results = bucket.get("results")
        if not isinstance(results, list):
            raise ReconcileError(f"unexpected answer: {where}.results is not a list")
        for j, item in enumerate(results):
            if not isinstance(item, dict):
                raise ReconcileError(f"unexpected answer: {where}.results[{j}] is not an object")
            out.append((day, item, f"{where}.results[{j}]"))
    return out


def _usage(item: dict[str, Any], where: str) -> Usage:
    creation = item.get("cache_creation") or {}
    if not isinstance(creation, dict):
        raise ReconcileError(f"unexpected answer: {where}.cache_creation is not an object")
    return Usage(
        input_tokens=count_of(item.get("uncached_input_tokens"), f"{where}.uncached_input_tokens"),
        cache_read_tokens=count_of(item.get("cache_read_input_tokens"), f"{where}.cache_read_input_tokens"),
        cache_write_tokens=count_of(
            creation.get("ephemeral_5m_input_tokens"), f"{where}.cache_creation.ephemeral_5m_input_tokens"
        ),
        cache_write_1h_tokens=count_of(
            creation.get("ephemeral_1h_input_tokens"), f"{where}.cache_creation.ephemeral_1h_input_tokens"
        ),
        output_tokens=count_of(item.get("output_tokens"), f"{where}.output_tokens"),
    )
