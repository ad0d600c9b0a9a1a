"""``tokenwallet model-rules …``: which models a profile may call.

Patterns: ``tier:NAME`` (a tier of model_tiers.toml), ``PROVIDER/MODEL`` or ``MODEL``, with ``*``
and ``?`` as wildcards (see ``tokenwallet.core.model_patterns``). An empty allow list allows any
model; deny wins. A household child without rules of its own may use ``tier:small`` only.
Changes need the owner PIN when the wallet has a household.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.columns import table
from tokenwallet.commands.common import CliError, Context, add_pin, check_name, require_pin
from tokenwallet.commands.i18n import N_, _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.core.model_patterns import RuleSet

_PATTERN_HELP = N_("tier:NAME, PROVIDER/MODEL or MODEL; * and ? are wildcards (quote them in the shell)")


def register(sub: SubParsers, common: Parser) -> None:
    m = sub.add_parser(
        "model-rules", help=_("which models a profile may call (allow/deny lists, tiers)"), parents=[common]
    )
    ms = m.add_subparsers(dest="action", metavar="ACTION")
    show = ms.add_parser("show", help=_("the rules in force, per profile"), parents=[common])
    show.add_argument("--profile", metavar="NAME", help=_("one profile (default: every profile)"))
    show.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    show.set_defaults(handler=rules_show)
    for name, text in (
        ("allow", N_("let a profile call only these models (adds to its allow list)")),
        ("deny", N_("never let a profile call these models (deny wins over allow)")),
        ("remove", N_("drop these patterns from a profile's allow or deny list")),
    ):
        p = ms.add_parser(name, help=_(text), parents=[common])
        p.add_argument("--profile", metavar="NAME", required=True, help=_("whose rules"))
        p.add_argument("patterns", nargs="+", metavar="PATTERN", help=_(_PATTERN_HELP))
        p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
        add_pin(p)
        p.set_defaults(handler=rules_change, change=name)
    c = ms.add_parser(
        "clear", help=_("drop a profile's rules (a household child is back to tier:small)"), parents=[common]
    )
    c.add_argument("--profile", metavar="NAME", required=True, help=_("whose rules"))
    c.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    add_pin(c)
    c.set_defaults(handler=rules_change, change="clear", patterns=[])
    a = ms.add_parser(
        "action", help=_("what a refused model gets: block (403) or downgrade"), parents=[common]
    )
    a.add_argument("--profile", metavar="NAME", required=True, help=_("whose rules"))
    a.add_argument(
        "on_refused",
        choices=("block", "downgrade"),
        metavar="block|downgrade",
        help=_("downgrade: switch to the best allowed cheaper model on the same provider, if any"),
    )
    a.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    add_pin(a)
    a.set_defaults(handler=rules_change, change="action", patterns=[])


def rules_dict(profile: str, rules: RuleSet) -> dict[str, Any]:
    return {
        "profile": profile,
        "allow": [p.text for p in rules.allow],
        "deny": [p.text for p in rules.deny],
        "action": rules.action,
        "source": rules.source,
        "summary": rules.describe(),
    }


def _line(rules: RuleSet) -> str:
    text = rules.describe()
    if rules.source == "household":
        text += " (default for a household child)"
    if not rules.open:
        other = "downgraded when possible" if rules.action == "downgrade" else "refused"
        text += f"; other models: {other}"
    return text


def rules_show(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        names = [w.profile(check_name(args.profile, "profile")).name] if args.profile else None
        names = names or [p.name for p in w.profiles()]
        found = [(n, w.model_rules(n)) for n in names]
    if args.json:
        ctx.json([rules_dict(n, r) for n, r in found])
    elif not found:
        ctx.print(_("No profiles yet (tokenwallet profile add NAME)."))
    else:
        ctx.print(table([[n, _line(r)] for n, r in found], [_("profile"), _("may call")]))
    return 0


def rules_change(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.core.model_patterns import PatternError, parse_patterns

    profile = check_name(args.profile, "profile")
    try:
        parse_patterns(args.patterns)  # one line for a bad pattern, before the wallet is opened
    except PatternError as exc:
        raise CliError(str(exc)) from None
    change: str = args.change
    with ctx.wallet() as w:
        w.profile(profile)  # NotFound → one line, before the PIN is asked
        require_pin(ctx, w, args, f"change the model rules of {profile}")
        if change == "clear":
            rules = w.clear_model_rules(profile)
        elif change == "action":
            rules = w.change_model_rules(profile, action=args.on_refused)
        else:
            rules = w.change_model_rules(profile, **{change: args.patterns})
    if args.json:
        ctx.json(rules_dict(profile, rules))
    else:
        ctx.print(_("{profile} may call: {value}.").format(profile=profile, value=_line(rules)))
    return 0
