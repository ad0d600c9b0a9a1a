"""``tokenwallet language [show|set LANG]``: the language the CLI and the app speak."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from tokenwallet.commands.common import CliError, Context
from tokenwallet.commands.i18n import N_, _
from tokenwallet.core import language

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers

NAMES = {language.ENGLISH: N_("English"), language.CHINESE: N_("Simplified Chinese")}


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "language", help=_("the language of the CLI and the app (en, zh_CN or auto)"), parents=[common]
    )
    ps = p.add_subparsers(dest="action", metavar="ACTION")
    show = ps.add_parser("show", help=_("the language in use and where it comes from"), parents=[common])
    show.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    show.set_defaults(handler=language_show)
    s = ps.add_parser(
        "set", help=_("choose a language, or auto to follow the system locale"), parents=[common]
    )
    s.add_argument(
        "value",
        choices=(language.CHINESE, language.ENGLISH, language.AUTO),
        help=_("zh_CN (Simplified Chinese), en (English) or auto (follow LANG)"),
    )
    s.set_defaults(handler=language_set)
    p.set_defaults(handler=language_show, json=False)  # plain ``tokenwallet language`` shows it


def source(ctx: Context) -> tuple[str, str]:
    """The language in effect and which rule gave it: ``env``, ``choice`` or ``locale``."""
    effective = language.current(ctx.data_dir)
    if language.normalise(os.environ.get(language.ENV, "")):
        return effective, "env"
    if language.chosen(ctx.data_dir) != language.AUTO:
        return effective, "choice"
    return effective, "locale"


def language_show(ctx: Context, args: argparse.Namespace) -> int:
    effective, origin = source(ctx)
    if args.json:
        ctx.json({"language": effective, "source": origin, "chosen": language.chosen(ctx.data_dir)})
        return 0
    where = {
        "env": _("from ${env}").format(env=language.ENV),
        "choice": _("your choice, kept in {path}").format(path=ctx.data_dir / language.FILE),
        "locale": _("from the system locale (LC_ALL, LC_MESSAGES, LANG)"),
    }[origin]
    ctx.print(
        _("Language: {name} ({code}), {where}.").format(name=_(NAMES[effective]), code=effective, where=where)
    )
    if origin != "choice":
        ctx.print(_("Change it with: tokenwallet language set zh_CN|en|auto"))
    return 0


def language_set(ctx: Context, args: argparse.Namespace) -> int:
    try:
        value = language.choose(ctx.data_dir, args.value)
    except (ValueError, OSError) as exc:
        raise CliError(str(exc)) from None
    # Say it in the language just chosen: the next command speaks it too.
    from tokenwallet.commands import i18n

    effective, origin = source(ctx)
    i18n.use(effective)
    if value == language.AUTO:
        ctx.print(_("Language: auto, following the system locale (now {code}).").format(code=effective))
    else:
        ctx.print(_("Language set to {name} ({code}).").format(name=_(NAMES[value]), code=value))
    if origin == "env":
        ctx.print(_("Note: ${env} is set and wins over this choice.").format(env=language.ENV))
    return 0
