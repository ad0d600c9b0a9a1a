"""One reconcile, start to end: read the admin key, fetch (or read a CSV), compare with the wallet.

Admin keys are opt-in and live in the keychain under their own entries (``openai-admin``,
``anthropic-admin``, ``openrouter-admin``), never beside the keys the meter forwards. They are
read-only on the provider's side: these APIs only report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tokenwallet.reconcile import anthropic_admin, openai_admin, openrouter_admin
from tokenwallet.reconcile.compare import Reconciliation, reconcile
from tokenwallet.reconcile.csv_export import read_csv
from tokenwallet.reconcile.dates import month_range
from tokenwallet.reconcile.ledger import in_flight, wallet_lines, wallet_total
from tokenwallet.reconcile.report import ProviderReport, ReconcileError
from tokenwallet.secrets import KeyStore

PROVIDERS = ("openai", "anthropic", "openrouter")
DEFAULT_URLS = {
    "openai": openai_admin.DEFAULT_URL,
    "anthropic": anthropic_admin.DEFAULT_URL,
    "openrouter": openrouter_admin.DEFAULT_URL,
}


@dataclass(frozen=True, slots=True)
class FetchOptions:
    base_url: str
    timeout_s: float = 30.0


def admin_key_name(provider: str) -> str:
    return f"{provider}-admin"


def fetch_report(
    provider: str, start: date, end: date, *, today: date, keys: KeyStore, opts: FetchOptions
) -> ProviderReport:
    """What ``provider``'s admin API reports for [start, end)."""
    if provider not in PROVIDERS:
        raise ReconcileError(f"cannot reconcile {provider!r}: known providers are {', '.join(PROVIDERS)}")
    admin = keys.get(admin_key_name(provider))
    if provider == "openrouter":
        key = keys.get("openrouter") or admin
        if key is None:
            raise ReconcileError(_no_key(provider))
        return openrouter_admin.fetch(
            opts.base_url, key, admin, start=start, end=end, today=today, timeout_s=opts.timeout_s
        )
    if admin is None:
        raise ReconcileError(_no_key(provider))
    if provider == "openai":
        return openai_admin.fetch(opts.base_url, admin, start, end, timeout_s=opts.timeout_s)
    return anthropic_admin.fetch(opts.base_url, admin, start, end, timeout_s=opts.timeout_s)


def against_wallet(wallet_path: Path, report: ProviderReport, now: datetime) -> Reconciliation:
    """Compare a provider's report with the wallet's ledger (and its holds) for the same period."""
    lines = (
        wallet_lines(wallet_path, report.provider, report.start, report.end) if report.by_day_model else []
    )
    totals = {t.label: wallet_total(wallet_path, report.provider, t.start, t.end) for t in report.totals}
    return reconcile(report, lines, in_flight(wallet_path, report.provider), now, totals)


def _no_key(provider: str) -> str:
    return (
        f"no admin key for {provider}: store a read-only admin key with "
        f"'tokenwallet key set {admin_key_name(provider)}' (it is read from stdin)"
    )


def run_one(
    wallet_path: Path,
    provider: str,
    month: str | None,
    *,
    keys: KeyStore,
    opts: FetchOptions,
    now: datetime,
    csv_path: Path | None = None,
) -> Reconciliation:
    """The whole reconcile of one provider (its API, or its CSV export when ``csv_path``) — for
    the CLI and the app alike. ``month`` is ``YYYY-MM`` (default: this month; with a CSV and no
    month, the file's own days)."""
    if csv_path is not None:
        span = month_range(month, now.date()) if month else None
        return against_wallet(wallet_path, read_csv(csv_path, provider, span), now)
    start, end = month_range(month, now.date())
    report = fetch_report(provider, start, end, today=now.date(), keys=keys, opts=opts)
    return against_wallet(wallet_path, report, now)
