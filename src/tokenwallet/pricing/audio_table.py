"""Audio token rates genai-prices lacks, from ``resources/audio_prices.toml`` (dated, sourced).

Applied to a catalog price after conversion: a rate genai-prices has is never replaced, only a
missing one filled in, and the price's source says the table was used.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from decimal import Decimal
from functools import cache
from typing import Any

from tokenwallet.pricing.model_price import ModelPrice

_PROVIDERS = {"google": "gemini"}  # our provider names that share a section


@cache
def _table() -> dict[str, Any]:
    from tokenwallet.resources import resource_path

    with resource_path("audio_prices.toml").open("rb") as fh:
        return tomllib.load(fh)


def entry(provider: str, model: str) -> dict[str, Any] | None:
    """The table's entry for ``model`` (by name or alias), None when it has none."""
    section = _table().get(_PROVIDERS.get(provider.lower(), provider.lower()))
    if not isinstance(section, dict):
        return None
    name = model.lower()
    for key, value in section.items():
        if name == key or name in (a.lower() for a in value.get("aliases", ())):
            return dict(value)
    return None


def supplement(price: ModelPrice) -> ModelPrice:
    """``price`` with the audio rates the table adds (unchanged when it adds none)."""
    e = entry(price.provider, price.model)
    if e is None:
        return price
    changes: dict[str, Any] = {}
    if e.get("audio_in_as_text") and price.input_audio_mtok is None:
        changes["input_audio_mtok"] = price.input_mtok
        changes["tiers"] = tuple(
            replace(t, input_audio_mtok=t.input_mtok) if t.input_mtok is not None else t for t in price.tiers
        )
    for name in ("input_audio_mtok", "output_audio_mtok"):
        if e.get(name) is not None and getattr(price, name) is None:
            changes[name] = Decimal(str(e[name]))
    if not changes:
        return price
    return replace(price, source=f"{price.source} + audio_prices.toml ({e['as_of']})", **changes)
