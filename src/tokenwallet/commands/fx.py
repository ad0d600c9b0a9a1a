"""``tokenwallet fx …``: the exchange rate for prices set in yuan (``pricing.fx``).

``fx`` shows the rate in force and whether it is yours or the dated default; ``fx set CNY 7.12``
sets yours (the next calls are priced with it, earlier ledger rows keep the rate they were priced
at); ``fx reset CNY`` goes back to the default. Changing a rate changes money, so a household's
owner PIN guards it like a budget.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.columns import table
from tokenwallet.commands.common import CliError, Context, add_pin, require_pin
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser("fx", help=_("exchange rates for prices set in CNY (yuan)"), parents=[common])
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    p.set_defaults(handler=fx_show)
    ps = p.add_subparsers(dest="action", metavar="ACTION")
    show = ps.add_parser("show", help=_("the rates in force (yours or the dated default)"), parents=[common])
    show.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    show.set_defaults(handler=fx_show)
    s = ps.add_parser(
        "set", help=_("your rate: units of CURRENCY per 1 USD (e.g. fx set CNY 7.12)"), parents=[common]
    )
    s.add_argument("currency", help=_("currency code, e.g. CNY"))
    s.add_argument("rate", help=_("units of that currency per US dollar, e.g. 7.12"))
    add_pin(s)
    s.set_defaults(handler=fx_set)
    r = ps.add_parser("reset", help=_("go back to the dated default rate"), parents=[common])
    r.add_argument("currency", help=_("currency code whose rate goes back to the dated default"))
    add_pin(r)
    r.set_defaults(handler=fx_reset)


def fx_show(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.pricing import fx

    with ctx.wallet() as w:
        rates = fx.wallet_rates(w)
    if args.json:
        ctx.json(
            {
                code: {
                    "per_usd": format(r.per_usd, "f"),
                    "user_set": r.user_set,
                    "as_of": r.as_of or None,
                    "source": r.source or None,
                }
                for code, r in rates.items()
            }
        )
        return 0
    rows = [[code, rate_note(r)] for code, r in rates.items()]
    ctx.print(table(rows, [_("currency"), _("rate")]))
    return 0


def fx_set(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.pricing import fx

    try:
        code = fx.currency_code(args.currency)
        rate = fx.parse_rate(args.rate)
    except fx.FxError as exc:
        raise CliError(str(exc)) from None
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "change an exchange rate")
        w.set_setting(fx.SETTINGS[code], rate)
        now = fx.wallet_rates(w)[code]
    note = _("{code}: {note}. Calls from now on are priced at it; earlier calls keep their rate.")
    ctx.print(note.format(code=code, note=rate_note(now)))
    return 0


def fx_reset(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.pricing import fx

    try:
        code = fx.currency_code(args.currency)
    except fx.FxError as exc:
        raise CliError(str(exc)) from None
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "change an exchange rate")
        w.set_setting(fx.SETTINGS[code], None)
        now = fx.wallet_rates(w)[code]
    ctx.print(f"{code}: {rate_note(now)}")
    return 0


def rate_note(r: Any) -> str:
    """``Rate.note()`` in the CLI's language: ``7.12 CNY per USD (your rate)``."""
    text = format(r.per_usd, "f")
    plain = text.rstrip("0").rstrip(".") if "." in text else text
    rate = _("{rate} {currency} per USD").format(rate=plain, currency=r.currency)
    if r.user_set:
        return _("{rate} (your rate)").format(rate=rate)
    note = _("{rate} (default as of {day}, from {source}; set yours with `tokenwallet fx set`)")
    return note.format(rate=rate, day=r.as_of, source=r.source)
