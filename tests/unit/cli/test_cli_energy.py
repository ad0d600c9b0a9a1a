"""``tokenwallet energy`` and the energy columns of ``history``, over a wallet with real ledger rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_helpers import Run

from tokenwallet.core.energy import energy_for
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import CallRecord, Wallet

NOW = datetime.now(UTC)


def _call(w: Wallet, n: int, who: str, model: tuple[str, str], out_ms: tuple[int, int]) -> None:
    out, ms = out_ms
    provider, name = model
    binding = w.resolve_key(w.new_key(who))
    assert binding is not None
    w.record(
        CallRecord(
            call_id=f"call-{n}", binding=binding, provider=provider, model=name,
            endpoint="chat/completions", status=200, stream=False,
            usage=Usage(input_tokens=1000, output_tokens=out), cost_nano=1000, price_json="{}",
            price_source="test", estimated=False, unpriced=False, duration_ms=ms,
        )
    )  # fmt: skip


@pytest.fixture
def calls(tw: Run, data_dir: Path) -> Run:
    tw("profile", "add", "alice")
    tw("profile", "add", "bob")
    assert tw("settings", "set", "energy_zone", "FRA").code == 0
    w = Wallet.open(data_dir / "wallet.db")
    try:
        _call(w, 1, "alice", ("openai", "gpt-4o-mini"), (400, 3000))
        _call(w, 2, "alice", ("openai", "gpt-4o-mini"), (600, 5000))
        _call(w, 3, "bob", ("anthropic", "claude-sonnet-4-5"), (800, 20000))
        _call(w, 4, "bob", ("deepseek", "deepseek-chat"), (500, 9000))
    finally:
        w.close()
    return tw


def test_energy_json_totals_equal_ecologits_per_call(calls: Run) -> None:
    r = calls("energy", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["zone"] == "FRA" and data["month"] == NOW.strftime("%Y-%m")
    mini = [energy_for("openai", "gpt-4o-mini", n, s, "FRA") for n, s in ((400, 3.0), (600, 5.0))]
    by_model = {m["model"]: m for m in data["by_model"]}
    got = by_model["openai/gpt-4o-mini"]
    assert got["calls"] == 2 and got["output_tokens"] == 1000
    assert got["energy_uwh_min"] == sum(e.wh_min_micro for e in mini if e)
    assert got["gco2_ug_max"] == sum(e.gco2_max_micro for e in mini if e)
    assert got["tokens_per_wh"] > 0 and got["estimated_calls"] == 0
    assert by_model["deepseek/deepseek-chat"]["estimated_calls"] == 1
    assert data["total"]["calls"] == 4
    assert data["total"]["energy_uwh_max"] == sum(m["energy_uwh_max"] for m in data["by_model"])


def test_energy_per_profile_and_month(calls: Run) -> None:
    alice = json.loads(calls("energy", "--profile", "alice", "--json").out)
    assert alice["total"]["calls"] == 2 and [m["model"] for m in alice["by_model"]] == ["openai/gpt-4o-mini"]
    old = json.loads(calls("energy", "--month", "2020-01", "--json").out)
    assert old["total"] is None and old["by_model"] == []


def test_energy_table_and_errors(calls: Run) -> None:
    r = calls("energy")
    assert r.code == 0, r.err
    assert "FRA electricity mix" in r.out and "tokens/Wh" in r.out and "anthropic/claude-sonnet-4-5" in r.out
    assert "by electric car" in r.out and "1 estimated" in r.out
    bad = calls("energy", "--month", "March")
    assert bad.code != 0 and "YYYY-MM" in bad.err and "Traceback" not in bad.err
    nobody = calls("energy", "--profile", "nobody")
    assert nobody.code != 0 and "nobody" in nobody.err


def test_history_shows_energy(calls: Run) -> None:
    rows = json.loads(calls("history", "--json").out)
    deepseek = next(r for r in rows if r["model"] == "deepseek-chat")
    assert deepseek["energy_method"] == "tier-estimate" and deepseek["energy_zone"] == "FRA"
    assert deepseek["energy_uwh_min"] <= deepseek["energy_uwh_max"]
    table = calls("history").out
    assert "energy" in table.splitlines()[0] and "~" in table  # the estimate is marked


def test_energy_in_a_real_process(calls: Run, shell: Run) -> None:
    r = shell("tokenwallet energy --json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["total"]["calls"] == 4
