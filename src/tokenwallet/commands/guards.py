"""``tokenwallet guard …``: guards against runaway agents (issue 10, ``core/guards.py``).

tokenwallet guard add --profile kid rate 20            # 20 calls a minute, then refuse
tokenwallet guard add --session s-1a2b session-money '$5'
tokenwallet guard add --key 3 loop 6 --window 5m
tokenwallet guard add --profile agent burn '$1' --window 10m --action warn
tokenwallet guard add request-money '$0.50'           # the whole wallet
tokenwallet guard list [--json]
tokenwallet guard lift ID [--session S]                # let calls through again
tokenwallet guard remove ID
"""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from tokenwallet.commands.columns import table
from tokenwallet.commands.common import (
    ACTION_WORDS,
    CliError,
    Context,
    add_pin,
    check_name,
    require_pin,
    word,
)
from tokenwallet.commands.i18n import _
from tokenwallet.core.guards import ACTIONS, KINDS, MONEY_KINDS, GuardSpec
from tokenwallet.core.money import AmountError, format_tokens, format_usd, parse_amount

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers

_CLI_KINDS = [k.replace("_", "-") for k in KINDS]
_WINDOW = re.compile(r"^\s*(\d+)\s*(s|sec|m|min|h)?\s*$", re.IGNORECASE)
_SESSION = re.compile(r"[A-Za-z0-9._:@-]{1,64}")
_UNIT_S = {"": 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "guard", help=_("guards against runaway agents: rate, session budget, loops"), parents=[common]
    )
    ps = p.add_subparsers(dest="action", metavar="ACTION")
    a = ps.add_parser("add", help=_("add (or replace) a guard"), parents=[common])
    scope = a.add_mutually_exclusive_group()
    scope.add_argument(
        "--profile", metavar="NAME", help=_("guard this profile's calls (default: the wallet)")
    )
    scope.add_argument(
        "--key", metavar="ID", type=int, help=_("a wallet key's id ('tokenwallet profile keys')")
    )
    scope.add_argument("--session", metavar="ID", help=_("one agent session ('tokenwallet sessions')"))
    a.add_argument(
        "kind",
        choices=_CLI_KINDS,
        help=_(
            "rate: calls per window; request-money: one call's worst case; session-money, "
            "session-tokens: a session's total; loop: near-identical requests per window; "
            "burn: spend per minute over the window"
        ),
    )
    a.add_argument("limit", help=_("calls or requests (rate, loop); money ($5) or tokens (500k) otherwise"))
    a.add_argument("--window", metavar="TIME", help=_("rate/loop/burn window: 60s, 5m, 1h"))
    a.add_argument("--action", choices=ACTIONS, default="block", help=_("when it trips (default block)"))
    add_pin(a)
    a.set_defaults(handler=guard_add)
    li = ps.add_parser("list", help=_("every guard in force, defaults included"), parents=[common])
    li.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    li.set_defaults(handler=guard_list)
    lf = ps.add_parser("lift", help=_("let calls through a guard again"), parents=[common])
    lf.add_argument("id", type=int, help=_("the guard's id (see 'guard list')"))
    lf.add_argument("--session", metavar="ID", help=_("only for this session (default: for every session)"))
    add_pin(lf)
    lf.set_defaults(handler=guard_lift)
    rm = ps.add_parser("remove", help=_("delete a guard you set"), parents=[common])
    rm.add_argument("id", type=int, help=_("the guard's id (see 'guard list')"))
    add_pin(rm)
    rm.set_defaults(handler=guard_remove)


def _scope(args: argparse.Namespace) -> str:
    if args.profile:
        return "profile:" + check_name(args.profile, "profile")
    if args.key is not None:
        return f"key:{args.key}"
    if args.session:
        return "session:" + _session(args.session)
    return "wallet"


def _session(text: str) -> str:
    if not _SESSION.fullmatch(text):
        raise CliError(
            _("not a session id: {text} (`tokenwallet sessions` lists them)").format(text=repr(text))
        )
    return text


