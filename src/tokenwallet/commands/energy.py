"""``tokenwallet energy``: energy and CO₂ of a month's calls, by model, with tokens per Wh.

Energy is computed after the fact (``wallet/energy.py``); this command first brings the ledger up
to date — a few seconds after a large import, a millisecond a call.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.common import CliError, Context, check_name, local_zone
from tokenwallet.commands.i18n import N_, _, number

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.wallet.energy import EnergyTotal

METHOD_NOTE = N_(
    "ecologits: its model data; estimate: an unknown model by its capability tier, or a local "
    "model by your gpu_watts setting × duration"
)


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "energy", help=_("energy and CO₂ of your calls (ecologits): totals, by model, tokens per Wh"),
        parents=[common],
    )  # fmt: skip
    p.add_argument("--month", metavar="YYYY-MM", help=_("this calendar month (default: the current one)"))
    p.add_argument("--profile", metavar="NAME", help=_("only this profile's calls"))
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    p.set_defaults(handler=energy)


def _month(text: str | None, tz: Any, now: datetime) -> tuple[datetime, datetime, str]:
    from tokenwallet.core.periods import period_bounds

    if text is None:
        start, end = period_bounds("month", now, tz)
    else:
        try:
            year, month = (int(x) for x in text.split("-"))
            start, end = period_bounds("month", datetime(year, month, 15, tzinfo=tz), tz)
        except ValueError:
            raise CliError(
                _("--month: {text} is not a month (YYYY-MM, e.g. 2026-03)").format(text=repr(text))
            ) from None
    return start, end, start.astimezone(tz).strftime("%Y-%m")


def total_dict(t: EnergyTotal) -> dict[str, Any]:
    tpw = t.tokens_per_wh
    return {
        "calls": t.calls,
        "estimated_calls": t.estimated_calls,
        "output_tokens": t.output_tokens,
        "energy_uwh_min": t.uwh_min,
        "energy_uwh_max": t.uwh_max,
        "gco2_ug_min": t.ug_min,
        "gco2_ug_max": t.ug_max,
        "tokens_per_wh": None if tpw is None else round(tpw, 1),
    }


def energy(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.core.energy_text import co2_text, ev_km_text, range_text

    profile = check_name(args.profile, "profile") if args.profile else None
    with ctx.wallet() as w:
        try:
            tz = local_zone(w.get_setting("timezone"))
        except (KeyError, LookupError):
            tz = local_zone(None)
        start, end, label = _month(args.month, tz, datetime.now(UTC))
        if profile:
            w.profile(profile)  # NotFound → one line
        pending = w.energy_pending()
        if pending > 1000 and not args.json:
            ctx.note(_("Computing energy for {n} calls first…").format(n=number(pending)))
        w.fill_energy()
        zone = w.energy_zone()
        everything = w.energy_totals(since=start, until=end, profile=profile)
        by_model = w.energy_totals(since=start, until=end, profile=profile, by="model")
    total = everything[0] if everything else None
    if args.json:
        ctx.json(
            {
                "month": label,
                "profile": profile,
                "zone": zone,
                "total": total_dict(total) if total else None,
                "by_model": [{"model": t.key, **total_dict(t)} for t in by_model],
            }
        )
        return 0
    if total is None:
        if profile:
            ctx.print(
                _("No calls with an energy figure in {month} for {profile}.").format(
                    month=label, profile=profile
                )
            )
        else:
            ctx.print(_("No calls with an energy figure in {month}.").format(month=label))
        return 0
    mid = (total.uwh_min + total.uwh_max) / 2
    estimated = _(", {n} estimated").format(n=number(total.estimated_calls)) if total.estimated_calls else ""
    summary = _(
        "{month}{who}: {energy} ({ev}), {co2} CO₂e in the {zone} electricity mix; {calls} calls{estimated}"
    )
    ctx.print(
        summary.format(
            month=label,
            who=f" ({profile})" if profile else "",
            energy=range_text(total.uwh_min, total.uwh_max),
            ev=ev_km_text(mid),
            co2=range_text(total.ug_min, total.ug_max, co2_text),
            zone=zone,
            calls=number(total.calls),
            estimated=estimated,
        )
    )
    from tokenwallet.commands.columns import table

    rows = []
    for t in by_model:
        tpw = t.tokens_per_wh
        rows.append(
            [
                t.key or "",
                number(t.calls),
                number(t.output_tokens),
                range_text(t.uwh_min, t.uwh_max),
                range_text(t.ug_min, t.ug_max, co2_text),
                f"{tpw:,.0f}" if tpw is not None else "",
                _("estimate") if t.estimated_calls else "ecologits",
            ]
        )
    ctx.print()
    heads = [_("model"), _("calls"), _("output"), _("energy"), "CO₂e", _("tokens/Wh"), _("method")]
    ctx.print(table(rows, heads, right={1, 2, 5}))
    ctx.print()
    footer = _("Method — {note}. Zone: tokenwallet settings set energy_zone FRA (or auto).")
    ctx.print(footer.format(note=_(METHOD_NOTE)))
    return 0
