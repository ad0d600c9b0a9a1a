"""``tokenwallet alerts …``: webhooks and desktop notifications for budget warnings, guards, refusals.

The sending itself happens in the meter's host (the app or ``tokenwallet serve``, see
``tokenwallet/alerts``); these commands only edit the wallet, except ``webhook test``, which sends
one alert from here and reports the HTTP status. A webhook's secret header value goes to the
keychain, never to the wallet file or the screen. Household wallets need the owner PIN to add,
remove or silence alerts (a child should not be able to mute the parent's phone).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.common import CliError, Context, add_pin, require_pin
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser("alerts", help=_("desktop notifications and webhooks (ntfy, JSON)"), parents=[common])
    ps = p.add_subparsers(dest="action", metavar="ACTION")
    w = ps.add_parser("webhook", help=_("where alerts are POSTed"), parents=[common])
    ws = w.add_subparsers(dest="webhook_action", metavar="ACTION")
    a = ws.add_parser("add", help=_("add a webhook (e.g. https://ntfy.sh/your-topic)"), parents=[common])
    a.add_argument("url", help=_("http(s) URL to POST to, without credentials (use --header)"))
    a.add_argument("--format", choices=("ntfy", "json"), default="ntfy", help=_("body format (default ntfy)"))
    a.add_argument(
        "--on",
        default="thresholds,refusals,guards",
        metavar="EVENTS",
        help=_("which events: thresholds, refusals, guards (comma-separated; default all)"),
    )
    a.add_argument("--header", metavar="'NAME: VALUE'", help=_("a secret header (kept in the keychain)"))
    add_pin(a)
    a.set_defaults(handler=webhook_add)
    li = ws.add_parser(
        "list", help=_("list the webhooks (never shows secret header values)"), parents=[common]
    )
    li.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    li.set_defaults(handler=webhook_list)
    r = ws.add_parser("remove", help=_("remove a webhook"), parents=[common])
    r.add_argument("id", type=int, help=_("the webhook's number (see 'alerts webhook list')"))
    add_pin(r)
    r.set_defaults(handler=webhook_remove)
    t = ws.add_parser("test", help=_("send one test alert now and show the HTTP status"), parents=[common])
    t.add_argument("id", type=int, help=_("the webhook's number (see 'alerts webhook list')"))
    t.set_defaults(handler=webhook_test)
    n = ps.add_parser("notify", help=_("desktop notifications: on, off, or show"), parents=[common])
    n.add_argument("state", nargs="?", choices=("on", "off"), help=_("switch them on or off (default: show)"))
    add_pin(n)
    n.set_defaults(handler=notify)


def _keystore() -> Any:
    from tokenwallet.secrets import default_keystore

    return default_keystore()


def webhook_add(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.alerts.setup import add_webhook
    from tokenwallet.wallet.alerts import check_topics, check_url, parse_header

    # everything the user typed is checked before the wallet or the keychain is touched
    check_url(args.url)
    check_topics(args.on)
    if args.header is not None:
        parse_header(args.header)
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "add a webhook")
        store = _keystore() if args.header else None
        hook = add_webhook(w, store, args.url, format=args.format, topics=args.on, header=args.header)
    secret = f", header {hook.header_name} (value in the keychain)" if hook.header_name else ""
    ctx.print(
        _("Added webhook #{id}: {format} to {url} on {value}{secret}.").format(
            id=hook.id, format=hook.format, url=hook.url, value=",".join(hook.topics), secret=secret
        )
    )
    ctx.print(_("Try it: tokenwallet alerts webhook test {id}").format(id=hook.id))
    return 0


def webhook_list(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        hooks = w.webhooks()
    rows = [
        {"id": h.id, "url": h.url, "format": h.format, "on": list(h.topics), "header": h.header_name or None}
        for h in hooks
    ]
    ctx.listing(
        args.json,
        rows,
        empty=_("No webhooks. Add one: tokenwallet alerts webhook add https://ntfy.sh/YOUR-TOPIC"),
        headers=[_("id"), _("format"), _("on"), _("header"), _("url")],
        cells=lambda r: [str(r["id"]), r["format"], ",".join(r["on"]), r["header"] or "—", r["url"]],
        right={0},
    )
    return 0


def webhook_remove(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.alerts.setup import remove_webhook

    with ctx.wallet() as w:
        require_pin(ctx, w, args, "remove a webhook")
        hook = w.webhook(args.id)
        store = _keystore() if hook.header_name else None
        hook, problem = remove_webhook(w, store, args.id)
    if problem:
        ctx.note(
            _("tokenwallet: warning: could not remove its header value from the keychain: {problem}").format(
                problem=problem
            )
        )
    ctx.print(_("Removed webhook #{id} ({url}).").format(id=hook.id, url=hook.url))
    return 0


def webhook_test(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.alerts.setup import test_webhook

    with ctx.wallet() as w:
        hook = w.webhook(args.id)
        hook, status = test_webhook(w, _keystore() if hook.header_name else None, args.id)
    if not 200 <= status < 300:
        raise CliError(
            _("webhook #{id} ({where}) answered HTTP {status}").format(
                id=hook.id, where=hook.where, status=status
            )
        )
    ctx.print(
        _("Webhook #{id} answered HTTP {status}: the test alert was delivered.").format(
            id=hook.id, status=status
        )
    )
    return 0


def notify(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        if args.state is None:
            on = bool(w.get_setting("desktop_notifications"))
        else:
            require_pin(ctx, w, args, "change desktop notifications")
            on = args.state == "on"
            w.set_setting("desktop_notifications", on)
    ctx.print(_("Desktop notifications are {value}.").format(value="on" if on else "off"))
    return 0
