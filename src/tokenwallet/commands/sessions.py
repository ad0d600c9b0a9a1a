"""``tokenwallet sessions``: agent sessions with their calls, tokens, cost, duration and burn rate.

The one-line summary here is also what ``tokenwallet run`` prints at exit and what ``status``
shows for the latest sessions, so the three always agree with each other and with the ledger.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.common import CliError, Context, check_name, local_zone
from tokenwallet.commands.i18n import N_, _, moment, ngettext, number
from tokenwallet.wallet.sessions import duration_text

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.wallet.sessions import SessionSummary


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "sessions",
        help=_("agent sessions (tokenwallet run …): calls, tokens, cost, burn rate"),
        parents=[common],
    )
    p.add_argument("--profile", metavar="NAME", help=_("only this profile's sessions"))
    p.add_argument("--limit", type=int, default=20, help=_("at most this many, newest first (default 20)"))
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    p.set_defaults(handler=sessions)


def who(s: SessionSummary) -> str:
    return s.profile + (f"/{s.project}" if s.project else "")


def tokens_text(s: SessionSummary) -> str:
    u = s.usage
    cached = u.cache_read_tokens + u.cache_write_tokens + u.cache_write_1h_tokens
    extra = _(" (+{cached} cached)").format(cached=number(cached)) if cached else ""
    return _("{input} in{extra} / {output} out").format(
        input=number(u.input_tokens), extra=extra, output=number(u.output_tokens)
    )


def summary_line(s: SessionSummary) -> str:
    """``s-1a2b… (alice): 3 calls, 1,234 in / 56 out tokens, $0.0123, 1m 05s, $0.01/min``."""
    from tokenwallet.core.money import format_usd

    calls = ngettext("{n} call", "{n} calls", s.calls).format(n=number(s.calls))
    burn = _(", {money}/min").format(money=format_usd(s.burn_nano_per_min)) if s.burn_nano_per_min else ""
    return _("{id} ({who}): {calls}, {tokens} tokens, {cost}, {time}{burn}").format(
        id=s.id,
        who=who(s),
        calls=calls,
        tokens=tokens_text(s),
        cost=format_usd(s.cost_nano),
        time=duration_text(s.duration_s),
        burn=burn,
    )


def session_dict(s: SessionSummary, zone: Any) -> dict[str, Any]:
    return {
        "id": s.id,
        "profile": s.profile,
        "project": s.project,
        "source": s.source,
        "label": s.label,
        "started_at": s.started_at.astimezone(zone).isoformat(),
        "ended_at": s.ended_at.astimezone(zone).isoformat() if s.ended_at else None,
        "running": s.ended_at is None,
        "calls": s.calls,
        "usage": s.usage.to_dict(),
        "cost_nano": s.cost_nano,
        "duration_s": round(s.duration_s, 3),
        "burn_nano_per_min": s.burn_nano_per_min,
    }


def rows(summaries: list[SessionSummary], zone: Any) -> list[list[str]]:
    from tokenwallet.core.money import format_usd

    out = []
    for s in summaries:
        out.append(
            [
                s.id,
                moment(s.started_at.astimezone(zone)),
                who(s),
                _("running") if s.ended_at is None else _("ended"),
                number(s.calls),
                number(s.usage.total_tokens),
                format_usd(s.cost_nano),
                duration_text(s.duration_s),
                _("{money}/min").format(money=format_usd(s.burn_nano_per_min)) if s.burn_nano_per_min else "",
                s.label[:40],
            ]
        )
    return out


HEADERS = (
    N_("session"),
    N_("started"),
    N_("who"),
    N_("state"),
    N_("calls"),
    N_("tokens"),
    N_("cost"),
    N_("time"),
    N_("burn"),
    N_("command"),
)
RIGHT = {4, 5, 6, 7, 8}


def sessions(ctx: Context, args: argparse.Namespace) -> int:
    if args.limit <= 0:
        raise CliError(_("--limit must be more than zero"))
    profile = check_name(args.profile, "profile") if args.profile else None
    with ctx.wallet() as w:
        if profile:
            w.profile(profile)  # NotFound → one line
        found = w.sessions(profile=profile, limit=args.limit)
        zone = zone_of(w)
    ctx.listing(
        args.json,
        [session_dict(s, zone) for s in found],
        empty=_("No sessions yet. Start one with: tokenwallet run -- COMMAND …"),
        headers=[_(h) for h in HEADERS],
        cells=lambda d: rows([_by_id(found, d["id"])], zone)[0],
        right=RIGHT,
    )
    return 0


def _by_id(found: list[SessionSummary], sid: str) -> SessionSummary:
    return next(s for s in found if s.id == sid)


def zone_of(w: Any) -> Any:
    try:
        return local_zone(w.get_setting("timezone"))
    except (KeyError, LookupError):
        return local_zone(None)
