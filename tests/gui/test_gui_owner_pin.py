"""Once a household exists, the window's money edits need the owner PIN, as the CLI's do."""

from __future__ import annotations

import pytest

from tokenwallet.billing import household as hh
from tokenwallet.core.money import Amount
from tokenwallet.gui.views import billing_pin
from tokenwallet.gui.views.manage import ManagePage
from tokenwallet.wallet.types import Scope

from .conftest import App

PIN = "4821"


@pytest.fixture
def household(app: App, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """A household with a child on a hard weekly stop; returns the PINs the 'owner' will type."""
    hh.init_household(app.wallet, "mum", PIN)
    hh.add_member(app.wallet, "kid", Amount("usd", 5_000_000_000), period="week", hard=True, pin=PIN)
    app.session.notify_changed()
    typed: list[str | None] = []
    monkeypatch.setattr(billing_pin, "asker", lambda _parent, _action: typed.pop(0) if typed else None)
    return typed


def budgets(app: App) -> ManagePage:
    page = app.page("wallet")
    assert isinstance(page, ManagePage)
    return page


def kid_week(app: App) -> int:
    (env,) = [e for e in app.wallet.envelopes() if e.scope == Scope("profile", "kid")]
    return env.amount


def test_budget_edit_without_the_pin_changes_nothing(app: App, household: list[str | None]) -> None:
    tab = budgets(app).budgets
    tab.scope.select("profile:kid")
    tab.period.setCurrentIndex(tab.period.findData("week"))  # the allowance's own period
    tab.amount.setText("50")
    household[:] = [None]  # the child cancels the PIN prompt
    tab.save()
    assert kid_week(app) == 5_000_000_000
    household[:] = ["0000"]  # a wrong PIN
    tab.save()
    assert kid_week(app) == 5_000_000_000
    household[:] = [PIN]  # the owner
    tab.save()
    assert kid_week(app) == 50_000_000_000


def test_topup_and_banner_downgrade_need_the_pin(app: App, household: list[str | None]) -> None:
    (env,) = [e for e in app.wallet.envelopes() if e.scope == Scope("profile", "kid")]
    tab = budgets(app).money
    tab.top_scope.select("profile:kid")
    tab.top_amount.setText("100")
    tab.topup()  # no PIN typed
    assert [m for m in app.wallet.movements(env.id) if m.kind == "topup"] == []

    app.window.switch_to_downgrade(env.id)  # the banner's one-click button, no PIN
    assert app.wallet.envelope(env.id).action == "block"
    household[:] = [PIN]
    app.window.switch_to_downgrade(env.id)
    assert app.wallet.envelope(env.id).action == "downgrade"
