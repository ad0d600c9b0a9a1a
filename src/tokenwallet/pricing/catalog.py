"""The offline price catalog: genai-prices' bundled data, read into our :class:`ModelPrice`.

genai-prices ships every provider's prices in the package (no network needed) and can optionally
refresh them (see :mod:`tokenwallet.pricing.updates`). We only use its data and model matching;
the cost maths is ours (:meth:`ModelPrice.cost_usd`) so a stored price reproduces a cost exactly.

Semantics differ in one place: genai-prices' ``Usage.input_tokens`` *includes* cache reads and
writes, ours is the uncached part. Its rates per token class are the same thing either way, and
its tier thresholds compare against its input_tokens, i.e. our ``Usage.total_input``.

Audio tokens (in, out, cached), image and video input tokens and image output tokens keep their own
rates when genai-prices has them. Not modelled: batch / flex / priority service tiers (standard
rates are used), cached image tokens (at the cache-read rate), video output tokens, per-request or
per-search fees.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from tokenwallet.pricing.limits import known_context_window, known_max_output
from tokenwallet.pricing.model_price import RATE_FIELDS, ModelPrice, PriceTier

# genai-prices key → our rate field. "cache_write_mtok" is Anthropic's default (5 minute) write.
_KEYS = {
    "input_mtok": "input_mtok",
    "output_mtok": "output_mtok",
    "cache_read_mtok": "cache_read_mtok",
    "cache_write_mtok": "cache_write_mtok",
    "cache_write_5m_mtok": "cache_write_mtok",
    "cache_write_1h_mtok": "cache_write_1h_mtok",
    "output_reasoning_mtok": "reasoning_mtok",
    "input_text_mtok": "input_mtok",
    "output_text_mtok": "output_mtok",
    "cache_text_read_mtok": "cache_read_mtok",
    "cache_text_write_mtok": "cache_write_mtok",
    "input_audio_mtok": "input_audio_mtok",
    "output_audio_mtok": "output_audio_mtok",
    "cache_audio_read_mtok": "cache_audio_read_mtok",
    "input_image_mtok": "input_image_mtok",
    "input_video_mtok": "input_video_mtok",
    "output_image_mtok": "output_image_mtok",
}

# Our provider names → where genai-prices keeps their prices: (genai provider id, model prefix).
# Qwen (DashScope) has no provider entry in genai-prices; OpenRouter resells the same models under
# "qwen/…" at Alibaba's international list prices, so we read those (the source says "via openrouter").
# A prefixed route borrows another provider's listing; the price's source names it.
ROUTES: dict[str, tuple[tuple[str, str], ...]] = {
    "openai": (("openai", ""),),
    "anthropic": (("anthropic", ""),),
    "gemini": (("google", ""),),
    "google": (("google", ""),),
    "openrouter": (("openrouter", ""),),
    "deepseek": (("deepseek", ""),),
    "qwen": (("openrouter", "qwen/"),),
    "moonshot": (("moonshotai", ""), ("openrouter", "moonshotai/")),
    "zhipu": (("zhipuai", ""), ("zai", "")),  # BigModel (China) first, then Z.ai (international)
    "minimax": (("minimax", ""),),
    # China-mainland platforms billed in CNY: priced from resources/cny_prices.toml only (never
    # from another region's USD list); a model not there is unknown (pricing.yuan_table).
    "qwen-cn": (),
    "moonshot-cn": (),
    "minimax-cn": (),
    "volcengine": (),
    "qianfan": (),
    "siliconflow": (),
    "mistral": (("mistral", ""),),
    "groq": (("groq", ""),),
    "together": (("together", ""),),
    "xai": (("x-ai", ""),),
}


def genai_version() -> str:
    try:
        return version("genai-prices")
    except PackageNotFoundError:  # pragma: no cover - it is a hard dependency
        return "unknown"


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A model found in genai-prices: which provider entry and model record it came from."""

    genai_provider: str
    info: Any  # genai_prices.types.ModelInfo
    via: str | None  # set when the price is borrowed from another provider's listing


def snapshot() -> Any:
    """The data genai-prices currently uses (bundled, or the last successful update)."""
    from genai_prices import data_snapshot

    return data_snapshot.get_snapshot()


def _genai_provider(snap: Any, provider_id: str) -> Any | None:
    from genai_prices.data_snapshot import find_provider_by_id

    return find_provider_by_id(snap.providers, provider_id)


