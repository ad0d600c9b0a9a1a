"""OpenRouter: ``/api/v1/key`` (the key's spend today, this week, this month) and ``/api/v1/credits``.

Shapes, from OpenRouter's API reference ("Get remaining credits", openrouter.ai/docs/api/
api-reference/credits/get-credits) and its SDK reference for the current key (GetCurrentKeyResponse,
openrouter.ai/docs/client-sdks/typescript/models/operations/getcurrentkeyresponse):

- ``GET /api/v1/key`` → ``{"data": {"label": "sk-or-v1-au7...890", "usage": 25.5,
  "usage_daily": 25.5, "usage_weekly": 25.5, "usage_monthly": 25.5, "limit": 100,
  "limit_remaining": 74.5, "is_free_tier": false, …}}`` — USD as JSON numbers (read as Decimal).
  It describes *the key that asks*: we ask with the key the meter forwards (keychain entry
  ``openrouter``), else with ``openrouter-admin``.
- ``GET /api/v1/credits`` → ``{"data": {"total_credits": 100.5, "total_usage": 25.75}}``; it needs
  a management key (keychain entry ``openrouter-admin``). Without one it is skipped, with a note.

OpenRouter reports no per-day or per-model breakdown here, so its lines are period totals:
today (UTC) and, for the current month, the month so far. No paging.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tokenwallet.reconcile.http import AdminClient
from tokenwallet.reconcile.report import ProviderReport, ProviderTotal, ReconcileError, usd_nano, usd_text

DEFAULT_URL = "https://openrouter.ai"
KEY = "/api/v1/key"
CREDITS = "/api/v1/credits"


def fetch(
    base_url: str,
    key: str,
    credits_key: str | None,
    *,
    start: date,
    end: date,
    today: date,
    timeout_s: float = 30.0,
) -> ProviderReport:
    report = ProviderReport("openrouter", "api", start, end, by_day_model=False)
    with AdminClient("openrouter", base_url, {"Authorization": f"Bearer {key}"}, timeout_s=timeout_s) as api:
        data = _data(api.get(KEY), KEY)
        if start <= today < end:
            tomorrow = today + timedelta(days=1)
            daily = usd_nano(data.get("usage_daily"), "openrouter /api/v1/key data.usage_daily")
            report.totals.append(ProviderTotal(f"{today} (today, UTC)", today, tomorrow, daily))
            if start == today.replace(day=1):
                monthly = usd_nano(data.get("usage_monthly"), "openrouter /api/v1/key data.usage_monthly")
                report.totals.append(ProviderTotal(f"{start:%Y-%m} so far (UTC)", start, tomorrow, monthly))
        else:
            report.notes.append("OpenRouter reports a key's spend only for today, this week and this month")
    if credits_key is None:
        report.notes.append("credits skipped: store a management key as 'openrouter-admin' to see them")
        return report
    with AdminClient(
        "openrouter", base_url, {"Authorization": f"Bearer {credits_key}"}, timeout_s=timeout_s
    ) as api:
        credits = _data(api.get(CREDITS), CREDITS)
        bought = usd_nano(credits.get("total_credits"), "openrouter /api/v1/credits data.total_credits")
        used = usd_nano(credits.get("total_usage"), "openrouter /api/v1/credits data.total_usage")
    report.notes.append(
        f"credits: {usd_text(bought)} bought, {usd_text(used)} used, {usd_text(bought - used)} left"
    )
    return report


def _data(body: dict[str, Any], path: str) -> dict[str, Any]:
    data = body.get("data")
    if not isinstance(data, dict):
        raise ReconcileError(f"unexpected answer: openrouter {path} has no 'data' object")
    return data