def _limit(kind: str, text: str) -> int:
    if kind in ("rate", "loop"):
        if not text.strip().isdigit():
            raise CliError(
                _("{kind} limit: a whole number of calls, not {text}").format(kind=kind, text=repr(text))
            )
        return int(text)
    try:
        amount = parse_amount(text, default_unit="tokens" if kind == "session_tokens" else "usd")
    except AmountError as exc:
        raise CliError(f"{kind} limit: {exc}") from None
    want = "tokens" if kind == "session_tokens" else "usd"
    if amount.unit != want:
        raise CliError(
            _("{kind} limit is in {value}, not {text}").format(
                kind=kind, value="tokens" if want == "tokens" else "money", text=repr(text)
            )
        )
    return amount.value


def _window(text: str | None) -> int:
    if text is None:
        return 0
    m = _WINDOW.match(text)
    if m is None:
        raise CliError(_("window: use a time such as 60s, 5m or 1h, not {text}").format(text=repr(text)))
    return int(m.group(1)) * _UNIT_S[(m.group(2) or "").lower()]


def describe_limit(g: GuardSpec) -> str:
    if g.kind in MONEY_KINDS:
        return format_usd(g.limit) + ("/min" if g.kind == "burn" else "")
    if g.kind == "session_tokens":
        return format_tokens(g.limit) + " tokens"
    return f"{g.limit} {'calls' if g.kind == 'rate' else 'repeats'}"


def guard_add(ctx: Context, args: argparse.Namespace) -> int:
    kind = args.kind.replace("-", "_")
    scope, limit, window = _scope(args), _limit(kind, args.limit), _window(args.window)
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "change a guard")
        g = w.add_guard(scope, kind, limit, action=args.action, window_s=window)
    per = _(" per {seconds} s").format(seconds=g.window_s) if g.window_s else ""
    added = _("guard #{id}: {kind} {limit}{per} on {scope}, {action}")
    ctx.print(
        added.format(
            id=g.id,
            kind=g.kind.replace("_", " "),
            limit=describe_limit(g),
            per=per,
            scope=g.scope,
            action=word(ACTION_WORDS, g.action),
        )
    )
    return 0


def guard_list(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        guards = w.guards()
        lifts = w.guard_lifts()
    lifted = {
        g.id: sorted(x.split("|", 1)[1] for x in lifts if x.split("|", 1)[0] == str(g.id)) for g in guards
    }
    rows = [
        {
            "id": g.id,
            "scope": g.scope,
            "kind": g.kind,
            "limit": g.limit,
            "limit_text": describe_limit(g),
            "window_s": g.window_s,
            "action": g.action,
            "source": g.source,
            "lifted_for": lifted[g.id],
        }
        for g in guards
    ]
    if args.json:
        ctx.json(rows)
        return 0
    if not rows:
        ctx.print(_("no guards (household members get defaults; `tokenwallet guard add` sets one)"))
        return 0
    cells = [
        [str(g.id), g.scope, g.kind, describe_limit(g), f"{g.window_s} s" if g.window_s else "", g.action,
         g.source, ", ".join(lifted[g.id])]
        for g in guards
    ]  # fmt: skip
    ctx.print(
        table(
            cells,
            [
                _("id"),
                _("scope"),
                _("kind"),
                _("limit"),
                _("window"),
                _("action"),
                _("source"),
                _("lifted for"),
            ],
        )
    )
    return 0


def guard_lift(ctx: Context, args: argparse.Namespace) -> int:
    session = _session(args.session) if args.session else None
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "lift a guard")
        w.lift_guard(args.id, session)
    if session:
        ctx.print(_("guard #{id} lifted for session {session}").format(id=args.id, session=session))
    else:
        ctx.print(_("guard #{id} lifted for every session").format(id=args.id))
    return 0


def guard_remove(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "remove a guard")
        w.remove_guard(args.id)
    ctx.print(_("guard #{id} removed").format(id=args.id))
    return 0
