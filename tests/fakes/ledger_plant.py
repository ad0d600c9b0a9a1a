"""Plant ledger rows the way the meter and the importers write them (``Wallet.record``), at a
chosen time and price, for the reconcile tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from tokenwallet.core.usage import Usage
from tokenwallet.pricing.model_price import ModelPrice
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.types import CallRecord

PRICES = {
    "gpt-4o": ModelPrice("openai", "gpt-4o", "test", input_mtok=Decimal("2.5"), output_mtok=Decimal(10),
                         cache_read_mtok=Decimal("1.25")),
    "gpt-4o-mini": ModelPrice("openai", "gpt-4o-mini", "test", input_mtok=Decimal("0.15"),
                              output_mtok=Decimal("0.6"), cache_read_mtok=Decimal("0.075")),
    "claude-sonnet-4-5": ModelPrice("anthropic", "claude-sonnet-4-5", "test", input_mtok=Decimal(3),
                                    output_mtok=Decimal(15), cache_read_mtok=Decimal("0.3"),
                                    cache_write_mtok=Decimal("3.75"), cache_write_1h_mtok=Decimal(6)),
    "emb": ModelPrice("openai", "text-embedding-3-small", "test", input_mtok=Decimal("0.02")),
}  # fmt: skip
_ids = itertools.count(1)


def plant(
    path: Path, at: datetime, provider: str, model: str, usage: Usage, *, source: str = "meter",
    price_model: str | None = None,
) -> int:  # fmt: skip
    """One ledger row at ``at`` (UTC), priced like a metered call; returns its cost in nano-USD."""
    price = PRICES[price_model or model]
    cost = price.cost_nano(usage)
    w = Wallet.open(path, clock=lambda: at.astimezone(UTC))
    try:
        profiles = {p.name for p in w.profiles()}
        if "alice" not in profiles:
            w.add_profile("alice")
        rec = CallRecord(
            call_id=f"plant-{next(_ids)}-{at.timestamp()}", binding=w.binding_for("alice"), provider=provider,
            model=model, endpoint="chat/completions", status=200, stream=False, usage=usage, cost_nano=cost,
            price_json=price.to_json(), price_source=price.source, estimated=False, unpriced=False,
            duration_ms=100, source=source,
        )  # fmt: skip
        w.record(rec)
    finally:
        w.close()
    return cost
