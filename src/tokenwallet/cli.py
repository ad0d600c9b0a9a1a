"""``tokenwallet [--data-dir DIR] COMMAND``: the command line, and the app's entry point.

With no command it opens the desktop app. Every command takes ``--data-dir`` (or
``$TOKENWALLET_HOME``) so tests and scripts can use their own wallet, and ``--json`` where a script
reads the output. Bad input ends with exactly one line on stderr and a non-zero exit status —
never a traceback — and changes nothing (commands validate before they write).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from tokenwallet import __version__, paths
from tokenwallet.commands import (
    alerts,
    backups,
    budgets,
    clients,
    core_messages,
    devices,
    energy,
    fx,
    guards,
    history,
    household,
    i18n,
    imports,
    install_cli,
    keys,
    languages,
    model_rules,
    plans,
    preview,
    prices,
    profiles,
    reconcile,
    run,
    serve,
    sessions,
    settings,
    walletdb,
)
from tokenwallet.commands.common import EXIT_USAGE, CliError, Context, Parser
from tokenwallet.commands.i18n import _
from tokenwallet.core import language

PROG = "tokenwallet"
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description=_(
            "Token Wallet: a personal wallet and meter for AI tokens. With no command, opens the desktop app."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=_("show program's version number and exit"),
    )
    # Also accepted after the command (``tokenwallet status --data-dir X``): SUPPRESS keeps the
    # top-level value unless the sub-command's copy was given.
    data_dir_help = _("the wallet's directory (default: $TOKENWALLET_HOME or the platform's data dir)")
    parser.add_argument("--data-dir", metavar="DIR", help=data_dir_help)
    common = Parser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_dir_help)
    # Before the command only: after it, ``--wallet`` is the scope "the whole wallet" of budgets.
    parser.add_argument(
        "--wallet",
        metavar="URL",
        dest="wallet_url",
        help=_(
            "use the shared wallet in this PostgreSQL database (postgresql://USER@HOST/DB) instead"
            " of the data dir's file (default: $TOKENWALLET_WALLET_URL)"
        ),
    )

    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    budgets.register(sub, common)  # status, budget, topup, transfer
    preview.register(sub, common)
    history.register(sub, common)
    profiles.register(sub, common)  # profile, project
    model_rules.register(sub, common)  # model-rules (issue 10)
    keys.register(sub, common)
    prices.register(sub, common)
    fx.register(sub, common)  # exchange rates for prices in CNY (issue 12)
    settings.register(sub, common)
    household.register(sub, common)  # household, statement (issue 5)
    clients.register(sub, common)  # client, invoice (issue 5)
    alerts.register(sub, common)  # webhooks, desktop notifications (issue 10)
    serve.register(sub, common)
    guards.register(sub, common)  # guard (issue 10)
    backups.register(sub, common)  # backup, restore
    run.register(sub, common)  # issue 10
    sessions.register(sub, common)
    reconcile.register(sub, common)  # reconcile (issue 11)
    plans.register(sub, common)  # plan (issue 11)
    imports.register(sub, common)  # import (issue 11)
    install_cli.register(sub, common)  # a `tokenwallet` on PATH for a checkout (issue 13)
    energy.register(sub, common)  # energy (issue 12)
    walletdb.register(sub, common)  # wallet migrate: SQLite ⇄ PostgreSQL (issue 14)
    languages.register(sub, common)  # language show|set (issue 12)
    devices.register(sub, common)  # devices sharing the wallet (issue 14)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one ``tokenwallet`` command; returns the exit status (``python -m tokenwallet`` exits with it)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args_list = list(sys.argv[1:] if argv is None else argv)
    # The language before the parser: its help texts are translated as they are added.
    speak(language.current(paths.data_dir(prescan_data_dir(args_list))), err)
    try:
        # argparse prints to sys.stdout/sys.stderr itself; send it to the streams we were given
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = build_parser().parse_args(args_list)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)

    if args.wallet_url:  # in the environment, so the meter or app this command starts uses it too
        from tokenwallet.wallet import WalletError, backend

        try:
            os.environ[backend.ENV_URL] = backend.check_url(args.wallet_url)
        except WalletError as exc:
            print(error_line(str(exc)), file=err)
            return EXIT_USAGE
    ctx = Context(data_dir=paths.data_dir(args.data_dir), out=out, err=err, stdin=stdin or sys.stdin)
    handler = getattr(args, "handler", None)
    if args.command is not None and handler is None:  # a group without its action: ``tokenwallet profile``
        command = f"{PROG} {args.command}"
        print(_("{command}: error: which one? (see '{command} --help')").format(command=command), file=err)
        return EXIT_USAGE
    try:
        if args.command is None or handler is None:
            return _open_app(ctx, args_list)
        return int(handler(ctx, args))
    except KeyboardInterrupt:
        ctx.discard_new_wallet()
        print(_("{prog}: interrupted").format(prog=PROG), file=err)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # ``tokenwallet history | head``
        _silence_stdout()
        return 0
    except Exception as exc:
        if os.environ.get("TOKENWALLET_DEBUG"):
            raise
        message, code = describe_error(exc, ctx)
        ctx.discard_new_wallet()
        print(error_line(message), file=err)
        return code


def prescan_data_dir(argv: Sequence[str]) -> str | None:
    """``--data-dir DIR`` (or ``--data-dir=DIR``) anywhere before ``--``, without the parser."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--data-dir" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--data-dir="):
            return arg.partition("=")[2]
    return None


