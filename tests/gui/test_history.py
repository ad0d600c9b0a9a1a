"""The history model without a view (lazy paging over 100k+ rows), filters and CSV export."""

from __future__ import annotations

import csv
import itertools
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openai
from PySide6.QtCore import QDate

from tokenwallet.core.money import nano_to_usd
from tokenwallet.gui.display import Display
from tokenwallet.gui.views.history import HistoryPage
from tokenwallet.gui.views.history_model import COL_COST, COL_MODEL, COL_PROFILE, HistoryModel
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.types import HistoryFilter

from .bulk import fill
from .conftest import App


def test_model_pages_lazily_over_120k_rows(tmp_path: Path) -> None:
    path = tmp_path / "wallet.db"
    fill(path, 120_000)
    w = Wallet.open(path)
    try:
        model = HistoryModel(w, Display(), page_size=500)
        started = time.perf_counter()
        model.set_filter(HistoryFilter())
        assert model.total == 120_000 and model.rowCount() == 0 and model.canFetchMore()
        model.fetchMore()
        first_page_s = time.perf_counter() - started
        assert model.rowCount() == 500
        for _ in range(9):
            model.fetchMore()
        assert model.rowCount() == 5000 and model.canFetchMore()
        assert first_page_s < 0.5, first_page_s
        rows = [model.row(i) for i in range(model.rowCount())]
        assert all(a.at >= b.at for a, b in itertools.pairwise(rows))  # newest first
        assert len({r.id for r in rows}) == 5000  # pages don't overlap
        cost = model.data(model.index(0, COL_COST))
        assert cost == Display().money(rows[0].cost_nano)

        model.set_filter(HistoryFilter(profile="bob", model="gpt-4o-mini"))
        assert 0 < model.total < 120_000 and model.rowCount() == 0
        model.fetchMore()
        assert {model.data(model.index(i, COL_PROFILE)) for i in range(model.rowCount())} == {"bob"}
        assert {model.data(model.index(i, COL_MODEL)) for i in range(model.rowCount())} == {"gpt-4o-mini"}
    finally:
        w.close()


def test_page_filters_and_exports_what_is_shown(app: App, tmp_path: Path) -> None:
    _, key_a = app.wallet.add_profile("alice")
    _, key_b = app.wallet.add_profile("bob")
    for key in (key_a, key_a, key_b):
        openai.OpenAI(base_url=app.url + "/openai/v1", api_key=key, max_retries=0).chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi there"}]
        )
    app.qtbot.waitUntil(lambda: len(app.rows()) == 3, timeout=5000)  # the proxy settles as each response ends
    app.session.notify_changed()
    page = app.page("history")
    assert isinstance(page, HistoryPage)
    page.apply()
    assert page.model.total == 3 and page.model.rowCount() == 3
    page.profile.setCurrentIndex(page.profile.findData("alice"))
    assert page.model.total == 2
    page.since_on.setChecked(True)
    page.since.setDate(QDate.currentDate().addDays(2))  # a start date in the future: nothing
    assert page.model.total == 0
    page.since_on.setChecked(False)
    assert page.model.total == 2 and "2 calls match" in page.count.text()

    out = tmp_path / "alice.csv"
    with app.qtbot.waitSignal(page.exported, timeout=5000):
        page.export_to(out)
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["profile"] for r in rows] == ["alice", "alice"]
    ledger = {r.call_id: r for r in app.rows()}
    for r in rows:
        assert Decimal(r["cost_usd"]) == nano_to_usd(ledger[r["call_id"]].cost_nano)
    assert not out.with_name("alice.csv.part").exists()


def test_filter_dates_are_whole_local_days(app: App) -> None:
    page = app.page("history")
    assert isinstance(page, HistoryPage)
    page.since_on.setChecked(True)
    page.until_on.setChecked(True)
    f = page.current_filter()
    assert f.since is not None and f.until is not None
    assert f.until - f.since == timedelta(days=31)
    assert f.since.tzinfo is not None and f.since <= datetime.now(UTC)


def test_pages_are_exact_when_many_calls_share_a_time_stamp(tmp_path: Path) -> None:
    """Keyset paging must neither skip nor repeat rows recorded in the same microsecond."""
    import uuid

    from tokenwallet.core.usage import Usage
    from tokenwallet.gui.views.history_model import iter_all
    from tokenwallet.wallet.types import CallRecord

    instant = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    w = Wallet.open(tmp_path / "wallet.db", clock=lambda: instant)
    try:
        _, key = w.add_profile("alice")
        binding = w.resolve_key(key)
        assert binding is not None
        for i in range(1203):
            w.record(
                CallRecord(
                    uuid.uuid4().hex,
                    binding,
                    "openai",
                    "gpt-4o-mini",
                    "chat/completions",
                    200,
                    False,
                    Usage(input_tokens=i + 1),
                    i + 1,
                    "{}",
                    "test",
                    False,
                    False,
                    1,
                )
            )
        model = HistoryModel(w, Display(), page_size=500)
        model.set_filter(HistoryFilter())
        while model.canFetchMore():
            model.fetchMore()
        assert model.rowCount() == 1203
        assert len({model.row(i).id for i in range(1203)}) == 1203
        assert len({r.id for r in iter_all(w, HistoryFilter(), page_size=100)}) == 1203
    finally:
        w.close()
