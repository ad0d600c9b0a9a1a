"""The price book a wallet configures: its overrides, unknown-model policy and local providers.

One function for the proxy, the CLI, the app and the billing reports, so a preview, a charge and a
statement always price with the same rules.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from tokenwallet.pricing import fx
from tokenwallet.pricing.book import PriceBook
from tokenwallet.pricing.model_price import PriceOverride

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet


def pricebook_for(wallet: Wallet) -> PriceBook:
    """A :class:`PriceBook` with ``wallet``'s price overrides and pricing settings (their declared
    defaults when unset), its local providers at zero and its exchange rates (``tokenwallet fx``)."""
    overrides = [
        PriceOverride(o.provider, o.model, o.input_mtok, o.output_mtok, o.cache_read_mtok, o.cache_write_mtok)
        for o in wallet.price_overrides()
    ]
    return PriceBook(
        overrides,
        unknown_policy="fallback" if wallet.get_setting("unknown_model_policy") == "fallback" else "block",
        fallback_input_mtok=Decimal(str(wallet.get_setting("fallback_input_mtok"))),
        fallback_output_mtok=Decimal(str(wallet.get_setting("fallback_output_mtok"))),
        local_providers=frozenset(p.name for p in wallet.providers() if p.local),
        fx_rates={code: rate.per_usd for code, rate in fx.wallet_rates(wallet).items()},
    )