def speak(lang: str, err: TextIO) -> None:
    """Use ``lang``; a missing or damaged catalog leaves the CLI in English, with one note."""
    try:
        i18n.use(lang)
    except (OSError, ValueError) as exc:  # gettext raises OSError for a corrupt .mo as well
        i18n.use(language.ENGLISH)
        print(f"{PROG}: note: the {lang} translation cannot be loaded ({exc}); using English", file=err)


def error_line(message: str) -> str:
    return _("{prog}: error: {message}").format(prog=PROG, message=message)


def describe_error(exc: BaseException, ctx: Context) -> tuple[str, int]:
    """One line for any failure, and the exit status: known errors by what they mean to a user."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, sqlite3.Error) or (
        isinstance(exc, OSError) and exc.filename and _in_data_dir(ctx, exc.filename)
    ):
        # A full or read-only folder, a vanished disk, a damaged file: name it and say what to do
        from tokenwallet.wallet.trouble import explain

        return explain(ctx.wallet_path, exc), 1
    if type(exc).__module__.startswith("sqlalchemy"):
        detail = text.split("(Background on this error")[0].strip()
        return _("cannot use the wallet file {path}: {detail}").format(path=ctx.wallet_path, detail=detail), 1
    if isinstance(exc, FileNotFoundError):
        return _("no such file: {path}").format(path=exc.filename), 1
    if isinstance(exc, OSError):
        return (f"{exc.filename}: {exc.strerror or text}" if exc.filename else text), 1
    try:
        user_errors = _user_errors()
    except Exception:  # a broken install must still end in one line
        user_errors = (CliError, ValueError)
    if isinstance(exc, user_errors):
        # A CliError is in the CLI's words already, but many pass a core error's text on.
        return core_messages.translate(text), exc.code if isinstance(exc, CliError) else 1
    internal = _("internal error ({kind}): {text} — set TOKENWALLET_DEBUG=1 for the traceback")
    return internal.format(kind=type(exc).__name__, text=text), EXIT_INTERNAL


def _in_data_dir(ctx: Context, filename: object) -> bool:
    try:
        return Path(str(filename)).resolve().parent == ctx.data_dir.resolve()
    except (OSError, RuntimeError):
        return False


def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors whose message is written for the user. Imported only once something failed, so
    a successful command never pays for importing the price catalog or keyring."""
    from tokenwallet.core.money import AmountError
    from tokenwallet.pricing import UnknownModelError
    from tokenwallet.reconcile import ReconcileError
    from tokenwallet.secrets import KeyStoreError, NoKeychainError
    from tokenwallet.tokens import TokenizerFileError
    from tokenwallet.wallet.errors import WalletError

    # ValueError covers bad JSON, dates and keys the commands reject with their own words.
    return (
        CliError,
        AmountError,
        WalletError,
        UnknownModelError,
        NoKeychainError,
        KeyStoreError,
        TokenizerFileError,
        ReconcileError,
        ValueError,
    )


def _open_app(ctx: Context, argv: list[str]) -> int:
    """No command: the desktop app. Qt is imported only here, and its absence is one line."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        text = _("no display to open the app on; run '{prog} serve' for the headless meter")
        print(error_line(text.format(prog=PROG)), file=ctx.err)
        return 1
    try:
        from tokenwallet.gui import app
    except ImportError as exc:
        reason = " ".join(str(exc).split())
        text = _("the desktop app cannot load ({reason}); run '{prog} serve' for the headless meter")
        print(error_line(text.format(reason=reason, prog=PROG)), file=ctx.err)
        return 1
    return int(app.main([PROG, *argv], ctx.data_dir))


def _silence_stdout() -> None:
    # Python flushes stdout at exit; point it at devnull so a closed pipe is not reported twice.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover - ``python -m tokenwallet`` goes through __main__.py
    sys.exit(main())
