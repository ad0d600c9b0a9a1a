"""The numbers behind the cost preview (no Qt): tokens, cost, envelope shares, cheaper models.

Runs on a worker: counting a large file with tiktoken takes a while and must not freeze the window.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet.core.usage import Usage
from tokenwallet.gui.actions import envelope_title
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.words import word
from tokenwallet.pricing.compare import CompareRow, Prompt

if TYPE_CHECKING:
    from tokenwallet.pricing import PriceBook
    from tokenwallet.secrets import KeyStore
    from tokenwallet.wallet import Wallet

BODY_KEYS = ("messages", "input", "contents", "prompt")


@dataclass(frozen=True)
class EnvelopeShare:
    """How much of one applicable envelope the call would use."""

    title: str
    unit: str
    action: str
    need: int  # nano-USD for money envelopes, tokens for token envelopes
    available: int
    share_bp: int | None  # hundredths of a percent of what is available; None when nothing is left
    fits: bool


@dataclass(frozen=True)
class PreviewResult:
    provider: str
    model: str
    input_tokens: int
    exact: bool
    method: str
    output_tokens: int
    cost_nano: int
    input_cost_nano: int
    price_source: str
    unpriced: bool
    shares: tuple[EnvelopeShare, ...]
    verdict: str  # "fits" | "warn" | "downgrade" | "refused"
    verdict_text: str
    suggestions: tuple[Any, ...]  # pricing.suggest.Suggestion
    image_tokens: int = 0  # the part of input_tokens that is images (a pasted request body)
    images_unsized: int = 0  # image URLs counted at the largest size the model bills
    rows: tuple[CompareRow, ...] = ()  # every model, priced for the same prompt (pricing.compare)
    keyed_note: str | None = None  # why no provider shows as keyed, when the keychain is closed
    energy_saved: tuple[int | None, ...] = ()  # µWh each suggestion saves (core.energy.energy_saved)


def split_model(text: str) -> tuple[str, str]:
    """``"openai/gpt-4o"`` → ``("openai", "gpt-4o")``; a bare model name is taken as OpenAI's
    unless it names a Claude or Gemini model."""
    text = text.strip()
    if "/" in text:
        provider, model = text.split("/", 1)
        return provider.strip(), model.strip()
    low = text.lower()
    if low.startswith("claude"):
        return "anthropic", text
    if low.startswith("gemini"):
        return "gemini", text
    return "openai", text


def compute_preview(
    wallet: Wallet,
    book: PriceBook,
    *,
    text: str,
    provider: str,
    model: str,
    output_tokens: int,
    profile: str | None,
    data_dir: Path | None = None,
    keystore: KeyStore | None = None,
    compare_models: bool = True,
) -> PreviewResult:
    """Count, price and place one prompt against the profile's envelopes; with ``compare_models``,
    price it for every model too (the keychain tells which providers have a key)."""
    from tokenwallet.core.energy import energy_saved
    from tokenwallet.pricing.suggest import suggest_cheaper
    from tokenwallet.tokens import count_request

    if output_tokens < 0:
        raise ValueError(tr("expected output length cannot be negative"))
    prompt = read_prompt(text, _kind(wallet, provider), model)
    count = count_request(prompt.kind, prompt.endpoint or "", prompt.body, model) if prompt.body else None
    if count is None:
        from tokenwallet.tokens import count_text

        count = count_text(text, model)
    price = book.lookup(provider, model)  # UnknownModelError says how to add a price
    usage = Usage(input_tokens=count.tokens, output_tokens=output_tokens)
    cost = book.cost(price, usage)
    input_cost = book.cost(price, Usage(input_tokens=count.tokens))
    shares: list[EnvelopeShare] = []
    verdict, verdict_text = "fits", tr("Fits every budget that applies.")
    # exactly the envelopes a call by this profile would charge (the proxy's own rule)
    statuses = (
        wallet.applicable(wallet.binding_for(profile), provider=provider, model=model)
        if profile
        else [s for s in wallet.status() if _for_anyone(s.envelope.scope, provider, model)]
    )
    for st in statuses:
        env = st.envelope
        need = cost if env.unit == "usd" else count.tokens + output_tokens
        fits = need <= st.available
        share = need * 10_000 // st.available if st.available > 0 else None
        shares.append(
            EnvelopeShare(envelope_title(env), env.unit, env.action, need, st.available, share, fits)
        )
        if fits:
            continue
        if env.action == "block":
            verdict, verdict_text = (
                "refused",
                tr("Would be refused: {envelope_title} cannot cover it.").format(
                    envelope_title=envelope_title(env)
                ),
            )
        elif env.action == "downgrade" and verdict != "refused":
            verdict, verdict_text = (
                "downgrade",
                (
                    tr("Would be switched to a cheaper model: {envelope_title} cannot cover it.").format(
                        envelope_title=envelope_title(env)
                    )
                ),
            )
        elif verdict == "fits":
            verdict, verdict_text = (
                "warn",
                tr("Over {envelope_title}, which only warns: it would go through.").format(
                    envelope_title=envelope_title(env)
                ),
            )
    if not statuses:
        verdict_text = (
            tr("No budget applies to {profile}: nothing limits this call.").format(profile=profile)
            if profile
            else tr("No budget applies: nothing limits this call.")
        )
    rows: tuple[CompareRow, ...] = ()
    note = None
    if compare_models:
        keyed, note = keyed_providers(keystore, (p.name for p in wallet.providers()))
        rows = compare_all(
            wallet,
            book,
            prompt,
            baseline=(provider, model),
            output_tokens=output_tokens,
            profile=profile,
            keyed=keyed,
            data_dir=data_dir,
        )
    suggestions = tuple(
        suggest_cheaper(
            book,
            provider,
            model,
            usage,
            context_needed=count.tokens + output_tokens,
            limit=5,
            data_dir=data_dir,
        )
    )
    return PreviewResult(
        provider=provider,
        model=model,
        input_tokens=count.tokens,
        exact=count.exact,
        method=count.method,
        output_tokens=output_tokens,
        cost_nano=cost,
        input_cost_nano=input_cost,
        price_source=price.source,
        unpriced=price.unpriced,
        shares=tuple(shares),
        verdict=verdict,
        verdict_text=verdict_text,
        suggestions=suggestions,
        image_tokens=count.image_tokens,
        images_unsized=count.images_unsized,
        rows=rows,
        keyed_note=note,
        energy_saved=tuple(
            energy_saved(provider, model, s.provider, s.model, output_tokens) for s in suggestions
        ),
    )


def read_prompt(text: str, kind: str, model: str) -> Prompt:
    """A pasted request body (a JSON object with messages, input, contents or prompt) is counted the
    way the proxy counts it, images included; anything else is prompt text."""
    from tokenwallet.tokens import guess_endpoint

    if text.lstrip().startswith("{"):
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        if isinstance(body, dict) and any(k in body for k in BODY_KEYS):
            endpoint = guess_endpoint(kind, body, model)
            if endpoint is not None:
                return Prompt(text, body, kind, endpoint)
    return Prompt(text)


def _kind(wallet: Wallet, provider: str) -> str:
    cfg = wallet.provider_config(provider)
    return cfg.kind if cfg is not None else "openai"


def keyed_providers(store: KeyStore | None, names: Iterable[str]) -> tuple[set[str], str | None]:
    """The providers with a key in the keychain (presence only), and a note when it cannot be read."""
    if store is None:
        return set(), None
    from tokenwallet.secrets import KeyStoreError, NoKeychainError

    try:
        return {n for n in names if store.get(n) is not None}, None
    except (NoKeychainError, KeyStoreError) as exc:  # every model shows "no key", and why
        return set(), tr("The keychain could not be read ({exc}): every model shows as 'no key'.").format(
            exc=exc
        )


def compare_all(
    wallet: Wallet,
    book: PriceBook,
    prompt: Prompt,
    *,
    baseline: tuple[str, str],
    output_tokens: int,
    profile: str | None,
    keyed: set[str],
    data_dir: Path | None,
) -> tuple[CompareRow, ...]:
    """Every model of the keyed providers and the presets, priced for ``prompt`` (pricing.compare)."""
    from tokenwallet.pricing.compare import candidate_prices, compare, prompt_counter
    from tokenwallet.pricing.holds import OutputPlan
    from tokenwallet.pricing.suggest import Tiers

    tiers = Tiers.load(data_dir)
    binding = wallet.binding_for(profile) if profile else None
    everyone = None if profile else wallet.status()

    def envelopes(provider: str, name: str) -> Any:
        if binding is not None:
            return wallet.applicable(binding, provider=provider, model=name)
        return [s for s in everyone or () if _for_anyone(s.envelope.scope, provider, name)]

    prices = candidate_prices(book, keyed, baseline, tiers)
    rows = compare(
        book,
        prices,
        prompt_counter(prompt),
        OutputPlan(output_tokens),
        keyed=keyed,
        envelopes=envelopes,
        tiers=tiers,
        data_dir=data_dir,
    )
    return tuple(rows)


def share_text(bp: int | None) -> str:
    """``12 %``, ``0.35 %``, ``under 0.01 %``, or ``nothing left``."""
    if bp is None:
        return tr("nothing left")
    if bp >= 1000:
        return f"{bp // 100:,} %"
    if bp == 0:
        return tr("under 0.01 %")
    return f"{bp // 100}.{bp % 100:02d} %"


def suggestion_text(s: Any, money: str, baseline_provider: str = "", energy_uwh: int | None = None) -> str:
    """``gpt-4o-mini: same tier for this prompt, saves 94 % ($0.0123)`` (provider named when it differs),
    with ``and 1.2 Wh`` when ecologits knows both models and the cheaper one uses less energy."""
    from tokenwallet.core.energy_text import wh_text

    tier = tr("same tier") if s.same_tier else tr("{tier} tier").format(tier=word(s.tier))
    name = s.model if s.provider == baseline_provider else f"{s.provider}/{s.model}"
    energy = (
        tr(" and {wh_text}").format(wh_text=wh_text(energy_uwh))
        if energy_uwh is not None and energy_uwh > 0
        else ""
    )
    return tr("{name}: {tier} for this prompt, saves {saving_pct} % ({money}){energy}").format(
        name=name, tier=tier, saving_pct=s.saving_pct, money=money, energy=energy
    )


def _for_anyone(scope: Any, provider: str, model: str) -> bool:
    from tokenwallet.core.model_patterns import scope_covers

    return scope_covers(scope.kind, scope.name, getattr(scope, "profile", None), provider, model)
