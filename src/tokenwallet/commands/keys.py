"""``tokenwallet provider …`` (where calls go) and ``tokenwallet key …`` (provider API keys).

Provider keys go to the OS keychain through :mod:`tokenwallet.secrets` and nowhere else: not the
wallet file, not stdout, not an error message. ``key set`` reads the key from stdin so it never
appears in the shell history or the process list.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.columns import table
from tokenwallet.commands.common import CliError, Context, add_pin, read_stdin_secret, require_pin
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers

KINDS = ("openai", "anthropic", "gemini", "openai-compatible")
# Read-only admin keys for 'tokenwallet reconcile' (issue 11): their own keychain entries, never
# sent by the meter.
ADMIN_KEYS = ("openai-admin", "anthropic-admin", "openrouter-admin")


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser("provider", help=_("AI providers: kind and base URL"), parents=[common])
    ps = p.add_subparsers(dest="action", metavar="ACTION")
    s = ps.add_parser("set", help=_("add a provider or change its base URL / kind"), parents=[common])
    s.add_argument("name", help=_("a preset (openai, anthropic, gemini, …) or a new one (routed at /NAME/)"))
    s.add_argument("--base-url", metavar="URL", help=_("e.g. a compatible endpoint or a local server"))
    s.add_argument(
        "--kind", choices=KINDS, help=_("the API it speaks (new providers: default openai-compatible)")
    )
    s.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    add_pin(s)
    s.set_defaults(handler=provider_set)
    li = ps.add_parser("list", help=_("list providers (presets and your own)"), parents=[common])
    li.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    li.set_defaults(handler=provider_list)

    sk = ps.add_parser("set-key", help=_("store a provider's API key (same as 'key set')"), parents=[common])
    sk.add_argument("provider", help=_("the provider whose key is read from stdin"))
    add_pin(sk)
    sk.set_defaults(handler=key_set)

    k = sub.add_parser("key", help=_("provider API keys in the OS keychain"), parents=[common])
    ks = k.add_subparsers(dest="action", metavar="ACTION")
    ksets = ks.add_parser(
        "set",
        help=_('store a provider\'s API key, read from stdin: echo "$KEY" | tokenwallet key set openai'),
        parents=[common],
    )
    ksets.add_argument("provider", help=_("the provider (openai, anthropic, …; openai-admin for reconcile)"))
    add_pin(ksets)
    ksets.set_defaults(handler=key_set)
    kd = ks.add_parser("delete", help=_("remove a provider's API key from the keychain"), parents=[common])
    kd.add_argument("provider", help=_("the provider whose key to forget"))
    add_pin(kd)
    kd.set_defaults(handler=key_delete)
    kst = ks.add_parser(
        "status", help=_("which providers have a key stored (never shows the keys)"), parents=[common]
    )
    kst.add_argument("provider", nargs="?", help=_("one provider (default: every provider)"))
    kst.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    kst.set_defaults(handler=key_status)


def _keystore() -> Any:
    from tokenwallet.secrets import default_keystore

    return default_keystore()


def _check_url(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CliError(_("not an http(s) URL: {url}").format(url=repr(url)))
    if parts.username or parts.password:
        raise CliError(_("put credentials in the keychain ('tokenwallet key set'), not in the URL"))
    return url.strip().rstrip("/")


def provider_dict(p: Any) -> dict[str, Any]:
    return {"name": p.name, "kind": p.kind, "base_url": p.base_url, "local": bool(p.local)}


def provider_set(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.secrets import check_provider

    try:
        name = check_provider(args.name)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    base_url = _check_url(args.base_url) if args.base_url else None
    if base_url is None and args.kind is None:
        raise CliError(_("nothing to set: give --base-url URL and/or --kind KIND"))
    with ctx.wallet() as w:
        if w.provider_config(name) is None and base_url is None:
            raise CliError(
                _("a new provider needs --base-url (there is no preset for {name})").format(name=repr(name))
            )
        require_pin(ctx, w, args, "change where a provider's calls go")
        cfg = w.set_provider(name, kind=args.kind, base_url=base_url)
    if args.json:
        ctx.json(provider_dict(cfg))
    else:
        ctx.print(
            _("Provider {name} ({kind}) → {url}").format(name=cfg.name, kind=cfg.kind, url=cfg.base_url)
        )
    return 0


def provider_list(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        rows = [provider_dict(p) for p in w.providers()]
    if args.json:
        ctx.json(rows)
    else:
        ctx.print(
            table(
                [
                    [r["name"], r["kind"], r["base_url"], _("local (free)") if r["local"] else ""]
                    for r in rows
                ],
                [_("provider"), _("kind"), _("base URL"), ""],
            )
        )
    return 0


def _known_provider(
    ctx: Context, name: str, *, args: argparse.Namespace | None = None, action: str = ""
) -> str:
    """Check ``name`` is a provider this wallet knows; with ``action``, also the owner PIN."""
    from tokenwallet.secrets import check_provider

    try:
        check_provider(name)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    with ctx.wallet() as w:
        if w.provider_config(name) is None and name not in ADMIN_KEYS:
            raise CliError(
                _(
                    "unknown provider {name}: add it first with 'tokenwallet provider set "
                    "{name2} --base-url URL'"
                ).format(name=repr(name), name2=name)
            )
        if args is not None:
            # On a household wallet the provider keys are the owner's: replacing or deleting one
            # (or, in provider_set, redirecting where it is sent) needs the owner PIN.
            require_pin(ctx, w, args, action)
    return name


def key_set(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.secrets import check_key

    provider = _known_provider(ctx, args.provider, args=args, action="store a provider key")
    store = _keystore()
    store.get(provider)  # no keychain → the clear error now, before reading the key
    raw = read_stdin_secret(ctx.stdin, _("API key for {provider} (input hidden): ").format(provider=provider))
    try:
        key = check_key(raw)
    except ValueError as exc:
        hint = _('{problem}; pipe the key in, e.g. echo "$KEY" | tokenwallet key set {provider}')
        raise CliError(hint.format(problem=exc, provider=provider)) from None
    store.set(provider, key)
    stored = _("Stored the {provider} API key in the keychain ({backend}).")
    ctx.print(stored.format(provider=provider, backend=store.backend_name()))
    return 0


def key_delete(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.secrets import check_provider

    try:
        provider = check_provider(args.provider)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "delete a provider key")
    store = _keystore()
    had = store.get(provider) is not None
    store.delete(provider)
    if had:
        ctx.print(_("Removed the {provider} API key from the keychain.").format(provider=provider))
    else:
        ctx.print(_("No {provider} key was stored.").format(provider=provider))
    return 0


def key_status(ctx: Context, args: argparse.Namespace) -> int:
    if args.provider:
        names = [_known_provider(ctx, args.provider)]
        local = {names[0]: False}
    else:
        with ctx.wallet() as w:
            configs = w.providers()
        names = [p.name for p in configs]
        local = {p.name: bool(p.local) for p in configs}
    store = _keystore()
    if not args.provider:  # admin keys (reconcile) are listed once stored
        names += [n for n in ADMIN_KEYS if store.get(n) is not None]
    stored = {name: store.get(name) is not None for name in names}
    if args.json:
        ctx.json(
            {"backend": store.backend_name(), "providers": [{"name": n, "stored": stored[n]} for n in names]}
        )
        return 0
    ctx.print(_("Keychain: {backend} (service 'tokenwallet')").format(backend=store.backend_name()))
    rows = [
        [n, _("stored") if stored[n] else (_("not needed (local)") if local.get(n) else "—")] for n in names
    ]
    ctx.print(table(rows, [_("provider"), _("API key")]))
    return 0
