"""The issue's "done when", as a new user does it in the window, step by step.

Open the app → add a provider key (Settings) → create a profile (Profiles) with a monthly budget
(Budgets) → point the openai SDK at the proxy with the lines from Connect → watch the call appear
(Live meter) and the balance move (Dashboard) → preview a prompt and see the cheaper suggestion.
"""

from __future__ import annotations

from pathlib import Path

import openai
from pytestqt.qtbot import QtBot

from fakes.upstream import FakeUpstream
from tokenwallet.gui.app import build
from tokenwallet.gui.views.connect import ConnectPage
from tokenwallet.gui.views.dashboard import DashboardPage
from tokenwallet.gui.views.manage import ManagePage
from tokenwallet.gui.views.meter import MeterPage
from tokenwallet.gui.views.preview import PreviewPage
from tokenwallet.gui.views.settings import SettingsPage
from tokenwallet.gui.workers import pending_tasks
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet.types import HistoryFilter


def test_new_user_walkthrough(qtbot: QtBot, tmp_path: Path) -> None:
    keystore = MemoryKeyStore()
    with FakeUpstream(api_key="sk-my-real-openai-key") as upstream:
        session, window = build(tmp_path / "home", keystore=keystore, use_tray=False, port=0)
        try:
            window.show()
            qtbot.waitUntil(lambda: session.mode == "hosted", timeout=10_000)
            assert window.windowTitle() == "Token Wallet"

            # 1. add a provider key (and, for this test only, point OpenAI at the fake upstream)
            settings = window.show_page("settings")
            assert isinstance(settings, SettingsPage)
            settings.p_name.setCurrentText("openai")
            settings.p_kind.setCurrentText("openai")
            settings.p_url.setText(upstream.openai_base_url)
            settings.p_key.setText("sk-my-real-openai-key")
            settings.save_provider_button.click()
            qtbot.waitUntil(lambda: keystore.get("openai") == "sk-my-real-openai-key", timeout=5000)

            # 2. create a profile; its key is shown once
            manage = window.show_page("wallet")
            assert isinstance(manage, ManagePage)
            manage.profiles.name.setText("me")
            manage.profiles.create_button.click()
            assert manage.profiles.key_dialog is not None
            key = manage.profiles.key_dialog.field.text()
            manage.profiles.key_dialog.close()

            # 3. a monthly budget of $20 for that profile
            budgets = manage.budgets
            manage.tabs.setCurrentWidget(budgets)
            budgets.scope.select("profile:me")
            budgets.amount.setText("$20")
            budgets.period.setCurrentIndex(budgets.period.findData("month"))
            budgets.save_button.click()
            assert not budgets.status.is_error(), budgets.status.text()

            # 4. the lines to copy, for the profile picked in the top bar
            window.profile_box.setCurrentIndex(window.profile_box.findData("me"))
            assert session.profile == "me"
            connect = window.show_page("connect")
            assert isinstance(connect, ConnectPage)
            assert connect.key_field.text() == key  # the key made this session fills the lines in
            shell = connect.blocks["Shell (OpenAI tools)"].toPlainText()
            base_url = shell.split('OPENAI_BASE_URL="')[1].split('"')[0]

            dash = window.show_page("dashboard")
            assert isinstance(dash, DashboardPage)
            qtbot.waitUntil(lambda: bool(dash.cards) and dash.cards[0].isVisible(), timeout=5000)
            assert "$20.00</b> available" in dash.cards[0].amounts.text()

            # 5. point the openai SDK at it and watch the call appear and the balance move
            meter = window.show_page("meter")
            assert isinstance(meter, MeterPage)
            client = openai.OpenAI(base_url=base_url, api_key=key, max_retries=0)
            reply = client.chat.completions.create(
                model="gpt-4o", messages=[{"role": "user", "content": "Write a haiku about budgets."}]
            )
            assert reply.choices[0].message.content
            assert upstream.last.headers["authorization"] == "Bearer sk-my-real-openai-key"
            qtbot.waitUntil(
                lambda: meter.model.rowCount() == 1 and meter.model.at(0).state == "settled", timeout=5000
            )
            ledger = session.wallet.history(HistoryFilter(), limit=10)
            assert meter.model.at(0).cost_nano == ledger[0].cost_nano > 0
            window.show_page("dashboard")
            left = 20 * 10**9 - ledger[0].cost_nano
            qtbot.waitUntil(
                lambda: f"{session.display.money(left)}</b> available" in dash.cards[0].amounts.text(),
                timeout=5000,
            )

            # 6. preview a prompt and see the cheaper suggestion
            preview = window.show_page("preview")
            assert isinstance(preview, PreviewPage)
            preview.model_box.setCurrentText("openai/gpt-4o")
            with qtbot.waitSignal(preview.computed, timeout=10_000):
                preview.editor.setPlainText("Explain the difference between a budget and a forecast. " * 20)
            assert preview.result is not None and preview.result.exact
            assert (
                "saves" in preview.suggest_label.text()
                and "tier for this prompt" in preview.suggest_label.text()
            )
            assert "✔ profile me · month" in preview.shares_label.text()
        finally:
            qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
            window.hide()
            session.close()
            window.deleteLater()
