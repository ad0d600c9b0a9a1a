"""Per-client reports for any date range, and numbered invoices that reconcile with the ledger.

Both read the ledger for the client's project over whole local days and apply the rounding rule
of :mod:`tokenwallet.billing.rounding`. An invoice is a report that got a number: issuing one
takes the next number of the persisted sequence and stores the figures, in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tokenwallet.billing import store
from tokenwallet.billing.clients import Client, Issuer, client, issuer
from tokenwallet.billing.ledger import DayLine, ModelLine, by_day, by_model, day_range
from tokenwallet.billing.rounding import Terms, Totals, bill, format_minor, plain_minor, usd_exact

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet


@dataclass(frozen=True, slots=True)
class ClientReport:
    """A client's calls in ``[first, last]`` (local days): by model, by day, and the bill."""

    client: Client
    first: date
    last: date
    lines: list[ModelLine]
    days: list[DayLine]
    totals: Totals

    @property
    def calls(self) -> int:
        return sum(m.calls for m in self.lines)

    @property
    def tokens(self) -> int:
        return sum(m.tokens for m in self.lines)


@dataclass(frozen=True, slots=True)
class Invoice:
    """An issued invoice (``number`` empty for a draft preview)."""

    number: str
    issued_at: datetime
    issuer: Issuer
    report: ClientReport

    @property
    def totals(self) -> Totals:
        return self.report.totals


def line_label(m: ModelLine) -> str:
    return f"{m.model} ({m.provider})"


def client_report(wallet: Wallet, name: str, first: date, last: date) -> ClientReport:
    """Calls, tokens, cost, markup, tax and total of client ``name`` over local days first…last."""
    c = client(wallet, name)
    since, until = day_range(wallet, first, last)
    lines = by_model(wallet, since=since, until=until, project=name)
    days = by_day(wallet, since=since, until=until, project=name)
    return ClientReport(c, first, last, lines, days, bill([m.cost_nano for m in lines], c.terms))


def issue_invoice(
    wallet: Wallet, name: str, first: date, last: date, *, now: datetime | None = None, draft: bool = False
) -> Invoice:
    """Bill client ``name`` for local days first…last; ``draft`` computes it without a number."""
    report = client_report(wallet, name, first, last)
    at = store.now_utc(now, wallet)
    who = issuer(wallet)
    if draft:
        return Invoice("", at, who, report)
    t = report.totals
    lines = [
        {
            "provider": m.provider,
            "model": m.model,
            "calls": m.calls,
            "tokens": m.tokens,
            "cost_nano": m.cost_nano,
            "amount_minor": a,
        }
        for m, a in zip(report.lines, t.line_minor, strict=True)
    ]
    with store.write(wallet) as conn:
        seq = int(store.setting_get(conn, "invoice.next", "1"))
        used = conn.execute("SELECT MAX(seq) FROM invoice").fetchone()[0]
        seq = max(seq, int(used or 0) + 1)  # never reuse a number, whatever the setting says
        prefix = store.setting_get(conn, "issuer.prefix") or "INV-"
        number = f"{prefix}{seq:04d}"
        pid = conn.execute("SELECT id FROM project WHERE name=?", (name,)).fetchone()[0]
        conn.execute(
            "INSERT INTO invoice (number, seq, project_id, date_from, date_to, issued_us, currency, rate,"
            " markup_pct, tax_pct, calls, cost_nano, subtotal_minor, tax_minor, total_minor, lines_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                number,
                seq,
                pid,
                first.isoformat(),
                last.isoformat(),
                store.stamp(at),
                t.terms.currency,
                str(t.terms.rate),
                str(t.terms.markup_pct),
                str(t.terms.tax_pct),
                report.calls,
                t.cost_nano,
                t.subtotal_minor,
                t.tax_minor,
                t.total_minor,
                json.dumps(lines),
            ),
        )
        store.setting_put(conn, "invoice.next", str(seq + 1))
    return Invoice(number, at, who, report)


@dataclass(frozen=True, slots=True)
class IssuedInvoice:
    """An invoice as stored (for listings and for checking a reissue)."""

    number: str
    client: str
    first: date
    last: date
    issued_at: datetime
    currency: str
    calls: int
    cost_nano: int
    subtotal_minor: int
    tax_minor: int
    total_minor: int


def invoices(wallet: Wallet, name: str | None = None) -> list[IssuedInvoice]:
    """Issued invoices, newest first (only client ``name``'s when given)."""
    sql = (
        "SELECT i.number, p.name, i.date_from, i.date_to, i.issued_us, i.currency, i.calls, i.cost_nano,"
        " i.subtotal_minor, i.tax_minor, i.total_minor FROM invoice i JOIN project p ON p.id = i.project_id"
    )
    args: tuple[Any, ...] = ()
    if name is not None:
        sql += " WHERE p.name = ?"
        args = (name,)
    with store.read(wallet) as conn:
        rows = conn.execute(sql + " ORDER BY i.seq DESC", args).fetchall()
    return [
        IssuedInvoice(
            r[0],
            r[1],
            date.fromisoformat(r[2]),
            date.fromisoformat(r[3]),
            store.from_us(r[4]),
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            r[10],
        )
        for r in rows
    ]


# ---------------------------------------------------------------------------------------- output


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
