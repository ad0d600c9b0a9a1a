"""Profiles, projects, budgets, top-ups and transfers edited through the forms."""

from __future__ import annotations

import openai
import pytest

from tokenwallet.core.money import Amount
from tokenwallet.gui.views.manage import ManagePage
from tokenwallet.wallet.types import Scope

from .conftest import App


def manage(app: App) -> ManagePage:
    page = app.page("wallet")
    assert isinstance(page, ManagePage)
    return page


def test_create_rename_rotate_and_pause_a_profile(app: App) -> None:
    tab = manage(app).profiles
    tab.name.setText("alice")
    tab.create_button.click()
    assert "Created profile alice" in tab.status.text()
    dialog = tab.key_dialog
    assert dialog is not None and dialog.isVisible()
    key = dialog.field.text()
    assert key.startswith("tw-") and app.wallet.resolve_key(key) is not None
    dialog.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == key
    dialog.close()
    assert tab.table.rowCount() == 1

    tab.table.selectRow(0)
    tab.name.setText("alice-w")
    tab.rename_button.click()
    assert app.wallet.profile("alice-w").name == "alice-w"
    assert app.wallet.resolve_key(key) is not None  # renaming keeps the key working

    tab.table.selectRow(0)
    tab.rotate_button.click()
    new_key = tab.key_dialog.field.text() if tab.key_dialog else ""
    assert new_key != key and app.wallet.resolve_key(new_key) is not None
    assert app.wallet.resolve_key(key) is None

    tab.table.selectRow(0)
    tab.pause_button.click()
    assert app.wallet.profile("alice-w").paused


def test_profile_errors_are_clear_and_nothing_is_saved(app: App) -> None:
    tab = manage(app).profiles
    tab.create_profile()
    assert tab.status.is_error() and "name" in tab.status.text()
    tab.name.setText("bob")
    tab.create_profile()
    tab.create_profile()  # the same name again
    assert tab.status.is_error() and "Not created" in tab.status.text()
    assert [p.name for p in app.wallet.profiles()] == ["bob"]


def test_create_a_project(app: App) -> None:
    tab = manage(app).projects
    tab.name.setText("acme")
    tab.client.setText("ACME Corp")
    tab.create_button.click()
    assert not tab.status.is_error(), tab.status.text()
    assert app.wallet.project("acme").client == "ACME Corp"
    assert tab.table.rowCount() == 1


def test_budget_edit_persists_and_takes_effect_in_the_proxy(app: App) -> None:
    _, key = app.wallet.add_profile("alice")
    app.session.notify_changed()
    tab = manage(app).budgets
    tab.scope.select("profile:alice")
    tab.amount.setText("0.000001")
    tab.period.setCurrentIndex(tab.period.findData("month"))
    tab.action.setCurrentIndex(tab.action.findData("block"))
    tab.thresholds.setText("50, 90")
    tab.save_button.click()
    assert not tab.status.is_error(), tab.status.text()
    envs = app.wallet.envelopes()
    assert len(envs) == 1
    env = envs[0]
    assert (str(env.scope), env.unit, env.amount, env.period, env.action, env.thresholds) == (
        "profile:alice",
        "usd",
        1000,
        "month",
        "block",
        (50, 90),
    )
    c = openai.OpenAI(base_url=app.url + "/openai/v1", api_key=key, max_retries=0)
    with pytest.raises(openai.APIStatusError) as err:
        c.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], max_tokens=100
        )
    assert err.value.status_code == 402

    # edit it: select the row, raise the amount, save → the same envelope, now the call goes through
    tab.table.selectRow(0)
    assert tab.amount.text() == "0.000001"
    tab.amount.setText("50")
    tab.save_button.click()
    assert [e.amount for e in app.wallet.envelopes()] == [50 * 10**9]
    reply = c.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}], max_tokens=100
    )
    assert reply.choices[0].message.content


@pytest.mark.parametrize(
    ("amount", "thresholds", "message"),
    [
        ("", "50", "type an amount"),
        ("twenty", "50", "cannot read amount"),
        ("0", "50", "more than zero"),
        ("20", "50, 120", "between 1 and 100"),
        ("20", "fifty", "whole percentages"),
    ],
)
def test_budget_validation(app: App, amount: str, thresholds: str, message: str) -> None:
    tab = manage(app).budgets
    tab.amount.setText(amount)
    tab.thresholds.setText(thresholds)
    tab.save_button.click()
    assert tab.status.is_error() and message in tab.status.text()
    assert app.wallet.envelopes() == []


def test_token_budget_and_prepaid_rollover_refused(app: App) -> None:
    tab = manage(app).budgets
    tab.unit.setCurrentIndex(tab.unit.findData("tokens"))
    tab.amount.setText("2M")
    tab.period.setCurrentIndex(tab.period.findData("none"))
    tab.rollover.setChecked(True)
    tab.save_button.click()
    assert tab.status.is_error() and "prepaid" in tab.status.text()
    tab.rollover.setChecked(False)
    tab.save_button.click()
    env = app.wallet.envelopes()[0]
    assert (env.unit, env.amount, env.period) == ("tokens", 2_000_000, "none")


def test_topup_with_expiry_and_transfers(app: App) -> None:
    app.wallet.add_profile("alice")
    app.wallet.add_profile("bob")
    app.wallet.set_budget(Scope("profile", "alice"), Amount("usd", 10 * 10**9), period="month")
    app.wallet.set_budget(Scope("profile", "bob"), Amount("usd", 10 * 10**9), period="month")
    app.session.notify_changed()
    app.idle()
    tab = manage(app).money
    tab.top_scope.select("profile:alice")
    tab.top_amount.setText("5")
    tab.top_expires.setChecked(True)
    tab.top_button.click()
    assert not tab.top_status.is_error(), tab.top_status.text()
    assert "usable until" in tab.top_status.text()
    alice = next(s for s in app.wallet.status(profile="alice") if str(s.envelope.scope) == "profile:alice")
    assert alice.available == 15 * 10**9
    kinds = [tab.movements.item(r, 2).text() for r in range(tab.movements.rowCount())]
    assert any("top" in k for k in kinds), kinds

    tab.src.select("profile:alice")
    tab.dst.select("profile:bob")
    tab.move_amount.setText("1000")  # more than alice has: refused whole
    tab.move_button.click()
    assert tab.move_status.is_error() and "Not moved" in tab.move_status.text()
    tab.move_amount.setText("3")
    tab.move_button.click()
    assert not tab.move_status.is_error(), tab.move_status.text()
    bob = next(s for s in app.wallet.status(profile="bob") if str(s.envelope.scope) == "profile:bob")
    assert bob.available == 13 * 10**9

    tab.dst.select("profile:alice")
    tab.move_button.click()
    assert "two different" in tab.move_status.text()
