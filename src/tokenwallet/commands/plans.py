"""``tokenwallet plan set|show|remove|catalog``: subscription plans, and the block ``status`` shows."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.common import (
    CliError,
    Context,
    check_name,
    local_zone,
    parse_amount_arg,
    parse_when,
)
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.billing.plans import Plan
    from tokenwallet.billing.subscriptions import PlanReport, WindowReport
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.wallet import Wallet


def register(sub: SubParsers, common: Parser) -> None:
    from tokenwallet.billing.plans import WINDOW_STARTS  # the catalogue itself is read only when used

    p = sub.add_parser(
        "plan", help=_("subscription plans (Claude Pro/Max, ChatGPT Plus/Pro, custom)"), parents=[common]
    )
    ps = p.add_subparsers(dest="action", metavar="ACTION")
    s = ps.add_parser(
        "set", help=_("give a profile a plan (replaces its plan for the same tool)"), parents=[common]
    )
    s.add_argument("--profile", required=True, metavar="NAME", help=_("whose plan"))
    s.add_argument(
        "kind", metavar="PLAN", help=_("a plan from 'tokenwallet plan catalog' (claude-max-5x …) or custom")
    )
    s.add_argument("--tool", metavar="TOOL", help=_("whose imported logs are this plan's use (custom plans)"))
    s.add_argument(
        "--price", metavar="$X", help=_("price per month (needed for custom; overrides the catalogue)")
    )
    s.add_argument("--window", metavar="5h", help=_("session window length, e.g. 5h or 90m"))
    s.add_argument("--window-start", choices=WINDOW_STARTS, help=_("hour: rounded down to the hour (Claude)"))
    s.add_argument("--weekly", action=argparse.BooleanOptionalAction, default=None, help=_("a weekly window"))
    s.add_argument("--weekly-reset", metavar="WHEN", help=_("any weekly reset time, e.g. 2026-12-03T20:00"))
    s.add_argument(
        "--window-limit", metavar="AMOUNT", help=_("your limit for the session window ($ or tokens)")
    )
    s.add_argument("--weekly-limit", metavar="AMOUNT", help=_("your limit for the week ($ or tokens)"))
    s.set_defaults(handler=plan_set)

    sh = ps.add_parser("show", help=_("plans with their windows now and the month's value"), parents=[common])
    sh.add_argument("--profile", metavar="NAME", help=_("one profile (default: every profile)"))
    sh.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    sh.set_defaults(handler=plan_show)

    rm = ps.add_parser("remove", help=_("remove a profile's plan"), parents=[common])
    rm.add_argument("--profile", required=True, metavar="NAME", help=_("whose plan"))
    rm.add_argument("--tool", metavar="TOOL", help=_("only the plan for this tool (default: every plan)"))
    rm.set_defaults(handler=plan_remove)

    c = ps.add_parser(
        "catalog", help=_("the plans Token Wallet knows, with prices and sources"), parents=[common]
    )
    c.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    c.set_defaults(handler=plan_catalog)


# ------------------------------------------------------------------------------------------ set


def _build(args: argparse.Namespace, zone: tzinfo, profile: str) -> Plan:
    """The plan the arguments describe, checked completely before anything is written."""
    from tokenwallet.billing.plans import CUSTOM, Plan, PlanError, catalog, parse_window, plan_names
    from tokenwallet.core.windows import US_PER_HOUR

    if args.kind not in plan_names():
        raise CliError(
            _("no plan named {kind} (one of: {value})").format(
                kind=repr(args.kind), value=", ".join(plan_names())
            )
        )
    cat = catalog().plans.get(args.kind)
    if cat is None and not args.price:
        raise CliError(_("a custom plan needs its price: --price $X (per month)"))
    if cat is not None and args.tool and args.tool != cat.tool:
        raise CliError(
            _("{kind} is used through {tool}, not {tool2} (use 'custom' for other tools)").format(
                kind=args.kind, tool=cat.tool, tool2=args.tool
            )
        )
    tool = cat.tool if cat is not None else (args.tool or "claude-code")
    if not tool.replace("-", "").isalnum() or len(tool) > 32:
        raise CliError(
            _("not a tool name: {tool} (letters, digits and '-', as in imported:<tool>)").format(
                tool=repr(tool)
            )
        )
    price = parse_amount_arg(args.price) if args.price else None
    if price is not None and price.unit != "usd":
        raise CliError(_("a plan's price is money, not tokens: {price}").format(price=repr(args.price)))
    try:
        window_us = parse_window(args.window) if args.window else 0
    except PlanError as exc:
        raise CliError(str(exc)) from None
    if cat is not None and not args.window:
        window_us = cat.window_hours * US_PER_HOUR
    weekly = args.weekly if args.weekly is not None else (cat.weekly if cat is not None else False)
    if args.weekly_reset and not weekly:
        raise CliError(_("--weekly-reset needs a weekly window (--weekly)"))
    if args.weekly_limit and not weekly:
        raise CliError(_("--weekly-limit needs a weekly window (--weekly)"))
    if args.window_limit and not window_us:
        raise CliError(_("--window-limit needs a session window (--window 5h)"))
    anchor = None
    if args.weekly_reset:
        from tokenwallet.wallet.db import to_us

        anchor = to_us(parse_when(args.weekly_reset, zone))
    start = args.window_start or (cat.window_start if cat else ("hour" if tool == "claude-code" else "first"))
    return Plan(
        profile=profile,
        tool=tool,
        kind=args.kind if cat is not None else CUSTOM,
        price_nano=price.value if price is not None else (cat.price_nano if cat else 0),
        window_us=window_us,
        window_start=start,
        weekly=weekly,
        week_anchor_us=anchor,
        window_limit=parse_amount_arg(args.window_limit) if args.window_limit else None,
        week_limit=parse_amount_arg(args.weekly_limit) if args.weekly_limit else None,
    )


def plan_set(ctx: Context, args: argparse.Namespace) -> int:
    profile = check_name(args.profile, "profile")
    with ctx.wallet() as w:
        w.profile(profile)  # NotFound → one line, nothing written
        plan = _build(args, _zone(w), profile)
        w.set_plan(plan)
    ctx.print(
        _("{profile} now has {name} for {tool}: {value}/month").format(
            profile=profile, name=plan.name, tool=plan.tool, value=_money(plan.price_nano)
        )
    )
    return 0


# ----------------------------------------------------------------------------------------- show


def _zone(w: Wallet) -> tzinfo:
    return local_zone(str(w.get_setting("timezone") or ""))


def _money(nano: int) -> str:
    from tokenwallet.core.money import format_usd

    return format_usd(nano)


def reports(w: Wallet, profile: str | None, now: datetime | None = None) -> list[PlanReport]:
    from tokenwallet.billing.subscriptions import subscriptions

    if profile:
        w.profile(profile)
    return subscriptions(w, now=now or datetime.now(UTC), profile=profile)


def _iso(us: int | None, zone: tzinfo) -> str | None:
    from tokenwallet.wallet.db import from_us

    return None if us is None else from_us(us).astimezone(zone).isoformat()


def _window_dict(wr: WindowReport | None, zone: tzinfo) -> dict[str, Any] | None:
    if wr is None:
        return None
    w = wr.window
    return {
        "start": _iso(w.start_us, zone),
        "resets": _iso(w.reset_us, zone),
        "cost_nano": w.cost_nano,
        "tokens": w.tokens,
        "requests": w.calls,
        "cost_per_hour_nano": w.cost_per_hour,
        "tokens_per_hour": w.tokens_per_hour,
        "projected_cost_nano": w.projected_cost,
        "projected_tokens": w.projected_tokens,
        "limit": None if wr.limit is None else {"unit": wr.limit.unit, "amount": wr.limit.value},
        "limit_source": wr.limit_source or None,
        "used_pct": wr.used_pct,
        "exhausted_at": _iso(wr.exhausts_us, zone),
    }


def report_dict(r: PlanReport, zone: tzinfo) -> dict[str, Any]:
    p = r.plan
    cat = p.catalog
    return {
        "profile": p.profile,
        "plan": p.kind,
        "name": p.name,
        "tool": p.tool,
        "price_nano": p.price_nano,
        "window_minutes": p.window_us // 60_000_000 if p.window_us else None,
        "window_start": p.window_start,
        "weekly_reset": _iso(p.week_anchor_us, zone),
        "session": _window_dict(r.session, zone),
        "week": _window_dict(r.week, zone),
        "month": {
            "since": _iso(r.month_start_us, zone),
            "api_value_nano": r.month_value,
            "tokens": r.month_tokens,
            "requests": r.month_calls,
            "value_pct_of_price": r.value_ratio_pct,
        },
        "limits_published": cat.limits if cat else None,
        "sources": {"price": cat.price_source, "limits": cat.limits_source} if cat else None,
    }


def plan_show(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import plan_text as t

    with ctx.wallet() as w:
        found = reports(w, args.profile)
        zone = _zone(w)
    if args.json:
        ctx.json([report_dict(r, zone) for r in found])
        return 0
    if not found:
        ctx.print(
            _("No plans yet. Give a profile one with: tokenwallet plan set --profile NAME claude-max-5x")
        )
        return 0
    for i, r in enumerate(found):
        p = r.plan
        if i:
            ctx.print()
        ctx.print(f"{p.profile} · {p.name} ({p.source}) · {_money(p.price_nano)}/month")
        for wr in (r.session, r.week):
            if wr is None:
                continue
            ctx.print(f"  {t.window_name(wr, r)}: {t.used(wr, _money)} · {t.limit(wr, _money)}")
            ctx.print(f"    {t.reset(wr, r, zone)}")
            pace = t.pace(wr, r, _money, zone)
            if pace:
                ctx.print(f"    {pace}")
        ctx.print(f"  {t.value(r, _money)}.")
        if p.catalog:
            ctx.print(f"  Limits: {p.catalog.limits} ({p.catalog.limits_source})")
    return 0


def status_block(ctx: Context, found: list[PlanReport], zone: tzinfo) -> None:
    """The few lines ``tokenwallet status`` shows about subscriptions."""
    from tokenwallet.billing import plan_text as t
    from tokenwallet.commands.columns import table

    rows = []
    for r in found:
        cells = []
        for wr in (r.session, r.week):
            if wr is None:
                cells.append("—")
                continue
            pct = f" ({wr.used_pct} %)" if wr.used_pct is not None else ""
            when = wr.window.reset_us
            reset = (
                _(", resets {when}").format(when=t.clock(when, r.now_us, zone)) if when is not None else ""
            )
            cells.append(f"{_money(wr.window.cost_nano)}{pct}{reset}")
        rows.append(
            [r.plan.profile, r.plan.name, *cells, f"{_money(r.month_value)} / {_money(r.plan.price_nano)}"]
        )
    ctx.print()
    ctx.print(_("Subscriptions (API-priced use of imported logs; 'plan show' for details)"))
    heads = [_("profile"), _("plan"), _("session window"), _("week"), _("month: value / price")]
    ctx.print(table(rows, heads))


# --------------------------------------------------------------------------------- remove, catalog


def plan_remove(ctx: Context, args: argparse.Namespace) -> int:
    profile = check_name(args.profile, "profile")
    with ctx.wallet() as w:
        gone = w.remove_plan(profile, args.tool)
    for p in gone:
        ctx.print(
            _("Removed {plan} ({tool}) from {profile}").format(plan=p.name, tool=p.tool, profile=profile)
        )
    return 0


def plan_catalog(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing.plans import catalog

    cat = catalog()
    if args.json:
        ctx.json(
            {
                "as_of": cat.as_of,
                "plans": [
                    {"plan": c.key, "name": c.name, "tool": c.tool, "price_nano": c.price_nano,
                     "window_hours": c.window_hours, "window_start": c.window_start, "weekly": c.weekly,
                     "limits": c.limits, "price_source": c.price_source, "limits_source": c.limits_source,
                     "window_estimate_nano": c.window_estimate_nano,
                     "estimate_source": c.estimate_source or None, "estimate_url": c.estimate_url or None}
                    for c in cat.plans.values()
                ],
            }
        )  # fmt: skip
        return 0
    from tokenwallet.commands.columns import table

    rows = [
        [c.key, c.name, c.tool, _money(c.price_nano), f"{c.window_hours}h" + (" + week" if c.weekly else "")]
        for c in cat.plans.values()
    ]
    ctx.print(table(rows, [_("plan"), _("name"), _("tool"), _("per month"), _("windows")], right={3}))
    ctx.print(
        _("Checked {as_of}; sources: tokenwallet plan catalog --json. Neither Anthropic nor").format(
            as_of=cat.as_of
        )
    )
    ctx.print(_("OpenAI publishes token limits for these plans; 'plan set --window-limit' sets your own."))
    return 0
