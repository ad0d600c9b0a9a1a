"""PriceBook: the one place the rest of the app asks "what does this model cost?".

Lookup order for ``(provider, model)``:

1. a user override for exactly that model, then one for ``model="*"`` on that provider;
2. local providers (Ollama, LM Studio, any provider marked local): zero, source ``"local"``;
3. the yuan price table (``resources/cny_prices.toml``) for the providers that bill in CNY, priced
   at the book's exchange rate (the user's, else the dated default: ``pricing.fx``);
4. the genai-prices catalog (bundled data, or the last opt-in update), at the call's timestamp;
5. nothing known: :class:`UnknownModelError` under policy ``"block"``; under ``"fallback"`` the
   wallet's stated fallback rates with ``unpriced=True`` — never silently free.

The proxy calls :meth:`PriceBook.lookup` for every request, so the resolution of a name to a
catalog entry is cached in a dict; only models whose price changes over time (start dates,
DeepSeek's off-peak hours) re-read their rate for the timestamp, and that conversion is cached too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from tokenwallet.core.usage import Usage
from tokenwallet.pricing import audio_table, catalog, fx, yuan_table
from tokenwallet.pricing.holds import worst_output
from tokenwallet.pricing.limits import DEFAULT_MAX_OUTPUT, known_context_window, known_max_output
from tokenwallet.pricing.model_price import ModelPrice, PriceOverride, UnknownModelError

UnknownPolicy = Literal["block", "fallback"]
LOCAL_PROVIDERS = frozenset({"ollama", "lmstudio"})
# Providers listed by catalog() when no list is given: the presets of tokenwallet.wallet.providers.
DEFAULT_CATALOG_PROVIDERS = (
    "openai",
    "anthropic",
    "gemini",
    "deepseek",
    "qwen",
    "moonshot",
    "zhipu",
    "qwen-cn",
    "moonshot-cn",
    "minimax",
    "minimax-cn",
    "volcengine",
    "qianfan",
    "siliconflow",
    "mistral",
    "groq",
    "together",
    "openrouter",
)

_MISS = object()
MAX_CACHED_MODELS = 10_000


class PriceBook:
    """Prices for every (provider, model) the wallet meets; see the module docstring for the order."""

    def __init__(
        self,
        overrides: Iterable[PriceOverride] = (),
        *,
        unknown_policy: UnknownPolicy = "block",
        fallback_input_mtok: Decimal = Decimal("10"),
        fallback_output_mtok: Decimal = Decimal("40"),
        local_providers: Iterable[str] = frozenset(),
        fx_rates: Mapping[str, Decimal] | None = None,
    ) -> None:
        if unknown_policy not in ("block", "fallback"):
            raise ValueError(f"unknown_policy must be 'block' or 'fallback', not {unknown_policy!r}")
        self.unknown_policy: UnknownPolicy = unknown_policy
        self.fallback_input_mtok = Decimal(fallback_input_mtok)
        self.fallback_output_mtok = Decimal(fallback_output_mtok)
        self.local_providers = LOCAL_PROVIDERS | {p.lower() for p in local_providers}
        # units per USD for each currency a price table is in: the user's rate, else the default
        self.fx_rates = {code: d.per_usd for code, d in fx.DEFAULTS.items()} | dict(fx_rates or {})
        self._overrides: dict[tuple[str, str], PriceOverride] = {
            (o.provider.lower(), o.model.lower()): o for o in overrides
        }
        self._lock = threading.Lock()
        self._snapshot: Any = None
        self._entries: dict[tuple[str, str], Any] = {}  # → ModelPrice | CatalogEntry | _MISS
        self._converted: dict[tuple[str, str, int], ModelPrice | None] = {}
        self.source = f"genai-prices {catalog.genai_version()}"

    # -- lookup ------------------------------------------------------------------------------------

    def lookup(self, provider: str, model: str, *, at: datetime | None = None) -> ModelPrice:
        """The price of ``model`` on ``provider`` in force at ``at`` (default: now)."""
        key = (provider.lower(), model.lower())
        snap = catalog.snapshot()
        if snap is not self._snapshot:  # prices were updated: forget what we resolved
            with self._lock:
                self._snapshot = snap
                self._entries = {}
                self._converted = {}
        entry = self._entries.get(key)
        if entry is None:
            entry = self._resolve(provider, model, snap)
            if len(self._entries) >= MAX_CACHED_MODELS:  # clients may send any model name: stay bounded
                self._entries.clear()
                self._converted.clear()
            self._entries[key] = entry
        if isinstance(entry, ModelPrice):
            return entry
        if entry is not _MISS:
            price = self._catalog_price(provider, model, entry, at)
            if price is not None:
                return price
        return self._unknown(provider, model)

    def _resolve(self, provider: str, model: str, snap: Any) -> Any:
        p, m = provider.lower(), model.lower()
        override = self._overrides.get((p, m)) or self._overrides.get((p, "*"))
        if override is not None:
            return self._from_override(provider, model, override)
        if p in self.local_providers:
            return ModelPrice(provider=provider, model=model, source="local")
        listed = yuan_table.find(p, model)
        if listed is not None:
            return listed.price(provider, model, self.fx_rates[listed.currency])
        found = catalog.find(snap, provider, model)
        return found if found is not None else _MISS

    def _catalog_price(
        self, provider: str, model: str, entry: catalog.CatalogEntry, at: datetime | None
    ) -> ModelPrice | None:
        if catalog.has_conditional_prices(entry):
            gp_price = catalog.genai_prices_at(entry, at or datetime.now(UTC))
        else:
            gp_price = entry.info.prices
        ckey = (provider.lower(), model.lower(), id(gp_price))
        try:
            return self._converted[ckey]
        except KeyError:
            price = catalog.convert(provider, model, entry, gp_price, self.source)
            if price is not None:
                price = audio_table.supplement(price)
            self._converted[ckey] = price
            return price

    def _from_override(self, provider: str, model: str, o: PriceOverride) -> ModelPrice:
        return ModelPrice(
            provider=provider,
            model=model,
            source="override",
            input_mtok=Decimal(o.input_mtok),
            output_mtok=Decimal(o.output_mtok),
            cache_read_mtok=None if o.cache_read_mtok is None else Decimal(o.cache_read_mtok),
            cache_write_mtok=None if o.cache_write_mtok is None else Decimal(o.cache_write_mtok),
            context_window=known_context_window(model),
            max_output=known_max_output(model),
        )

    def _unknown(self, provider: str, model: str) -> ModelPrice:
        if self.unknown_policy == "block":
            raise UnknownModelError(provider, model)
        return ModelPrice(
            provider=provider,
            model=model,
            source="fallback",
            unpriced=True,
            input_mtok=self.fallback_input_mtok,
            output_mtok=self.fallback_output_mtok,
            context_window=known_context_window(model),
            max_output=known_max_output(model),
        )

    def is_known(self, provider: str, model: str) -> bool:
        """True when a real price (override, local, catalog) exists: no fallback needed."""
        try:
            return not self.lookup(provider, model).unpriced
        except UnknownModelError:
            return False

    # -- cost maths ------------------------------------------------------------------------------

    def cost(self, price: ModelPrice, usage: Usage) -> int:
        """Exact cost of ``usage`` at ``price`` in nano-USD (long-context tier by total input)."""
        return price.cost_nano(usage)

    def default_max_output(self, price: ModelPrice) -> int:
        """The output a reservation assumes when a request sets no ``max_tokens``."""
        return price.max_output or known_max_output(price.model) or DEFAULT_MAX_OUTPUT

    def worst_case(self, price: ModelPrice, input_tokens: int, max_output: int | None) -> int:
        """Reservation for a call: all input uncached (the dearest case) plus the output cap."""
        out = self.default_max_output(price) if max_output is None else max(int(max_output), 0)
        return price.cost_nano(worst_output(price, max(int(input_tokens), 0), out))

    # -- listing -----------------------------------------------------------------------------------

    def catalog(
        self,
        providers: Iterable[str] | None = None,
        *,
        at: datetime | None = None,
        include_deprecated: bool = False,
    ) -> list[ModelPrice]:
        """Every priced text model of ``providers`` (our names), overrides applied, for listings and
        suggestions. Left out: models billed by something other than tokens, free promotional
        variants, batch/thinking/extended variants (``name:variant``), and retired models unless
        ``include_deprecated``."""
        wanted = [p.lower() for p in (providers if providers is not None else DEFAULT_CATALOG_PROVIDERS)]
        snap = catalog.snapshot()
        out: list[ModelPrice] = []
        seen: set[tuple[str, str]] = set()
        for provider in wanted:
            for (op, om), _ in self._overrides.items():
                if op == provider and om != "*":
                    out.append(self.lookup(provider, om, at=at))
                    seen.add((op, om))
            if provider in self.local_providers:
                continue
            for entry in yuan_table.entries(provider):
                if (provider, entry.model.lower()) not in seen:
                    seen.add((provider, entry.model.lower()))
                    out.append(self.lookup(provider, entry.model, at=at))
            for genai_id, prefix in catalog.ROUTES.get(provider, ((provider, ""),))[:1]:
                for info in catalog.iter_models(snap, genai_id):
                    mid = str(info.id)
                    if prefix:
                        if not mid.lower().startswith(prefix):
                            continue
                        mid = mid[len(prefix) :]
                    if (
                        (provider, mid.lower()) in seen
                        or ":" in mid
                        or mid.startswith("~")
                        or mid.endswith("-")
                    ):
                        continue
                    if info.deprecated and not include_deprecated:
                        continue
                    if not catalog.listed(provider, mid):
                        continue
                    seen.add((provider, mid.lower()))
                    try:
                        price = self.lookup(provider, mid, at=at)
                    except UnknownModelError:
                        continue
                    if not price.unpriced and (price.input_mtok or price.output_mtok):
                        out.append(price)
        return out
