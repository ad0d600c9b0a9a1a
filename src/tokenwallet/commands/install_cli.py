"""``tokenwallet install-cli``: put a ``tokenwallet`` command on PATH for a checkout run by ``tools/run``.

It writes a two-line shim, ``~/.local/bin/tokenwallet``, that runs this installation's program —
after asking (``--yes`` to answer for scripts), never over a file that is not one of our shims —
and prints the one PATH line to add when that folder is not on PATH yet. Shell start-up files are
the user's: we print the line, we do not edit them.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tokenwallet.commands.common import CliError, Context
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers

MARK = "# tokenwallet shim: written by 'tokenwallet install-cli'"


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "install-cli",
        help=_("put a 'tokenwallet' command on your PATH (~/.local/bin), asking first"),
        description=_(
            "Writes ~/.local/bin/tokenwallet, a two-line script that runs this installation "
            "of Token Wallet, after asking; never replaces a file it did not write. Prints the line to "
            "add to your shell's start-up file when that folder is not on PATH."
        ),
        parents=[common],
    )
    p.add_argument("--yes", action="store_true", help=_("do not ask (for scripts)"))
    p.add_argument("--bin-dir", metavar="DIR", help=_("where to put it (default: ~/.local/bin)"))
    p.set_defaults(handler=install)


def program() -> list[str]:
    """The command line that runs this installation of ``tokenwallet``."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: the executable is the program
        return [sys.executable]
    script = Path(sys.executable).parent / "tokenwallet"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tokenwallet"]


def shim_text(command: list[str]) -> str:
    return f'#!/bin/sh\n{MARK}\nexec {" ".join(shlex.quote(c) for c in command)} "$@"\n'


def on_path(folder: Path) -> bool:
    here = folder.resolve()
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry and Path(entry).expanduser().resolve() == here:
            return True
    return False


def install(ctx: Context, args: argparse.Namespace) -> int:
    if sys.platform == "win32":
        raise CliError(
            _("install-cli writes a shell script: on Windows add the .venv\\Scripts folder to PATH")
        )
    folder = Path(args.bin_dir).expanduser() if args.bin_dir else Path.home() / ".local" / "bin"
    target = folder / "tokenwallet"
    text = shim_text(program())
    if target.is_symlink() or target.exists():
        try:
            current = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = ""
        if target.is_symlink() or MARK not in current:
            raise CliError(
                _("{target} already exists and was not written by Token Wallet; left as it is").format(
                    target=target
                )
            )
        if current == text:
            print(f"{target} is already installed.", file=ctx.out)
            return _path_hint(ctx, folder)
    if not args.yes:
        question = f"Install a 'tokenwallet' command as {target} (a two-line script running {program()[0]})?"
        print(f"{question} [y/N] ", end="", file=ctx.out, flush=True)
        answer = ctx.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            print("Nothing installed.", file=ctx.out)
            return 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(".tokenwallet.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.chmod(0o755)
        tmp.replace(target)  # never a half-written command
    except OSError as exc:
        raise CliError(
            _("cannot write {target}: {value}").format(target=target, value=exc.strerror or exc)
        ) from None
    print(f"Installed {target}.", file=ctx.out)
    return _path_hint(ctx, folder)


def _path_hint(ctx: Context, folder: Path) -> int:
    if not on_path(folder):
        home = str(Path.home())
        shown = "$HOME" + str(folder)[len(home) :] if str(folder).startswith(home) else str(folder)
        print(
            f"{folder} is not on your PATH yet. Add this line to ~/.profile (or your shell's start-up "
            f'file) and open a new terminal:\n  export PATH="{shown}:$PATH"',
            file=ctx.out,
        )
    return 0
