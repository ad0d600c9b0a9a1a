"""``tokenwallet devices``: the meters sharing this wallet, what each spends now and today.

Each data folder is a device (``wallet.devices``); ``serve`` and the app register theirs when they
start and refresh "last seen" every half minute. ``rename`` and ``forget`` take a device's name or
the start of its id, as the listing prints it.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.common import Context
from tokenwallet.commands.i18n import N_, _
from tokenwallet.commands.sessions import zone_of

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.wallet.devicebook import DeviceInfo

HEADERS = [N_("device"), N_("id"), N_("last seen"), N_("meter"), N_("in flight"), N_("holding"), N_("today")]
RIGHT = {4, 5}
# the words of wallet.devicebook.SEEN_WORDS, for the catalog
SEEN = (N_("just now"), N_("{n} min ago"), N_("{n} h ago"), N_("yesterday"), N_("{n} days ago"))
EMPTY = N_(
    "No device has registered yet: `tokenwallet serve` (or the app) registers this one when it"
    " starts metering."
)


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "devices",
        help=_("the meters sharing this wallet: last seen, calls in flight, today's spending"),
        parents=[common],
    )
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    p.set_defaults(handler=devices)
    dsub = p.add_subparsers(dest="action", metavar="ACTION")
    r = dsub.add_parser("rename", help=_("give a device a name of your choice"), parents=[common])
    r.add_argument("device", metavar="DEVICE", help=_("its current name, or the start of its id"))
    r.add_argument("name", metavar="NAME", help=_("the new name (1-64 characters)"))
    r.set_defaults(handler=rename)
    f = dsub.add_parser(
        "forget",
        help=_("remove a device that is gone for good (its calls stay in the history)"),
        parents=[common],
    )
    f.add_argument("device", metavar="DEVICE", help=_("its name, or the start of its id"))
    f.set_defaults(handler=forget)


def device_dict(d: DeviceInfo, zone: Any) -> dict[str, Any]:
    return {
        "id": d.id,
        "name": d.name,
        "this_device": d.this_device,
        "version": d.version,
        "serving": d.serving,
        "first_seen": d.first_seen.astimezone(zone).isoformat(),
        "last_seen": d.last_seen.astimezone(zone).isoformat(),
        "calls_in_flight": d.holds,
        "held_nano": d.held_nano,
        "calls_today": d.calls_today,
        "cost_today_nano": d.cost_today_nano,
    }


def cells(d: dict[str, Any], now: datetime) -> list[str]:
    from tokenwallet.core.money import format_usd
    from tokenwallet.wallet.devicebook import seen_text

    return [
        d["name"] + (_(" (this one)") if d["this_device"] else ""),
        d["id"][:8],
        seen_text(datetime.fromisoformat(d["last_seen"]), now, _),
        _("serving") if d["serving"] else _("stopped"),
        str(d["calls_in_flight"]),
        format_usd(d["held_nano"]),
        _("{calls} calls, {cost}").format(
            calls=f"{d['calls_today']:,}", cost=format_usd(d["cost_today_nano"])
        ),
    ]


def devices(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        found = w.devices()
        zone = zone_of(w)
    now = datetime.now(UTC)
    ctx.listing(
        args.json,
        [device_dict(d, zone) for d in found],
        empty=_(EMPTY),
        headers=[_(h) for h in HEADERS],
        cells=lambda d: cells(d, now),
        right=RIGHT,
    )
    return 0


def rename(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        w.rename_device(args.device, args.name)
    ctx.print(_("Renamed the device to {name!r}.").format(name=args.name.strip()))
    return 0


def forget(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        name = w.forget_device(args.device)
    ctx.print(_("Forgot the device {name!r}; its calls stay in the history.").format(name=name))
    return 0
