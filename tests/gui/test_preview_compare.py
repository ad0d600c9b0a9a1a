"""Cost preview page: the compare table (real view, model and sorting), images, readable headline."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from fakes._vision import data_url, png
from tokenwallet.core.energy_text import ESTIMATE_TIP
from tokenwallet.core.money import Amount
from tokenwallet.gui.views.compare_model import (
    COL_CONTEXT,
    COL_COST,
    COL_ENERGY,
    COL_KEY,
    COL_MODEL,
    COL_TIER,
    HEADERS,
    SORT_ROLE,
)
from tokenwallet.gui.views.preview import PreviewPage
from tokenwallet.wallet.types import Scope

from .conftest import App

PROMPT = "Summarise the following meeting notes in three bullet points. " * 40


def ready(app: App, text: str = PROMPT, output: int = 500) -> PreviewPage:
    app.wallet.add_profile("alice")
    app.wallet.set_budget(Scope("profile", "alice"), Amount("usd", 10**12), period="month", action="block")
    app.wallet.set_budget(Scope("provider", "openai"), Amount("usd", 10**8), period="day", action="warn")
    app.session.set_profile("alice")
    page = app.page("preview")
    assert isinstance(page, PreviewPage)
    page.model_box.setCurrentText("openai/gpt-4o")
    page.output_box.setValue(output)
    page.editor.setPlainText(text)
    with app.qtbot.waitSignal(page.computed, timeout=20_000):
        page.compute()
    assert page.result is not None, page.error
    return page


def column(page: PreviewPage, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> list[object]:
    proxy = page.compare.proxy
    return [proxy.index(row, col).data(role) for row in range(proxy.rowCount())]


def test_the_table_lists_every_model_with_keys_budgets_and_the_baseline(app: App) -> None:
    page = ready(app)
    model = page.compare.model
    assert model.rowCount() > 50 and page.compare.view.model() is page.compare.proxy
    names = column(page, COL_MODEL)
    assert "openai/gpt-4o" in names
    keys = dict(zip(names, column(page, COL_KEY), strict=True))
    assert keys["openai/gpt-4o"] == "✓"  # the test keystore holds openai and anthropic keys
    assert any(k.startswith("anthropic/") and v == "✓" for k, v in keys.items())
    assert any(k.startswith("mistral/") and v == "no key" for k, v in keys.items())
    titles = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(model.columnCount())
    ]
    assert titles[: len(HEADERS)] == HEADERS
    assert "profile alice · month" in titles and "provider openai · day" in titles
    day = titles.index("provider openai · day")
    shares = dict(zip(names, column(page, day), strict=True))
    assert shares["openai/gpt-4o"].endswith("%")
    assert all(v == "—" for k, v in shares.items() if not k.startswith("openai/"))  # openai's budget
    assert f"{model.rowCount()} models" in page.compare.note.text()


def test_energy_from_a_size_class_is_marked_an_estimate(app: App) -> None:
    page = ready(app)
    names = column(page, COL_MODEL)
    energy = dict(zip(names, column(page, COL_ENERGY), strict=True))
    tips = dict(zip(names, column(page, COL_ENERGY, Qt.ItemDataRole.ToolTipRole), strict=True))
    # ecologits has data for gpt-4o; deepseek-chat's figure comes from its tier's size class
    assert energy["openai/gpt-4o"].endswith(" Wh") and not energy["openai/gpt-4o"].startswith("~")
    assert tips["openai/gpt-4o"] is None
    assert energy["deepseek/deepseek-chat"].startswith("~") and energy["deepseek/deepseek-chat"].endswith(
        " Wh"
    )
    assert tips["deepseek/deepseek-chat"] == ESTIMATE_TIP


def test_sorting_by_cost_tier_and_context_keeps_unknowns_last(app: App) -> None:
    page = ready(app, output=150_000)  # 150k output tokens: too long for 128k-context models
    view = page.compare.view
    costs = [k[1] for k in column(page, COL_COST, SORT_ROLE)]
    assert costs == sorted(costs)  # cheapest first by default
    view.sortByColumn(COL_COST, Qt.SortOrder.DescendingOrder)
    costs = [k[1] for k in column(page, COL_COST, SORT_ROLE)]
    assert costs == sorted(costs, reverse=True)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        view.sortByColumn(COL_CONTEXT, order)
        fits = column(page, COL_CONTEXT)
        assert "too long" in fits and "fits" in fits
        known = [f for f in fits if f != "unknown"]
        assert fits[: len(known)] == known  # "unknown" only at the bottom, either way
        assert known == sorted(known, reverse=order == Qt.SortOrder.DescendingOrder)
    view.sortByColumn(COL_TIER, Qt.SortOrder.AscendingOrder)
    assert column(page, COL_TIER)[0] == "frontier"


def test_only_keyed_providers_and_double_click_previews_a_row(app: App) -> None:
    page = ready(app)
    page.compare.only_keyed.setChecked(True)
    providers = {str(n).split("/", 1)[0] for n in column(page, COL_MODEL)}
    assert providers <= {"openai", "anthropic"}
    page.compare.view.sortByColumn(COL_COST, Qt.SortOrder.AscendingOrder)
    first = str(page.compare.proxy.index(0, COL_MODEL).data())
    page.compare.view.doubleClicked.emit(page.compare.proxy.index(0, COL_COST))
    assert page.model_box.currentText() == first


def test_image_request_shows_its_image_tokens_per_model(app: App) -> None:
    body = {
        "model": "gpt-4o",
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is in this picture?"},
                    {"type": "image_url", "image_url": {"url": data_url(png(1024, 1024))}},
                ],
            }
        ],
    }
    page = ready(app, json.dumps(body))
    r = page.result
    assert r is not None and r.image_tokens == 765
    assert "of which 765 tokens for images" in page.tokens_label.text()
    mini = next(row for row in r.rows if (row.provider, row.model) == ("openai", "gpt-4o-mini"))
    assert mini.image_tokens == 2833 + 5667 * 4


def test_headline_and_shares_read_as_words_at_1024_px(app: App) -> None:
    app.window.resize(1024, 768)
    page = ready(app, "Hi")
    app.qtbot.waitUntil(lambda: page.tokens_label.width() > 0, timeout=5_000)
    for label in (page.tokens_label, page.cost_label, page.verdict_label):
        needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
        assert label.wordWrap() or label.sizeHint().width() <= label.width(), label.text()
        assert needed <= max(label.height(), label.sizeHint().height())
    shares = page.shares_label.text()
    assert " = " not in shares and "(under 0.01 %)" in shares and "available" in shares
