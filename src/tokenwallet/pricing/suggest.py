"""Cheaper-model suggestions: same job, lower bill.

Given a model and a usage mix (a profile's last 7 days, or one previewed prompt), list the models
that would have cost less for exactly that mix, can hold the context, and sit in the same or a
neighbouring capability tier (``resources/model_tiers.toml``, overridable by
``<data_dir>/model_tiers.toml``). The proxy's ``downgrade`` budget action uses the first suggestion
on the same provider; the GUI and ``tokenwallet preview`` show the list.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from tokenwallet.core.usage import Usage
from tokenwallet.pricing.book import DEFAULT_CATALOG_PROVIDERS, PriceBook
from tokenwallet.pricing.model_price import ModelPrice, UnknownModelError
from tokenwallet.resources import resource_path

TIERS_FILE = "model_tiers.toml"
MAX_TIER_DISTANCE = 1  # "nearby": one tier up or down
EXCLUDE = "exclude"  # a table of patterns for models that are never suggested, whatever else matches


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A cheaper model for the same usage mix; money in nano-USD."""

    provider: str
    model: str
    tier: str
    same_tier: bool
    cost_nano: int
    baseline_nano: int
    saving_nano: int
    saving_pct: int  # whole percent, rounded down
    context_window: int | None


class Tiers:
    """Capability tiers: glob patterns per provider; the longest matching pattern decides."""

    def __init__(self, order: list[str], patterns: list[tuple[str, str, str, int]]) -> None:
        self.order = order
        # (provider or "any", glob, tier, precedence): later files have higher precedence on ties
        self._patterns = patterns

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Tiers:
        """The shipped table, with ``<data_dir>/model_tiers.toml`` layered on top if it exists."""
        files = [resource_path(TIERS_FILE)]
        if data_dir is not None and (Path(data_dir) / TIERS_FILE).is_file():
            files.append(Path(data_dir) / TIERS_FILE)
        return _load(tuple(str(f) for f in files), tuple(_mtime(f) for f in files))

    @classmethod
    def from_mappings(cls, docs: Iterable[Mapping[str, Any]]) -> Tiers:
        order: list[str] = []
        patterns: list[tuple[str, str, str, int]] = []
        for precedence, doc in enumerate(docs):
            if isinstance(doc.get("order"), list):
                order = [str(t) for t in doc["order"]]
            for tier, table in doc.items():
                if tier == "order" or not isinstance(table, Mapping):
                    continue
                if tier not in order and tier != EXCLUDE:
                    order.append(tier)
                for provider, globs in table.items():
                    for glob in globs if isinstance(globs, list) else [globs]:
                        patterns.append((str(provider).lower(), str(glob).lower(), tier, precedence))
        return cls(order, patterns)

    def tier_of(self, provider: str, model: str) -> str | None:
        """The tier of ``model`` (``None`` if no pattern matches)."""
        return _tier_of(self, provider.lower(), model.lower().rsplit("/", 1)[-1])

    def distance(self, a: str, b: str) -> int:
        return abs(self.order.index(a) - self.order.index(b))


@lru_cache(maxsize=16_384)
def _tier_of(tiers: Tiers, provider: str, bare: str) -> str | None:
    best: tuple[int, int, str] | None = None
    for prov, glob, tier, precedence in tiers._patterns:
        if prov not in ("any", provider) or not fnmatch.fnmatchcase(bare, glob):
            continue
        if tier == EXCLUDE:
            return None  # embeddings, speech, images…: never a substitute for a chat model
        rank = (len(glob), precedence, tier)
        if best is None or rank[:2] > best[:2]:
            best = rank
    return best[2] if best else None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=8)
def _load(files: tuple[str, ...], _mtimes: tuple[float, ...]) -> Tiers:
    docs = []
    for f in files:
        with open(f, "rb") as fh:
            docs.append(tomllib.load(fh))
    return Tiers.from_mappings(docs)


def mix_cost(price: ModelPrice, mix: Usage, calls: int = 1) -> int:
    """Cost of an aggregate ``mix`` of ``calls`` calls: the long-context tier is chosen by the
    *average* call's input, not by the sum (a week of small calls is not one huge prompt)."""
    per_call_input = mix.total_input // max(calls, 1)
    return price.rates_for(per_call_input).cost_nano(mix)


def suggest_cheaper(
    book: PriceBook,
    provider: str,
    model: str,
    mix: Usage,
    *,
    context_needed: int = 0,
    limit: int = 5,
    providers: Iterable[str] | None = None,
    calls: int = 1,
    tiers: Tiers | None = None,
    data_dir: Path | None = None,
    at: datetime | None = None,
) -> list[Suggestion]:
    """Models cheaper than ``provider/model`` for ``mix``, best first.

    Candidates come from ``providers`` (default: the provider presets plus ``provider``); the proxy
    passes ``providers=[provider]`` because it can only switch models on the same route. Order:
    same provider and same tier first, then by biggest saving. An unknown or untiered baseline
    yields no suggestions (we cannot tell what would be comparable).
    """
    tiers = tiers or Tiers.load(data_dir)
    try:
        baseline = book.lookup(provider, model, at=at)
    except UnknownModelError:
        return []
    base_tier = tiers.tier_of(provider, model)
    if baseline.unpriced or base_tier is None:
        return []
    baseline_nano = mix_cost(baseline, mix, calls)
    if baseline_nano <= 0:
        return []
    if providers is None:
        # OpenRouter resells everyone's models; suggest it only to people who already use it.
        defaults = [p for p in DEFAULT_CATALOG_PROVIDERS if p != "openrouter"]
        wanted = list(dict.fromkeys([provider.lower(), *defaults]))
    else:
        wanted = [p.lower() for p in providers]
    base_ids = {model.lower().rsplit("/", 1)[-1], (baseline.catalog_id or "").lower()}
    best: dict[tuple[str, str], Suggestion] = {}
    for price in book.catalog(wanted, at=at):
        bare = price.model.lower().rsplit("/", 1)[-1]
        if price.provider.lower() == provider.lower() and (
            bare in base_ids or (price.catalog_id or "").lower() in base_ids
        ):
            continue
        if price.unpriced or price.is_free:
            continue
        tier = tiers.tier_of(price.provider, price.model)
        if tier is None or tiers.distance(tier, base_tier) > MAX_TIER_DISTANCE:
            continue
        if context_needed > 0 and (price.context_window is None or price.context_window < context_needed):
            continue
        cost = mix_cost(price, mix, calls)
        if cost >= baseline_nano:
            continue
        saving = baseline_nano - cost
        s = Suggestion(
            provider=price.provider,
            model=price.model,
            tier=tier,
            same_tier=tier == base_tier,
            cost_nano=cost,
            baseline_nano=baseline_nano,
            saving_nano=saving,
            saving_pct=int(Decimal(saving) * 100 // Decimal(baseline_nano)),
            context_window=price.context_window,
        )
        # one entry per catalog model (overrides and catalog names can point at the same one)
        key = (price.provider.lower(), (price.catalog_id or price.model).lower())
        if key not in best or len(s.model) < len(best[key].model):
            best[key] = s
    same_provider = provider.lower()

    def order(s: Suggestion) -> tuple[int, int, str]:
        first = 0 if (s.provider.lower() == same_provider and s.same_tier) else 1
        return (first, -s.saving_nano, s.model)

    return sorted(best.values(), key=order)[: max(limit, 0)]
