"""The first-run welcome, driven end to end against the window's real proxy and the fake upstream,
and the dashboard's checklist until every step is done."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from fakes.upstream import FakeUpstream
from tokenwallet.gui.firstrun import TOOLS, env_lines, load_checklist, run_line
from tokenwallet.gui.views.dashboard import DashboardPage
from tokenwallet.gui.welcome import WelcomeDialog
from tokenwallet.secrets import NoKeychainError
from tokenwallet.wallet.types import HistoryFilter

from .conftest import App, close_app, make_app


@pytest.fixture
def fresh(qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream) -> Iterator[App]:
    """A new user's window: no provider key, no profile, no call (providers point at the fake)."""
    upstream.reset()
    app = make_app(qtbot, tmp_path / "home", upstream, keys={})
    assert app.session.mode == "hosted", app.session.mode_text
    try:
        yield app
    finally:
        if app.window.welcome is not None:
            app.window.welcome.reject()
        close_app(app)


def dashboard(app: App) -> DashboardPage:
    page = app.page("dashboard")
    assert isinstance(page, DashboardPage)
    return page


def checklist_reads(app: App, done: int) -> None:
    dash = dashboard(app)
    dash.refresh()
    app.qtbot.waitUntil(
        lambda: dash.checklist is not None and dash.checklist.count() == done and not dash._loading,
        timeout=5000,
    )
    app.idle()


def test_a_new_wallet_draws_no_empty_chart_boxes_and_leaves_no_gap(fresh: App) -> None:
    app = fresh
    before = DashboardPage(app.session)  # its first read is still on a worker: nothing to draw yet
    assert not before.daily.isVisibleTo(before) and not before.share.isVisibleTo(before)
    before.deleteLater()
    dash = dashboard(app)
    checklist_reads(app, 0)
    assert not dash.daily.isVisible() and not dash.share.isVisible()
    # the energy card sits right under the checklist: the hidden charts' row keeps no spare height
    gap = dash.energy.geometry().top() - dash.checklist_panel.geometry().bottom()
    assert 0 < gap < 30, gap


def test_welcome_from_nothing_to_a_metered_call(fresh: App) -> None:
    app, qtbot = fresh, fresh.qtbot
    dash = dashboard(app)
    checklist_reads(app, 0)
    # a new wallet: the checklist instead of the empty chart and the blank donut
    assert dash.checklist_panel.isVisible() and not dash.daily.isVisible() and not dash.share.isVisible()
    assert "0 of 4 done" in dash.checklist_panel.title.text()

    app.window.welcome_if_new()
    dialog = app.window.welcome
    assert isinstance(dialog, WelcomeDialog) and dialog.isVisible() and dialog.step() == "key"

    # 1. the key, typed and confirmed with Enter: into the key store, never the wallet
    assert dialog.key_step.key.hasFocus() or dialog.focusWidget() is dialog.key_step.key
    qtbot.keyClicks(dialog.key_step.key, "sk-my-real-openai-key")
    with qtbot.waitSignal(dialog.stepDone, timeout=5000):
        qtbot.keyClick(dialog.key_step.key, Qt.Key.Key_Return)
    assert app.keystore.get("openai") == "sk-my-real-openai-key"
    assert dialog.step() == "budget"

    # 2. a profile with a budget that blocks (the default), Enter again
    assert dialog.budget_step.block.isChecked()
    dialog.budget_step.amount.setText("$5")
    qtbot.keyClick(dialog.budget_step.amount, Qt.Key.Key_Return)
    assert dialog.step() == "tool", dialog.budget_step.status.text()
    (env,) = app.wallet.envelopes()
    assert (str(env.scope), env.action, env.period, env.amount) == ("profile:me", "block", "month", 5 * 10**9)
    key = app.session.revealed_keys["me"]

    # 3. the lines for the chosen tool, with copy buttons
    step = dialog.connect_step
    assert step.tool.currentText() == "Claude Code"
    assert step.run_block.text.toPlainText().endswith("run --profile me -- claude")
    assert f'ANTHROPIC_BASE_URL="{app.url}/anthropic"' in step.env_block.text.toPlainText()
    assert f'ANTHROPIC_AUTH_TOKEN="{key}"' in step.env_block.text.toPlainText()
    step.tool.setCurrentIndex(step.tool.findText("Python / Node SDK or another tool"))
    shell = step.env_block.text.toPlainText()
    assert f'OPENAI_BASE_URL="{app.url}/openai/v1"' in shell and f'OPENAI_API_KEY="{key}"' in shell
    step.env_block.copy.click()
    assert QGuiApplication.clipboard().text() == shell
    # the user's tool makes its first call with those lines: the step sees it
    assert "Waiting for your tool's first call" in step.seen.text()
    client = openai.OpenAI(base_url=f"{app.url}/openai/v1", api_key=key, max_retries=0)
    client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    qtbot.waitUntil(lambda: "A call from your tool came through" in step.seen.text(), timeout=5000)
    checklist_reads(app, 3)
    assert dash.checklist is not None and not dash.checklist.test
    assert dash.checklist_panel.buttons["test"].isVisibleTo(dash.checklist_panel)
    assert not dash.checklist_panel.buttons["tool"].isVisibleTo(dash.checklist_panel)
    dialog.next_button.click()

    # 4. the real test call: through the meter to the (fake) provider, its cost and its ledger row
    assert dialog.step() == "test" and dialog.call_step.model.text() == "gpt-4o-mini"
    with qtbot.waitSignal(dialog.tested, timeout=15_000) as sent:
        dialog.call_step.send.click()
    assert sent.args == [True], dialog.call_step.status.text()
    assert app.upstream.last.headers["authorization"] == "Bearer sk-my-real-openai-key"
    test_rows = app.wallet.history(HistoryFilter(session=dialog.call_result.row.session), limit=5)  # type: ignore[union-attr]
    (row,) = test_rows
    assert row.session.startswith("first-run-") and row.profile == "me" and row.cost_nano > 0
    cost = app.session.display.money(row.cost_nano)
    assert f"It cost {cost}" in dialog.call_step.status.text()
    assert "gpt-4o-mini" in dialog.call_step.row.text() and cost in dialog.call_step.row.text()

    dialog.next_button.click()
    assert dialog.step() == "done" and "blocks calls" in dialog.done_step.summary.text()
    dialog.next_button.click()  # Finish
    assert not dialog.isVisible()

    # every step done: the checklist gives way to the charts, for good
    checklist_reads(app, 4)
    qtbot.waitUntil(lambda: not dash.checklist_panel.isVisible(), timeout=5000)
    assert dash.daily.isVisible() and dash.share.isVisible()


