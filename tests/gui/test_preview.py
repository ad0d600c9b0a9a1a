"""Cost preview: exact OpenAI counts, marked estimates, envelope shares, cheaper models, big files."""

from __future__ import annotations

import re
from pathlib import Path

from tokenwallet.core.money import Amount
from tokenwallet.gui.views.preview import BIG_FILE, PreviewPage
from tokenwallet.tokens import count_text
from tokenwallet.wallet.types import Scope

from .conftest import App

PROMPT = "Summarise the following meeting notes in three bullet points. " * 40


def preview(app: App) -> PreviewPage:
    page = app.page("preview")
    assert isinstance(page, PreviewPage)
    return page


def compute(app: App, page: PreviewPage) -> None:
    with app.qtbot.waitSignal(page.computed, timeout=10_000):
        page.compute()


def test_openai_prompt_is_exact_with_shares_and_cheaper_models(app: App) -> None:
    app.wallet.add_profile("alice")
    app.wallet.set_budget(Scope("profile", "alice"), Amount("usd", 10**9), period="month", action="block")
    app.session.set_profile("alice")
    page = preview(app)
    page.model_box.setCurrentText("openai/gpt-4o")
    page.output_box.setValue(500)
    page.editor.setPlainText(PROMPT)
    compute(app, page)
    r = page.result
    assert r is not None, page.error
    assert r.exact and r.input_tokens == count_text(PROMPT, "gpt-4o").tokens
    assert "exact" in page.tokens_label.text()
    assert page.cost_label.text() == app.session.display.money(r.cost_nano)
    assert r.verdict == "fits" and "✔ profile alice · month" in page.shares_label.text()
    assert r.suggestions, "a cheaper model is suggested"
    first = page.suggest_label.text().split("<br>")[0]
    assert re.match(r"^\S+: [\w ]*tier for this prompt, saves \d+ % \(", first), first
    assert any(s.same_tier for s in r.suggestions)
    page.use_button.click()
    assert page.model_box.currentText() == f"{r.suggestions[0].provider}/{r.suggestions[0].model}"


def test_claude_is_marked_estimate_and_refusal_is_predicted(app: App) -> None:
    app.wallet.add_profile("alice")
    app.wallet.set_budget(Scope("profile", "alice"), Amount("usd", 1000), period="month", action="block")
    app.session.set_profile("alice")
    page = preview(app)
    page.model_box.setCurrentText("anthropic/claude-3-5-sonnet-latest")
    page.editor.setPlainText(PROMPT)
    compute(app, page)
    r = page.result
    assert r is not None, page.error
    assert not r.exact and "estimate" in page.tokens_label.text()
    assert r.verdict == "refused" and "Would be refused" in page.verdict_label.text()
    assert "✘" in page.shares_label.text()


def test_unknown_model_explains_itself(app: App) -> None:
    page = preview(app)
    page.model_box.setCurrentText("openai/no-such-model-xyz")
    page.editor.setPlainText("hello")
    compute(app, page)
    assert page.result is None and page.error
    assert "no-such-model-xyz" in page.verdict_label.text()


def test_large_file_is_read_and_counted_off_the_gui_thread(app: App, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("The quick brown fox jumps over the lazy dog. " * (BIG_FILE // 40))
    page = preview(app)
    page.model_box.setCurrentText("openai/gpt-4o-mini")  # schedules a preview of the empty editor
    page.load_file(big)
    # the GUI stays responsive: the event loop keeps turning while the file is read and counted
    # (waiting for the result, not for `computed`: the empty editor's preview may come first)
    app.qtbot.waitUntil(lambda: page.result is not None or page.error is not None, timeout=20_000)
    r = page.result
    assert r is not None and r.exact
    assert r.input_tokens == count_text(big.read_text(), "gpt-4o-mini").tokens
    assert page.editor.toPlainText() == ""  # too big to paste: counted from the file
    assert "big.txt" in page.file_label.text()


def test_a_dropped_file_is_previewed(app: App, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    prompt = tmp_path / "prompt.md"
    prompt.write_text("Translate this paragraph into French, keeping the tone informal. " * 10)
    page = preview(app)
    page.model_box.setCurrentText("openai/gpt-4o-mini")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(prompt))])
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    page.editor.dropEvent(drop)
    app.qtbot.waitUntil(
        lambda: page.result is not None and page.result.model == "gpt-4o-mini", timeout=10_000
    )
    assert page.editor.toPlainText() == prompt.read_text()  # small files go into the box
    assert (
        page.result is not None
        and page.result.input_tokens == count_text(prompt.read_text(), "gpt-4o-mini").tokens
    )
    assert "prompt.md" in page.file_label.text()
