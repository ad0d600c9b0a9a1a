"""One prompt priced across many models: the numbers behind ``preview --compare`` and the app's table.

Every row is one model: its input tokens for this prompt (each model counts with its own tokenizer
and its own image rule), the worst case the proxy would hold (input + the full output cap), whether
prompt + output fit its context window, its capability tier (``model_tiers.toml``), its energy for
the call (:func:`energy_wh`) and the share of every budget that would pay for it. Models come from
the providers the user has a key for and from the provider presets they could add (``has_key``
False). Money is nano-USD; shares are hundredths of a percent of what is left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tokenwallet.pricing.book import DEFAULT_CATALOG_PROVIDERS, PriceBook
from tokenwallet.pricing.holds import OutputPlan, worst_case
from tokenwallet.pricing.suggest import Tiers

if TYPE_CHECKING:
    from tokenwallet.pricing.model_price import ModelPrice
    from tokenwallet.tokens import TokenCount
    from tokenwallet.wallet.types import Envelope, EnvelopeStatus

# (provider, model) → the prompt's input count for that model
Counter = Callable[[str, str], "TokenCount"]
# (provider, model) → the envelopes a call to it would charge, as they stand
Envelopes = Callable[[str, str], Sequence["EnvelopeStatus"]]
SORT_KEYS = ("cost", "fit", "tier", "energy", "model")


@dataclass(frozen=True, slots=True)
class Prompt:
    """What is compared: a prompt text, or a request body with the wire it was written for."""

    text: str
    body: Mapping[str, Any] | None = None
    kind: str = "openai"
    endpoint: str | None = None


def prompt_counter(prompt: Prompt) -> Counter:
    """(provider, model) → TokenCount; models sharing a tokenizer and an image rule are counted
    once. An inline image that cannot be read raises ``tokens.ImageDataError``."""
    from tokenwallet.tokens import count_request, count_text, encoding_name_for, family_for
    from tokenwallet.tokens.vision import is_claude, openai_rule

    cache: dict[tuple[str, str], TokenCount] = {}

    def count(provider: str, model: str) -> TokenCount:
        tokenizer = encoding_name_for(model) or family_for(model).name
        rule = "claude" if is_claude(model) else repr(openai_rule(model)[0])
        key = (tokenizer, rule if prompt.body is not None else "")
        if key not in cache:
            if prompt.body is None:
                cache[key] = count_text(prompt.text, model)
            else:
                cache[key] = count_request(prompt.kind, prompt.endpoint or "", prompt.body, model)
        return cache[key]

    return count


class CallEnergy(NamedTuple):
    """One call's energy for the table: the middle of the range in Wh; ``estimated`` when ecologits
    has no data for the model and its size class stood in (shown with ``~``)."""

    wh: float
    estimated: bool


def energy_wh(provider: str, model: str, input_tokens: int, output_tokens: int) -> CallEnergy | None:
    """Energy of one call (the middle of ecologits' range, for display and sorting), or None where
    no estimate exists (the table shows "—").

    The one place the compare table takes energy from: core.energy's per-call estimate, with
    ecologits' modelled generation time (no latency is known before the call). Energy does not
    depend on the electricity mix, so the world mix is used. A local model's energy is the user's
    GPU watts × a duration nobody knows yet: no estimate.
    """
    from tokenwallet.core.energy import LOCAL_PROVIDERS, EnergyError, energy_for

    if provider.lower() in LOCAL_PROVIDERS:
        return None
    try:
        impact = energy_for(provider, model, output_tokens, None, "WOR")
    except EnergyError:
        return None
    return CallEnergy(impact.wh_mid, impact.estimated) if impact is not None else None


@dataclass(frozen=True, slots=True)
class Share:
    """What one envelope would give for the call."""

    envelope: Envelope
    unit: str  # "usd" | "tokens"
    action: str  # "block" | "warn" | "downgrade"
    need: int
    available: int
    share_bp: int | None  # hundredths of a percent of what is left; None: nothing is left
    fits: bool


@dataclass(frozen=True, slots=True)
class CompareRow:
    provider: str
    model: str
    has_key: bool
    tier: str | None
    tier_rank: int | None  # position in the tier order, 0 = most capable… as the table lists them
    input_tokens: int
    image_tokens: int
    exact: bool
    output_tokens: int  # the output the hold covers: cap × generations
    cost_nano: int  # input + the full output: what the proxy would hold
    input_cost_nano: int
    context_window: int | None
    fits_context: bool | None  # None: the context window is not known
    energy_wh: float | None
    unpriced: bool
    energy_estimated: bool = False  # from the model's size class, not ecologits' data for it
    shares: tuple[Share, ...] = field(default=())

    @property
    def refused(self) -> bool:
        """A blocking budget could not cover this call."""
        return any(s.action == "block" and not s.fits for s in self.shares)


def candidate_prices(
    book: PriceBook, keyed: Iterable[str], baseline: tuple[str, str] | None, tiers: Tiers
) -> list[ModelPrice]:
    """The models to compare: every tiered chat model of a keyed provider or a preset provider
    (OpenRouter, which resells the others, only when keyed), plus the baseline model itself."""
    keyed_set = {k.lower() for k in keyed}
    presets = [p for p in DEFAULT_CATALOG_PROVIDERS if p != "openrouter" or p in keyed_set]
    providers = list(dict.fromkeys([*sorted(keyed_set), *presets]))
    prices: dict[tuple[str, str], ModelPrice] = {}
    if baseline is not None:
        base = book.lookup(*baseline)  # UnknownModelError: the caller names the model it asked for
        prices[(base.provider.lower(), base.model.lower())] = base
    for price in book.catalog(providers):
        if tiers.tier_of(price.provider, price.model) is None:
            continue  # embeddings, speech, images… and models nobody tiered: not a chat substitute
        key = (price.provider.lower(), (price.catalog_id or price.model).lower())
        if key in prices or (price.provider.lower(), price.model.lower()) in prices:
            continue
        prices[key] = price
    return list(prices.values())


def compare(
    book: PriceBook,
    prices: Iterable[ModelPrice],
    count: Counter,
    plan: OutputPlan,
    *,
    keyed: Iterable[str],
    envelopes: Envelopes | None = None,
    tiers: Tiers | None = None,
    data_dir: Path | None = None,
    energy: Callable[[str, str, int, int], CallEnergy | None] = energy_wh,
) -> list[CompareRow]:
    """A row per price in ``prices``, cheapest first."""
    from tokenwallet.core.usage import Usage

    tiers = tiers or Tiers.load(data_dir)
    keyed_set = {k.lower() for k in keyed}
    rows = []
    for price in prices:
        n = count(price.provider, price.model)
        worst = worst_case(book, price, plan, n.tokens)
        tier = tiers.tier_of(price.provider, price.model)
        window = price.context_window
        need_tokens = worst.tokens(n.tokens)
        used = energy(price.provider, price.model, n.tokens, worst.output_tokens)
        shares = tuple(
            _share(s, worst.cost_nano, need_tokens)
            for s in (envelopes(price.provider, price.model) if envelopes else ())
        )
        rows.append(
            CompareRow(
                provider=price.provider,
                model=price.model,
                has_key=price.provider.lower() in keyed_set,
                tier=tier,
                tier_rank=tiers.order.index(tier) if tier in tiers.order else None,
                input_tokens=n.tokens,
                image_tokens=n.image_tokens,
                exact=n.exact,
                output_tokens=worst.output_tokens,
                cost_nano=worst.cost_nano,
                input_cost_nano=book.cost(price, Usage(input_tokens=n.tokens)),
                context_window=window,
                fits_context=None if window is None else need_tokens <= window,
                energy_wh=None if used is None else used.wh,
                unpriced=price.unpriced,
                energy_estimated=used is not None and used.estimated,
                shares=shares,
            )
        )
    return sort_rows(rows, "cost")


def _share(s: EnvelopeStatus, cost: int, tokens: int) -> Share:
    e = s.envelope
    need = cost if e.unit == "usd" else tokens
    avail = s.available
    return Share(
        envelope=e,
        unit=e.unit,
        action=e.action,
        need=need,
        available=avail,
        share_bp=need * 10_000 // avail if avail > 0 else None,
        fits=need <= avail,
    )


def sort_rows(rows: Iterable[CompareRow], by: str, *, descending: bool = False) -> list[CompareRow]:
    """Rows ordered by ``by`` (one of :data:`SORT_KEYS`); unknown values (no energy, no context
    window, no tier) go last either way, and ties fall back to cost, then name."""
    if by not in SORT_KEYS:
        raise ValueError(f"sort by one of {', '.join(SORT_KEYS)}, not {by!r}")

    def value(r: CompareRow) -> Any:
        return {
            "cost": r.cost_nano,
            "fit": None if r.fits_context is None else (0 if r.fits_context else 1),
            "tier": r.tier_rank,
            "energy": r.energy_wh,
            "model": f"{r.provider}/{r.model}".lower(),
        }[by]

    known = [r for r in rows if value(r) is not None]
    unknown = [r for r in rows if value(r) is None]
    tie = sorted(known, key=lambda r: (r.cost_nano, r.provider, r.model))
    ordered = sorted(tie, key=value, reverse=descending)
    return ordered + sorted(unknown, key=lambda r: (r.cost_nano, r.provider, r.model))


def share_columns(rows: Iterable[CompareRow]) -> list[Envelope]:
    """Every envelope that pays for at least one row, in first-seen order (a column each)."""
    seen: dict[int, Envelope] = {}
    for r in rows:
        for s in r.shares:
            seen.setdefault(s.envelope.id, s.envelope)
    return list(seen.values())


def share_of(row: CompareRow, envelope_id: int) -> Share | None:
    """The row's share of one envelope; None when that envelope does not pay for this model."""
    return next((s for s in row.shares if s.envelope.id == envelope_id), None)


def percent_text(bp: int | None) -> str:
    """A share in words: ``12 %``, ``0.35 %``, ``under 0.01 %``, or ``nothing left``."""
    if bp is None:
        return "nothing left"
    if bp == 0:
        return "under 0.01 %"
    if bp >= 1000:
        return f"{bp // 100:,} %"
    return f"{bp // 100}.{bp % 100:02d} %"


def row_dict(r: CompareRow) -> dict[str, Any]:
    """A row as JSON (``preview --compare --json``)."""
    return {
        "provider": r.provider,
        "model": r.model,
        "has_key": r.has_key,
        "tier": r.tier,
        "input_tokens": r.input_tokens,
        "image_tokens": r.image_tokens,
        "exact": r.exact,
        "output_tokens": r.output_tokens,
        "cost_nano": r.cost_nano,
        "input_cost_nano": r.input_cost_nano,
        "context_window": r.context_window,
        "fits_context": r.fits_context,
        "energy_wh": r.energy_wh,
        "energy_estimated": r.energy_estimated,
        "unpriced": r.unpriced,
        "refused": r.refused,
        "envelopes": [
            {
                "envelope": s.envelope.label,
                "unit": s.unit,
                "action": s.action,
                "needed": s.need,
                "available": s.available,
                "share_bp": s.share_bp,
                "fits": s.fits,
            }
            for s in r.shares
        ],
    }
