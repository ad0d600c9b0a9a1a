"""Energy in the app: the dashboard card, the history and live meter columns, filled after settle."""

from __future__ import annotations

import openai

from tokenwallet.core.energy import energy_for
from tokenwallet.core.energy_text import EV_SOURCE, ev_km_text, wh_text
from tokenwallet.core.usage import Usage
from tokenwallet.gui.views.dashboard import DashboardPage
from tokenwallet.gui.views.energy_text import energy_cell
from tokenwallet.gui.views.history import HistoryPage
from tokenwallet.gui.views.history_model import COL_ENERGY
from tokenwallet.gui.views.meter import MeterPage
from tokenwallet.gui.views.meter_model import COL_ENERGY as METER_ENERGY
from tokenwallet.wallet import CallRecord, Wallet

from .conftest import App


def call(w: Wallet, call_id: str, model: tuple[str, str], out: int, ms: int) -> None:
    provider, name = model
    w.record(
        CallRecord(
            call_id=call_id, binding=w.binding_for("alice"), provider=provider, model=name,
            endpoint="chat/completions", status=200, stream=False,
            usage=Usage(input_tokens=1000, output_tokens=out), cost_nano=1000, price_json="{}",
            price_source="test", estimated=False, unpriced=False, duration_ms=ms,
        )
    )  # fmt: skip


def test_dashboard_card_shows_this_months_energy_and_tokens_per_wh(app: App) -> None:
    w = app.wallet
    w.add_profile("alice")
    w.set_setting("energy_zone", "FRA")
    call(w, "a", ("openai", "gpt-4o-mini"), 500, 4000)
    call(w, "b", ("anthropic", "claude-sonnet-4-5"), 900, 30000)
    call(w, "c", ("deepseek", "deepseek-chat"), 700, 12000)
    dash = app.page("dashboard")
    assert isinstance(dash, DashboardPage)
    app.session.notify_changed()  # as a settle does: the filler computes, the card re-reads
    app.qtbot.waitUntil(
        lambda: dash.energy_data is not None and dash.energy_data.total is not None
        and dash.energy_data.total.calls == 3 and dash.energy_data.pending == 0,
        timeout=10_000,
    )  # fmt: skip
    app.idle()
    expected = [
        energy_for("openai", "gpt-4o-mini", 500, 4.0, "FRA"),
        energy_for("anthropic", "claude-sonnet-4-5", 900, 30.0, "FRA"),
        energy_for("deepseek", "deepseek-chat", 700, 12.0, "FRA"),
    ]
    lo = sum(e.wh_min_micro for e in expected if e)
    hi = sum(e.wh_max_micro for e in expected if e)
    card = dash.energy
    assert card.isVisible()
    text = card.headline.text()
    assert (
        text.startswith("This month: ")
        and wh_text((lo + hi) / 2) in text
        and ev_km_text((lo + hi) / 2) in text
    )
    assert card.headline.toolTip() == EV_SOURCE and "drive.com.au" in EV_SOURCE
    assert "FRA electricity mix" in card.detail.text() and "1 estimated" in card.detail.text()
    models = {
        card.table.item(r, 0).text(): card.table.item(r, 1).text() for r in range(card.table.rowCount())
    }
    assert set(models) == {"openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5", "deepseek/deepseek-chat"}
    mini = expected[0]
    assert mini is not None
    assert models["openai/gpt-4o-mini"] == f"{500 / mini.wh_mid:,.0f}"
    assert models["deepseek/deepseek-chat"].startswith("~")  # the tier estimate is marked


def test_history_and_live_meter_show_each_calls_energy(app: App) -> None:
    _, key = app.wallet.add_profile("alice")
    app.wallet.set_setting("energy_zone", "SWE")
    meter = app.page("meter")
    assert isinstance(meter, MeterPage)
    c = openai.OpenAI(base_url=app.url + "/openai/v1", api_key=key, max_retries=0)
    c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}])
    c.close()
    app.qtbot.waitUntil(
        lambda: meter.model.rowCount() == 1 and meter.model.at(0).energy is not None, timeout=10_000
    )
    row = app.rows()[0]
    assert row.energy is not None and row.energy.method == "ecologits" and row.energy.zone == "SWE"
    assert row.energy == energy_for(
        "openai", "gpt-4o-mini", row.usage.output_tokens, row.duration_ms / 1000, "SWE"
    )
    cell = meter.model.data(meter.model.index(0, METER_ENERGY))
    assert cell == energy_cell(row.energy) and cell.endswith("Wh")
    history = app.page("history")
    assert isinstance(history, HistoryPage)
    history.apply()
    app.qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5000)
    assert history.model.data(history.model.index(0, COL_ENERGY)) == cell
    from PySide6.QtCore import Qt

    tip = history.model.data(history.model.index(0, COL_ENERGY), Qt.ItemDataRole.ToolTipRole)
    assert "CO₂e (SWE mix)" in tip and "ecologits" in tip


def test_settings_choose_the_electricity_mix_and_gpu_watts(app: App) -> None:
    from tokenwallet.gui.views.settings import SettingsPage

    page = app.page("settings")
    assert isinstance(page, SettingsPage)
    box = page.energy
    assert box.zone.currentText().startswith("automatic")
    box.zone.setCurrentIndex(box.zone.findData("NOR"))
    box.watts.setValue(450)
    box.save()
    assert app.wallet.get_setting("energy_zone") == "NOR" and app.wallet.get_setting("gpu_watts") == 450
    assert app.wallet.energy_zone() == "NOR" and not box.status.is_error()
    box.zone.setEditText("Atlantis")
    box.save()
    assert box.status.is_error() and app.wallet.get_setting("energy_zone") == "NOR"
    box.zone.setEditText("swe")  # typed, in any case
    box.save()
    assert app.wallet.energy_zone() == "SWE"
    box.zone.setCurrentIndex(0)
    box.save()
    assert app.wallet.get_setting("energy_zone") is None
