"""``tokenwallet preview FILE --compare``: the same prompt priced across every model you could use.

One row per model of the providers you hold a key for and of the presets you could add (marked
"no key"): input tokens by that model's own tokenizer and image rule, the worst case the meter
would hold, whether prompt + output fit its context window, its tier, its energy and the share of
each of your budgets it would take. The numbers come from :mod:`tokenwallet.pricing.compare`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.columns import table
from tokenwallet.commands.common import CliError, Context
from tokenwallet.commands.i18n import _
from tokenwallet.core.energy_text import wh_cell
from tokenwallet.core.money import format_tokens, format_usd
from tokenwallet.pricing.compare import (
    CompareRow,
    Prompt,
    candidate_prices,
    compare,
    percent_text,
    prompt_counter,
    row_dict,
    share_columns,
    share_of,
    sort_rows,
)
from tokenwallet.pricing.holds import OutputPlan

if TYPE_CHECKING:
    from tokenwallet.pricing import PriceBook

DEFAULT_ROWS = 20


def compare_command(
    ctx: Context,
    args: argparse.Namespace,
    *,
    text: str,
    body: dict[str, Any] | None,
    model: str | None,
    profile_arg: str | None,
    project_arg: str | None,
) -> int:
    """``preview --compare``: the wallet side (provider, endpoint, output plan, envelopes)."""
    from tokenwallet.commands.preview import _default_profile, _for_anyone, _guess_endpoint, _output_plan
    from tokenwallet.commands.pricebook import infer_provider
    from tokenwallet.pricing import pricebook_for

    sort = check_sort(args.sort)
    with ctx.wallet() as w:
        book = pricebook_for(w)
        baseline = None
        kind, endpoint = "openai", None
        if model:
            provider = args.provider or infer_provider(model, w, book)
            cfg = w.provider_config(provider)
            if cfg is None:
                raise CliError(
                    _("unknown provider {provider} (see 'tokenwallet provider list')").format(
                        provider=repr(provider)
                    )
                )
            baseline, kind = (provider, model), cfg.kind
        if body is not None:
            endpoint = args.endpoint or _guess_endpoint(kind, body, model or "")
        plan = _output_plan(endpoint, body, args.max_output)
        profile = profile_arg or _default_profile(w)
        if project_arg:
            w.project(project_arg)  # NotFound → one line
        if profile:
            binding = w.binding_for(profile, project_arg)

            def statuses_for(provider: str, name: str) -> Any:
                return w.applicable(binding, provider=provider, model=name)
        else:
            everyone = w.status()
            scopes = {"wallet", f"project:{project_arg}"}

            def statuses_for(provider: str, name: str) -> Any:
                return [
                    s
                    for s in everyone
                    if str(s.envelope.scope) in scopes or _for_anyone(s.envelope.scope, provider, name)
                ]

        return run_compare(
            ctx,
            w,
            book,
            prompt=Prompt(text, body, kind, endpoint),
            baseline=baseline,
            plan=plan,
            profile=profile,
            project=project_arg,
            statuses_for=statuses_for,
            sort=sort,
            descending=args.desc,
            rows_shown=args.rows,
            as_json=args.json,
        )


def keyed_providers(names: list[str]) -> tuple[set[str], str | None]:
    """Providers with a key in the keychain (only presence is checked), and a note if it is closed."""
    from tokenwallet.secrets import KeyStoreError, NoKeychainError, default_keystore

    try:
        store = default_keystore()
        return {n for n in names if store.get(n) is not None}, None
    except (NoKeychainError, KeyStoreError) as exc:  # compare as if no key were stored, and say so
        return set(), f"Keychain unavailable ({exc}): every model is shown as 'no key'."


def run_compare(
    ctx: Context,
    w: Any,
    book: PriceBook,
    *,
    prompt: Prompt,
    baseline: tuple[str, str] | None,
    plan: OutputPlan,
    profile: str | None,
    project: str | None,
    statuses_for: Any,
    sort: str,
    descending: bool,
    rows_shown: int,
    as_json: bool,
) -> int:
    from tokenwallet.pricing.suggest import Tiers

    tiers = Tiers.load(ctx.data_dir)
    keyed, note = keyed_providers([p.name for p in w.providers()])
    prices = candidate_prices(book, keyed, baseline, tiers)
    if plan.cap is None:  # one output figure for every row, or the comparison compares caps
        cap = book.default_max_output(book.lookup(*baseline)) if baseline else 4096
        plan = OutputPlan(cap, plan.choices)
    from tokenwallet.tokens import ImageDataError

    try:
        rows = compare(
            book,
            prices,
            prompt_counter(prompt),
            plan,
            keyed=keyed,
            envelopes=statuses_for,
            tiers=tiers,
            data_dir=ctx.data_dir,
        )
    except ImageDataError as exc:
        raise CliError(_("cannot read an image in the request: {exc}").format(exc=exc)) from None
    rows = sort_rows(rows, sort, descending=descending)
    shown = rows if rows_shown == 0 else rows[:rows_shown]
    base = [r for r in rows if baseline and _is(r, baseline)]
    if base and base[0] not in shown:
        shown = [*shown, base[0]]  # the model asked about is always in the table
    if as_json:
        ctx.json(
            {
                "profile": profile,
                "project": project,
                "output_tokens": plan.cap,
                "choices": plan.choices,
                "sort": sort,
                "note": note,
                "models": [row_dict(r) for r in shown],
                "total_models": len(rows),
            }
        )
        return 0
    _print(ctx, shown, total=len(rows), baseline=baseline, plan=plan, profile=profile, note=note)
    return 0


def _print(
    ctx: Context,
    rows: list[CompareRow],
    *,
    total: int,
    baseline: tuple[str, str] | None,
    plan: OutputPlan,
    profile: str | None,
    note: str | None,
) -> None:
    times = f" × {plan.choices}" if plan.choices > 1 else ""
    ctx.print(
        f"Output: {format_tokens(plan.cap or 0)}{times} for every model; cost = input + full output"
        + (f"; budgets of profile {profile}" if profile else "")
    )
    envelopes = share_columns(rows)
    head = ["model", "key", "tier", "input", "cost", "context", "energy"]
    head += [e.label for e in envelopes]
    out = []
    for r in rows:
        name = f"{r.provider}/{r.model}"
        if baseline and _is(r, baseline):
            name = "▸ " + name
        cells = [
            name,
            "yes" if r.has_key else "no key",
            r.tier or "—",
            f"{r.input_tokens:,}" + ("" if r.exact else "~"),
            format_usd(r.cost_nano),
            fit_text(r),
            wh_cell(r.energy_wh, estimated=r.energy_estimated),
        ]
        for e in envelopes:
            s = share_of(r, e.id)
            cells.append("—" if s is None else ("" if s.fits else "over: ") + percent_text(s.share_bp))
        out.append(cells)
    ctx.print(table(out, head, right={3, 4, *range(7, len(head))}))
    if total > len(rows):
        ctx.print(_("({value} more models: --rows 0 shows all)").format(value=total - len(rows)))
    if any(r.image_tokens for r in rows):
        ctx.print(_("Input includes the images, counted by each model's own rule."))
    ctx.print(_("~ = estimated input tokens; 'no key' = a provider you could add; ▸ = the model you named."))
    if any(r.energy_estimated for r in rows):
        ctx.print(
            _("~ before an energy: estimated from the model's size class (ecologits has no data for it).")
        )
    if note:
        ctx.print(note)


def _is(r: CompareRow, model: tuple[str, str]) -> bool:
    return (r.provider.lower(), r.model.lower()) == (model[0].lower(), model[1].lower())


def fit_text(r: CompareRow) -> str:
    if r.fits_context is None:
        return "unknown"
    window = f"{r.context_window or 0:,}"
    return f"fits {window}" if r.fits_context else f"TOO LONG ({window})"


def check_sort(value: str) -> str:
    from tokenwallet.pricing.compare import SORT_KEYS

    if value not in SORT_KEYS:
        raise CliError(_("--sort: one of {value}").format(value=", ".join(SORT_KEYS)))
    return value
