"""The numbers behind the cost preview (no Qt): tokens, cost, envelope shares, cheaper models.

Runs on a worker: counting a large file with tiktoken takes a while and must not freeze the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet.core.usage import Usage
from tokenwallet.gui.actions import envelope_title

if TYPE_CHECKING:
    from tokenwallet.pricing import PriceBook
    from tokenwallet.wallet import Wallet


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
) -> PreviewResult:
    """Count, price and place one prompt against the profile's envelopes."""
    from tokenwallet.pricing.suggest import suggest_cheaper
    from tokenwallet.tokens import count_text

    if output_tokens < 0:
        raise ValueError("expected output length cannot be negative")
    count = count_text(text, model)
    price = book.lookup(provider, model)  # UnknownModelError says how to add a price
    usage = Usage(input_tokens=count.tokens, output_tokens=output_tokens)
    cost = book.cost(price, usage)
    input_cost = book.cost(price, Usage(input_tokens=count.tokens))
    shares: list[EnvelopeShare] = []
    verdict, verdict_text = "fits", "Fits every budget that applies."
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
            verdict, verdict_text = "refused", f"Would be refused: {envelope_title(env)} cannot cover it."
        elif env.action == "downgrade" and verdict != "refused":
            verdict, verdict_text = (
                "downgrade",
                (f"Would be switched to a cheaper model: {envelope_title(env)} cannot cover it."),
            )
        elif verdict == "fits":
            verdict, verdict_text = (
                "warn",
                f"Over {envelope_title(env)}, which only warns: it would go through.",
            )
    if not statuses:
        verdict_text = (
            "No budget applies" + (f" to {profile}" if profile else "") + ": nothing limits this call."
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
    )


def share_text(bp: int | None) -> str:
    """``12 %``, ``0.35 %``, ``under 0.01 %``, or ``nothing left``."""
    if bp is None:
        return "nothing left"
    if bp >= 1000:
        return f"{bp // 100} %"
    if bp == 0:
        return "under 0.01 %"
    return f"{bp // 100}.{bp % 100:02d} %"


def suggestion_text(s: Any, money: str, baseline_provider: str = "") -> str:
    """``gpt-4o-mini: same tier for this prompt, saves 94 % ($0.0123)`` (provider named when it differs)."""
    tier = "same tier" if s.same_tier else f"{s.tier} tier"
    name = s.model if s.provider == baseline_provider else f"{s.provider}/{s.model}"
    return f"{name}: {tier} for this prompt, saves {s.saving_pct} % ({money})"


def _for_anyone(scope: Any, provider: str, model: str) -> bool:
    from tokenwallet.core.model_patterns import scope_covers

    return scope_covers(scope.kind, scope.name, getattr(scope, "profile", None), provider, model)
