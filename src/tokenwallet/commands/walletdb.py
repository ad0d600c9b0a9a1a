"""``tokenwallet wallet migrate --to postgresql://…|sqlite:PATH``: move the wallet between backends.

The source is this invocation's wallet: the data dir's file, or the PostgreSQL database named by
``--wallet URL`` / ``$TOKENWALLET_WALLET_URL``. See :mod:`tokenwallet.wallet.moving`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tokenwallet.commands.common import CliError, Context, read_stdin_secret
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers


def register(sub: SubParsers, common: Parser) -> None:
    w = sub.add_parser("wallet", help=_("where the wallet lives: move it to PostgreSQL or to a file"))
    wsub = w.add_subparsers(dest="action", metavar="ACTION")
    m = wsub.add_parser(
        "migrate",
        help=_(
            "copy every row of this wallet into a new PostgreSQL wallet or SQLite file, then compare them"
        ),
        parents=[common],
    )
    m.add_argument(
        "--to",
        required=True,
        metavar="TARGET",
        help=_("postgresql://USER@HOST[:PORT]/DB (an empty database) or sqlite:PATH (a new file)"),
    )
    m.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    m.set_defaults(handler=migrate)
    u = wsub.add_parser(
        "use",
        help=_("make this data dir's wallet the shared PostgreSQL one at URL (--file: its own file again)"),
        parents=[common],
    )
    u.add_argument(
        "url", nargs="?", metavar="URL", help=_("postgresql://USER@HOST[:PORT]/DB (no password in it)")
    )
    u.add_argument("--file", action="store_true", help=_("use the data dir's own wallet file again"))
    u.set_defaults(handler=use)
    p = wsub.add_parser(
        "password",
        help=_("keep the PostgreSQL wallet's password in the keychain (read from stdin), for --wallet URL"),
        parents=[common],
    )
    p.add_argument("--forget", action="store_true", help=_("remove the stored password instead"))
    p.set_defaults(handler=password)


def migrate(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.wallet.moving import move

    moved = move(ctx.wallet_path, args.to)
    total = sum(moved.rows.values())
    if args.json:
        ctx.json({"target": moved.target, "rows": moved.rows, "total": total})
    else:
        ctx.print(
            _("copied {total} rows in {value} tables to {target}; compared: identical").format(
                total=format(total, ","), value=len(moved.rows), target=moved.target
            )
        )
        ctx.note(
            _("tokenwallet: to use it, pass --wallet URL (or set TOKENWALLET_WALLET_URL) on every device")
        )
    return 0


def password(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.secrets import KeyringStore, check_key
    from tokenwallet.wallet.backend import PASSWORD_SERVICE, has_password, password_entry, redact, url_for

    url = url_for(ctx.wallet_path)
    if url is None:
        raise CliError(_("which database? pass --wallet postgresql://USER@HOST/DB before the command"))
    if has_password(url):
        raise CliError(_("this URL carries a password itself: leave it out of the URL, then store it here"))
    store = KeyringStore(service=PASSWORD_SERVICE)
    entry = password_entry(url)
    if args.forget:
        store.delete(entry)
        ctx.print(_("Forgot the password for {value}.").format(value=redact(url)))
        return 0
    store.get(entry)  # no keychain → the clear error now, before reading the password
    try:
        secret = check_key(
            read_stdin_secret(ctx.stdin, _("password for {value} (input hidden): ").format(value=redact(url)))
        )
    except ValueError as exc:
        what = str(exc).replace("the key", "the password").replace("only the key", "only the password")
        raise CliError(
            _("{what}; a password with spaces goes in ~/.pgpass instead").format(what=what)
        ) from None
    store.set(entry, secret)
    ctx.print(
        _("Stored the password for {value} in the keychain ({value2}).").format(
            value=redact(url), value2=store.backend_name()
        )
    )
    return 0


def use(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.wallet import backend

    if args.file == bool(args.url):
        raise CliError(_("give a postgresql:// URL, or --file for the data dir's own wallet file"))
    if args.file:
        backend.use(ctx.data_dir, None)
        ctx.print(
            _("This data dir uses its own wallet file again: {wallet_path}").format(
                wallet_path=ctx.wallet_path
            )
        )
        return 0
    url = backend.storable_url(args.url)  # before connecting: a password in it is refused, not used
    from tokenwallet.wallet.pgwallet import open_url

    open_url(url)  # reach it (creating or upgrading the wallet) before this device points at it
    backend.use(ctx.data_dir, url)
    ctx.print(_("This data dir now uses the shared wallet at {value}").format(value=backend.redact(url)))
    return 0
