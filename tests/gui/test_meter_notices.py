"""Live meter rows for real calls through the hosted proxy, and the near-the-limit banner."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import openai
import pytest

from tokenwallet.core.events import CallProgress, CallStarted
from tokenwallet.core.money import Amount
from tokenwallet.gui.actions import find_envelope
from tokenwallet.gui.views.dashboard import DashboardPage
from tokenwallet.gui.views.history import HistoryPage
from tokenwallet.gui.views.history_model import COL_STATUS
from tokenwallet.gui.views.meter import MeterPage
from tokenwallet.gui.views.meter_model import COL_STATUS as METER_STATUS
from tokenwallet.wallet.types import Scope

from .conftest import App

ALICE = Scope("profile", "alice")


def client(app: App, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=app.url + "/openai/v1", api_key=key, max_retries=0)


def test_meter_row_cost_equals_the_ledger(app: App) -> None:
    _, key = app.wallet.add_profile("alice")
    meter = app.page("meter")
    assert isinstance(meter, MeterPage)
    client(app, key).chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}]
    )
    # the cells are written by the page's throttle (at most every 100 ms): wait for what shows
    app.qtbot.waitUntil(
        lambda: (
            meter.model.rowCount() == 1
            and "settled" in str(meter.model.data(meter.model.index(0, METER_STATUS)))
        ),
        timeout=5000,
    )
    row = meter.model.at(0)
    ledger = app.rows()
    assert len(ledger) == 1
    assert row.cost_nano == ledger[0].cost_nano > 0
    assert row.output_tokens == ledger[0].usage.output_tokens
    cost_text = meter.model.data(meter.model.index(0, 6))
    assert cost_text == app.session.display.money(ledger[0].cost_nano)
    assert "settled" in meter.model.data(meter.model.index(0, METER_STATUS))
    assert "1 calls since the window opened" in meter.summary.text()


def test_streaming_call_ticks_while_it_runs(app: App) -> None:
    _, key = app.wallet.add_profile("alice")
    app.upstream.scenario(chunks=30, chunk_delay=0.04)
    meter = app.page("meter")
    assert isinstance(meter, MeterPage)
    seen_running: list[tuple[int, int]] = []
    app.session.bridge.coreEvent.connect(
        lambda ev: (
            seen_running.append((ev.output_tokens, ev.cost_nano)) if isinstance(ev, CallProgress) else None
        )
    )

    def stream() -> None:
        s = client(app, key).chat.completions.create(
            model="gpt-4o-mini", stream=True, messages=[{"role": "user", "content": "count"}]
        )
        for _ in s:
            pass

    t = threading.Thread(target=stream)
    t.start()
    app.qtbot.waitUntil(lambda: meter.model.rowCount() == 1, timeout=5000)
    app.qtbot.waitUntil(
        lambda: meter.model.at(0).output_tokens > 0 and meter.model.at(0).state == "running", timeout=5000
    )
    assert "streaming" in meter.model.at(0).status_text()
    t.join()
    app.qtbot.waitUntil(lambda: meter.model.at(0).state == "settled", timeout=5000)
    assert seen_running  # progress events arrived while streaming
    assert meter.model.at(0).cost_nano == app.rows()[0].cost_nano
    assert meter.model.at(0).output_tokens == 30


def test_bursts_are_coalesced_into_few_repaints(app: App) -> None:
    meter = app.page("meter")
    assert isinstance(meter, MeterPage)
    before = meter.throttle.calls
    for i in range(50):
        app.session.bus.publish(
            CallStarted(f"c{i}", "p", None, "openai", "gpt-4o", "chat/completions", True, 0, 10)
        )
    for step in range(20):
        for i in range(50):
            app.session.bus.publish(CallProgress(f"c{i}", step, step * 1000))
    app.qtbot.waitUntil(lambda: meter.model.rowCount() == 50, timeout=3000)
    app.qtbot.wait(250)
    assert meter.throttle.calls - before <= 4  # 1,050 events → a handful of repaints
    assert meter.model.at(0).output_tokens == 19


def test_refused_call_shows_the_banner_with_one_click_downgrade(app: App) -> None:
    _, key = app.wallet.add_profile("alice")
    env = app.wallet.set_budget(ALICE, Amount("usd", 1), period="month", action="block")
    app.session.notify_changed()
    with pytest.raises(openai.APIStatusError) as err:
        client(app, key).chat.completions.create(
            model="gpt-4o", max_tokens=50, messages=[{"role": "user", "content": "hi"}]
        )
    assert err.value.status_code == 402
    meter = app.window.page("meter")  # not visited before the call: it recorded it anyway
    assert isinstance(meter, MeterPage)
    app.qtbot.waitUntil(lambda: meter.model.rowCount() == 1, timeout=5000)
    assert meter.model.at(0).state == "refused" and "profile:alice (month)" in meter.model.at(0).status_text()
    banner = app.window.banner
    app.qtbot.waitUntil(lambda: bool(banner.notices), timeout=5000)
    text = banner.texts()[0]
    assert "refused" in text and "profile:alice (month)" in text and "left" in text
    notice = banner.notices[0]
    assert notice.action_button is not None and "Downgrade" in notice.action_button.text()
    notice.action_button.click()
    assert find_envelope(app.wallet, env.id).action == "downgrade"
    assert any("now downgrades" in t for t in banner.texts())


def test_threshold_crossing_shows_the_banner_and_moves_the_gauge(app: App) -> None:
    _, key = app.wallet.add_profile("alice")
    app.wallet.set_budget(ALICE, Amount("tokens", 20), period="month", action="warn", thresholds=(50,))
    app.session.set_profile("alice")
    dash = app.page("dashboard")
    assert isinstance(dash, DashboardPage)
    app.idle()
    assert dash.cards[0].gauge.value() == 0
    client(app, key).chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hello world, how are you"}]
    )
    banner = app.window.banner
    app.qtbot.waitUntil(lambda: any("crossed 50 %" in t for t in banner.texts()), timeout=5000)
    text = next(t for t in banner.texts() if "crossed" in t)
    assert "profile:alice (month)" in text and "tokens left" in text
    # the threshold event names no model: the window finds a cheaper one for this period's calls
    app.qtbot.waitUntil(lambda: any("Suggestion:" in t for t in banner.texts()), timeout=5000)
    assert any("less than gpt-4o" in t for t in banner.texts()), banner.texts()
    app.qtbot.waitUntil(lambda: dash.cards[0].gauge.value() >= 50, timeout=5000)
    assert "available" in dash.cards[0].amounts.text()


def test_downgraded_call_is_marked_in_the_meter(app: App) -> None:
    import httpx

    _, key = app.wallet.add_profile("alice")
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1000}
    mini = httpx.post(
        app.url + "/tokenwallet/preview",
        json={"provider": "openai", "body": {**body, "model": "gpt-4o-mini"}},
    ).json()
    app.wallet.set_budget(ALICE, Amount("usd", int(mini["worst_case_nano"]) * 2), action="downgrade")
    app.session.notify_changed()
    meter = app.page("meter")
    assert isinstance(meter, MeterPage)
    r = httpx.post(
        app.url + "/openai/v1/chat/completions", json=body, headers={"authorization": f"Bearer {key}"}
    )
    assert r.status_code == 200 and r.headers["x-tokenwallet-downgraded-from"] == "gpt-4o"
    # the cells are written by the page's throttle (at most every 100 ms): wait for what shows
    app.qtbot.waitUntil(
        lambda: (
            meter.model.rowCount() == 1
            and "settled" in str(meter.model.data(meter.model.index(0, METER_STATUS)))
        ),
        timeout=5000,
    )
    row = meter.model.at(0)
    assert row.downgraded_from == "gpt-4o" and row.model != "gpt-4o"
    assert "downgraded from gpt-4o" in meter.model.data(meter.model.index(0, METER_STATUS))
    assert row.cost_nano == app.rows()[0].cost_nano


def test_a_guard_refusal_offers_a_one_click_lift_for_the_session(app: App) -> None:
    _, key = app.wallet.add_profile("agent")
    guard = app.wallet.add_guard("profile:agent", "loop", 2, window_s=60)
    app.session.notify_changed()
    c = client(app, key)

    def ask() -> None:
        c.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "retry the same step"}], max_tokens=5
        )

    ask()
    with pytest.raises(openai.APIStatusError):
        ask()
    window = app.window
    app.qtbot.waitUntil(lambda: any("loop guard" in t for t in window.banner.texts()), timeout=5000)
    notice = next(n for n in window.banner.notices if "loop guard" in n.label.text())
    assert "refused" in notice.label.text() and notice.action_button is not None
    assert notice.action_button.text() == "Lift for this session"
    notice.action_button.click()
    session = app.rows()[0].session
    assert app.wallet.guard_lifts() == {f"{guard.id}|{session}"}
    ask()  # the lift applies to the very next call
    app.qtbot.waitUntil(lambda: len(app.rows()) == 2, timeout=5000)  # (settled just after the answer)
    assert not any(
        t.startswith("A call to gpt-4o-mini by agent was refused: guard") for t in window.banner.texts()
    )


def test_usage_the_meter_did_not_believe_is_marked(app: App, tmp_path: Path) -> None:
    """Live meter and History say which calls were charged the hold, went over the cap, had no usage."""
    _, key = app.wallet.add_profile("alice")
    meter = app.page("meter")
    assert isinstance(meter, MeterPage)
    c = client(app, key)
    app.upstream.scenario(extra_usage={"prompt_tokens": -1000})
    c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], max_tokens=9)
    app.upstream.scenario(output_tokens=50)
    c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], max_tokens=9)
    app.upstream.scenario(no_usage=True)
    c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], max_tokens=9)

    def shown(i: int) -> str:  # as the table shows it: the page's throttle writes the cells
        return str(meter.model.data(meter.model.index(i, METER_STATUS)))

    app.qtbot.waitUntil(
        lambda: meter.model.rowCount() == 3 and all(shown(i).startswith("settled") for i in range(3)),
        timeout=5000,
    )
    status = [meter.model.data(meter.model.index(i, METER_STATUS)) for i in range(3)]  # newest first
    assert status[2] == "settled · usage invalid, charged the hold"
    assert status[1] == "settled · over the output cap"
    assert status[0] == "settled · no usage, estimated"

    app.session.notify_changed()
    page = app.page("history")
    assert isinstance(page, HistoryPage)
    page.apply()
    assert page.model.rowCount() == 3
    assert page.model.data(page.model.index(2, COL_STATUS)) == "ok · usage invalid, charged the hold"
    out = tmp_path / "h.csv"
    with app.qtbot.waitSignal(page.exported, timeout=5000):
        page.export_to(out)
    with out.open() as fh:
        flags = [r["flags"] for r in csv.DictReader(fh)]
    assert flags == ["no_usage", "over_cap", "invalid_usage"]


def test_agent_sessions_show_calls_tokens_cost_and_burn_rate(app: App) -> None:
    _, key = app.wallet.add_profile("agent")
    meter = app.page("meter")
    assert isinstance(meter, MeterPage)
    c = openai.OpenAI(
        base_url=app.url + "/openai/v1", api_key=key, max_retries=0,
        default_headers={"X-Tokenwallet-Session": "refactor-7"},
    )  # fmt: skip
    for i in range(3):
        c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"step {i}"}])
    app.qtbot.waitUntil(
        lambda: meter.sessions.rowCount() == 1 and meter.sessions.at(0).calls == 3, timeout=5000
    )
    app.qtbot.waitUntil(
        lambda: meter.model.rowCount() == 3 and meter.model.at(0).state == "settled", timeout=5000
    )
    app.qtbot.waitUntil(
        lambda: meter.sessions.at(0).cost_nano == sum(r.cost_nano for r in app.rows()), timeout=5000
    )
    row = meter.sessions.at(0)
    assert (row.session, row.profile) == ("refactor-7", "agent")
    assert row.tokens == sum(r.usage.total_tokens for r in app.rows())
    cells = [meter.sessions.data(meter.sessions.index(0, col)) for col in range(7)]
    assert (
        cells[0] == "refactor-7" and cells[2] == "3" and cells[4] == app.session.display.money(row.cost_nano)
    )
    assert meter.sessions_table.isVisibleTo(meter)
