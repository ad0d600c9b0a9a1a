"""The Reconcile page offscreen: a real wallet, fake admin APIs on loopback, the planted $12.34."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fakes.admin_apis import OPENAI_KEY, FakeAdminAPIs
from fakes.ledger_plant import plant
from tokenwallet.core.usage import Usage
from tokenwallet.gui.views.reconcile import COL_DIFF, ReconcilePage

from .conftest import App

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reconcile"


@pytest.fixture
def admin() -> Iterator[FakeAdminAPIs]:
    with FakeAdminAPIs(page_size=4) as fake:
        yield fake


def _cells(page: ReconcilePage) -> list[list[str]]:
    t = page.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_reconcile_page_shows_the_planted_difference(app: App, admin: FakeAdminAPIs) -> None:
    plant(
        app.session.wallet_path,
        datetime(2025, 3, 3, 10, tzinfo=UTC),
        "openai",
        "gpt-4o",
        Usage(input_tokens=320_000),
    )
    plant(app.session.wallet_path, datetime(2025, 3, 4, 10, tzinfo=UTC), "openai", "gpt-4o-mini",
          Usage(output_tokens=1_000_000), source="imported:codex")  # fmt: skip
    admin.openai_day(date(2025, 3, 3), "gpt-4o-2024-08-06", cost="13.14", input_tokens=320_000,
                     output_tokens=1_234_000, requests=2)  # fmt: skip
    admin.openai_day(date(2025, 3, 4), "gpt-4o-mini-2024-07-18", cost="0.60", output_tokens=1_000_000)
    app.wallet.set_setting("reconcile_openai_url", admin.url)

    page = app.page("reconcile")
    assert isinstance(page, ReconcilePage)
    page.provider.setCurrentText("openai")
    page.admin_key.setText(f"  {OPENAI_KEY}  ")
    app.qtbot.mouseClick(page.save_key, Qt.MouseButton.LeftButton)
    app.qtbot.waitUntil(lambda: app.keystore.get("openai-admin") == OPENAI_KEY, timeout=5000)
    assert page.admin_key.text() == "" and OPENAI_KEY not in page.status.text()
    page.month.setText("2025-03")
    with app.qtbot.waitSignal(page.reconciled, timeout=10_000):
        app.qtbot.mouseClick(page.compare, Qt.MouseButton.LeftButton)

    assert _cells(page)[0][5] == "+$12.34" and page.table.rowCount() == 1  # only rows that differ
    page.only_diffs.setChecked(False)
    rows = _cells(page)
    assert rows[0][:6] == ["2025-03-03", "gpt-4o-2024-08-06", "$13.14", "$0.80", "$0.00", "+$12.34"]
    assert rows[0][6].startswith("calls that bypassed the meter: 1,234,000 more tokens (1 more request)")
    assert rows[1][:6] == ["2025-03-04", "gpt-4o-mini-2024-07-18", "$0.60", "$0.00", "$0.60", "$0.00"]
    assert rows[1][6] == "matches (within half a cent)"
    assert page.table.item(0, COL_DIFF).foreground().color().name() == "#cf222e"
    assert page.table.item(1, COL_DIFF).foreground().color().name() != "#cf222e"
    assert "difference +$12.34" in page.summary.text()
    assert page.table.item(0, COL_DIFF).toolTip() == "+$12.34"
    assert not page.status.is_error()
    assert sum(p == "/v1/organization/costs" for _, p, _, _ in admin.requests) == 8  # 31 days, 4 a page

    # A refused key: one red line, the key never shown.
    app.keystore.set("openai-admin", "sk-admin-WRONG-0000")
    app.qtbot.mouseClick(page.compare, Qt.MouseButton.LeftButton)
    app.qtbot.waitUntil(page.status.is_error, timeout=10_000)
    assert "the admin key was refused (HTTP 401)" in page.status.text()
    assert "WRONG" not in page.status.text()
    assert page.compare.isEnabled()

    # The console's CSV export instead of the API.
    with app.qtbot.waitSignal(page.reconciled, timeout=10_000):
        page.run(FIXTURES / "openai_costs.csv")
    assert page.result is not None and page.result.source == "csv:openai_costs.csv"
    assert _cells(page)[0][5] == "+$12.34"
