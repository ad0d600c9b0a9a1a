"""The proxy charges the price in force now, and `serve` honours the opt-in price updater."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from tokenwallet.pricing.book import PriceBook
from tokenwallet.proxy import server
from tokenwallet.proxy.metering import Meter
from tokenwallet.wallet import Wallet


def test_meter_follows_the_book_when_a_price_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wallet = Wallet.open(tmp_path / "wallet.db")
    meter = Meter(wallet, loopback=True)
    before, before_json = meter.price("openai", "gpt-4o")
    assert meter.price("openai", "gpt-4o")[1] is before_json  # unchanged price: JSON reused
    # A price update (or an off-peak window) makes the book hand back another price object.
    cheaper = dataclasses.replace(before, input_mtok=before.input_mtok / 2)
    monkeypatch.setattr(PriceBook, "lookup", lambda self, provider, model, **kw: cheaper)
    after, after_json = meter.price("openai", "gpt-4o")
    assert after is cheaper and after.input_mtok == Decimal("1.25")  # gpt-4o: $2.50 halved
    assert after_json != before_json
    wallet.close()


@pytest.mark.parametrize("enabled", [False, True])
def test_serve_starts_price_updates_only_when_opted_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    path = tmp_path / "wallet.db"
    wallet = Wallet.open(path)
    wallet.set_setting("price_updates", enabled)
    wallet.close()
    started: list[bool] = []
    from tokenwallet.pricing import updates
    from tokenwallet.secrets import MemoryKeyStore

    monkeypatch.setattr(updates, "update_prices", lambda **kw: started.append(True) or True)
    proxy = server.ProxyServer(path, port=0, keystore=MemoryKeyStore())
    proxy.start()
    try:
        server._start_price_updates(proxy)
    finally:
        proxy.stop()
    assert started == ([True] if enabled else [])
