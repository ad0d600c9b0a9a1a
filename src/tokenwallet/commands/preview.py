"""``tokenwallet preview FILE --model M``: what a prompt would cost before you send it.

Shows the input tokens (exact for OpenAI models, a marked estimate otherwise), the cost range from
input only to input + the full output cap, the share of every envelope that would pay for it and
whether it fits, and cheaper models with their savings. A ``.json`` file holding a request body as
sent to the API is counted exactly the way the proxy counts it (``tokens.count_request``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet import paths
from tokenwallet.commands.budgets import fmt_amount
from tokenwallet.commands.columns import display_width, pad, table
from tokenwallet.commands.common import ACTION_WORDS, CliError, Context, check_name, word
from tokenwallet.commands.i18n import _, ngettext
from tokenwallet.commands.pricebook import infer_provider
from tokenwallet.pricing import pricebook_for
from tokenwallet.pricing.holds import OutputPlan, RequestFieldError, output_plan, worst_case

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers

MAX_PREVIEW_BYTES = 64 * 1024 * 1024


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "preview",
        help=_("tokens, cost range, budget share and cheaper models for a prompt (or request .json)"),
        parents=[common],
    )
    p.add_argument("file", help=_("a text file with the prompt, a .json request body, or - for stdin"))
    p.add_argument("--model", help=_('the model (default: the body\'s "model")'))
    p.add_argument("--provider", help=_("who serves it (default: guessed from the model)"))
    p.add_argument(
        "--max-output",
        type=_non_negative,
        metavar="N",
        help=_("output token cap (default: the body's, else the model's default)"),
    )
    p.add_argument("--profile", metavar="NAME", help=_("whose envelopes (default: the only profile)"))
    p.add_argument("--project", metavar="NAME", help=_("for which project (its envelopes apply too)"))
    p.add_argument(
        "--endpoint", help=_("for a .json body: chat/completions, responses, messages, … (default: guessed)")
    )
    p.add_argument(
        "--limit", type=_non_negative, default=5, help=_("how many cheaper models to show (default 5)")
    )
    p.add_argument(
        "--compare",
        action="store_true",
        help=_("price the prompt across every model you have keys for (and the ones you could add)"),
    )
    p.add_argument(
        "--sort",
        default="cost",
        metavar="KEY",
        help=_("with --compare: cost (default), fit, tier, energy or model"),
    )
    p.add_argument("--desc", action="store_true", help=_("with --compare: sort descending"))
    p.add_argument(
        "--rows", type=_non_negative, default=20, metavar="N", help=_("with --compare: rows shown (0 = all)")
    )
    p.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    p.set_defaults(handler=preview)


def _non_negative(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def _read(ctx: Context, name: str) -> str:
    if name == "-":
        return ctx.stdin.read()
    path = Path(name)
    if not path.is_file():
        raise CliError(_("no such file: {name}").format(name=name))
    if paths.is_wallet_file(path, ctx.data_dir):
        raise CliError(_("{name} is the wallet's own file, not a prompt").format(name=name))
    if path.stat().st_size > MAX_PREVIEW_BYTES:
        raise CliError(
            _("{name} is larger than {value} MB").format(name=name, value=MAX_PREVIEW_BYTES // (1024 * 1024))
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CliError(_("{name} is not UTF-8 text").format(name=name)) from None


def _guess_endpoint(kind: str, body: dict[str, Any], model: str) -> str:
    from tokenwallet.tokens import guess_endpoint

    endpoint = guess_endpoint(kind, body, model)
    if endpoint is None:
        raise CliError(
            _("cannot tell which endpoint this body is for: add --endpoint (e.g. chat/completions)")
        )
    return endpoint


def _output_plan(endpoint: str | None, body: dict[str, Any] | None, cap: int | None) -> OutputPlan:
    """The output the proxy would hold for: the body's cap and choices (pricing.holds), --max-output wins."""
    plan = OutputPlan(None)
    if body is not None and endpoint is not None:
        try:
            plan = output_plan(endpoint, body)
        except RequestFieldError as exc:
            raise CliError(
                _("the proxy would refuse this body: {field} {message}").format(
                    field=exc.field, message=exc.message
                )
            ) from None
    return plan if cap is None else OutputPlan(cap, plan.choices)