def test_local_models_only_and_a_warning_budget(fresh: App) -> None:
    app, qtbot = fresh, fresh.qtbot
    dialog = app.window.open_welcome()
    dialog.key_step.use_local.setChecked(True)
    assert not dialog.key_step.key_box.isEnabled()
    assert dialog.key_step.local_url.text() == "http://127.0.0.1:11434/v1"  # the Ollama preset
    dialog.key_step.local_url.setText(app.upstream.openai_base_url)  # this test's stand-in for Ollama
    dialog.next_button.click()
    assert app.wallet.provider_config("ollama").base_url == app.upstream.openai_base_url  # type: ignore[union-attr]
    dialog.budget_step.warn.setChecked(True)  # warn is a choice, not the default
    dialog.next_button.click()
    assert [e.action for e in app.wallet.envelopes()] == ["warn"]
    step = dialog.connect_step
    assert not step.run_block.isVisibleTo(dialog)  # `tokenwallet run` points at the cloud routes
    assert f'OPENAI_BASE_URL="{app.url}/ollama/v1"' in step.env_block.text.toPlainText()
    dialog.next_button.click()
    assert dialog.call_step.model.text() == "llama3.2"
    with qtbot.waitSignal(dialog.tested, timeout=15_000) as sent:
        dialog.call_step.send.click()
    assert sent.args == [True], dialog.call_step.status.text()
    (row,) = app.rows()
    assert row.provider == "ollama" and row.cost_nano == 0
    checklist = load_checklist(app.wallet, app.keystore)
    # a local call counts as the key step; a budget that only warns does not count as blocking
    assert (checklist.key, checklist.budget, checklist.tool, checklist.test) == (True, False, False, True)


def test_skip_reopen_and_checklist_buttons(fresh: App) -> None:
    app, qtbot = fresh, fresh.qtbot
    dialog = app.window.open_welcome()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # skip
    assert not dialog.isVisible()
    dash = dashboard(app)
    checklist_reads(app, 0)
    dash.checklist_panel.buttons["budget"].click()
    again = app.window.welcome
    assert again is not None and again.isVisible() and again.step() == "budget"
    again.reject()
    # the test step needs a profile's key first: the welcome starts at the budget then
    dash.checklist_panel.buttons["test"].click()
    assert app.window.welcome is not None and app.window.welcome.step() == "budget"
    app.window.welcome.reject()
    dash.checklist_panel.welcome_button.click()
    assert app.window.welcome.isVisible() and app.window.welcome.step() == "key"
    app.window.welcome.reject()
    # a wallet someone has set up does not greet them again at start
    app.wallet.add_profile("alice")
    app.window.welcome_if_new()
    assert not app.window.welcome.isVisible()


class _NoKeychain:
    """Every keychain call fails as on a desktop without one."""

    def _fail(self, *_args: str) -> None:
        raise NoKeychainError("no usable keychain to keep provider keys in (keyring found no backend)")

    get = set = delete = backend_name = _fail


def test_no_keychain_stops_at_the_key_step_with_the_reason(fresh: App) -> None:
    app = fresh
    app.session._keystore = _NoKeychain()  # type: ignore[assignment]
    dialog = app.window.open_welcome()
    dialog.key_step.key.setText("sk-x")
    dialog.next_button.click()
    app.qtbot.waitUntil(dialog.key_step.status.is_error, timeout=5000)
    assert dialog.step() == "key" and "keyring found no backend" in dialog.key_step.status.text()
    assert dialog.next_button.isEnabled()


def test_connect_lines_per_tool() -> None:
    claude, codex = TOOLS[0], TOOLS[1]
    assert run_line(codex, command="tokenwallet", profile="my kid", provider="openai") == (
        "tokenwallet run --profile 'my kid' -- codex"
    )
    assert run_line(claude, command="tokenwallet", profile="me", provider="lmstudio") is None
    lines = env_lines(claude, url="http://127.0.0.1:8787/", key="tw-k", provider="anthropic")
    assert lines == (
        'export ANTHROPIC_BASE_URL="http://127.0.0.1:8787/anthropic"\nexport ANTHROPIC_AUTH_TOKEN="tw-k"'
    )
    assert HistoryFilter(session="first-run-x").session == "first-run-x"


def test_the_checklist_can_be_hidden_for_good(fresh: App) -> None:
    app = fresh
    dash = dashboard(app)
    checklist_reads(app, 0)
    assert dash.checklist_panel.isVisible()
    dash.checklist_panel.hide_button.click()
    assert not dash.checklist_panel.isVisible() and app.wallet.get_setting("setup_checklist") is False
    dash.refresh()
    app.qtbot.waitUntil(lambda: not dash._loading, timeout=5000)
    app.idle()
    assert dash.checklist is None and not dash.checklist_panel.isVisible()
    assert dash.empty.isVisible()  # the page's own empty state is back
