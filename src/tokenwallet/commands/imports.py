"""``tokenwallet import TOOL``: usage that bypassed the meter, from coding agents' own logs (issue 11).

tokenwallet import claude-code [--path DIR] [--profile P] [--project-map DIR=PROJECT …]
tokenwallet import codex [--path DIR] [--charge-budgets]
tokenwallet import gemini-cli [--watch [--every SECONDS]] [--json]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.columns import display_width, pad
from tokenwallet.commands.common import CliError, Context, check_name
from tokenwallet.commands.i18n import _
from tokenwallet.core.money import format_usd

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.importers import Counts, ImportOptions
    from tokenwallet.wallet import Wallet

TOOL_NAMES = ("claude-code", "codex", "gemini-cli")
DEFAULT_EVERY_S = 10.0


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "import",
        help=_("import usage that bypassed the meter from Claude Code, Codex or Gemini CLI logs"),
        parents=[common],
    )
    p.add_argument("tool", choices=TOOL_NAMES, help=_("whose logs to read"))
    p.add_argument(
        "--path",
        metavar="DIR",
        action="append",
        default=[],
        help=_("a log directory or file (repeatable; default: the tool's own places)"),
    )
    p.add_argument(
        "--profile", metavar="NAME", help=_("profile to record under (default: setting import_profile)")
    )
    p.add_argument(
        "--project-map",
        metavar="DIR=PROJECT",
        action="append",
        default=[],
        help=_("requests made in DIR (or below) belong to PROJECT (repeatable)"),
    )
    p.add_argument(
        "--charge-budgets",
        action="store_true",
        help=_("charge the budgets' current periods too (default: imported usage charges no budget)"),
    )
    p.add_argument("--watch", action="store_true", help=_("keep importing new lines until Ctrl+C"))
    p.add_argument(
        "--every", metavar="SECONDS", type=float, default=DEFAULT_EVERY_S, help=_("--watch poll interval")
    )
    p.add_argument("--json", action="store_true", help=_("the summary as JSON"))
    p.set_defaults(handler=import_logs)


def _project_map(items: list[str]) -> tuple[tuple[Path, str], ...]:
    out = []
    for item in items:
        directory, sep, project = item.rpartition("=")
        if not sep or not directory or not project:
            raise CliError(_("--project-map: use DIR=PROJECT, not {item}").format(item=repr(item)))
        out.append((Path(directory).expanduser().absolute(), check_name(project, "project")))
    return tuple(out)


def _profile(w: Wallet, given: str | None) -> str:
    name = given or w.get_setting("import_profile")
    if name:
        return str(name)
    names = [p.name for p in w.profiles()]
    if len(names) == 1:
        return names[0]
    if not names:
        raise CliError(_("the wallet has no profile yet: add one (`tokenwallet profile add NAME`)"))
    raise CliError(
        _("which profile? use --profile (one of: {value}) or set import_profile").format(
            value=", ".join(names)
        )
    )


def import_logs(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.importers import Counts, ImportOptions, check_options, run_import

    if args.every <= 0:
        raise CliError(_("--every: a number of seconds above 0"))
    project_map = _project_map(args.project_map)
    roots = tuple(Path(p).expanduser() for p in args.path)
    for root in roots:
        if not root.exists():
            raise CliError(_("--path: no such file or directory: {root}").format(root=root))
    with ctx.wallet() as w:
        opts = ImportOptions(
            args.tool, _profile(w, args.profile), roots, project_map, charge_budgets=args.charge_budgets
        )
        check_options(w, opts)
        counts = run_import(w, opts)
        _report(ctx, opts, counts, as_json=args.json)
        if not args.watch:
            return 0
        total = Counts()
        total.add(counts)
        try:
            while True:
                time.sleep(args.every)
                counts = run_import(w, opts)
                total.add(counts)
                if counts.imported or counts.metered or counts.bad_lines or counts.problems:
                    _report(ctx, opts, counts, as_json=args.json, short=True)
        except KeyboardInterrupt:
            ctx.note(
                _("stopped watching: {imported} requests imported, {value}").format(
                    imported=format(total.imported, ","), value=format_usd(total.cost_nano)
                )
            )
    return 0


def summary(counts: Counts) -> dict[str, Any]:
    """The run's figures for ``--json`` and the app."""
    return {
        "files": counts.files,
        "files_unchanged": counts.files_unchanged,
        "files_unreadable": counts.files_unreadable,
        "bytes_read": counts.bytes_read,
        "lines_read": counts.lines,
        "requests_found": counts.requests,
        "requests_imported": counts.imported,
        "duplicates_skipped": counts.duplicates,
        "already_metered": counts.metered,
        "bad_lines": counts.bad_lines,
        "unknown_lines": counts.unknown,
        "left_for_next_run": counts.partial,
        "unpriced": counts.unpriced,
        "cost_nano": counts.cost_nano,
        "cost_usd": format_usd(counts.cost_nano, places=6, symbol=""),
        "seconds": round(counts.seconds, 3),
        "problems": counts.problems,
    }