def find(snap: Any, provider: str, model: str) -> CatalogEntry | None:
    """Find ``model`` of our ``provider`` in a genai-prices snapshot (``None`` when it is not there)."""
    routes = ROUTES.get(provider.lower(), ((provider.lower(), ""),))
    for genai_id, prefix in routes:
        gp = _genai_provider(snap, genai_id)
        if gp is None:
            continue
        ref = model if not prefix or model.lower().startswith(prefix) else prefix + model
        info = gp.find_model(ref, all_providers=snap.providers)
        if info is not None:
            return CatalogEntry(gp.id, info, gp.id if prefix else None)
    return None


def has_conditional_prices(entry: CatalogEntry) -> bool:
    return isinstance(entry.info.prices, list)


def genai_prices_at(entry: CatalogEntry, at: datetime) -> Any:
    """The genai-prices ModelPrice in force at ``at`` (start dates, DeepSeek's off-peak hours…)."""
    return entry.info.get_prices(at)


def convert(provider: str, model: str, entry: CatalogEntry, gp_price: Any, source: str) -> ModelPrice | None:
    """genai-prices rates → our ModelPrice; ``None`` when the model has no token prices at all
    (e.g. billed per audio hour or per character) and so cannot be priced from a usage record."""
    base: dict[str, Decimal] = {}
    tier_rates: dict[int, dict[str, Decimal]] = {}
    token_priced = False
    other_priced = False
    for key, value in vars(gp_price).items():
        if value is None or key.startswith("_"):
            continue
        ours = _KEYS.get(key)
        if ours is None:
            other_priced = True
            continue
        token_priced = True
        if ours in base:  # e.g. both input_mtok and input_text_mtok: the generic key wins
            continue
        if hasattr(value, "tiers"):
            base[ours] = Decimal(value.base)
            for tier in value.tiers:
                tier_rates.setdefault(int(tier.start), {})[ours] = Decimal(tier.price)
        else:
            base[ours] = Decimal(value)
    if not token_priced and other_priced:
        return None
    tiers = _tiers(base, tier_rates)
    info = entry.info
    return ModelPrice(
        provider=provider,
        model=model,
        source=source if entry.via is None else f"{source} via {entry.via}",
        unpriced=False,
        input_mtok=base.get("input_mtok", Decimal(0)),
        output_mtok=base.get("output_mtok", Decimal(0)),
        cache_read_mtok=base.get("cache_read_mtok"),
        cache_write_mtok=base.get("cache_write_mtok"),
        cache_write_1h_mtok=base.get("cache_write_1h_mtok"),
        reasoning_mtok=base.get("reasoning_mtok"),
        input_audio_mtok=base.get("input_audio_mtok"),
        output_audio_mtok=base.get("output_audio_mtok"),
        cache_audio_read_mtok=base.get("cache_audio_read_mtok"),
        input_image_mtok=base.get("input_image_mtok"),
        input_video_mtok=base.get("input_video_mtok"),
        output_image_mtok=base.get("output_image_mtok"),
        tiers=tiers,
        context_window=info.context_window or known_context_window(info.id) or known_context_window(model),
        max_output=known_max_output(info.id) or known_max_output(model),
        catalog_id=info.id,
    )


def _tiers(base: dict[str, Decimal], tier_rates: dict[int, dict[str, Decimal]]) -> tuple[PriceTier, ...]:
    """Per-key tier lists → one tier per threshold holding every class's rate above it.

    genai-prices tiers each key separately; a class without a tier at some threshold keeps the
    rate of its own highest tier below it (or its base rate).
    """
    tiers: list[PriceTier] = []
    current: dict[str, Decimal] = {}
    for above in sorted(tier_rates):
        current.update(tier_rates[above])
        rates = {k: v for k, v in current.items() if k in RATE_FIELDS and v != base.get(k)}
        tiers.append(PriceTier(above=above, **rates))
    return tuple(tiers)


# Catalog listings of a provider that genai-prices mixes with resold models: Google's entry also
# prices Claude on Vertex, which the Gemini API does not serve.
_LISTING_NEEDLES: dict[str, tuple[str, ...]] = {"gemini": ("gemini", "gemma"), "google": ("gemini", "gemma")}


def listed(provider: str, model: str) -> bool:
    """Whether ``model`` belongs in a listing of our ``provider``'s models."""
    needles = _LISTING_NEEDLES.get(provider.lower())
    return needles is None or any(n in model.lower() for n in needles)


def iter_models(snap: Any, genai_id: str) -> Iterator[Any]:
    """Every ModelInfo a genai-prices provider lists."""
    gp = _genai_provider(snap, genai_id)
    if gp is not None:
        yield from gp.models