def preview(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.core.usage import Usage
    from tokenwallet.tokens import ImageDataError, count_request, count_text

    text = _read(ctx, args.file)
    body: dict[str, Any] | None = None
    if args.file.lower().endswith(".json"):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CliError(
                _("{file} is not valid JSON: {msg} (line {lineno})").format(
                    file=args.file, msg=exc.msg, lineno=exc.lineno
                )
            ) from None
        if not isinstance(parsed, dict):
            raise CliError(_("{file} must hold a JSON object (a request body)").format(file=args.file))
        body = parsed
    model = args.model or (str(body["model"]) if body and body.get("model") else None)
    profile_arg = check_name(args.profile, "profile") if args.profile else None
    project_arg = check_name(args.project, "project") if args.project else None
    if args.compare:
        from tokenwallet.commands.preview_compare import compare_command

        return compare_command(
            ctx, args, text=text, body=body, model=model, profile_arg=profile_arg, project_arg=project_arg
        )
    if not model:
        raise CliError(_("which model? add --model MODEL"))

    with ctx.wallet() as w:
        book = pricebook_for(w)
        provider = args.provider or infer_provider(model, w, book)
        cfg = w.provider_config(provider)
        if cfg is None:
            raise CliError(
                _("unknown provider {provider} (see 'tokenwallet provider list')").format(
                    provider=repr(provider)
                )
            )
        price = book.lookup(provider, model)  # UnknownModelError → one line
        endpoint = None
        if body is not None:
            endpoint = args.endpoint or _guess_endpoint(cfg.kind, body, model)
            try:
                count = count_request(cfg.kind, endpoint, body, model)
            except ImageDataError as exc:
                raise CliError(
                    _("cannot read an image in {file}: {exc}").format(file=args.file, exc=exc)
                ) from None
        else:
            count = count_text(text, model)
        n = count.tokens
        worst = worst_case(book, price, _output_plan(endpoint, body, args.max_output), n)
        max_out = worst.output_tokens
        low = book.cost(price, Usage(input_tokens=n))
        high = worst.cost_nano
        profile = profile_arg or _default_profile(w)
        if project_arg:
            w.project(project_arg)  # NotFound → one line
        if profile:
            # exactly the envelopes the proxy would reserve against for this profile (and project)
            statuses = w.applicable(w.binding_for(profile, project_arg), provider=provider, model=model)
        else:
            scopes = {"wallet", f"project:{project_arg}"}
            statuses = [
                s
                for s in w.status()
                if str(s.envelope.scope) in scopes or _for_anyone(s.envelope.scope, provider, model)
            ]
        shares = [_share(s, high, n + max_out) for s in statuses]
        cheaper = _suggestions(
            book,
            provider,
            model,
            Usage(input_tokens=n, output_tokens=max_out),
            context=n + worst.cap,
            limit=args.limit,
            data_dir=ctx.data_dir,
        )

    fits = all(s["fits"] for s in shares if s["action"] == "block")
    result: dict[str, Any] = {
        "model": model,
        "provider": provider,
        "input_tokens": n,
        "exact": count.exact,
        "method": count.method,
        "image_tokens": count.image_tokens,
        "images_unsized": count.images_unsized,
        "max_output": worst.cap,
        "choices": worst.choices,
        "cost_min_nano": low,
        "cost_max_nano": high,
        "price_source": price.source,
        "unpriced": price.unpriced,
        "profile": profile,
        "project": project_arg,
        "envelopes": shares,
        "fits": fits,
        "cheaper": cheaper,
    }
    if args.json:
        ctx.json(result)
    else:
        _print(ctx, result)
    return 0


def _default_profile(w: Any) -> str | None:
    profiles = w.profiles()
    if len(profiles) == 1:
        return str(profiles[0].name)
    for p in profiles:
        if p.name == "default":
            return "default"
    return None


def _share(s: Any, cost: int, tokens: int) -> dict[str, Any]:
    e = s.envelope
    need = cost if e.unit == "usd" else tokens
    avail = s.available
    share = None if avail <= 0 else round(need * 100 / avail, 1)
    return {
        "envelope": e.label,
        "scope": str(e.scope),
        "period": e.period,
        "unit": e.unit,
        "action": e.action,
        "needed": need,
        "available": avail,
        "share_pct": share,
        "fits": need <= avail,
    }


def _suggestions(
    book: Any, provider: str, model: str, mix: Any, *, context: int, limit: int, data_dir: Path
) -> list[dict[str, Any]]:
    from tokenwallet.pricing.suggest import suggest_cheaper

    if limit == 0:
        return []
    from tokenwallet.core.energy import energy_saved

    found = suggest_cheaper(
        book, provider, model, mix, context_needed=context, limit=limit, data_dir=data_dir
    )
    return [
        {
            "provider": s.provider,
            "model": s.model,
            "tier": s.tier,
            "same_tier": s.same_tier,
            "cost_nano": s.cost_nano,
            "saving_nano": s.saving_nano,
            "saving_pct": s.saving_pct,
            # µWh less for the full output, where ecologits knows both models (else None)
            "energy_saved_uwh": energy_saved(provider, model, s.provider, s.model, mix.output_tokens),
        }
        for s in found
    ]


def _energy_saved_text(uwh: int | None) -> str:
    from tokenwallet.core.energy_text import wh_text

    if uwh is None:
        return ""
    return f"−{wh_text(uwh)}" if uwh >= 0 else f"+{wh_text(-uwh)}"


LABEL_WIDTH = 14


def _print(ctx: Context, r: dict[str, Any]) -> None:
    from tokenwallet.core.money import format_tokens, format_usd

    def line(label: str, value: str) -> None:  # labels padded to 14 columns, in any language
        ctx.print(pad(label, max(LABEL_WIDTH, display_width(label) + 1)) + value)

    how = _("exact") if r["exact"] else _("ESTIMATE")
    line(
        _("Model:"),
        f"{r['provider']}/{r['model']}" + (_("  (UNPRICED: fallback rates)") if r["unpriced"] else ""),
    )
    counted = _("{tokens} ({how}: {method})")
    line(_("Input:"), counted.format(tokens=format_tokens(r["input_tokens"]), how=how, method=r["method"]))
    if r["image_tokens"]:
        images = _("{tokens} for images").format(tokens=format_tokens(r["image_tokens"]))
        line(_("  of which:"), images + _unsized(r["images_unsized"]))
    times = _(" × {n} generations").format(n=r["choices"]) if r["choices"] > 1 else ""
    line(_("Output cap:"), f"{format_tokens(r['max_output'])}{times}")
    line(
        _("Cost:"),
        _("{low} (input only) … {high} (input + full output)   [prices: {source}]").format(
            low=format_usd(r["cost_min_nano"]), high=format_usd(r["cost_max_nano"]), source=r["price_source"]
        ),
    )
    if r["envelopes"]:
        if r["profile"]:
            who = _(" (profile {name})").format(name=r["profile"])
        else:
            who = _(" (wallet-wide; use --profile for a profile's)")
        ctx.print("\n" + _("Envelopes{who}:").format(who=who))
        rows = []
        for s in r["envelopes"]:
            unit = s["unit"]
            pct = s["share_pct"]
            share = "—" if pct is None else ("<0.1 %" if s["needed"] > 0 and pct < 0.1 else f"{pct:g} %")
            if s["fits"]:
                verdict = _("fits")
            elif s["action"] == "block":
                verdict = _("REFUSED (block)")
            else:
                verdict = _("over ({action})").format(action=word(ACTION_WORDS, s["action"]))
            rows.append(
                [
                    s["envelope"],
                    fmt_amount(unit, s["needed"]),
                    fmt_amount(unit, s["available"]),
                    share,
                    verdict,
                ]
            )
        ctx.print(table(rows, [_("envelope"), _("needs"), _("available"), _("share"), ""], right={1, 2, 3}))
    else:
        ctx.print("\n" + _("No budget applies: nothing limits this call."))
    ctx.print(
        "\n"
        + (_("Fits every blocking budget.") if r["fits"] else _("Would be REFUSED by a blocking budget."))
    )
    if r["cheaper"]:
        ctx.print("\n" + _("Cheaper models for this prompt (input + full output):"))
        rows = [
            [
                f"{c['provider']}/{c['model']}",
                format_usd(c["cost_nano"]),
                f"−{format_usd(c['saving_nano'])}",
                f"{c['saving_pct']} %",
                _energy_saved_text(c["energy_saved_uwh"]),
                _("same tier") if c["same_tier"] else _("tier {tier}").format(tier=c["tier"]),
            ]
            for c in r["cheaper"]
        ]
        heads = [_("model"), _("cost"), _("saving"), "", _("energy"), _("capability")]
        ctx.print(table(rows, heads, right={1, 2, 3, 4}))


def _unsized(n: int) -> str:
    if not n:
        return ""
    return ngettext(
        " ({n} image is a URL the preview cannot measure: counted at the largest size the model bills)",
        " ({n} images are a URL the preview cannot measure: counted at the largest size the model bills)",
        n,
    ).format(n=n)


def _for_anyone(scope: Any, provider: str, model: str) -> bool:
    """A model/provider budget for every profile that covers this model (previews without a profile)."""
    from tokenwallet.core.model_patterns import scope_covers

    return scope.kind != "wallet" and scope_covers(scope.kind, scope.name, scope.profile, provider, model)