def _report(ctx: Context, opts: ImportOptions, c: Counts, *, as_json: bool, short: bool = False) -> None:
    if as_json:
        ctx.json({"tool": opts.tool, "profile": opts.profile, **summary(c)})
        return
    mb = c.bytes_read / 1e6
    speed = f", {mb / c.seconds:,.0f} MB/s" if c.seconds > 0 and mb >= 1 else ""
    if short:
        ctx.print(
            _(
                "{value} {tool}: {imported} imported ({value2}), {duplicates} "
                "duplicates, {metered} already metered, {bad_lines} bad lines"
            ).format(
                value=time.strftime("%H:%M:%S"),
                tool=opts.tool,
                imported=format(c.imported, ","),
                value2=format_usd(c.cost_nano),
                duplicates=format(c.duplicates, ","),
                metered=format(c.metered, ","),
                bad_lines=format(c.bad_lines, ","),
            )
        )
        return
    ctx.print(
        _(
            "{tool} → profile {profile}: {files} files ({files_unchanged} "
            "unchanged), {lines} lines, {mb} MB in {seconds} s{speed}"
        ).format(
            tool=opts.tool,
            profile=opts.profile,
            files=format(c.files, ","),
            files_unchanged=format(c.files_unchanged, ","),
            lines=format(c.lines, ","),
            mb=format(mb, ",.1f"),
            seconds=format(c.seconds, ".2f"),
            speed=speed,
        )
    )
    rows = [
        (_("requests imported"), f"{c.imported:,}", format_usd(c.cost_nano)),
        (_("duplicates skipped"), f"{c.duplicates:,}", _("streamed snapshots, replays, imported before")),
        (_("already metered"), f"{c.metered:,}", _("went through the meter: not counted twice")),
        (_("bad lines"), f"{c.bad_lines:,}", _("not JSON, or counts that are not believable")),
        (_("unknown lines"), f"{c.unknown:,}", _("a kind of line this version does not read")),
        (_("left for next run"), f"{c.partial:,}", _("an unfinished line or message: a file being written")),
    ]
    if c.unpriced:
        rows.append((_("unpriced"), f"{c.unpriced:,}", _("no known price: recorded at the fallback rates")))
    width = max(len(r[1]) for r in rows)
    label_width = max(19, *(display_width(r[0]) for r in rows))
    for label, n, note in rows:
        ctx.print(f"  {pad(label, label_width)} {n:>{width}}  {note}")
    if not opts.charge_budgets and c.imported:
        ctx.print(
            _("  budgets were not charged (imported usage was paid outside the meter; --charge-budgets)")
        )
    for problem in c.problems:
        ctx.note(_("tokenwallet: cannot read {problem}").format(problem=problem))
