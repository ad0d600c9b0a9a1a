"""``tokenwallet wallet migrate --to postgresql://…|sqlite:PATH``: move the wallet between backends.

The source is this invocation's wallet: the data dir's file, or the PostgreSQL database named by
``--wallet URL`` / ``$TOKENWALLET_WALLET_URL``. See :mod:`tokenwallet.wallet.moving`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tokenwallet.commands.common import Context

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers


def register(sub: SubParsers, common: Parser) -> None:
    w = sub.add_parser("wallet", help="where the wallet lives: move it to PostgreSQL or to a file")
    wsub = w.add_subparsers(dest="action", metavar="ACTION")
    m = wsub.add_parser(
        "migrate",
        help="copy every row of this wallet into a new PostgreSQL wallet or SQLite file, then compare them",
        parents=[common],
    )
    m.add_argument(
        "--to",
        required=True,
        metavar="TARGET",
        help="postgresql://USER@HOST[:PORT]/DB (an empty database) or sqlite:PATH (a new file)",
    )
    m.add_argument("--json", action="store_true", help="print JSON for scripts")
    m.set_defaults(handler=migrate)


def migrate(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.wallet.moving import move

    moved = move(ctx.wallet_path, args.to)
    total = sum(moved.rows.values())
    if args.json:
        ctx.json({"target": moved.target, "rows": moved.rows, "total": total})
    else:
        ctx.print(f"copied {total:,} rows in {len(moved.rows)} tables to {moved.target}; compared: identical")
        ctx.note("tokenwallet: to use it, pass --wallet URL (or set TOKENWALLET_WALLET_URL) on every device")
    return 0
