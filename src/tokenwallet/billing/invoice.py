"""Per-client reports for any date range, and numbered invoices that reconcile with the ledger.

Both read the ledger for the client's project over whole local days and apply the rounding rule
of :mod:`tokenwallet.billing.rounding`. An invoice is a report that got a number: issuing one
takes the next number of the persisted sequence and stores the figures, in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tokenwallet.billing import store
from tokenwallet.billing.clients import Client, Issuer, client, issuer
from tokenwallet.billing.ledger import DayLine, ModelLine, by_day, by_model, day_range
from tokenwallet.billing.rounding import Totals, bill

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.energy import EnergyTotal


@dataclass(frozen=True, slots=True)
class ClientReport:
    """A client's calls in ``[first, last]`` (local days): by model, by day, and the bill."""

    client: Client
    first: date
    last: date
    lines: list[ModelLine]
    days: list[DayLine]
    totals: Totals
    energy: EnergyTotal | None = None  # the period's energy and CO₂ (ecologits): shown, never billed

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
    from tokenwallet.billing.statement import month_energy

    energy = month_energy(wallet, since, until, project=name)
    return ClientReport(c, first, last, lines, days, bill([m.cost_nano for m in lines], c.terms), energy)


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
