"""Reconcile with providers: their own figures (admin APIs or a CSV export) against the wallet's.

``service.fetch_report`` asks a provider's admin API (opt-in key in the keychain), or
``csv_export.read_csv`` reads its console export; ``service.against_wallet`` joins either with
the ledger per UTC day and model and says how far apart they are and why.
"""

from __future__ import annotations

from tokenwallet.reconcile.compare import Reconciliation, Row, TotalRow, model_key
from tokenwallet.reconcile.csv_export import read_csv
from tokenwallet.reconcile.dates import month_range
from tokenwallet.reconcile.report import ProviderLine, ProviderReport, ProviderTotal, ReconcileError
from tokenwallet.reconcile.service import (
    DEFAULT_URLS,
    PROVIDERS,
    FetchOptions,
    admin_key_name,
    against_wallet,
    fetch_report,
    run_one,
)
from tokenwallet.reconcile.views import as_dict, usd_short, usd_text

__all__ = [
    "DEFAULT_URLS",
    "PROVIDERS",
    "FetchOptions",
    "ProviderLine",
    "ProviderReport",
    "ProviderTotal",
    "ReconcileError",
    "Reconciliation",
    "Row",
    "TotalRow",
    "admin_key_name",
    "against_wallet",
    "as_dict",
    "fetch_report",
    "model_key",
    "month_range",
    "read_csv",
    "run_one",
    "usd_short",
    "usd_text",
]
