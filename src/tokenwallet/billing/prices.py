"""The price book as the proxy builds it, for suggestions on statements and cap warnings."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from tokenwallet.pricing import PriceBook
    from tokenwallet.wallet import Wallet


def _setting(wallet: Wallet, name: str, default: Any) -> Any:
    try:
        value = wallet.get_setting(name)
    except Exception:  # a setting this wallet version does not know: its documented default
        return default
    return default if value is None else value


def pricebook(wallet: Wallet) -> PriceBook:
    """A PriceBook with the wallet's overrides, unknown-model policy and local providers."""
    from tokenwallet.pricing import PriceBook, PriceOverride

    overrides = [
        PriceOverride(o.provider, o.model, o.input_mtok, o.output_mtok, o.cache_read_mtok, o.cache_write_mtok)
        for o in wallet.price_overrides()
    ]
    policy: Literal["block", "fallback"] = (
        "fallback" if _setting(wallet, "unknown_model_policy", "block") == "fallback" else "block"
    )
    return PriceBook(
        overrides,
        unknown_policy=policy,
        fallback_input_mtok=Decimal(str(_setting(wallet, "fallback_input_mtok", "10"))),
        fallback_output_mtok=Decimal(str(_setting(wallet, "fallback_output_mtok", "40"))),
        local_providers=frozenset(p.name for p in wallet.providers() if p.local),
    )
