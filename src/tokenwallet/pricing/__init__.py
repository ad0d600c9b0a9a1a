"""Prices: the genai-prices catalog (offline), user overrides, local models at zero, cost maths.

Public API: :class:`ModelPrice`, :class:`PriceOverride`,
:class:`UnknownModelError`, :class:`PriceBook`; suggestions in :mod:`tokenwallet.pricing.suggest`;
the opt-in updater :func:`update_prices`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokenwallet.core.lazy import lazy_names

if TYPE_CHECKING:
    from tokenwallet.pricing.book import DEFAULT_CATALOG_PROVIDERS, LOCAL_PROVIDERS, PriceBook, UnknownPolicy
    from tokenwallet.pricing.limits import DEFAULT_MAX_OUTPUT
    from tokenwallet.pricing.model_price import ModelPrice, PriceOverride, PriceTier, UnknownModelError
    from tokenwallet.pricing.suggest import Suggestion, Tiers, suggest_cheaper
    from tokenwallet.pricing.updates import stop_updates, update_prices, using_updated_prices
    from tokenwallet.pricing.wallet_book import pricebook_for

# Loaded when first named: ``from tokenwallet.pricing import fx`` (the window's display currency,
# read before its first paint) then does not load the price catalog (~0.1 s) on the GUI thread.
_LAZY = {
    "DEFAULT_CATALOG_PROVIDERS": "book",
    "LOCAL_PROVIDERS": "book",
    "PriceBook": "book",
    "UnknownPolicy": "book",
    "DEFAULT_MAX_OUTPUT": "limits",
    "ModelPrice": "model_price",
    "PriceOverride": "model_price",
    "PriceTier": "model_price",
    "UnknownModelError": "model_price",
    "Suggestion": "suggest",
    "Tiers": "suggest",
    "suggest_cheaper": "suggest",
    "stop_updates": "updates",
    "update_prices": "updates",
    "using_updated_prices": "updates",
    "pricebook_for": "wallet_book",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "DEFAULT_CATALOG_PROVIDERS",
    "DEFAULT_MAX_OUTPUT",
    "LOCAL_PROVIDERS",
    "ModelPrice",
    "PriceBook",
    "PriceOverride",
    "PriceTier",
    "Suggestion",
    "Tiers",
    "UnknownModelError",
    "UnknownPolicy",
    "pricebook_for",
    "stop_updates",
    "suggest_cheaper",
    "update_prices",
    "using_updated_prices",
]
