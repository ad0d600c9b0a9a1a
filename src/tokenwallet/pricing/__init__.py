"""Prices: the genai-prices catalog (offline), user overrides, local models at zero, cost maths.

Public API (see /tmp/tw-notes/API.md): :class:`ModelPrice`, :class:`PriceOverride`,
:class:`UnknownModelError`, :class:`PriceBook`; suggestions in :mod:`tokenwallet.pricing.suggest`;
the opt-in updater :func:`update_prices`.
"""

from __future__ import annotations

from tokenwallet.pricing.book import DEFAULT_CATALOG_PROVIDERS, LOCAL_PROVIDERS, PriceBook, UnknownPolicy
from tokenwallet.pricing.limits import DEFAULT_MAX_OUTPUT
from tokenwallet.pricing.model_price import ModelPrice, PriceOverride, PriceTier, UnknownModelError
from tokenwallet.pricing.suggest import Suggestion, Tiers, suggest_cheaper
from tokenwallet.pricing.updates import stop_updates, update_prices, using_updated_prices
from tokenwallet.pricing.wallet_book import pricebook_for

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
