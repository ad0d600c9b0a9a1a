"""``tokenwallet history``: the usage ledger, as a table, JSON or CSV.

Exports carry what a call cost and used, never provider keys, and prompts only with ``--prompts``
(prompts are stored only when the user opted in to it).
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tokenwallet import paths
from tokenwallet.commands.columns import table
from tokenwallet.commands.common import CliError, Context, check_name, local_zone, parse_when
from tokenwallet.commands.i18n import N_, _, ngettext, number
from tokenwallet.core import modality, private
from tokenwallet.core.energy import ENERGY_FIELDS
from tokenwallet.core.usage import MEDIA_FIELDS
from tokenwallet.pricing import fx
from tokenwallet.pricing.fx import native_cost

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers

PAGE = 5000  # ledger rows per query when streaming an export
FIELDS = (
    "id",
    "at",
    "profile",
    "project",
    "provider",
    "model",
    "requested_model",
    "endpoint",
    "status",
    "stream",
    "input_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cost_nano",
    "cost_usd",
    "price_source",
    "estimated",
    "unpriced",
    "duration_ms",
    "error",
    "flags",
    "session",
    "source",
    "response_id",
    "price_currency",
    "cost_in_currency",
    "usd_rate",
    *ENERGY_FIELDS,
    # issue 12: the non-text parts of the token counts above, and what else the call used
    *MEDIA_FIELDS,
    "media",
)
FILL_ON_READ = 2000  # calls whose energy `history` computes before it shows (~1 ms each)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", metavar="NAME", help=_("only this profile's calls"))
    p.add_argument("--project", metavar="NAME", help=_("only calls charged to this project"))
    p.add_argument("--provider", metavar="NAME", help=_("only this provider's calls"))
    p.add_argument("--model", metavar="MODEL", help=_("only calls to this model"))
    p.add_argument(
        "--session", metavar="ID", help=_("one agent session's calls (see 'tokenwallet sessions')")
    )
    p.add_argument("--since", metavar="DATE", help=_("from this day (YYYY-MM-DD, your time zone), inclusive"))
    p.add_argument("--until", metavar="DATE", help=_("up to and including this day"))
    p.add_argument("--prompts", action="store_true", help=_("include stored prompts (only if you opted in)"))


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "history", help=_("the usage ledger: one row per call, newest first"), parents=[common]
    )
    _filters(p)
    p.add_argument("--limit", type=int, default=50, help=_("at most this many rows (default 50; 0 = all)"))
    p.add_argument("--offset", type=int, default=0, help=_("skip this many rows first"))
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    fmt.add_argument("--csv", action="store_true", help=_("print CSV (every column) instead of the table"))
    p.set_defaults(handler=history)

    e = sub.add_parser(
        "export", help=_("every call matching the filters, as CSV (or --json)"), parents=[common]
    )
    _filters(e)
    e.add_argument("--json", action="store_true", help=_("a JSON array instead of CSV"))
    e.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE (default: stdout)"))
    e.set_defaults(handler=export)


def row_dict(r: Any, zone: Any, *, prompts: bool) -> dict[str, Any]:
    u, e = r.usage, r.energy
    d: dict[str, Any] = {
        "id": r.id,
        "call_id": r.call_id,
        "at": r.at.astimezone(zone).isoformat(),
        "profile": r.profile,
        "project": r.project,
        "provider": r.provider,
        "model": r.model,
        "requested_model": r.requested_model,
        "endpoint": r.endpoint,
        "status": r.status,
        "stream": r.stream,
        # field by field: dataclasses.asdict deep-copies and would dominate a million-row export
        "input_tokens": u.input_tokens,
        "cache_read_tokens": u.cache_read_tokens,
        "cache_write_tokens": u.cache_write_tokens,
        "cache_write_1h_tokens": u.cache_write_1h_tokens,
        "output_tokens": u.output_tokens,
        "reasoning_tokens": u.reasoning_tokens,
        "cost_nano": r.cost_nano,
        "cost_usd": _usd_text(r.cost_nano),
        "price_source": r.price_source,
        "estimated": r.estimated,
        "unpriced": r.unpriced,
        "duration_ms": r.duration_ms,
        "error": r.error,
        "flags": r.flags,  # invalid_usage, over_cap, no_usage: usage not taken at its word
        "session": r.session,
        "source": r.source,  # meter, or imported:<tool> (tokenwallet import)
        "response_id": r.response_id,  # the provider's answer id, when known
        # a call priced in yuan: its exact original amount and the CNY-per-USD rate it was booked at
        "price_currency": "USD",
        "cost_in_currency": _usd_text(r.cost_nano),
        "usd_rate": None,
        # energy and CO₂ (µWh, µg CO₂eq; tokenwallet energy): None until computed or when unknown
        "energy_uwh_min": e.wh_min_micro if e else None,
        "energy_uwh_max": e.wh_max_micro if e else None,
        "gco2_ug_min": e.gco2_min_micro if e else None,
        "gco2_ug_max": e.gco2_max_micro if e else None,
        "energy_method": e.method if e else None,
        "energy_zone": e.zone if e else None,
        "input_audio_tokens": u.input_audio_tokens,
        "output_audio_tokens": u.output_audio_tokens,
        "input_image_tokens": u.input_image_tokens,
        "input_video_tokens": u.input_video_tokens,
        "cache_audio_read_tokens": u.cache_audio_read_tokens,
        "output_image_tokens": u.output_image_tokens,
        "media": modality.describe(u, r.units),  # "12 s video 1280x720", "340 audio tokens in"
    }
    native = native_cost(r.price_json, u, r.cost_nano)
    if native is not None:
        d["price_currency"] = native.currency
        d["cost_in_currency"] = _plain(native.amount)
        d["usd_rate"] = _plain(native.usd_rate)
    if prompts:
        d["prompt_text"] = r.prompt_text
    return d


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _usd_text(nano: int) -> str:
    """Exact USD text of nano-USD (``"0.00576"``) by integer arithmetic: no Decimal per row."""
    sign = "-" if nano < 0 else ""
    whole, frac = divmod(abs(nano), 10**9)
    return f"{sign}{whole}.{frac:09d}".rstrip("0").rstrip(".") if frac else f"{sign}{whole}"


def _filter(args: argparse.Namespace, zone: Any, *, frozen: bool) -> Any:
    from tokenwallet.wallet import HistoryFilter

    until = parse_when(args.until, zone, end_of_day=True) if args.until else None
    if frozen and until is None:
        # Pages of a long export must not shift while the proxy records new calls.
        until = datetime.now(UTC) + timedelta(microseconds=1)
    return HistoryFilter(
        since=parse_when(args.since, zone) if args.since else None,
        until=until,
        profile=check_name(args.profile, "profile") if args.profile else None,
        project=check_name(args.project, "project") if args.project else None,
        provider=check_name(args.provider, "provider") if args.provider else None,
        model=args.model,
        session=args.session,
    )


def _validate(args: argparse.Namespace) -> None:
    """Everything the user typed, before the wallet is opened."""
    for k in ("profile", "project", "provider"):
        if getattr(args, k):
            check_name(getattr(args, k), k)
    probe = local_zone(None)
    for text in (args.since, args.until):
        if text:
            parse_when(text, probe)


def _zone(w: Any) -> Any:
    try:
        return local_zone(w.get_setting("timezone"))
    except (KeyError, LookupError):
        return local_zone(None)


def _rows(w: Any, f: Any, zone: Any, *, prompts: bool, limit: int, offset: int) -> Iterator[dict[str, Any]]:
    """Ledger rows as dicts, newest first, fetched a page at a time.

    Pages after the first are found by time (keyset paging: ``until`` = the last row's time),
    not by OFFSET, which SQLite would answer by walking every skipped row — an export of a
    million rows would take minutes. Rows sharing the boundary timestamp are told apart by id.
    """
    remaining = limit
    seen: set[int] = set()  # ids already yielded that carry the current boundary timestamp
    page_filter = f
    while remaining > 0:
        want = min(PAGE, remaining)
        page = w.history(page_filter, limit=want + len(seen), offset=offset)
        offset = 0
        fresh = [r for r in page if r.id not in seen]
        for r in fresh[:remaining]:
            yield row_dict(r, zone, prompts=prompts)
        remaining -= min(len(fresh), remaining)
        if len(page) < want + len(seen) or not fresh:
            return
        boundary = page[-1].at
        # Rows at the boundary time that were already yielded sort first in the next page (same
        # time, higher id), so the next page always holds all of them: this set is complete.
        seen = {r.id for r in page if r.at == boundary}
        page_filter = replace(f, until=boundary + timedelta(microseconds=1))


def history(ctx: Context, args: argparse.Namespace) -> int:
    if args.limit < 0 or args.offset < 0:
        raise CliError(_("--limit and --offset must not be negative"))
    _validate(args)
    with ctx.wallet() as w:
        zone = _zone(w)
        f = _filter(args, zone, frozen=args.limit == 0)
        w.fill_energy(limit=FILL_ON_READ)
        total = w.history_count(f)
        limit = args.limit or max(total - args.offset, 0)
        rows = _rows(w, f, zone, prompts=args.prompts, limit=limit, offset=args.offset)
        if args.json or args.csv:
            _write(ctx.out, rows, as_json=args.json, prompts=args.prompts)
            return 0
        listed = list(rows)
        money = fx.shown(w)
    if not listed:
        ctx.print(
            _("No calls recorded with these filters.") if _filtered(args) else _("No calls recorded yet.")
        )
    else:
        _print(ctx, listed, total, args.offset, money)
    return 0


def export(ctx: Context, args: argparse.Namespace) -> int:
    _validate(args)
    target = Path(args.output) if args.output else None
    if target is not None and not target.parent.is_dir():
        raise CliError(_("no such directory: {path}").format(path=target.parent))
    if target is not None and paths.is_wallet_file(target, ctx.data_dir):
        raise CliError(
            _("{path} is the wallet's own file: write the export somewhere else").format(path=target)
        )
    with ctx.wallet() as w:
        zone = _zone(w)
        f = _filter(args, zone, frozen=True)
        rows = _rows(w, f, zone, prompts=args.prompts, limit=w.history_count(f), offset=0)
        if target is None:
            count = _write(ctx.out, rows, as_json=args.json, prompts=args.prompts)
        else:
            # Written beside the target and renamed into place: a failed export leaves no half file.
            tmp = target.with_name(f".{target.name}.tmp")
            try:
                with private.open_text(tmp, newline="") as fh:  # owner-only, like the wallet
                    count = _write(fh, rows, as_json=args.json, prompts=args.prompts)
                tmp.replace(target)
            finally:
                tmp.unlink(missing_ok=True)
    if target is not None:
        ctx.note(
            ngettext("Exported {n} call to {path}.", "Exported {n} calls to {path}.", count).format(
                n=count, path=target
            )
        )
    return 0


def _write(out: TextIO, rows: Iterator[dict[str, Any]], *, as_json: bool, prompts: bool) -> int:
    """Stream rows as a JSON array or CSV; returns how many were written."""
    count = 0
    if as_json:
        out.write("[")
        for row in rows:
            out.write(("," if count else "") + "\n  " + json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
        return count
    headers = [*FIELDS, "prompt_text"] if prompts else list(FIELDS)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [_CSV.get(v, v) if v is None or v is True or v is False else v for v in map(row.get, headers)]
        )
        count += 1
    return count


def _filtered(args: argparse.Namespace) -> bool:
    return any(
        getattr(args, k) for k in ("profile", "project", "provider", "model", "session", "since", "until")
    )


def _energy_cell(r: dict[str, Any], range_text: Any) -> str:
    if r["energy_uwh_min"] is None:
        return ""
    text = str(range_text(r["energy_uwh_min"], r["energy_uwh_max"]))
    return text if r["energy_method"] == "ecologits" else f"~{text}"  # ~: an estimate


_CSV: dict[Any, str] = {None: "", True: "true", False: "false"}  # how CSV spells the non-strings


def _print(ctx: Context, rows: list[dict[str, Any]], total: int, offset: int, money: fx.Shown) -> None:
    from tokenwallet.core.energy_text import range_text
    from tokenwallet.core.money import format_exact

    out = []
    for r in rows:
        flags = " ".join(
            _(f) for f, on in ((N_("estimated"), r["estimated"]), (N_("unpriced"), r["unpriced"])) if on
        )
        if r["flags"]:
            flags = (flags + " " + r["flags"].replace(",", " ")).strip()
        if r["status"] and r["status"] >= 400:
            flags = (flags + f" HTTP {r['status']}").strip()
        cached = r["cache_read_tokens"] + r["cache_write_tokens"] + r["cache_write_1h_tokens"]
        out.append(
            [
                r["at"][:19].replace("T", " "),
                r["profile"] + (f"/{r['project']}" if r["project"] else ""),
                f"{r['provider']}/{r['model']}",
                number(r["input_tokens"]),
                number(cached) if cached else "",
                number(r["output_tokens"]),
                format_exact(Decimal(r["cost_in_currency"]), money.currency)
                if r["price_currency"] == money.currency != "USD"
                else money.money(r["cost_nano"]),
                _energy_cell(r, range_text),
                flags,
            ]
        )
    heads = [
        _("time"),
        _("who"),
        _("model"),
        _("input"),
        _("cached"),
        _("output"),
        _("cost"),
        _("energy"),
        "",
    ]
    media = any(r["media"] for r in rows)
    if media:  # a column only when some call used more than text
        heads.insert(6, _("media"))
        for line, r in zip(out, rows, strict=True):
            line.insert(6, r["media"])
    ctx.print(table(out, heads, right={3, 4, 5, 7, 8} if media else {3, 4, 5, 6, 7}))
    shown_to = offset + len(rows)
    if total > shown_to or offset:
        ctx.print(
            _("rows {first}–{last} of {total} (use --limit / --offset, or --csv for all)").format(
                first=number(offset + 1), last=number(shown_to), total=number(total)
            )
        )
