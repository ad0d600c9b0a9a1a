"""``tokenwallet budget …``, ``topup``, ``transfer`` and ``status``: the envelopes."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from tokenwallet.commands import plans
from tokenwallet.commands.columns import display_width, pad, table
from tokenwallet.commands.common import (
    ACTION_WORDS,
    PERIOD_WORDS,
    CliError,
    Context,
    add_pin,
    add_scope_options,
    local_zone,
    parse_amount_arg,
    parse_scope,
    parse_when,
    require_pin,
    scope_from_args,
    word,
)
from tokenwallet.commands.i18n import _, short_day
from tokenwallet.pricing import fx

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.pricing.fx import Shown

PERIODS = ("day", "week", "month", "year", "none")
ACTIONS = ("warn", "downgrade", "block")
_ONE_DAY = timedelta(days=1)
STATUS_SESSIONS = 3  # the latest agent sessions shown under the envelopes


def register(sub: SubParsers, common: Parser) -> None:
    st = sub.add_parser(
        "status", help=_("every envelope: spent, held, available, projected"), parents=[common]
    )
    st.add_argument("--profile", metavar="NAME", help=_("only the envelopes that apply to this profile"))
    st.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    st.set_defaults(handler=status)

    b = sub.add_parser(
        "budget",
        help=_("budgets (envelopes) on the wallet, a profile, a project, some models or a provider"),
        parents=[common],
    )
    bs = b.add_subparsers(dest="action", metavar="ACTION")
    s = bs.add_parser("set", help=_("set (or change) a budget"), parents=[common])
    add_scope_options(s)
    s.add_argument("amount", help=_("money ('20', '$5.50') or tokens ('2M tokens')"))
    s.add_argument(
        "--period", choices=PERIODS, default="month", help=_("reset period; none = prepaid (default month)")
    )
    s.add_argument("--action", choices=ACTIONS, default="warn", help=_("at the limit (default warn)"))
    s.add_argument(
        "--rollover",
        action=argparse.BooleanOptionalAction,
        default=False,
        help=_("carry unused money (and debt) over"),
    )
    s.add_argument(
        "--thresholds", metavar="P,P,…", help=_("warning thresholds in percent (default 50,80,95)")
    )
    s.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    add_pin(s)
    s.set_defaults(handler=budget_set)

    li = bs.add_parser("list", help=_("list budgets"), parents=[common])
    li.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    li.set_defaults(handler=budget_list)

    rm = bs.add_parser("remove", help=_("remove a budget by id, or by scope (and period)"), parents=[common])
    rm.add_argument("id", nargs="?", type=int, help=_("the id shown by 'budget list'"))
    add_scope_options(rm, required=False)
    rm.add_argument("--period", choices=PERIODS, help=_("with a scope: only its envelope of this period"))
    add_pin(rm)
    rm.set_defaults(handler=budget_remove)

    t = sub.add_parser("topup", help=_("add money or tokens to an envelope"), parents=[common])
    add_scope_options(t)
    t.add_argument("amount", help=_("money ('5', '$5.50') or tokens ('500k tokens')"))
    t.add_argument("--expires", metavar="DATE", help=_("the top-up lapses after this day (YYYY-MM-DD)"))
    t.add_argument("--note", default="", help=_("a note kept with the movement"))
    add_pin(t)
    t.set_defaults(handler=topup)

    tr = sub.add_parser("transfer", help=_("move budget from one envelope to another"), parents=[common])
    tr.add_argument(
        "--from", dest="src", required=True, metavar="WHO", help=_("NAME (a profile), project:NAME or wallet")
    )
    tr.add_argument(
        "--to", dest="dst", required=True, metavar="WHO", help=_("NAME (a profile), project:NAME or wallet")
    )
    tr.add_argument("amount", help=_("money or tokens; refused whole when the source cannot cover it"))
    add_pin(tr)
    tr.set_defaults(handler=transfer)


# ---------------------------------------------------------------------------------------- budgets


def _thresholds(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        values = tuple(int(p.strip().rstrip("%")) for p in text.split(",") if p.strip())
    except ValueError:
        raise CliError(_("cannot read thresholds {text} (e.g. 50,80,95)").format(text=repr(text))) from None
    if not values or any(not 0 < v <= 100 for v in values):
        raise CliError(_("thresholds are percentages between 1 and 100: {text}").format(text=repr(text)))
    return tuple(sorted(set(values)))


def envelope_dict(e: Any) -> dict[str, Any]:
    return {
        "id": e.id,
        "scope": str(e.scope),
        "unit": e.unit,
        "amount": e.amount,
        "period": e.period,
        "action": e.action,
        "rollover": bool(e.rollover),
        "thresholds": list(e.thresholds),
        "display": {"amount": fmt_amount(e.unit, e.amount)},
    }


def fmt_amount(unit: str, value: int | None, money: Shown | None = None) -> str:
    """Money as ``$12.40`` (or in the display currency ``money``, e.g. ``¥88.29``); tokens short
    only when that is exact (``2M tokens``, ``1,989,485 tokens``)."""
    from tokenwallet.core.money import format_tokens, format_usd

    if value is None:
        return "—"
    if unit != "tokens":
        return money.money(value) if money is not None else format_usd(value)
    short = format_tokens(value)
    return short if "." not in short else f"{value:,} tokens"


def _describe_budget(e: Any) -> str:
    if e.period == "none":
        per = _("prepaid (no reset)")
    else:
        per = _("per {period}").format(period=word(PERIOD_WORDS, e.period))
    roll = _(", rollover on") if e.rollover else ""
    warn = "/".join(str(t) for t in e.thresholds)
    amount = fmt_amount(e.unit, e.amount)
    return _("{scope}: {amount} {per}, {action} at the limit{roll}, warnings at {warn} %").format(
        scope=e.scope, amount=amount, per=per, action=word(ACTION_WORDS, e.action), roll=roll, warn=warn
    )


def budget_set(ctx: Context, args: argparse.Namespace) -> int:
    scope = scope_from_args(args)
    amount = parse_amount_arg(args.amount)
    thresholds = _thresholds(args.thresholds)
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "set a budget")
        kwargs: dict[str, Any] = {"period": args.period, "action": args.action, "rollover": args.rollover}
        if thresholds is not None:
            kwargs["thresholds"] = thresholds
        env = w.set_budget(scope, amount, **kwargs)
    if args.json:
        ctx.json(envelope_dict(env))
    else:
        ctx.print(_("Budget #{id} set — {description}.").format(id=env.id, description=_describe_budget(env)))
    return 0


def budget_list(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        envs = w.envelopes()
    if args.json:
        ctx.json([envelope_dict(e) for e in envs])
    elif not envs:
        ctx.print(_("No budgets yet. Set one with: tokenwallet budget set --wallet 20 --period month"))
    else:
        rows = [
            [
                str(e.id),
                str(e.scope),
                fmt_amount(e.unit, e.amount),
                word(PERIOD_WORDS, e.period),
                word(ACTION_WORDS, e.action),
                _("yes") if e.rollover else _("no"),
                "/".join(map(str, e.thresholds)),
            ]
            for e in envs
        ]
        heads = [_("id"), _("scope"), _("amount"), _("period"), _("action"), _("rollover"), _("warn %")]
        ctx.print(table(rows, heads, right={0, 2}))
    return 0


def budget_remove(ctx: Context, args: argparse.Namespace) -> int:
    by_scope = args.wallet or args.profile or args.project or args.model or args.provider
    if (args.id is None) == (not by_scope):
        raise CliError(
            _(
                "say which budget: an id from 'budget list', "
                "or --wallet/--profile/--project/--model/--provider"
            )
        )
    scope = scope_from_args(args) if by_scope else None
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "remove a budget")
        envs = w.envelopes()
        if args.id is not None:
            match = [e for e in envs if e.id == args.id]
            if not match:
                raise CliError(_("no budget #{id} (see 'tokenwallet budget list')").format(id=args.id))
        else:
            match = [e for e in envs if str(e.scope) == str(scope) and args.period in (None, e.period)]
            if not match:
                if args.period:
                    raise CliError(
                        _("no budget for {scope} per {period}").format(scope=scope, period=args.period)
                    )
                raise CliError(_("no budget for {scope}").format(scope=scope))
            if len(match) > 1:
                periods = ", ".join(e.period for e in match)
                raise CliError(
                    _("{scope} has several budgets ({periods}): add --period or give the id").format(
                        scope=scope, periods=periods
                    )
                )
        w.remove_budget(match[0].id)
    gone = match[0]
    ctx.print(
        _("Removed budget #{id} ({scope}, {period}).").format(
            id=gone.id, scope=gone.scope, period=gone.period
        )
    )
    return 0


# ---------------------------------------------------------------------------------------- movements


def topup(ctx: Context, args: argparse.Namespace) -> int:
    scope = scope_from_args(args)
    amount = parse_amount_arg(args.amount)
    # Validate the date before the wallet exists or changes; the zone comes from its settings.
    expires_text = args.expires
    if expires_text is not None:
        parse_when(expires_text, local_zone(None), end_of_day=True)
    with ctx.wallet() as w:
        expires = None
        if expires_text is not None:
            zone = local_zone(_setting(w, "timezone"))
            expires = parse_when(expires_text, zone, end_of_day=True)
            if expires <= datetime.now(zone):
                raise CliError(_("the expiry date {day} is already past").format(day=expires_text))
        require_pin(ctx, w, args, "top up an envelope")
        w.topup(scope, amount, expires_at=expires, note=args.note)
    until = _(", expires at the end of {day}").format(day=expires_text) if expires_text else ""
    ctx.print(_("Topped up {scope} with {amount}{until}.").format(scope=scope, amount=amount, until=until))
    return 0


def transfer(ctx: Context, args: argparse.Namespace) -> int:
    src, dst = parse_scope(args.src), parse_scope(args.dst)
    if str(src) == str(dst):
        raise CliError(_("--from and --to are the same envelope"))
    amount = parse_amount_arg(args.amount)
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "move money between envelopes")
        w.transfer(src, dst, amount)
    ctx.print(_("Moved {amount} from {src} to {dst}.").format(amount=amount, src=src, dst=dst))
    return 0


def _setting(w: Any, name: str) -> Any:
    try:
        return w.get_setting(name)
    except Exception:  # an older wallet without that setting: the default applies
        return None


# ---------------------------------------------------------------------------------------- status


def status_dict(s: Any, zone: tzinfo, money: Shown | None = None) -> dict[str, Any]:
    """One envelope's status for ``--json``; times in the wallet's zone, amounts in its unit (the
    ``display`` texts in the display currency)."""
    e = s.envelope
    d = envelope_dict(e)
    d["display"]["amount"] = fmt_amount(e.unit, e.amount, money)
    d.update(
        {
            "period_start": s.period_start.astimezone(zone).isoformat() if s.period_start else None,
            "period_end": s.period_end.astimezone(zone).isoformat() if s.period_end else None,
        }
    )
    fields = ("carried", "assigned", "topups", "spent", "held", "available", "projected")
    for f in fields:
        d[f] = getattr(s, f)
        d["display"][f] = fmt_amount(e.unit, getattr(s, f), money)
    d["used_pct"] = s.used_pct
    return d


def _period_text(s: Any, zone: tzinfo) -> str:
    """``month Nov 01–Nov 30`` in the wallet's time zone (the wallet hands out UTC times)."""
    e = s.envelope
    if e.period == "none" or s.period_end is None:
        return _("prepaid")
    start, end = s.period_start.astimezone(zone), s.period_end.astimezone(zone)
    last = end.date() if end.time() != end.time().min else (end - _ONE_DAY).date()
    period = word(PERIOD_WORDS, e.period)
    if e.period == "day":
        return _("{period} {day}").format(period=period, day=short_day(start))
    return _("{period} {start}–{end}").format(period=period, start=short_day(start), end=short_day(last))


