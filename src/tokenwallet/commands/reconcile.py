"""``tokenwallet reconcile``: the provider's own figures against the wallet's, per UTC day and model.

Opt-in: a provider is asked only when its read-only admin key is in the keychain
(``tokenwallet key set openai-admin`` …). ``--csv FILE`` reads a console export instead of asking
the API. Nothing is written to the wallet.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.columns import table
from tokenwallet.commands.common import CliError, Context
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.reconcile import Reconciliation

PROVIDERS = ("openai", "anthropic", "openrouter")


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "reconcile",
        help=_("compare the provider's reported spend with the wallet's, per day and model"),
        parents=[common],
    )
    p.add_argument(
        "--provider", choices=PROVIDERS, help=_("only this provider (default: every one with an admin key)")
    )
    p.add_argument("--month", metavar="YYYY-MM", help=_("the month to compare (UTC; default: this month)"))
    p.add_argument(
        "--csv", metavar="FILE", help=_("read the provider's usage/cost CSV export instead of its API")
    )
    p.add_argument(
        "--base-url", metavar="URL", help=_("the provider's admin API (default: the reconcile_*_url setting)")
    )
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    p.set_defaults(handler=reconcile)


def reconcile(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet import reconcile as rc
    from tokenwallet.secrets import MemoryKeyStore, default_keystore

    if args.csv and not args.provider:
        raise CliError(_("--csv needs --provider (whose export is it?)"))
    if args.base_url and not args.provider:
        raise CliError(_("--base-url needs --provider"))
    with ctx.wallet() as w:
        now = _now(w)
        if args.csv:
            chosen = [args.provider]
            keys = None
        else:
            keys = default_keystore()
            chosen = [args.provider] if args.provider else [
                p for p in PROVIDERS if keys.get(rc.admin_key_name(p)) is not None
            ]  # fmt: skip
            if not chosen:
                raise CliError(
                    _(
                        "no provider admin keys stored: reconcile is opt-in; store a read-only "
                        "admin key with 'tokenwallet key set openai-admin' (or "
                        "anthropic-admin, openrouter-admin), or use --csv"
                    )
                )
        timeout = float(w.get_setting("reconcile_timeout_s"))
        results: list[Reconciliation] = []
        for provider in chosen:
            url = args.base_url or str(w.get_setting(f"reconcile_{provider}_url"))
            opts = rc.FetchOptions(url, timeout)
            csv_path = Path(args.csv) if args.csv else None
            store = keys or MemoryKeyStore()  # a CSV needs no key
            results.append(
                rc.run_one(w.path, provider, args.month, keys=store, opts=opts, now=now, csv_path=csv_path)
            )
    if args.json:
        data = [rc.as_dict(r) for r in results]
        ctx.json(data[0] if args.provider else data)
        return 0
    for i, rec in enumerate(results):
        if i:
            ctx.print()
        _print(ctx, rec)
    return 0


def _now(w: Any) -> datetime:
    clock = getattr(w, "_clock", None)  # Wallet.open(clock=...) replays time in tests
    now = clock() if callable(clock) else datetime.now(UTC)
    return now.astimezone(UTC)


def _print(ctx: Context, rec: Reconciliation) -> None:
    from tokenwallet.reconcile import usd_short as usd_text

    ctx.print(rec.summary(usd_text))
    if rec.rows:
        rows = [
            [
                r.day.isoformat(), r.model, usd_text(r.provider_nano), usd_text(r.metered_nano),
                usd_text(r.imported_nano), usd_text(r.difference_nano, signed=True), "; ".join(r.causes),
            ]
            for r in rec.rows
        ]  # fmt: skip
        ctx.print(
            table(
                rows,
                [
                    _("day"),
                    _("model"),
                    _("provider"),
                    _("metered"),
                    _("imported"),
                    _("difference"),
                    _("likely cause"),
                ],
                right={2, 3, 4, 5},
            )
        )
    if rec.totals:
        rows = [
            [
                t.label, usd_text(t.provider_nano), usd_text(t.metered_nano), usd_text(t.imported_nano),
                usd_text(t.difference_nano, signed=True), "; ".join(t.causes),
            ]
            for t in rec.totals
        ]  # fmt: skip
        ctx.print(
            table(
                rows,
                [_("period"), _("provider"), _("metered"), _("imported"), _("difference"), _("likely cause")],
                right={1, 2, 3, 4},
            )
        )
    if not rec.rows and not rec.totals:
        ctx.print(_("nothing reported by the provider and nothing in the wallet for this period"))
    for note in rec.notes:
        ctx.print(_("note: {note}").format(note=note))
