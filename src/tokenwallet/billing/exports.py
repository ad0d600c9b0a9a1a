"""Reports and invoices as data for scripts: JSON-ready dicts and CSV text.

Every money field carries the exact figure (nano-USD, or integer minor units of the invoice
currency) beside a display string, so a script can re-derive the totals with the rule in
:mod:`tokenwallet.billing.rounding` and check them against the ledger.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from tokenwallet.billing.invoice import ClientReport, Invoice, line_label
from tokenwallet.billing.rounding import Terms, bill, format_minor, plain_minor, usd_exact
from tokenwallet.billing.statement import energy_dict


def _pct(d: Decimal) -> str:
    return f"{d:f}"


def report_dict(r: ClientReport) -> dict[str, Any]:
    """The report as JSON-ready data: exact nano-USD and minor units beside display strings."""
    t, cur = r.totals, r.totals.terms.currency
    terms = t.terms

    def money(minor: int) -> dict[str, Any]:
        return {"minor": minor, "amount": plain_minor(minor, cur), "display": format_minor(minor, cur)}

    day_bills = [bill([d.cost_nano], terms) for d in r.days]
    return {
        "client": r.client.name,
        "legal_name": r.client.legal_name,
        "from": r.first.isoformat(),
        "to": r.last.isoformat(),
        "currency": cur,
        "rate": str(terms.rate),
        "markup_pct": _pct(terms.markup_pct),
        "tax_pct": _pct(terms.tax_pct),
        "calls": r.calls,
        "tokens": r.tokens,
        "cost_nano": t.cost_nano,
        "cost_usd": usd_exact(t.cost_nano),
        "cost": money(t.cost_minor),
        "markup": money(t.markup_minor),
        "subtotal": money(t.subtotal_minor),
        "rounding": money(t.rounding_minor),
        "tax": money(t.tax_minor),
        "total": money(t.total_minor),
        "by_model": [
            {
                "provider": m.provider,
                "model": m.model,
                "calls": m.calls,
                "tokens": m.tokens,
                "usage": m.usage.to_dict(),
                "cost_nano": m.cost_nano,
                "cost_usd": usd_exact(m.cost_nano),
                "estimated_calls": m.estimated_calls,
                "amount": money(a),
            }
            for m, a in zip(r.lines, t.line_minor, strict=True)
        ],
        "by_day": [
            {
                "day": d.day.isoformat(),
                "calls": d.calls,
                "tokens": d.tokens,
                "cost_nano": d.cost_nano,
                "cost_usd": usd_exact(d.cost_nano),
                "cost": money(b.cost_minor),
                "markup": money(b.markup_minor),
                "tax": money(b.tax_minor),
                "total": money(b.total_minor),
            }
            for d, b in zip(r.days, day_bills, strict=True)
        ],
        "energy": energy_dict(r.energy),  # µWh and µg CO₂eq (ecologits): for information, not billed
        "rounding_rule": "per-line amounts and the subtotal are each rounded once, half to even, from exact "
        "nano-USD; the difference is the rounding line; tax is charged on the rounded subtotal",
    }


def report_csv(r: ClientReport) -> str:
    """By-model rows then a TOTAL row (exact USD cost plus amounts in the client's currency)."""
    t, cur = r.totals, r.totals.terms.currency
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["provider", "model", "calls", "tokens", "cost_nano", "cost_usd", f"amount_{cur.lower()}"])
    for m, a in zip(r.lines, t.line_minor, strict=True):
        w.writerow(
            [m.provider, m.model, m.calls, m.tokens, m.cost_nano, usd_exact(m.cost_nano), plain_minor(a, cur)]
        )
    w.writerow(["", "ROUNDING", "", "", "", "", plain_minor(t.rounding_minor, cur)])
    w.writerow(
        [
            "",
            "SUBTOTAL",
            r.calls,
            r.tokens,
            t.cost_nano,
            usd_exact(t.cost_nano),
            plain_minor(t.subtotal_minor, cur),
        ]
    )
    w.writerow(["", f"TAX {_pct(t.terms.tax_pct)}%", "", "", "", "", plain_minor(t.tax_minor, cur)])
    w.writerow(["", "TOTAL", "", "", "", "", plain_minor(t.total_minor, cur)])
    return buf.getvalue()


def invoice_csv(inv: Invoice) -> str:
    """Invoice line items: one row per model, then rounding, subtotal, tax and total rows.

    ``cost_nano``/``cost_usd`` are the exact ledger sums; ``amount`` is in the invoice currency
    with the markup included, rounded as documented in :mod:`tokenwallet.billing.rounding`.
    """
    r, t = inv.report, inv.totals
    cur = t.terms.currency
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    head = [inv.number or "DRAFT", r.client.name, r.first.isoformat(), r.last.isoformat(), cur]
    w.writerow(
        [
            "invoice",
            "client",
            "from",
            "to",
            "currency",
            "kind",
            "description",
            "calls",
            "tokens",
            "cost_nano",
            "cost_usd",
            "markup_pct",
            "rate",
            "amount",
        ]
    )
    for m, a in zip(r.lines, t.line_minor, strict=True):
        w.writerow(
            [
                *head,
                "line",
                f"AI usage: {line_label(m)}",
                m.calls,
                m.tokens,
                m.cost_nano,
                usd_exact(m.cost_nano),
                _pct(t.terms.markup_pct),
                str(t.terms.rate),
                plain_minor(a, cur),
            ]
        )
    if t.rounding_minor:
        w.writerow(
            [*head, "rounding", "Rounding", "", "", "", "", "", "", plain_minor(t.rounding_minor, cur)]
        )
    w.writerow(
        [
            *head,
            "subtotal",
            "Subtotal",
            r.calls,
            r.tokens,
            t.cost_nano,
            usd_exact(t.cost_nano),
            _pct(t.terms.markup_pct),
            str(t.terms.rate),
            plain_minor(t.subtotal_minor, cur),
        ]
    )
    w.writerow(
        [
            *head,
            "tax",
            f"Tax {_pct(t.terms.tax_pct)} %",
            "",
            "",
            "",
            "",
            "",
            "",
            plain_minor(t.tax_minor, cur),
        ]
    )
    w.writerow([*head, "total", "Total", "", "", "", "", "", "", plain_minor(t.total_minor, cur)])
    return buf.getvalue()


def terms_text(terms: Terms) -> str:
    return f"markup {_pct(terms.markup_pct)} %, tax {_pct(terms.tax_pct)} %, {terms.currency}" + (
        "" if terms.currency == "USD" and terms.rate == 1 else f" at {terms.rate} per USD"
    )
