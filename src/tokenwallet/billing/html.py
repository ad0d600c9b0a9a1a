"""Invoices and statements as simple HTML, for Qt's QTextDocument → PDF (``tokenwallet.gui.pdf``).

QTextDocument understands a subset of HTML 4 and CSS: tables with cellpadding, colours, font
sizes and weights, alignment. Everything here stays inside that subset; every value a user typed
is escaped.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from tokenwallet.billing.invoice import Invoice, line_label
from tokenwallet.billing.rounding import format_minor
from tokenwallet.billing.statement import Statement
from tokenwallet.core.energy_text import co2_text, ev_km_text, range_text, wh_text
from tokenwallet.core.money import format_tokens

_STYLE = """
body { font-family: 'DejaVu Sans', 'Helvetica', 'Arial', sans-serif; font-size: 10pt; color: #1f2328; }
h1 { font-size: 20pt; font-weight: 600; margin: 0; }
h2 { font-size: 12pt; font-weight: 600; margin-top: 14px; margin-bottom: 4px; }
.muted { color: #57606a; }
.small { font-size: 8pt; }
th { background-color: #f0f3f6; font-weight: 600; text-align: left; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 1px solid #1f2328; }
"""


def _lines(text: str) -> str:
    return "<br>".join(escape(line) for line in text.splitlines() if line.strip())


def _page(title: str, body: str) -> str:
    return (
        f"<html><head><meta charset='utf-8'><title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )


def invoice_html(inv: Invoice) -> str:
    """A one-page invoice: issuer and client blocks, line items, rounding, subtotal, tax, total."""
    r, t, who = inv.report, inv.totals, inv.issuer
    cur = t.terms.currency
    c = r.client
    number = escape(inv.number) if inv.number else "DRAFT"
    sender = "<b>" + escape(who.name or "(your name: tokenwallet client issuer --name …)") + "</b>"
    if who.address:
        sender += "<br>" + _lines(who.address)
    if who.email:
        sender += "<br>" + escape(who.email)
    if who.tax_id:
        sender += "<br>Tax ID: " + escape(who.tax_id)
    to = "<b>" + escape(c.display_name) + "</b>"
    if c.address:
        to += "<br>" + _lines(c.address)
    if c.email:
        to += "<br>" + escape(c.email)
    if c.tax_id:
        to += "<br>Tax ID: " + escape(c.tax_id)
    head = (
        "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
        f"<td valign='top'><h1>Invoice</h1><p class='muted'>No. <b>{number}</b><br>"
        f"Issued {inv.issued_at:%Y-%m-%d}<br>Period {r.first:%Y-%m-%d} – {r.last:%Y-%m-%d}</p></td>"
        f"<td valign='top' align='right'>{sender}</td></tr></table>"
        f"<h2>Bill to</h2><p>{to}</p>"
    )
    rows = []
    for m, amount in zip(r.lines, t.line_minor, strict=True):
        rows.append(
            f"<tr><td>AI usage: {escape(line_label(m))}</td><td class='num'>{m.calls:,}</td>"
            f"<td class='num'>{m.tokens:,}</td>"
            f"<td class='num'>{escape(format_minor(amount, cur))}</td></tr>"
        )
    if not rows:
        rows.append("<tr><td colspan='4' class='muted'>No usage in this period.</td></tr>")
    if t.rounding_minor:
        rows.append(
            "<tr><td class='muted'>Rounding difference *</td>"
            "<td></td><td></td>"
            f"<td class='num'>{escape(format_minor(t.rounding_minor, cur))}</td></tr>"
        )
    tax_pct = f"{t.terms.tax_pct:f}"
    totals = (
        "<tr><td colspan='3' align='right'>Subtotal</td>"
        f"<td class='num'>{escape(format_minor(t.subtotal_minor, cur))}</td></tr>"
        f"<tr><td colspan='3' align='right'>Tax {escape(tax_pct)} %</td>"
        f"<td class='num'>{escape(format_minor(t.tax_minor, cur))}</td></tr>"
        f"<tr class='total'><td colspan='3' align='right'><b>Total due ({escape(cur)})</b></td>"
        f"<td class='num'><b>{escape(format_minor(t.total_minor, cur))}</b></td></tr>"
    )
    table = (
        "<table width='100%' cellspacing='0' cellpadding='5' border='0'>"
        # Every header cell gets a width: with only the first one set, QTextDocument gives the
        # numeric columns their natural width first and squeezes the description to a few letters.
        "<tr><th width='55%'>Description</th><th width='11%' class='num'>Calls</th>"
        "<th width='15%' class='num'>Tokens</th>"
        f"<th width='19%' class='num'>Amount ({escape(cur)})</th></tr>{''.join(rows)}{totals}</table>"
    )
    notes = []
    if t.rounding_minor:
        notes.append("* Each line is rounded on its own; the subtotal is rounded once from the exact total.")
    if cur != "USD" or t.terms.rate != 1:
        notes.append(f"Amounts converted from USD at {escape(str(t.terms.rate))} {escape(cur)} per USD.")
    if r.energy is not None:
        notes.append(escape(energy_line(r.energy)))
    if who.payment_terms:
        notes.append(escape(who.payment_terms))
    if who.iban:
        notes.append("Bank: " + escape(who.iban))
    foot = f"<p class='small muted'>{'<br>'.join(notes)}</p>" if notes else ""
    return _page(f"Invoice {number}", head + table + foot)


def statement_html(s: Statement) -> str:
    """A member's month: totals, spending by model with the cheaper choice, and money movements."""
    head = (
        f"<h1>Statement for {escape(s.member)}</h1>"
        f"<p class='muted'>{s.first:%B %Y} ({s.first:%Y-%m-%d} – {s.last:%Y-%m-%d}, {escape(s.timezone)})</p>"
        "<table cellspacing='0' cellpadding='4'>"
        f"<tr><td>Spent</td><td class='num'><b>{escape(s.money(s.total_nano))}</b></td></tr>"
        f"<tr><td>Calls</td><td class='num'>{s.calls:,}</td></tr>"
        f"<tr><td>Tokens</td><td class='num'>{escape(format_tokens(s.tokens))}</td></tr>"
        "<tr><td>Cheaper choices could have saved</td>"
        f"<td class='num'>{escape(s.money(s.saving_nano))}</td></tr>"
        + (
            f"<tr><td>Energy</td><td class='num'>{escape(energy_line(s.energy, short=True))}</td></tr>"
            if s.energy is not None
            else ""
        )
        + "</table>"
    )
    rows = []
    for r in s.lines:
        m = r.line
        label = escape(line_label(m))
        if r.cheaper:  # the cheaper choice on its own line under the model: the table stays on the page
            c = r.cheaper
            saved = ""
            if r.energy_saved_uwh is not None and r.energy_saved_uwh > 0:
                saved = f", {wh_text(r.energy_saved_uwh)} less energy"
            label += (
                f"<br><span class='small muted'>cheaper: {escape(c.model)} ({escape(c.provider)}),"
                f" {escape(s.money(c.cost_nano))} at today's prices{escape(saved)}</span>"
            )
        rows.append(
            f"<tr><td>{label}</td><td class='num'>{m.calls:,}</td><td class='num'>{m.tokens:,}</td>"
            f"<td class='num'>{escape(s.money(m.cost_nano))}</td>"
            f"<td class='num'>{escape(s.money(r.saving_nano)) if r.cheaper else '—'}</td></tr>"
        )
    if not rows:
        rows.append("<tr><td colspan='5' class='muted'>No calls this month.</td></tr>")
    rows.append(
        f"<tr class='total'><td>Total</td><td class='num'>{s.calls:,}</td>"
        f"<td class='num'>{s.tokens:,}</td>"
        f"<td class='num'>{escape(s.money(s.total_nano))}</td>"
        f"<td class='num'>{escape(s.money(s.saving_nano))}</td></tr>"
    )
    models = (
        "<h2>By model</h2><table width='100%' cellspacing='0' cellpadding='4'>"
        "<tr><th>Model</th><th class='num'>Calls</th><th class='num'>Tokens</th>"
        "<th class='num'>Spent</th><th class='num'>Could save</th></tr>"
        f"{''.join(rows)}</table>"
    )
    moves = ""
    if s.movements:
        items = []
        tz = ZoneInfo(s.timezone)
        for mv, unit in s.movements:
            amount = s.money(mv.amount) if unit == "usd" else format_tokens(mv.amount)
            until = ""
            if mv.expires_at:  # it lapses at a midnight: name the last local day it can be used
                last_day = (mv.expires_at - timedelta(microseconds=1)).astimezone(tz)
                until = f" (lasts through {last_day:%Y-%m-%d})"
            items.append(
                f"<tr><td>{mv.at.astimezone(tz):%Y-%m-%d}</td>"
                f"<td>{escape(_kind(mv.kind, mv.expires_at))}</td>"
                f"<td class='num'>{escape(amount)}</td>"
                f"<td>{escape(mv.note)}{escape(until)}</td></tr>"
            )
        moves = (
            "<h2>Top-ups, bonuses and transfers</h2><table width='100%' cellspacing='0' cellpadding='4'>"
            "<tr><th>Date</th><th>What</th><th class='num'>Amount</th><th>Note</th></tr>"
            f"{''.join(items)}</table>"
        )
    foot = (
        "<p class='small muted'>Spending is the exact sum of the wallet's ledger for the month. "
        "“Could save” reprices each model's usage at today's prices for the cheapest comparable model.</p>"
    )
    return _page(f"Statement {s.member} {s.first:%Y-%m}", head + models + moves + foot)


def energy_line(e: Any, *, short: bool = False) -> str:
    """``Energy: 1.2–1.9 kWh (≈ 8 km by electric car), 0.4–0.6 kg CO₂e — ecologits estimate``."""
    mid = (e.uwh_min + e.uwh_max) / 2
    text = (
        f"{range_text(e.uwh_min, e.uwh_max)} ({ev_km_text(mid)}), "
        f"{range_text(e.ug_min, e.ug_max, co2_text)} CO₂e"
    )
    if short:
        return text
    return f"Energy used by these calls: {text} (ecologits estimate, for information; not billed)."


def _kind(kind: str, expires: object) -> str:
    if kind == "topup":
        return "bonus" if expires else "top-up"
    return {"expiry": "lapsed", "rollover": "carried over"}.get(kind, kind)
