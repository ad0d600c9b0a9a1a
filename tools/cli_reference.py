"""Write docs/cli.md from the real argparse parser, so the CLI reference cannot drift.

    .venv/bin/python tools/cli_reference.py           # (re)write docs/cli.md
    .venv/bin/python tools/cli_reference.py --check   # exit 1 when docs/cli.md is stale

It walks ``tokenwallet.cli.build_parser()``: every command, sub-command, positional and option,
with its help text. Usage lines are built here from the actions rather than by argparse's
formatter, whose wrapping follows the terminal's width and the Python version; the output depends
only on the parser. tests/unit/cli/test_cli_reference.py fails when the file is stale and when a
command or option has no help text.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "cli.md"
REGENERATE = ".venv/bin/python tools/cli_reference.py"

# Given on every command through a shared parent parser: documented once, at the top.
SHARED_DESTS = frozenset({"data_dir"})


@dataclass(frozen=True)
class Command:
    """One parser in the tree: its words after ``tokenwallet``, the one-line help its parent gives
    it, and the parser itself."""

    words: tuple[str, ...]
    summary: str
    parser: argparse.ArgumentParser

    @property
    def name(self) -> str:
        return " ".join(("tokenwallet", *self.words))


def walk(
    parser: argparse.ArgumentParser, words: tuple[str, ...] = (), summary: str = ""
) -> Iterator[Command]:
    """Every parser under ``parser``, depth first, in the order the commands were registered."""
    yield Command(words, summary, parser)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, child in action.choices.items():
                yield from walk(child, (*words, name), helps.get(name, ""))


def _documented(command: Command) -> list[argparse.Action]:
    """The actions a reader needs: not -h, not --data-dir below the top, not sub-command slots."""
    shown = []
    for action in command.parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if action.help == argparse.SUPPRESS:
            continue
        if command.words and action.dest in SHARED_DESTS:
            continue
        shown.append(action)
    return shown


def _metavar(action: argparse.Action) -> str:
    if action.metavar is not None:
        return action.metavar if isinstance(action.metavar, str) else " ".join(action.metavar)
    if action.choices is not None:
        return "{" + ",".join(str(c) for c in action.choices) + "}"
    return action.dest.upper()


def _spelling(action: argparse.Action) -> str:
    """How the argument is typed: ``AMOUNT``, ``[FILE]``, ``--period PERIOD``, ``-o, --out FILE``."""
    nargs = action.nargs
    meta = _metavar(action)
    if nargs == 0:
        value = ""
    elif nargs is None or nargs == 1:
        value = meta
    elif nargs == argparse.OPTIONAL:
        value = f"[{meta}]"
    elif nargs == argparse.ZERO_OR_MORE:
        value = f"[{meta} …]"
    elif nargs == argparse.ONE_OR_MORE:
        value = f"{meta} [{meta} …]"
    elif nargs == argparse.REMAINDER:
        value = meta if "…" in meta else f"{meta} …"
    elif isinstance(nargs, int):
        value = " ".join([meta] * nargs)
    else:
        value = meta
    if not action.option_strings:
        return value
    names = ", ".join(action.option_strings)
    return f"{names} {value}".rstrip()


def _help(action: argparse.Action, prog: str) -> str:
    text = action.help or ""
    if "%" in text:  # argparse's own expansion: %(default)s, %(choices)s, %(prog)s
        params = {k: v for k, v in vars(action).items() if v is not argparse.SUPPRESS}
        params["prog"] = prog
        if params.get("choices") is not None:
            params["choices"] = ", ".join(str(c) for c in params["choices"])
        text = text % params
    return " ".join(text.split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _usage(command: Command, actions: list[argparse.Action]) -> str:
    parts = [command.name]
    if any(a.option_strings for a in actions):
        parts.append("[options]")
    parts.extend(_spelling(a) for a in actions if not a.option_strings)
    if command.parser._subparsers is not None:
        parts.append("COMMAND")
    return " ".join(p for p in parts if p)


def render_command(command: Command) -> list[str]:
    level = "#" * min(max(len(command.words) + 1, 2), 6)
    lines = [f"{level} {command.name}", ""]
    if command.summary:
        lines += [command.summary[:1].upper() + command.summary[1:] + ".", ""]
    description = " ".join((command.parser.description or "").split())
    if description and description.rstrip(".") != command.summary.rstrip("."):
        lines += [description, ""]
    actions = _documented(command)
    lines += ["```", _usage(command, actions), "```", ""]
    if actions:
        lines += ["| argument | meaning |", "|---|---|"]
        for action in actions:
            need = " (required)" if action.required and action.option_strings else ""
            lines.append(f"| `{_cell(_spelling(action))}` | {_cell(_help(action, command.name))}{need} |")
        lines.append("")
    for group in command.parser._mutually_exclusive_groups:
        members = [a for a in group._group_actions if a in actions and a.option_strings]
        names = [f"`{a.option_strings[0]}`" for a in members]
        if len(names) > 1:
            rule = "One of {} is required." if group.required else "Use at most one of {}."
            lines += [rule.format(", ".join(names)), ""]
    return lines


def english_parser() -> argparse.ArgumentParser:
    """The parser with its English help texts, whatever the locale (the reference is English)."""
    from tokenwallet.cli import build_parser
    from tokenwallet.commands import i18n

    before = i18n.current()
    i18n.use("en")
    try:
        return build_parser()
    finally:
        i18n.use(before)


def render(parser: argparse.ArgumentParser | None = None) -> str:
    if parser is None:
        parser = english_parser()
    commands = list(walk(parser))
    top = [c for c in commands if len(c.words) == 1]
    lines = [
        "# CLI reference",
        "",
        "<!-- Generated by tools/cli_reference.py from the parser in src/tokenwallet/cli.py and",
        "     src/tokenwallet/commands/. Do not edit by hand: change the help= texts, then run",
        f"     {REGENERATE} -->",
        "",
        "Every `tokenwallet` command, sub-command and option, with its help text. How commands behave",
        "(which wallet, amounts, `--json`, errors, the owner PIN): [The command line](command-line.md).",
        "Every command also takes `--data-dir DIR` (the wallet's directory; default `$TOKENWALLET_HOME`",
        "or the platform's data directory) before or after the command, and `-h`/`--help`.",
        "",
        "| command | what it does |",
        "|---|---|",
    ]
    for c in top:
        anchor = c.name.replace(" ", "-").lower()
        lines.append(f"| [{c.words[0]}](#{anchor}) | {_cell(c.summary)} |")
    lines.append("")
    for c in commands:
        lines += render_command(c)
    return "\n".join(lines).rstrip() + "\n"


def missing_help(parser: argparse.ArgumentParser | None = None) -> list[str]:
    """Commands and arguments without a help text (what ``--help`` would leave blank)."""
    if parser is None:
        parser = english_parser()
    gaps = []
    for c in walk(parser):
        if c.words and not c.summary.strip():
            gaps.append(f"{c.name}: no help= on its add_parser")
        for action in _documented(c):
            if not (action.help or "").strip():
                gaps.append(f"{c.name}: {_spelling(action)} has no help=")
    return gaps


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write docs/cli.md from the tokenwallet argparse parser.")
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 when docs/cli.md is stale")
    args = ap.parse_args(argv)
    text = render()
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    if args.check:
        if current != text:
            print(f"docs/cli.md is out of date: run {REGENERATE}", file=sys.stderr)
            return 1
        return 0
    if current != text:
        OUTPUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
