"""The dashboard shows metered and imported use apart and together, and a card per plan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tokenwallet.billing.plans import Plan
from tokenwallet.core.money import Amount
from tokenwallet.core.usage import Usage
from tokenwallet.core.windows import US_PER_HOUR
from tokenwallet.gui.views.dashboard import DashboardPage
from tokenwallet.wallet import CallRecord, Wallet

from .conftest import App

PRICE = '{"model": "claude-sonnet-4-5", "input_mtok": "3", "output_mtok": "15"}'


def call(w: Wallet, call_id: str, cost: int, source: str, minutes_ago: int) -> None:
    """A ledger row as the meter (source "meter") or a log importer ("imported:<tool>") writes it."""
    w.record(
        CallRecord(
            call_id=call_id, binding=w.binding_for("alice"), provider="anthropic", model="claude-sonnet-4-5",
            endpoint="messages", status=200, stream=True,
            usage=Usage(input_tokens=1000, cache_read_tokens=20_000, output_tokens=500), cost_nano=cost,
            price_json=PRICE, price_source="test", estimated=False, unpriced=False, duration_ms=0,
            source=source, started_at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
        )
    )  # fmt: skip


def test_metered_imported_and_plans_apart_and_together(app: App) -> None:
    w = app.wallet
    w.add_profile("alice")
    w.set_setting("timezone", "UTC")
    w.set_plan(
        Plan(
            profile="alice", tool="claude-code", kind="claude-max-5x", price_nano=100 * 10**9,
            window_us=5 * US_PER_HOUR, window_start="hour", weekly=True, week_anchor_us=None,
            window_limit=None, week_limit=Amount("usd", 50 * 10**9),
        )
    )  # fmt: skip
    call(w, "metered-1", 1_250_000_000, "meter", 3)
    call(w, "cc-1", 7_000_000_000, "imported:claude-code", 2)
    call(w, "cc-2", 10_500_000_000, "imported:claude-code", 1)
    app.session.set_profile("alice")
    dash = app.page("dashboard")
    assert isinstance(dash, DashboardPage)
    app.session.notify_changed()
    app.qtbot.waitUntil(lambda: bool(dash.plan_cards) and dash.plan_cards[0].isVisible(), timeout=5000)
    app.idle()

    split = dash.split.text()
    assert dash.split.isVisible()
    assert "metered $1.25 · imported $17.50 (API-equivalent, 43,000 tokens)" in split
    assert "subscription plans $100.00/month · together $18.75" in split
    assert dash.plans_title.isVisible()

    card = dash.plan_cards[0]
    assert card.title.text() == "Claude Max 5x · alice"
    assert card.subtitle.text() == "$100.00/month · use from Claude Code logs"
    # the session window against the catalogue's labelled estimate ($35): half of it
    assert card.session.gauge.isVisible() and card.session.gauge.value() == 50
    assert card.session.gauge.format() == "50 % of ≈$35.00"
    assert "limit: Claude-Code-Usage-Monitor's estimate, not Anthropic's" in card.session.detail.text()
    assert "5-hour window</b> · $17.50 · 43,000 tokens · 2 requests" in card.session.head.text()
    assert "resets " in card.session.detail.text() and "burn $" in card.session.detail.text()
    # the week against the user's own $50 limit
    assert card.week.gauge.value() == 35 and card.week.gauge.format() == "35 % of $50.00"
    assert "limit: yours" in card.week.detail.text()
    assert "Last 7 days" in card.week.head.text()
    assert card.value.text() == (
        "<b>Your $100.00 plan did $17.50 of API-priced work this month (17 % of its price).</b>"
    )

    # the minute tick redraws the plans (a window resets with no call at all)
    with app.qtbot.waitSignal(dash.refreshed, timeout=5000):
        dash._tick.timeout.emit()

    # a profile without plans or imports: no split, no cards
    w.add_profile("bob")
    app.session.set_profile("bob")
    app.qtbot.waitUntil(lambda: not dash.plan_cards[0].isVisible(), timeout=5000)
    app.idle()
    assert not dash.split.isVisible() and not dash.plans_title.isVisible()
