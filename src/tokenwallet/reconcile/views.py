"""A reconciliation as plain data (JSON for scripts) and exact money text (CLI and app)."""

from __future__ import annotations

from typing import Any

from tokenwallet.core.money import nano_to_usd
from tokenwallet.reconcile.compare import Reconciliation, Row, TotalRow
from tokenwallet.reconcile.report import usd_short, usd_text

__all__ = ["as_dict", "usd_short", "usd_text"]


def as_dict(rec: Reconciliation) -> dict[str, Any]:
    return {
        "provider": rec.provider,
        "source": rec.source,
        "start": rec.start.isoformat(),
        "end": rec.end.isoformat(),
        "days": "UTC",
        "provider_nano": rec.provider_nano,
        "wallet_nano": rec.wallet_nano,
        "difference_nano": rec.difference_nano,
        "difference_usd": str(nano_to_usd(rec.difference_nano)),
        "not_yet_reported_nano": rec.pending_nano,
        "rows": [_row(r) for r in rec.rows],
        "totals": [_total(t) for t in rec.totals],
        "notes": list(rec.notes),
    }


def _row(r: Row) -> dict[str, Any]:
    diff = r.difference_nano
    return {
        "day": r.day.isoformat(),
        "model": r.model,
        "provider_nano": r.provider_nano,
        "metered_nano": r.metered_nano,
        "imported_nano": r.imported_nano,
        "wallet_nano": r.wallet_nano,
        "difference_nano": diff,
        "difference_usd": None if diff is None else str(nano_to_usd(diff)),
        "bypassed_nano": r.bypassed_nano,
        "price_difference_nano": r.price_nano,
        "provider_usage": r.provider_usage.to_dict() if r.provider_usage is not None else None,
        "wallet_usage": r.wallet_usage.to_dict(),
        "provider_requests": r.provider_requests,
        "wallet_calls": r.wallet_calls,
        "causes": list(r.causes),
    }


def _total(t: TotalRow) -> dict[str, Any]:
    return {
        "period": t.label,
        "provider_nano": t.provider_nano,
        "metered_nano": t.metered_nano,
        "imported_nano": t.imported_nano,
        "difference_nano": t.difference_nano,
        "difference_usd": str(nano_to_usd(t.difference_nano)),
        "causes": list(t.causes),
    }
