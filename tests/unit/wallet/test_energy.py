"""Energy on the ledger: filled after settle, in id order, summed per model, profile and client."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tokenwallet.core.energy import energy_for
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import HistoryFilter, KeyBinding, Wallet, WalletError
from tokenwallet.wallet.schema import CURRENT_VERSION, migrate

from .conftest import Clock, rec


@pytest.fixture
def alice(wallet: Wallet) -> KeyBinding:
    _, key = wallet.add_profile("alice")
    b = wallet.resolve_key(key)
    assert b is not None
    return b


def _calls(wallet: Wallet, b: KeyBinding) -> None:
    u = Usage(input_tokens=1000, output_tokens=400)
    wallet.record(rec(b, "c1", 1000, u, provider="openai", model="gpt-4o-mini"))
    wallet.record(rec(b, "c2", 1000, u, provider="deepseek", model="deepseek-chat"))
    wallet.record(rec(b, "c3", 0, u, provider="ollama", model="llama3.1:8b"))
    wallet.record(rec(b, "c4", 1000, u, provider="together", model="mystery-model"))


def test_settle_leaves_energy_for_later_and_fill_computes_it(wallet: Wallet, alice: KeyBinding) -> None:
    wallet.set_setting("energy_zone", "FRA")
    wallet.set_setting("gpu_watts", 200)
    _calls(wallet, alice)
    assert wallet.ledger_row("c1").energy is None  # type: ignore[union-attr]
    assert wallet.energy_pending() == 4
    assert wallet.fill_energy() == 4
    assert wallet.energy_pending() == 0 and wallet.fill_energy() == 0
    rows = {r.call_id: r for r in wallet.history(HistoryFilter(), limit=10)}
    # the test records take 5 ms each
    assert rows["c1"].energy == energy_for("openai", "gpt-4o-mini", 400, 0.005, "FRA")
    assert rows["c2"].energy is not None and rows["c2"].energy.method == "tier-estimate"
    local = rows["c3"].energy
    assert local is not None and local.method == "local-watts" and local.wh_min_micro == 200 * 5 * 10 // 36
    assert rows["c4"].energy is None  # no tier, nothing to say; but looked at
    assert rows["c1"].energy is not None and rows["c1"].energy.zone == "FRA"


def test_fill_in_batches_and_only_what_is_left(wallet: Wallet, alice: KeyBinding) -> None:
    _calls(wallet, alice)
    assert wallet.fill_energy(limit=3) == 3
    assert wallet.energy_pending() == 1
    wallet.record(rec(alice, "c5", 10, Usage(10, output_tokens=5), model="gpt-4o"))
    assert wallet.fill_energy() == 2


def test_media_and_embedding_calls_get_none(wallet: Wallet, alice: KeyBinding) -> None:
    r = rec(alice, "e1", 10, Usage(500), model="text-embedding-3-small")
    from dataclasses import replace

    wallet.record(replace(r, endpoint="embeddings"))
    wallet.fill_energy()
    assert wallet.ledger_row("e1").energy is None  # type: ignore[union-attr]
    assert wallet.energy_pending() == 0


def test_zone_defaults_from_the_time_zone(wallet: Wallet) -> None:
    wallet.set_setting("timezone", "Europe/Berlin")
    assert wallet.energy_zone() == "DEU"
    wallet.set_setting("timezone", "UTC")
    assert wallet.energy_zone() == "WOR"
    wallet.set_setting("energy_zone", "swe")
    assert wallet.energy_zone() == "SWE"
    wallet.set_setting("energy_zone", "auto")
    assert wallet.energy_zone() == "WOR"
    with pytest.raises(WalletError, match="energy_zone"):
        wallet.set_setting("energy_zone", "Mars")


def test_totals_by_model_profile_and_client(wallet: Wallet, alice: KeyBinding, clock: Clock) -> None:
    wallet.add_project("acme")
    _, kb = wallet.add_profile("bob")
    bob = wallet.resolve_key(kb)
    assert bob is not None
    bob = wallet.bind_project(bob, "acme")
    _calls(wallet, alice)
    wallet.record(rec(bob, "b1", 10, Usage(10, output_tokens=1000), provider="openai", model="gpt-4o-mini"))
    wallet.fill_energy()
    rows = {r.call_id: r.energy for r in wallet.history(HistoryFilter(), limit=10)}
    everything = wallet.energy_totals()
    assert len(everything) == 1
    total = everything[0]
    filled = [e for e in rows.values() if e is not None]
    assert total.calls == len(filled) == 4
    assert total.uwh_min == sum(e.wh_min_micro for e in filled)
    assert total.ug_max == sum(e.gco2_max_micro for e in filled)
    assert total.estimated_calls == 2  # the tier estimate and the local model
    by_model = {t.key: t for t in wallet.energy_totals(by="model")}
    mini = by_model["openai/gpt-4o-mini"]
    assert mini.calls == 2 and mini.output_tokens == 1400
    assert mini.tokens_per_wh is not None and mini.tokens_per_wh > 0
    assert {t.key: t.calls for t in wallet.energy_totals(by="project")} == {None: 3, "acme": 1}
    assert {t.key: t.calls for t in wallet.energy_totals(by="profile")} == {"alice": 3, "bob": 1}
    assert wallet.energy_totals(project="acme")[0].calls == 1
    assert wallet.energy_totals(profile="alice")[0].calls == 3
    later = datetime(2030, 1, 1, tzinfo=UTC)
    assert wallet.energy_totals(since=later) == []


def test_v11_wallet_migrates_with_energy_columns_empty(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=11)
    cols = {r[1] for r in conn.execute("PRAGMA table_info(ledger)")}
    assert "energy_method" not in cols
    migrate(conn)
    cols = {r[1] for r in conn.execute("PRAGMA table_info(ledger)")}
    assert {
        "energy_uwh_min",
        "energy_uwh_max",
        "gco2_ug_min",
        "gco2_ug_max",
        "energy_method",
        "energy_zone",
    } <= cols
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    conn.close()


def test_two_fillers_at_once_fill_each_row_once(wallet: Wallet, alice: KeyBinding) -> None:
    import threading

    for i in range(60):
        wallet.record(rec(alice, f"t{i}", 10, Usage(10, output_tokens=10 + i), model="gpt-4o-mini"))
    counts: list[int] = []
    threads = [threading.Thread(target=lambda: counts.append(wallet.fill_energy())) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert wallet.energy_pending() == 0 and sum(counts) >= 60
    rows = wallet.history(HistoryFilter(), limit=100)
    for r in rows:
        assert r.energy == energy_for("openai", "gpt-4o-mini", r.usage.output_tokens, 0.005, "WOR")
    total = wallet.energy_totals()[0]
    assert total.calls == 60 and total.uwh_min == sum(r.energy.wh_min_micro for r in rows if r.energy)
