"""``tokenwallet backup [PATH]`` and ``tokenwallet restore PATH``: copies of the wallet, and back.

Both go through SQLite's backup API (:mod:`tokenwallet.wallet.backup`): a backup is consistent
while the meter runs; a restore refuses while a meter or the app uses the wallet and keeps the
current wallet as a backup first.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.common import CliError, Context
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers


def register(sub: SubParsers, common: Parser) -> None:
    b = sub.add_parser(
        "backup",
        help=_("copy the wallet to PATH (default: backups/wallet-DATE-TIME.db in the data dir)"),
        parents=[common],
    )
    b.add_argument("path", nargs="?", metavar="PATH", help=_("a new file, or a directory to put it in"))
    b.add_argument("--list", action="store_true", help=_("list the backups in the data directory instead"))
    b.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    b.set_defaults(handler=backup)

    r = sub.add_parser(
        "restore",
        help=_("replace the wallet with a backup (the current wallet is kept as a backup)"),
        parents=[common],
    )
    r.add_argument("path", metavar="PATH", help=_("a backup made by 'tokenwallet backup'"))
    r.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    r.set_defaults(handler=restore)


def backup(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.wallet import backup as bk

    if args.list:
        if args.path:
            raise CliError(_("--list takes no PATH"))
        return _list(ctx, args.json)
    target = Path(args.path).expanduser() if args.path else None
    made = bk.backup(ctx.wallet_path, target)
    if args.json:
        ctx.json({"path": str(made), "bytes": made.stat().st_size})
    else:
        ctx.print(str(made))
    return 0


def _list(ctx: Context, as_json: bool) -> int:
    from tokenwallet.wallet.backup import backup_dir

    folder = backup_dir(ctx.wallet_path)
    files = sorted(folder.rglob("*.db")) if folder.is_dir() else []
    rows = []
    for path in files:
        st = path.stat()
        rows.append(
            {
                "path": str(path),
                "kind": "daily" if path.parent.name == "daily" else "manual",
                "written_at": datetime.fromtimestamp(st.st_mtime, UTC).astimezone().isoformat(),
                "bytes": st.st_size,
            }
        )
    rows.sort(key=lambda r: str(r["written_at"]), reverse=True)
    ctx.listing(
        as_json,
        rows,
        empty=_("No backups in {folder} yet: 'tokenwallet backup' makes one.").format(folder=folder),
        headers=[_("written"), _("kind"), _("size"), _("path")],
        cells=lambda r: [_when(r["written_at"]), r["kind"], _size(r["bytes"]), r["path"]],
        right={2},
    )
    return 0


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ")


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1 << 20 else f"{n / (1 << 20):,.1f} MB"


def restore(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.wallet import backup as bk

    source = Path(args.path).expanduser()
    checked = bk.check_backup(source)  # a bad file: one line, before anything else happens
    _refuse_if_served(ctx)
    saved = bk.restore(ctx.wallet_path, source)
    if args.json:
        ctx.json(
            {
                "restored": str(source),
                "wallet": str(ctx.wallet_path),
                "previous": str(saved) if saved else None,
                "schema_version": checked.version,
            }
        )
    else:
        ctx.print(_("Restored {source} into {wallet}.").format(source=source, wallet=ctx.wallet_path))
        if saved:
            ctx.print(_("The wallet it replaced is saved as {path}.").format(path=saved))
    return 0


def _refuse_if_served(ctx: Context) -> None:
    """Besides the in-use lock: ask the wallet's meter port who is there (a meter from a version
    without the lock, or Windows, where there is no ``flock``)."""
    from tokenwallet.wallet import Wallet, WalletError

    if not ctx.wallet_path.is_file():
        return
    try:
        w = Wallet.open(ctx.wallet_path)
    except WalletError:
        return  # a damaged wallet: no meter can be running on it, and restoring is the cure
    try:
        host = str(w.get_setting("proxy_host") or "127.0.0.1")
        port = int(w.get_setting("proxy_port") or 8787)
    finally:
        w.close()
    health = _health(f"http://{f'[{host}]' if ':' in host else host}:{port}")
    wallet = health.get("wallet") if health else None
    if wallet and _same_file(Path(str(wallet)), ctx.wallet_path):
        raise CliError(
            _(
                "a meter is running on this wallet (pid {value}, {host}:{port}): stop "
                "'tokenwallet serve' or the app, then run this again"
            ).format(value=health.get("pid", "?") if health else "?", host=host, port=port)
        )


def _health(base_url: str) -> dict[str, Any] | None:
    import httpx

    try:
        data = httpx.get(f"{base_url}/tokenwallet/health", timeout=1.0).json()
    except (httpx.HTTPError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False
