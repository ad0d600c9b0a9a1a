"""``tokenwallet serve``: the metering proxy without the desktop app (headless)."""

from __future__ import annotations

import argparse
import errno
import ipaddress
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.common import CliError, Context
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.secrets import KeyStore

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser("serve", help=_("run the metering proxy headless (Ctrl-C stops it)"), parents=[common])
    p.add_argument(
        "--host",
        help=_("address to listen on (default: the wallet setting, else {host})").format(host=DEFAULT_HOST),
    )
    p.add_argument(
        "--port",
        type=int,
        help=_("port (default: the wallet setting, else {port})").format(port=DEFAULT_PORT),
    )
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help=_(
            "allow listening on a non-loopback address: anyone who can reach it and holds a wallet key "
            "spends your provider keys"
        ),
    )
    p.set_defaults(handler=serve)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _warn_without_keychain(ctx: Context, keystore: KeyStore) -> None:
    """Say at start-up, not at the first failed call, that provider keys cannot be read."""
    from tokenwallet.secrets import KeyStoreError, NoKeychainError

    try:
        keystore.get("openai")
    except (NoKeychainError, KeyStoreError) as exc:
        warning = _(
            "tokenwallet: warning: {problem} Calls that need a provider key will be refused until then."
        )
        ctx.note(warning.format(problem=exc))


def serve(ctx: Context, args: argparse.Namespace) -> int:
    if args.port is not None and not 0 <= args.port < 65536:
        raise CliError(_("not a port number: {port}").format(port=args.port))
    if args.host is not None and not args.host.strip():
        raise CliError(_("--host is empty"))
    with ctx.wallet() as w:
        host = str(args.host or _setting(w, "proxy_host") or DEFAULT_HOST)
        port = args.port if args.port is not None else _setting(w, "proxy_port")
    port = DEFAULT_PORT if port is None else int(port)
    if not is_loopback(host) and not args.allow_remote:
        raise CliError(
            _(
                "refusing to listen on {host}, which other machines can reach: "
                "add --allow-remote if you mean it"
            ).format(host=host)
        )
    from tokenwallet.proxy import serve_forever
    from tokenwallet.secrets import default_keystore

    keystore = default_keystore()  # one for the warning below and the proxy alike

    def ready(server: Any) -> None:
        url = str(server.url).rstrip("/")
        ctx.print(_("Token Wallet proxy listening on {url} (Ctrl+C to stop)").format(url=url))
        ctx.print(f"  OPENAI_BASE_URL={url}/openai/v1")
        ctx.print(f"  ANTHROPIC_BASE_URL={url}/anthropic")
        ctx.out.flush()
        _warn_without_keychain(ctx, keystore)

    try:
        return serve_forever(
            ctx.data_dir,
            host=host,
            port=port,
            allow_remote=bool(args.allow_remote),
            keystore=keystore,
            ready=ready,
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CliError(
                _(
                    "{host}:{port} is already in use (the app or another 'tokenwallet "
                    "serve'?): stop it, or pick another port with --port"
                ).format(host=host, port=port)
            ) from None
        raise


def _setting(w: Any, name: str) -> Any:
    try:
        return w.get_setting(name)
    except Exception:  # an older wallet without that setting: the default applies
        return None
