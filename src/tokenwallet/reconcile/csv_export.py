"""A provider's usage/cost CSV export (OpenAI's or Anthropic's console) as the provider's side.

Console exports change their columns now and then, so we accept a small set of names for each
thing we need (case and spaces/dashes do not matter) and refuse a file that lacks one, naming it:

=========  =========================================================================================
needed     accepted column names
=========  =========================================================================================
day        ``date``, ``day``, ``usage_date_utc``, ``usage_date``, ``start_time``, ``start_time_iso``,
           ``bucket_start``, ``timestamp`` — ``YYYY-MM-DD``, an ISO 8601 time, or Unix seconds (UTC)
model      ``model``, ``model_version``, ``line_item`` (OpenAI's ``gpt-4o-2024-08-06, input``: the
           part before the comma is the model)
cost       ``cost_usd``, ``amount_usd``, ``cost``, ``amount``, ``amount_value``, ``usd`` in USD
           (``$`` and thousands commas allowed), or ``cost_cents`` / ``amount_cents`` in cents
=========  =========================================================================================

Optional: ``currency`` (must be USD), and token counts — ``uncached_input_tokens`` (or
``input_tokens``, from which ``input_cached_tokens`` is taken off, OpenAI-style),
``cache_read_input_tokens`` / ``input_cached_tokens``, ``cache_creation_5m_input_tokens``,
``cache_creation_1h_input_tokens``, ``output_tokens``, and ``num_model_requests`` / ``requests``.
Rows of one day and model are summed. Money is read as Decimal, never float.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from tokenwallet.core.usage import Usage
from tokenwallet.reconcile.dates import day_of_rfc3339, day_of_unix
from tokenwallet.reconcile.report import ProviderLine, ProviderReport, ReconcileError, cents_nano, usd_nano

DAY = (
    "date",
    "day",
    "usage_date_utc",
    "usage_date",
    "start_time",
    "start_time_iso",
    "bucket_start",
    "timestamp",
)
MODEL = ("model", "model_version", "line_item")
COST_USD = ("cost_usd", "amount_usd", "cost", "amount", "amount_value", "usd")
COST_CENTS = ("cost_cents", "amount_cents")
MAX_BYTES = 64 * 1024 * 1024


def read_csv(path: Path, provider: str, month: tuple[date, date] | None = None) -> ProviderReport:
    """The CSV at ``path`` as ``provider``'s report; only days in ``month`` ([start, end)) if given."""
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise ReconcileError(f"{path.name}: larger than {MAX_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReconcileError(f"{path.name}: not a UTF-8 CSV file") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ReconcileError(f"{path.name}: empty file (no header row)")
    cols = {_norm(c): c for c in reader.fieldnames if c}
    day_col = _pick(cols, DAY, path, "day")
    model_col = _pick(cols, MODEL, path, "model")
    usd_col = next((cols[n] for n in COST_USD if n in cols), None)
    cents_col = next((cols[n] for n in COST_CENTS if n in cols), None)
    if usd_col is None and cents_col is None:
        raise ReconcileError(f"{path.name}: no cost column (one of {', '.join(COST_USD + COST_CENTS)})")
    costs: dict[tuple[date, str], int] = defaultdict(int)
    usage: dict[tuple[date, str], Usage] = defaultdict(Usage)
    requests: dict[tuple[date, str], int] = defaultdict(int)
    has_tokens = any(n in cols for n in ("uncached_input_tokens", "input_tokens", "output_tokens"))
    for n, row in enumerate(reader, start=2):
        where = f"{path.name} line {n}"
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        currency = (row.get(cols.get("currency", ""), "") or "usd").strip().lower()
        if currency != "usd":
            raise ReconcileError(f"{where}: currency is {currency!r}, only USD is supported")
        day = _day((row.get(day_col) or "").strip(), f"{where} column {day_col!r}")
        if month is not None and not month[0] <= day < month[1]:
            continue
        model = (row.get(model_col) or "").split(",", 1)[0].strip() or "(all models)"
        if cents_col is not None:
            amount = cents_nano(_money(row.get(cents_col)), f"{where} column {cents_col!r}")
        else:
            assert usd_col is not None
            amount = usd_nano(_money(row.get(usd_col)), f"{where} column {usd_col!r}")
        costs[(day, model)] += amount
        if has_tokens:
            usage[(day, model)] += _usage(row, cols, where)
        requests[(day, model)] += _int(row, cols, ("num_model_requests", "requests"), where)
    if month is not None:
        start, end = month
    elif costs:
        start, end = min(k[0] for k in costs), max(k[0] for k in costs) + timedelta(days=1)
    else:
        raise ReconcileError(f"{path.name}: no rows")
    report = ProviderReport(provider, f"csv:{path.name}", start, end)
    for k in sorted(costs):
        report.lines.append(
            ProviderLine(k[0], k[1], costs[k], usage[k] if has_tokens else None, requests.get(k) or None)
        )
    return report


def _norm(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").replace("(", " ").replace(")", " ").split())


def _pick(cols: dict[str, str], names: tuple[str, ...], path: Path, what: str) -> str:
    for name in names:
        if name in cols:
            return cols[name]
    raise ReconcileError(f"{path.name}: no {what} column (one of {', '.join(names)})")


def _day(text: str, where: str) -> date:
    if text.isdigit():
        return day_of_unix(int(text), where)
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    if "T" in text or " " in text:
        at = text if ("+" in text[10:] or text.endswith("Z")) else text + "+00:00"
        return day_of_rfc3339(at, where)
    raise ReconcileError(f"{where}: not a date ({text[:40]!r})")


def _money(value: str | None) -> str:
    text = (value or "").strip().replace("$", "").replace(",", "")
    return text or "0"


def _int(row: dict[str, str], cols: dict[str, str], names: tuple[str, ...], where: str) -> int:
    for name in names:
        if name in cols:
            text = (row.get(cols[name]) or "").strip().replace(",", "")
            if not text:
                return 0
            if not text.isdigit() or len(text) > 15:
                raise ReconcileError(f"{where}: column {cols[name]!r} is not a count ({text[:40]!r})")
            return int(text)
    return 0


def _usage(row: dict[str, str], cols: dict[str, str], where: str) -> Usage:
    cached = _int(row, cols, ("cache_read_input_tokens", "input_cached_tokens"), where)
    if "uncached_input_tokens" in cols:
        uncached = _int(row, cols, ("uncached_input_tokens",), where)
    else:
        uncached = _int(row, cols, ("input_tokens",), where) - (
            cached if "input_cached_tokens" in cols else 0
        )
        if uncached < 0:
            raise ReconcileError(f"{where}: input_cached_tokens is more than input_tokens")
    return Usage(
        input_tokens=uncached,
        cache_read_tokens=cached,
        cache_write_tokens=_int(row, cols, ("cache_creation_5m_input_tokens",), where),
        cache_write_1h_tokens=_int(row, cols, ("cache_creation_1h_input_tokens",), where),
        output_tokens=_int(row, cols, ("output_tokens",), where),
    )
