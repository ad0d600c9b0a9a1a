"""OpenAI's organization Costs API and Completions Usage API (an admin key, read-only).

Shapes, from OpenAI's API reference ("Usage" and "Costs", platform.openai.com/docs/api-reference/
usage and …/usage/costs; the CLI reference developers.openai.com/api/reference/cli/resources/admin/
subresources/organization/subresources/usage/methods/costs shows the same example):

- ``GET /v1/organization/costs?start_time=<unix>&end_time=<unix>&bucket_width=1d&group_by=line_item
  &limit=<1-180>&page=<cursor>`` →
  ``{"object": "page", "data": [{"object": "bucket", "start_time": 1730419200, "end_time": …,
  "results": [{"object": "organization.costs.result", "amount": {"value": 0.06, "currency": "usd"},
  "line_item": "gpt-4o-2024-08-06, input", "project_id": null}]}], "has_more": false,
  "next_page": null}``. ``value`` is a JSON number in USD (read as Decimal). A line item names
  the model, a comma, then the kind of token; we take the model part.
- ``GET /v1/organization/usage/completions?…&bucket_width=1d&group_by=model&limit=<1-31>`` →
  buckets whose ``results`` are ``organization.usage.completions.result`` objects with
  ``input_tokens`` (cached included), ``input_cached_tokens``, ``output_tokens``,
  ``num_model_requests`` and ``model``.
- ``GET /v1/organization/usage/embeddings`` (same parameters) → ``organization.usage.embeddings.result``
  objects with ``input_tokens``, ``num_model_requests`` and ``model``. Images, audio and vector
  stores are billed per unit, not per token: their money comes through the Costs API.

Older revisions of the reference call a bucket's list ``result``; both spellings are read.
Paging: ``has_more`` + ``next_page``, sent back as ``page``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from tokenwallet.core.usage import Usage
from tokenwallet.reconcile.dates import day_of_unix, unix
from tokenwallet.reconcile.http import AdminClient
from tokenwallet.reconcile.report import (
    ProviderLine,
    ProviderReport,
    ReconcileError,
    count_of,
    usd_nano,
)

DEFAULT_URL = "https://api.openai.com"
COSTS = "/v1/organization/costs"
COMPLETIONS = "/v1/organization/usage/completions"
EMBEDDINGS = "/v1/organization/usage/embeddings"


def fetch(base_url: str, key: str, start: date, end: date, *, timeout_s: float = 30.0) -> ProviderReport:
    report = ProviderReport("openai", "api", start, end)
    window: dict[str, str | int] = {"start_time": unix(start), "end_time": unix(end), "bucket_width": "1d"}
    with AdminClient("openai", base_url, {"Authorization": f"Bearer {key}"}, timeout_s=timeout_s) as api:
        costs: dict[tuple[date, str], int] = defaultdict(int)
        for page, buckets in api.pages(COSTS, {**window, "group_by": "line_item", "limit": 31}):
            for day, item, where in _results(buckets, COSTS, page):
                costs[(day, _model_of(item.get("line_item")))] += _amount(item, where)
        usage: dict[tuple[date, str], tuple[Usage, int]] = {}
        for path, page, buckets in _usage_pages(api, window):
            for day, item, where in _results(buckets, path, page):
                k = (day, str(item.get("model") or "(all models)"))
                u, n = _usage(item, where)
                old = usage.get(k, (Usage(), 0))
                usage[k] = (old[0] + u, old[1] + n)
    for k in sorted(set(costs) | set(usage)):
        u_n = usage.get(k)
        report.lines.append(
            ProviderLine(k[0], k[1], costs.get(k), u_n[0] if u_n else None, u_n[1] if u_n else None)
        )
    return report


def _usage_pages(api: AdminClient, window: dict[str, str | int]) -> Iterator[tuple[str, int, list[Any]]]:
    for path in (COMPLETIONS, EMBEDDINGS):
        for page, buckets in api.pages(path, {**window, "group_by": "model", "limit": 31}):
            yield path, page, buckets


def _results(buckets: list[Any], path: str, page: int) -> list[tuple[date, dict[str, Any], str]]:
    out = []
    for i, bucket in enumerate(buckets):
        where = f"openai {path} page {page} data[{i}]"
        if not isinstance(bucket, dict):
            raise ReconcileError(f"unexpected answer: {where} is not an object")
        day = day_of_unix(bucket.get("start_time"), f"{where}.start_time")
        results = bucket.get("results", bucket.get("result"))
        if not isinstance(results, list):
            raise ReconcileError(f"unexpected answer: {where}.results is not a list")
        for j, item in enumerate(results):
            if not isinstance(item, dict):
                raise ReconcileError(f"unexpected answer: {where}.results[{j}] is not an object")
            out.append((day, item, f"{where}.results[{j}]"))
    return out


def _model_of(line_item: Any) -> str:
    if not isinstance(line_item, str) or not line_item.strip():
        return "(all models)"
    return line_item.split(",", 1)[0].strip()


def _amount(item: dict[str, Any], where: str) -> int:
    amount = item.get("amount")
    if not isinstance(amount, dict):
        raise ReconcileError(f"unexpected answer: {where}.amount is missing")
    currency = amount.get("currency")
    if not isinstance(currency, str) or currency.lower() != "usd":
        raise ReconcileError(f"unexpected answer: {where}.amount.currency is {currency!r}, not usd")
    return usd_nano(amount.get("value"), f"{where}.amount.value")


def _usage(item: dict[str, Any], where: str) -> tuple[Usage, int]:
    total_in = count_of(item.get("input_tokens"), f"{where}.input_tokens")
    cached = count_of(item.get("input_cached_tokens"), f"{where}.input_cached_tokens")
    if cached > total_in:
        raise ReconcileError(f"unexpected answer: {where}.input_cached_tokens is more than input_tokens")
    out = count_of(item.get("output_tokens"), f"{where}.output_tokens")
    n = count_of(item.get("num_model_requests"), f"{where}.num_model_requests")
    return Usage(input_tokens=total_in - cached, cache_read_tokens=cached, output_tokens=out), n