def status(ctx: Context, args: argparse.Namespace) -> int:
    profile = args.profile
    if not args.json:  # first: it is what there is to say while a shared wallet is out of reach
        from tokenwallet.commands.offline_status import offline_line

        offline = offline_line(ctx.wallet_path)
        if offline:
            ctx.print(offline)
    with ctx.wallet() as w:
        if profile:
            w.profile(profile)  # NotFound → one line, before printing anything
        statuses = w.status(profile=profile) if profile else w.status()
        paused = bool(_setting(w, "paused"))
        zone = local_zone(_setting(w, "timezone"))
        recent = [] if args.json else w.sessions(profile=profile, limit=STATUS_SESSIONS)
        subs = [] if args.json else plans.reports(w, profile)
        money = fx.shown(w)
    if args.json:
        ctx.json([status_dict(s, zone, money) for s in statuses])
        return 0
    if paused:
        ctx.print(_("Metering is PAUSED: the proxy refuses every call until you resume it."))
    if not statuses:
        ctx.print(_("No budgets yet. Set one with: tokenwallet budget set --wallet 20 --period month"))
    else:
        _print_statuses(ctx, statuses, zone, money)
    if subs:
        plans.status_block(ctx, subs, zone)
    if recent:
        from tokenwallet.commands.sessions import summary_line

        ctx.print()
        ctx.print(_("Sessions (tokenwallet sessions for more):"))
        states = (_("running"), _("ended"))
        width = max(display_width(x) for x in states)
        for s in recent:
            ctx.print(f"  {pad(states[0] if s.ended_at is None else states[1], width)}  {summary_line(s)}")
    return 0


def _print_statuses(ctx: Context, statuses: list[Any], zone: tzinfo, money: Shown | None = None) -> None:
    rows = []
    for s in statuses:
        e = s.envelope
        budget = s.carried + s.assigned + s.topups
        used = f"{s.used_pct:.0f} %" if s.used_pct is not None else "—"
        rows.append(
            [
                str(e.scope),
                _period_text(s, zone),
                word(ACTION_WORDS, e.action),
                fmt_amount(e.unit, budget, money),
                fmt_amount(e.unit, s.spent, money),
                fmt_amount(e.unit, s.held, money),
                fmt_amount(e.unit, s.available, money),
                used,
                fmt_amount(e.unit, s.projected, money) if e.period != "none" else "—",
            ]
        )
    headers = [
        _("envelope"),
        _("period"),
        _("action"),
        _("budget"),
        _("spent"),
        _("held"),
        _("available"),
        _("used"),
        _("projected"),
    ]
    ctx.print(table(rows, headers, right={3, 4, 5, 6, 7, 8}))
