"""Prices Chinese providers set in yuan: ``resources/cny_prices.toml``, read into :class:`ModelPrice`.

The table is for the providers (or the models of a provider) whose prices genai-prices does not
carry in the currency they are billed in. A price from it keeps its rates in CNY and the exchange
rate in force (see ``pricing.fx``); the book converts each call's cost once, exactly.

Lookup: the model name as the client sent it (case-insensitive), then each entry's aliases, which
may be globs (Ark and Qianfan add a date or a context suffix to a model's name).
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from tokenwallet.pricing.model_price import ModelPrice, PriceTier

TABLE_FILE = "cny_prices.toml"
_KEYS = {  # table key → our rate field
    "input": "input_mtok",
    "cache_read": "cache_read_mtok",
    "cache_write": "cache_write_mtok",
    "output": "output_mtok",
}


class TableError(ValueError):
    """The shipped price table is malformed (a packaging bug: fail loudly, never price at zero)."""


@dataclass(frozen=True, slots=True)
class TableEntry:
    provider: str
    model: str
    currency: str
    source: str
    as_of: str
    rates: tuple[tuple[str, Decimal], ...]  # (rate field, per 1M tokens in ``currency``)
    tiers: tuple[PriceTier, ...] = ()
    aliases: tuple[str, ...] = ()
    context_window: int | None = None
    max_output: int | None = None

    def price(self, provider: str, model: str, usd_rate: Decimal) -> ModelPrice:
        """This entry as the price of ``provider``/``model`` at ``usd_rate`` units per USD."""
        r = dict(self.rates)
        return ModelPrice(
            provider=provider,
            model=model,
            source=f"{self.currency} list {self.source}, as of {self.as_of}",
            input_mtok=r["input_mtok"],
            output_mtok=r["output_mtok"],
            cache_read_mtok=r.get("cache_read_mtok"),
            cache_write_mtok=r.get("cache_write_mtok"),
            tiers=self.tiers,
            context_window=self.context_window,
            max_output=self.max_output,
            catalog_id=self.model,
            currency=self.currency,
            usd_rate=usd_rate,
        )


def _dec(value: Any, where: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise TableError(f"{TABLE_FILE}: {where} is not a number ({value!r})") from None
    if not d.is_finite() or d < 0:
        raise TableError(f"{TABLE_FILE}: {where} must be zero or more ({value!r})")
    return d


def _rates(raw: dict[str, Any], where: str) -> dict[str, Decimal]:
    return {ours: _dec(raw[key], f"{where} {key}") for key, ours in _KEYS.items() if key in raw}


def _entry(provider: str, head: dict[str, Any], model: str, raw: dict[str, Any]) -> TableEntry:
    where = f"[{provider}.models.{model!r}]"
    rates = _rates(raw, where)
    if "input_mtok" not in rates or "output_mtok" not in rates:
        raise TableError(f"{TABLE_FILE}: {where} needs both input and output")
    tiers = []
    for t in raw.get("tiers", ()):
        tier_rates = _rates(t, f"{where} tier")
        tiers.append(PriceTier(above=int(t["above"]), **tier_rates))
    if [t.above for t in tiers] != sorted({t.above for t in tiers}):
        raise TableError(f"{TABLE_FILE}: {where} tiers must rise")
    return TableEntry(
        provider=provider,
        model=model,
        currency=str(head["currency"]),
        source=str(raw.get("source", head["source"])),
        as_of=str(raw.get("as_of", head["as_of"])),
        rates=tuple(sorted(rates.items())),
        tiers=tuple(tiers),
        aliases=tuple(str(a).lower() for a in raw.get("aliases", ())),
        context_window=int(raw["context_window"]) if "context_window" in raw else None,
        max_output=int(raw["max_output"]) if "max_output" in raw else None,
    )


@cache
def table() -> dict[str, tuple[TableEntry, ...]]:
    """provider → its entries, from the shipped table (read once)."""
    from tokenwallet.resources import resource_path

    with resource_path(TABLE_FILE).open("rb") as fh:
        doc = tomllib.load(fh)
    out: dict[str, tuple[TableEntry, ...]] = {}
    for provider, head in doc.items():
        if not isinstance(head, dict) or not all(k in head for k in ("currency", "source", "as_of")):
            raise TableError(f"{TABLE_FILE}: [{provider}] needs currency, source and as_of")
        models = head.get("models", {})
        out[provider.lower()] = tuple(_entry(provider.lower(), head, m, raw) for m, raw in models.items())
    return out


def providers() -> frozenset[str]:
    return frozenset(table())


def find(provider: str, model: str) -> TableEntry | None:
    """The entry for ``model`` of ``provider``: its own name first, then aliases (globs)."""
    entries = table().get(provider.lower(), ())
    name = model.lower()
    for e in entries:
        if e.model.lower() == name:
            return e
    for e in entries:
        if any(fnmatch.fnmatchcase(name, a) for a in e.aliases):
            return e
    return None


def entries(provider: str) -> tuple[TableEntry, ...]:
    return table().get(provider.lower(), ())
