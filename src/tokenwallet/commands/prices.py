"""``tokenwallet prices …``: the price catalog, your overrides, and the opt-in updater."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.columns import table
from tokenwallet.commands.common import CliError, Context, add_pin, require_pin
from tokenwallet.commands.i18n import _
from tokenwallet.commands.pricebook import infer_provider
from tokenwallet.pricing import pricebook_for

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser("prices", help=_("model prices: catalog, overrides, updates"), parents=[common])
    ps = p.add_subparsers(dest="action", metavar="ACTION")

    li = ps.add_parser("list", help=_("list known model prices (USD per 1M tokens)"), parents=[common])
    li.add_argument("--provider", action="append", metavar="NAME", help=_("only this provider (repeatable)"))
    li.add_argument("--search", metavar="TEXT", help=_("only models whose name contains TEXT"))
    li.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    li.set_defaults(handler=prices_list)

    sh = ps.add_parser("show", help=_("the price in force for one model"), parents=[common])
    sh.add_argument("model", help=_("the model, e.g. gpt-4o or anthropic/claude-sonnet-4-5"))
    sh.add_argument("--provider", help=_("default: guessed from the model"))
    sh.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    sh.set_defaults(handler=prices_show)

    ov = ps.add_parser(
        "override", help=_("your own price for a model (wins over the catalog)"), parents=[common]
    )
    os_ = ov.add_subparsers(dest="override_action", metavar="ACTION")
    st = os_.add_parser("set", help=_("set a price override (USD per 1M tokens)"), parents=[common])
    st.add_argument("provider", help=_("the provider the price is for"))
    st.add_argument("model", help=_("the model name, or * for every model of the provider"))
    st.add_argument("--input", required=True, metavar="USD", help=_("per 1M input tokens"))
    st.add_argument("--output", required=True, metavar="USD", help=_("per 1M output tokens"))
    st.add_argument("--cache-read", metavar="USD", help=_("per 1M cached input tokens read"))
    st.add_argument("--cache-write", metavar="USD", help=_("per 1M input tokens written to the cache"))
    add_pin(st)
    st.set_defaults(handler=override_set)
    rm = os_.add_parser("remove", help=_("remove a price override"), parents=[common])
    rm.add_argument("provider", help=_("the provider of the override"))
    rm.add_argument("model", help=_("the model of the override (or *)"))
    add_pin(rm)
    rm.set_defaults(handler=override_remove)
    ol = os_.add_parser("list", help=_("list your price overrides"), parents=[common])
    ol.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    ol.set_defaults(handler=override_list)

    up = ps.add_parser(
        "update", help=_("check for newer prices now, or switch background updates on/off"), parents=[common]
    )
    onoff = up.add_mutually_exclusive_group()
    onoff.add_argument(
        "--on", action="store_true", help=_("let the app and 'serve' fetch newer prices daily")
    )
    onoff.add_argument("--off", action="store_true", help=_("use the bundled prices only (the default)"))
    up.add_argument(
        "--timeout", type=float, default=15.0, help=_("seconds to wait for the fetch (default 15)")
    )
    add_pin(up)
    up.set_defaults(handler=prices_update)


def _dec(d: Decimal | None) -> str:
    if d is None:
        return ""
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _usd(text: str | None, what: str) -> Decimal | None:
    if text is None:
        return None
    try:
        d = Decimal(text.strip().lstrip("$"))
    except InvalidOperation:
        raise CliError(
            _("cannot read {what} price {text} (USD per 1M tokens, e.g. 2.50)").format(
                what=what, text=repr(text)
            )
        ) from None
    if not d.is_finite() or d < 0:
        raise CliError(_("{what} price must be zero or more: {text}").format(what=what, text=repr(text)))
    return d


def price_dict(p: Any) -> dict[str, Any]:
    d: dict[str, Any] = dict(p.to_dict())
    d.pop("v", None)
    return d


def prices_list(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        book = pricebook_for(w)
        items = book.catalog(args.provider) if args.provider else book.catalog()
    if args.search:
        needle = args.search.lower()
        items = [p for p in items if needle in p.model.lower()]
    if args.json:
        ctx.json([price_dict(p) for p in items])
        return 0
    if not items:
        ctx.print(_("No prices match."))
        return 0
    rows = [
        [
            p.provider,
            p.model,
            p.currency,
            _dec(p.input_mtok),
            _dec(p.output_mtok),
            _dec(p.cache_read_mtok),
            f"{p.context_window:,}" if p.context_window else "",
            p.source,
        ]
        for p in items
    ]
    ctx.print(
        table(
            rows,
            [
                _("provider"),
                _("model"),
                _("in"),
                _("input"),
                _("output"),
                _("cache read"),
                _("context"),
                _("source"),
            ],
            right={3, 4, 5, 6},
        )
    )
    rates = sorted({f"{_dec(p.usd_rate)} {p.currency}" for p in items if p.usd_rate is not None})
    ctx.print(
        "Per 1M tokens, in the currency shown"
        + (f" (booked in USD at {', '.join(rates)} per USD)." if rates else ".")
    )
    return 0


def prices_show(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        book = pricebook_for(w)
        provider = args.provider or infer_provider(args.model, w, book)
        price = book.lookup(provider, args.model)
        default_out = book.default_max_output(price)
    if args.json:
        d = price_dict(price)
        d["default_max_output"] = default_out
        ctx.json(d)
        return 0
    ctx.print(
        f"{price.provider}/{price.model}" + (f"  (catalog id {price.catalog_id})" if price.catalog_id else "")
    )
    ctx.print(f"  {price.describe()}")
    if price.context_window:
        ctx.print(
            _("  context window {context_window} tokens").format(
                context_window=format(price.context_window, ",")
            )
        )
    ctx.print(
        _("  output cap reserved when a call sets none: {default_out} tokens").format(
            default_out=format(default_out, ",")
        )
    )
    unpriced = _("  — UNPRICED, fallback rates") if price.unpriced else ""
    ctx.print(_("  source: {source}{unpriced}").format(source=price.source, unpriced=unpriced))
    return 0


def override_set(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.secrets import check_provider

    try:
        provider = check_provider(args.provider)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    model = args.model.strip()
    if not model or any(ch.isspace() for ch in model):
        raise CliError(_("not a model name: {model}").format(model=repr(args.model)))
    inp, out = _usd(args.input, "input") or Decimal(0), _usd(args.output, "output") or Decimal(0)
    cread, cwrite = _usd(args.cache_read, "cache read"), _usd(args.cache_write, "cache write")
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "set a price override")
        if w.provider_config(provider) is None:
            raise CliError(
                _("unknown provider {provider} (see 'tokenwallet provider list')").format(
                    provider=repr(provider)
                )
            )
        w.set_price_override(
            provider, model, input_mtok=inp, output_mtok=out, cache_read_mtok=cread, cache_write_mtok=cwrite
        )
    ctx.print(
        _("Price override for {provider}/{model}: ${value} in / ${value2} out per 1M tokens.").format(
            provider=provider, model=model, value=_dec(inp), value2=_dec(out)
        )
    )
    return 0


def override_remove(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "remove a price override")
        w.remove_price_override(args.provider, args.model)
    ctx.print(
        _("Removed the price override for {provider}/{model}.").format(
            provider=args.provider, model=args.model
        )
    )
    return 0


def override_list(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        items = list(w.price_overrides())
    rows: list[dict[str, Any]] = [
        {
            "provider": o.provider,
            "model": o.model,
            "input_mtok": _dec(o.input_mtok),
            "output_mtok": _dec(o.output_mtok),
            "cache_read_mtok": _dec(o.cache_read_mtok) or None,
            "cache_write_mtok": _dec(o.cache_write_mtok) or None,
        }
        for o in items
    ]
    ctx.listing(
        args.json,
        rows,
        empty=_("No price overrides."),
        headers=[_("provider"), _("model"), _("input"), _("output"), _("cache read")],
        cells=lambda r: [
            r["provider"],
            r["model"],
            r["input_mtok"],
            r["output_mtok"],
            r["cache_read_mtok"] or "",
        ],
        right={2, 3, 4},
    )
    return 0


def prices_update(ctx: Context, args: argparse.Namespace) -> int:
    """Price updates are opt-in: ``--on``/``--off`` store the choice; without them, fetch once now.

    genai-prices keeps fetched prices in the memory of the process that fetched them, so a one-off
    fetch here proves the updater works but does not change what the proxy charges; the app and
    ``tokenwallet serve`` fetch for themselves when the ``price_updates`` setting is on.
    """
    from tokenwallet.pricing.updates import stop_updates, update_prices, wait_for_update

    if args.on or args.off:
        with ctx.wallet() as w:
            require_pin(ctx, w, args, "switch price updates")
            w.set_setting("price_updates", bool(args.on))
        ctx.print(
            "Price updates on: the app and 'tokenwallet serve' fetch newer prices in the background."
            if args.on
            else "Price updates off: the bundled prices are used."
        )
        return 0
    if args.timeout <= 0:
        raise CliError(_("--timeout must be more than zero"))
    if not update_prices(timeout_s=args.timeout):
        raise CliError(_("the price updater is not available in this installation"))
    try:
        fetched = wait_for_update(args.timeout)
    finally:
        stop_updates()
    if not fetched:
        raise CliError(_("could not fetch newer prices (offline?); the bundled prices stay in use"))
    ctx.print(
        _("Newer prices are available. Turn on background updates with: tokenwallet prices update --on")
    )
    return 0
