"""``tokenwallet client …`` (freelancers' clients) and ``tokenwallet invoice`` (numbered invoices).

A client is a project with billing terms: every call made with a client key (``client key``) or
tagged ``X-Tokenwallet-Project: NAME`` lands on it. Reports and invoices cover whole days in the
wallet's time zone; totals reconcile with the ledger to the cent (see ``billing/rounding.py``).
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet import paths
from tokenwallet.commands.columns import table
from tokenwallet.commands.common import CliError, Context, check_name, local_zone, parse_amount_arg
from tokenwallet.commands.household import add_pin_option, pin_if_household, write_pdf_or_fail
from tokenwallet.commands.i18n import N_, _
from tokenwallet.core import private

if TYPE_CHECKING:
    from tokenwallet.billing.clients import Client
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.wallet import Wallet

CAP_PERIODS = ("day", "week", "month", "year", "engagement")


def _terms_options(p: argparse.ArgumentParser, *, defaults: bool) -> None:
    p.add_argument(
        "--markup",
        metavar="PCT",
        help=_("percent added to cost (default 0)") if defaults else _("percent added to cost"),
    )
    p.add_argument(
        "--tax",
        metavar="PCT",
        help=_("tax percent on the invoice (default 0)") if defaults else _("tax percent on the invoice"),
    )
    p.add_argument(
        "--currency",
        metavar="CODE",
        help=_("invoice currency, e.g. EUR (default USD)") if defaults else _("invoice currency, e.g. EUR"),
    )
    p.add_argument("--rate", metavar="R", help=_("invoice currency units per USD (you set it; default 1)"))
    p.add_argument("--budget", metavar="AMOUNT", help=_("cap the client's spend ('50', '5M tokens')"))
    p.add_argument("--period", choices=CAP_PERIODS, help=_("the cap's period; engagement = the whole job"))
    p.add_argument("--action", choices=("warn", "downgrade", "block"), help=_("at the cap (default block)"))
    p.add_argument("--legal-name", metavar="TEXT", help=_("the client's name on invoices"))
    p.add_argument("--address", metavar="TEXT", help=_("postal address ('\\n' separates lines)"))
    p.add_argument("--email", metavar="TEXT", help=_("the client's billing e-mail address"))
    p.add_argument("--tax-id", metavar="TEXT", help=_("the client's VAT / tax number"))
    add_pin_option(p)
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))


def _range_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--from", dest="first", metavar="DATE", help=_("first day (YYYY-MM-DD); default: this month")
    )
    p.add_argument("--to", dest="last", metavar="DATE", help=_("last day, included; default: today"))
    p.add_argument("--month", metavar="YYYY-MM", help=_("a whole calendar month instead of --from/--to"))


def register(sub: SubParsers, common: Parser) -> None:
    c = sub.add_parser("client", help=_("clients: billing terms, caps, keys, reports"), parents=[common])
    cs = c.add_subparsers(dest="action", metavar="ACTION")

    a = cs.add_parser("add", help=_("add a client (a project with billing terms)"), parents=[common])
    a.add_argument("name", help=_("the client's short name (its project)"))
    _terms_options(a, defaults=True)
    a.set_defaults(handler=client_add)

    s = cs.add_parser("set", help=_("change a client's terms, details or cap"), parents=[common])
    s.add_argument("name", help=_("the client"))
    _terms_options(s, defaults=False)
    s.add_argument("--no-cap", action="store_true", help=_("remove the client's budget cap"))
    s.set_defaults(handler=client_set)

    li = cs.add_parser(
        "list", help=_("clients with their terms, caps and this month's spend"), parents=[common]
    )
    li.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    li.set_defaults(handler=client_list)

    k = cs.add_parser(
        "key", help=_("a wallet key whose calls land on this client (shown once)"), parents=[common]
    )
    k.add_argument("name", help=_("the client"))
    k.add_argument(
        "--profile", metavar="NAME", help=_("whose spending it is (default: the only/admin profile)")
    )
    k.add_argument("--label", default="", help=_("a note to tell keys apart (e.g. 'laptop')"))
    add_pin_option(k)
    k.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    k.set_defaults(handler=client_key)

    r = cs.add_parser(
        "report", help=_("calls, tokens, cost, markup, tax, total; by model and day"), parents=[common]
    )
    r.add_argument("name", help=_("the client"))
    _range_options(r)
    out = r.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    out.add_argument("--csv", action="store_true", help=_("by-model CSV on stdout"))
    r.set_defaults(handler=client_report)

    w = cs.add_parser(
        "watch", help=_("clients near their cap, with the cheaper model that fits"), parents=[common]
    )
    w.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    w.set_defaults(handler=client_watch)

    iss = cs.add_parser(
        "issuer", help=_("your name, address … on invoices; invoice numbering"), parents=[common]
    )
    for flag, text in (
        ("name", N_("your name or business name")),
        ("address", N_("your postal address ('\\n' separates lines)")),
        ("email", N_("your e-mail address")),
        ("tax-id", N_("your VAT / tax number")),
        ("iban", N_("the account the client pays to")),
        ("payment-terms", N_("e.g. 'Payable within 30 days.'")),
        ("prefix", N_("put before invoice numbers (default 'INV-')")),
    ):
        iss.add_argument(f"--{flag}", metavar="TEXT", help=_(text))
    iss.add_argument("--next-number", type=int, metavar="N", help=_("the next invoice's number"))
    iss.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    iss.set_defaults(handler=client_issuer)

    inv = cs.add_parser("invoices", help=_("issued invoices (newest first)"), parents=[common])
    inv.add_argument("name", nargs="?", help=_("one client (default: every client)"))
    inv.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    inv.set_defaults(handler=client_invoices)

    i = sub.add_parser(
        "invoice", help=_("issue a numbered invoice for a client (CSV and/or PDF)"), parents=[common]
    )
    i.add_argument("name", help=_("the client"))
    _range_options(i)
    i.add_argument("--csv", metavar="FILE", help=_("line items as CSV ('-' for stdout)"))
    i.add_argument("--pdf", metavar="FILE", help=_("the invoice as PDF"))
    i.add_argument("--draft", action="store_true", help=_("compute it without taking an invoice number"))
    i.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    i.set_defaults(handler=invoice)


# ---------------------------------------------------------------------------------------- helpers


def _text(value: str | None) -> str | None:
    return None if value is None else value.replace("\\n", "\n")


def _details(args: argparse.Namespace) -> dict[str, str | None]:
    return {
        "legal_name": _text(args.legal_name),
        "address": _text(args.address),
        "email": _text(args.email),
        "tax_id": _text(args.tax_id),
    }


def client_dict(c: Client) -> dict[str, Any]:
    t = c.terms
    cap = None
    if c.cap is not None:
        e = c.cap
        cap = {
            "id": e.id,
            "unit": e.unit,
            "amount": e.amount,
            "period": "engagement" if e.period == "none" else e.period,
            "action": e.action,
        }
    return {
        "name": c.name,
        "legal_name": c.legal_name,
        "address": c.address,
        "email": c.email,
        "tax_id": c.tax_id,
        "markup_pct": f"{t.markup_pct:f}",
        "tax_pct": f"{t.tax_pct:f}",
        "currency": t.currency,
        "rate": f"{t.rate:f}",
        "cap": cap,
    }


def _zone(w: Wallet) -> Any:
    return local_zone(str(w.get_setting("timezone") or "") or None)


def _range(w: Wallet, args: argparse.Namespace) -> tuple[date, date]:
    from tokenwallet.billing.ledger import month_range
    from tokenwallet.billing.statement import parse_month

    if args.month and (args.first or args.last):
        raise CliError(_("give --month or --from/--to, not both"))
    if args.month:
        return month_range(w, *parse_month(args.month))
    today = datetime.now(_zone(w)).date()
    try:
        first = date.fromisoformat(args.first) if args.first else today.replace(day=1)
        last = date.fromisoformat(args.last) if args.last else today
    except ValueError as exc:
        raise CliError(_("cannot read a date ({exc}); use YYYY-MM-DD").format(exc=exc)) from None
    if last < first:
        raise CliError(_("--to ({last}) is before --from ({first})").format(last=last, first=first))
    return first, last


def _cap_text(c: Client) -> str:
    from tokenwallet.core.money import format_amount

    if c.cap is None:
        return "—"
    e = c.cap
    per = "engagement" if e.period == "none" else e.period
    return f"{format_amount(e.unit, e.amount)}/{per} {e.action}"


# ---------------------------------------------------------------------------------------- handlers


def client_add(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import clients as cl

    name = check_name(args.name, "client")
    budget = parse_amount_arg(args.budget) if args.budget else None
    if budget is None and (args.period or args.action):
        raise CliError(_("--period/--action describe a cap: give it with --budget AMOUNT"))
    details = {k: v for k, v in _details(args).items() if v is not None}
    with ctx.wallet() as w:
        pin = pin_if_household(ctx, w, args)
        c = cl.add_client(
            w,
            name,
            markup=args.markup or 0,
            tax=args.tax or 0,
            currency=args.currency or "USD",
            rate=args.rate or 1,
            budget=budget,
            period=args.period or "month",
            action=args.action or "block",
            pin=pin,
            legal_name=details.get("legal_name") or "",
            address=details.get("address") or "",
            email=details.get("email") or "",
            tax_id=details.get("tax_id") or "",
        )
    if args.json:
        ctx.json(client_dict(c))
        return 0
    from tokenwallet.billing.exports import terms_text

    ctx.print(
        _("Added client {name}: {value}; cap {value2}.").format(
            name=c.name, value=terms_text(c.terms), value2=_cap_text(c)
        )
    )
    ctx.print(
        _(
            "Give it a key with: tokenwallet client key {name}  (or send X-Tokenwallet-Project: {name})"
        ).format(name=c.name)
    )
    return 0


def client_set(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import clients as cl

    name = check_name(args.name, "client")
    budget = parse_amount_arg(args.budget) if args.budget else None
    if args.no_cap and (budget or args.period or args.action):
        raise CliError(_("--no-cap cannot be combined with --budget/--period/--action"))
    with ctx.wallet() as w:
        cl.client(w, name)
        pin = pin_if_household(ctx, w, args)
        c = cl.set_client(
            w,
            name,
            markup=args.markup,
            tax=args.tax,
            currency=args.currency,
            rate=args.rate,
            budget=budget,
            period=args.period,
            action=args.action,
            pin=pin,
            legal_name=_text(args.legal_name),
            address=_text(args.address),
            email=_text(args.email),
            tax_id=_text(args.tax_id),
        )
        if args.no_cap:
            cl.remove_cap(w, name, pin=pin)
            c = cl.client(w, name)
    if args.json:
        ctx.json(client_dict(c))
    else:
        from tokenwallet.billing.exports import terms_text

        ctx.print(
            _("Client {name}: {value}; cap {value2}.").format(
                name=c.name, value=terms_text(c.terms), value2=_cap_text(c)
            )
        )
    return 0


def client_list(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import clients as cl
    from tokenwallet.billing.invoice import client_report

    with ctx.wallet() as w:
        today = datetime.now(_zone(w)).date()
        rows = [(c, client_report(w, c.name, today.replace(day=1), today)) for c in cl.clients(w)]
    if args.json:
        ctx.json(
            [dict(client_dict(c), month_cost_nano=r.totals.cost_nano, month_calls=r.calls) for c, r in rows]
        )
        return 0
    if not rows:
        ctx.print(
            _("No clients yet. Add one with: tokenwallet client add NAME --markup 15 --tax 20 --currency EUR")
        )
        return 0
    from tokenwallet.billing.rounding import format_minor

    out = []
    for c, r in rows:
        t = c.terms
        out.append(
            [
                c.name,
                f"{t.markup_pct:f} %",
                f"{t.tax_pct:f} %",
                f"{t.currency} {t.rate:f}",
                _cap_text(c),
                str(r.calls),
                format_minor(r.totals.total_minor, t.currency),
            ]
        )
    ctx.print(
        table(
            out,
            [_("client"), _("markup"), _("tax"), _("currency"), _("cap"), _("calls"), _("this month")],
            right={5, 6},
        )
    )
    return 0


def client_key(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import clients as cl

    name = check_name(args.name, "client")
    with ctx.wallet() as w:
        cl.client(w, name)
        pin = pin_if_household(ctx, w, args)
        who, key = cl.client_key(w, name, profile=args.profile, label=args.label, pin=pin)
    if args.json:
        ctx.json({"client": name, "profile": who, "key": key})
        return 0
    ctx.print(
        _("A wallet key for {name} (spent by profile {who}; shown only this once):").format(
            name=name, who=who
        )
    )
    ctx.print(key)
    return 0


def client_report(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing.exports import report_csv, report_dict
    from tokenwallet.billing.invoice import client_report as build
    from tokenwallet.billing.rounding import format_minor

    name = check_name(args.name, "client")
    with ctx.wallet() as w:
        first, last = _range(w, args)
        r = build(w, name, first, last)
    if args.json:
        ctx.json(report_dict(r))
        return 0
    if args.csv:
        ctx.out.write(report_csv(r))
        return 0
    t, cur = r.totals, r.totals.terms.currency
    ctx.print(
        _("{name}, {first} – {last}: {calls} calls, {tokens} tokens").format(
            name=name, first=first, last=last, calls=r.calls, tokens=format(r.tokens, ",")
        )
    )
    lines = [
        ["cost", format_minor(t.cost_minor, cur)],
        [f"markup {t.terms.markup_pct:f} %", format_minor(t.markup_minor, cur)],
        ["subtotal", format_minor(t.subtotal_minor, cur)],
        [f"tax {t.terms.tax_pct:f} %", format_minor(t.tax_minor, cur)],
        ["total", format_minor(t.total_minor, cur)],
    ]
    ctx.print(table(lines, ["", cur], right={1}))
    ctx.print("")
    by_model = [
        [m.model, m.provider, str(m.calls), f"{m.tokens:,}", format_minor(a, cur)]
        for m, a in zip(r.lines, t.line_minor, strict=True)
    ]
    ctx.print(
        table(by_model, [_("model"), _("provider"), _("calls"), _("tokens"), _("amount")], right={2, 3, 4})
    )
    ctx.print("")
    from tokenwallet.core.money import format_usd

    by_day = [[d.day.isoformat(), str(d.calls), f"{d.tokens:,}", format_usd(d.cost_nano)] for d in r.days]
    ctx.print(table(by_day, [_("day"), _("calls"), _("tokens"), _("cost (USD)")], right={1, 2, 3}))
    return 0


def client_watch(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing.overview import cap_warnings

    with ctx.wallet() as w:
        warnings = cap_warnings(w, data_dir=ctx.data_dir)
    if args.json:
        ctx.json(
            [
                {
                    "client": x.client,
                    "used_pct": x.status.used_pct,
                    "available": x.status.available,
                    "unit": x.status.envelope.unit,
                    "need": x.need,
                    "suggestion": None
                    if x.suggestion is None
                    else {"provider": x.suggestion.provider, "model": x.suggestion.model, "fits": x.fits},
                    "text": x.text,
                }
                for x in warnings
            ]
        )
        return 0
    if not warnings:
        ctx.print(_("No client is near its cap."))
    for x in warnings:
        ctx.print(x.text)
    return 0


def client_issuer(ctx: Context, args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from tokenwallet.billing import clients as cl

    fields = {
        "name": args.name,
        "address": _text(args.address),
        "email": args.email,
        "tax_id": args.tax_id,
        "iban": args.iban,
        "payment_terms": args.payment_terms,
        "prefix": args.prefix,
    }
    with ctx.wallet() as w:
        if any(v is not None for v in fields.values()) or args.next_number is not None:
            who = cl.set_issuer(w, next_number=args.next_number, **fields)
        else:
            who = cl.issuer(w)
    if args.json:
        ctx.json(asdict(who))
        return 0
    ctx.print(f"{who.name or '(no name yet: --name)'}")
    if who.address:
        ctx.print(who.address)
    for label, value in (
        ("email", who.email),
        ("tax id", who.tax_id),
        ("bank", who.iban),
        ("terms", who.payment_terms),
    ):
        if value:
            ctx.print(f"{label}: {value}")
    ctx.print(
        _("next invoice: {prefix}{next_number}").format(
            prefix=who.prefix, next_number=format(who.next_number, "04d")
        )
    )
    return 0


def client_invoices(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing.invoice import invoices
    from tokenwallet.billing.rounding import format_minor

    with ctx.wallet() as w:
        items = invoices(w, check_name(args.name, "client") if args.name else None)
    if args.json:
        ctx.json([_inv_dict(i) for i in items])
        return 0
    rows = [
        [
            i.number,
            i.client,
            f"{i.first} – {i.last}",
            f"{i.issued_at:%Y-%m-%d}",
            format_minor(i.total_minor, i.currency),
        ]
        for i in items
    ]
    ctx.print(
        table(rows, [_("invoice"), _("client"), _("period"), _("issued"), _("total")], right={4})
        if rows
        else "No invoices yet."
    )
    return 0


def _inv_dict(i: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(i)


def invoice(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing.exports import invoice_csv, report_dict
    from tokenwallet.billing.html import invoice_html
    from tokenwallet.billing.invoice import issue_invoice
    from tokenwallet.billing.rounding import format_minor

    name = check_name(args.name, "client")
    for target in (args.csv, args.pdf):
        if target and target != "-" and not Path(target).parent.exists():
            raise CliError(_("no such directory: {parent}").format(parent=Path(target).parent))
        if target and target != "-" and paths.is_wallet_file(target, ctx.data_dir):
            raise CliError(
                _("{target} is the wallet's own file: write the export somewhere else").format(target=target)
            )
    with ctx.wallet() as w:
        first, last = _range(w, args)
        inv = issue_invoice(w, name, first, last, draft=args.draft)
    label = inv.number or "DRAFT"
    if args.csv:
        text = invoice_csv(inv)
        if args.csv == "-":
            ctx.out.write(text)
        else:
            private.write_text(Path(args.csv), text)  # owner-only
            ctx.note(_("wrote {path}").format(path=args.csv))
    if args.pdf:
        write_pdf_or_fail(invoice_html(inv), Path(args.pdf), title=f"Invoice {label}")
        ctx.note(_("wrote {path}").format(path=args.pdf))
    if args.json:
        ctx.json(dict(report_dict(inv.report), number=inv.number, issued_at=inv.issued_at.isoformat()))
    elif args.csv != "-":
        t = inv.totals
        cur = t.terms.currency
        ctx.print(
            _(
                "Invoice {label} for {name} ({first} – {last}): {calls} calls, "
                "subtotal {value}, tax {value2}, total {value3}."
            ).format(
                label=label,
                name=name,
                first=first,
                last=last,
                calls=inv.report.calls,
                value=format_minor(t.subtotal_minor, cur),
                value2=format_minor(t.tax_minor, cur),
                value3=format_minor(t.total_minor, cur),
            )
        )
    return 0
