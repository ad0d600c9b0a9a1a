"""``tokenwallet settings …``: the wallet's settings (time zone, week start, currency, policies …).

Every setting is declared once in :mod:`tokenwallet.wallet.settings`, with its type, default and
meaning; this command lists them and sets them through the wallet, which checks the value.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.columns import table
from tokenwallet.commands.common import Context, add_pin, check_name, require_pin
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "settings", help=_("wallet settings: time zone, week start, currency, policies"), parents=[common]
    )
    ps = p.add_subparsers(dest="action", metavar="ACTION")
    li = ps.add_parser("list", help=_("every setting, its value and what it does"), parents=[common])
    li.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    li.set_defaults(handler=settings_list)
    g = ps.add_parser("get", help=_("one setting's value"), parents=[common])
    g.add_argument("name", help=_("the setting (see 'settings list')"))
    g.add_argument("--profile", metavar="NAME", help=_("a profile's own value (for per-profile settings)"))
    g.set_defaults(handler=settings_get)
    s = ps.add_parser("set", help=_("change a setting"), parents=[common])
    s.add_argument("name", help=_("the setting (see 'settings list')"))
    s.add_argument("value", help=_("its new value"))
    s.add_argument("--profile", metavar="NAME", help=_("only for this profile (per-profile settings)"))
    add_pin(s)
    s.set_defaults(handler=settings_set)


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, tuple | list):
        return ",".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def settings_list(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.wallet.settings import SETTINGS

    with ctx.wallet() as w:
        values = w.settings()
    if args.json:
        ctx.json({name: _jsonable(v) for name, v in values.items()})
        return 0
    # the core's English text, in the CLI's language when the catalog has it (settings_words.py)
    rows = [[name, _show(values.get(name)), _(SETTINGS[name].doc)] for name in SETTINGS]
    ctx.print(table(rows, [_("setting"), _("value"), _("meaning")]))
    return 0


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple):
        return list(value)
    return value


def settings_get(ctx: Context, args: argparse.Namespace) -> int:
    profile = check_name(args.profile, "profile") if args.profile else None
    with ctx.wallet() as w:
        value = w.get_setting(args.name, profile=profile)
    ctx.print(_show(value))
    return 0


def settings_set(ctx: Context, args: argparse.Namespace) -> int:
    profile = check_name(args.profile, "profile") if args.profile else None
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "change a setting")
        w.set_setting(args.name, args.value, profile=profile)
        value = w.get_setting(args.name, profile=profile)
    if profile:
        ctx.print(
            _("{name} = {value} for profile {profile}").format(
                name=args.name, value=_show(value), profile=profile
            )
        )
    else:
        ctx.print(f"{args.name} = {_show(value)}")
    return 0
