"""The household and clients pages offscreen, with a real wallet; PDFs rendered and checked."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from tokenwallet.billing import clients as cl
from tokenwallet.billing import household as hh
from tokenwallet.core.events import CallRefused
from tokenwallet.core.money import parse_amount
from tokenwallet.core.usage import Usage
from tokenwallet.gui.session import Session
from tokenwallet.gui.views import billing_pin
from tokenwallet.gui.views.widgets import wallet_today
from tokenwallet.gui.workers import pending_tasks
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import CallRecord, Wallet

PIN = "4821"
USD = 1_000_000_000


def _prepare(data_dir: Path) -> Wallet:
    data_dir.mkdir(parents=True, exist_ok=True)
    w = Wallet.open(data_dir / "wallet.db")
    w.set_setting("timezone", "Europe/Paris")
    return w


def _record(w: Wallet, key: str, cost: int, model: str = "gpt-4o", n: int = 1) -> None:
    b = w.resolve_key(key)
    assert b is not None
    for i in range(n):
        usage = Usage(input_tokens=1500, output_tokens=300)
        call_id = f"gui-{model}-{cost}-{i}-{key[-6:]}"
        w.record(
            CallRecord(call_id, b, "openai", model, "chat/completions", 200, False, usage, cost, "{}", "test",
                       False, False, 4)
        )  # fmt: skip


def ink(pdf: Path, tmp: Path) -> float:
    """Share of non-white pixels on page 1 of ``pdf`` (rendered with poppler's pdftoppm)."""
    out = tmp / pdf.stem
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out)],
                   check=True)  # fmt: skip
    img = QImage(str(out) + ".png")
    assert not img.isNull() and img.width() > 300
    dark = sum(
        1
        for y in range(0, img.height(), 2)
        for x in range(0, img.width(), 2)
        if img.pixelColor(x, y).lightness() < 200
    )
    return dark / ((img.width() // 2) * (img.height() // 2))


def wait(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    qtbot.wait(1)


@pytest.fixture
def pin_answer(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """What the PIN dialog 'types' (the last item), and which actions asked for it."""
    answer: list[str | None] = [PIN]
    asked: list[str] = []

    def fake(parent: object, action: str) -> str | None:
        asked.append(action)
        return answer[-1]

    monkeypatch.setattr(billing_pin, "asker", fake)
    return answer


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    w = _prepare(tmp_path / "home")
    hh.init_household(w, "mum", PIN)
    _, kid = hh.add_member(w, "kid", parse_amount("5"), period="week", pin=PIN)
    _, dad = hh.add_member(w, "dad", parse_amount("30"), period="month", kind="adult", pin=PIN)
    _record(w, kid, USD, n=4)  # 80 % of the week: a cheaper model is suggested
    _record(w, dad, 2 * USD, model="gpt-4o-mini")
    w.close()
    s = Session(tmp_path / "home", keystore=MemoryKeyStore({}))
    yield s
    s.close()


def test_household_page(qtbot: QtBot, session: Session, pin_answer: list[str | None], tmp_path: Path) -> None:
    from tokenwallet.gui.views.household import HouseholdPage

    page = HouseholdPage(session)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    wait(qtbot)
    assert not page.setup_box.isVisible()
    table = [[page.table.item(r, c).text() for c in range(page.table.columnCount())]  # type: ignore[union-attr]
             for r in range(page.table.rowCount())]  # fmt: skip
    assert [row[0] for row in table] == ["mum", "dad", "kid"]
    kid = table[2]
    assert kid[1] == "child" and "/week hard" in kid[2] and kid[3] == "$4.00" and kid[4] == "$1.00"
    assert kid[7]  # near the limit: the cheaper choice is shown

    # A wrong PIN changes nothing.
    page.member.setCurrentText("kid")
    page.amount.setText("10")
    pin_answer.append("0000")
    page.buttons["topup"].click()
    assert page.status.is_error() and "wrong PIN" in page.status.text()
    assert hh.member(session.wallet, "kid").allowance is not None
    assert [s.available for s in session.wallet.status() if s.envelope.scope.name == "kid"] == [USD]
    # A cancelled PIN dialog changes nothing either.
    pin_answer.append(None)
    page.buttons["pause"].click()
    assert not session.wallet.profile("kid").paused
    # The right PIN: a bonus that lapses, then a pause.
    pin_answer.append(PIN)
    page.expires_on.setChecked(True)
    page.buttons["topup"].click()
    assert not page.status.is_error(), page.status.text()
    assert [s.available for s in session.wallet.status() if s.envelope.scope.name == "kid"] == [11 * USD]
    page.buttons["pause"].click()
    assert session.wallet.profile("kid").paused
    wait(qtbot)

    # The owner changes the PIN; the old one stops working.
    page.change_pin("9753")
    assert not page.status.is_error(), page.status.text()
    from tokenwallet.billing.pin import PinError, require_owner

    require_owner(session.wallet, "9753")
    with pytest.raises(PinError):
        require_owner(session.wallet, PIN)
    pin_answer.append("9753")

    # The owner hears about a member's refused call.
    session.bus.publish(CallRefused("c1", "kid", None, "openai", "gpt-4o", "profile kid is paused"))
    qtbot.waitUntil(lambda: "kid's call to gpt-4o was refused" in page.refused_label.text(), timeout=3000)

    # Statements for the month, CSV and PDF.
    csv_path = page.export_statement("csv", tmp_path / "kid.csv")
    pdf_path = page.export_statement("pdf", tmp_path / "kid.pdf")
    assert csv_path is not None and pdf_path is not None
    rows = list(csv.reader(io.StringIO(csv_path.read_text())))
    assert rows[-1][3] == "TOTAL" and rows[-1][8] == "4.000000000"
    assert ink(pdf_path, tmp_path) > 0.005
    page.grab().save(str(tmp_path / "household-page.png"))


def test_start_a_household_from_the_page(qtbot: QtBot, tmp_path: Path) -> None:
    from tokenwallet.gui.views.household import HouseholdPage

    _prepare(tmp_path / "solo").close()
    s = Session(tmp_path / "solo", keystore=MemoryKeyStore({}))
    try:
        page = HouseholdPage(s)
        qtbot.addWidget(page)
        page.show()
        assert page.setup_box.isVisible() and not page.actions_box.isEnabled()
        page.owner_name.setText("mum")
        page.new_pin.setText("12")
        page.new_pin2.setText("12")
        page.init_button.click()
        assert page.status.is_error() and "at least 4" in page.status.text()
        page.new_pin.setText(PIN)
        page.new_pin2.setText(PIN)
        page.init_button.click()
        assert hh.owner_name(s.wallet) == "mum"
        assert page.key_dialog is not None and page.key_dialog.key.startswith("tw-")
        page.key_dialog.close()
        wait(qtbot)
        assert not page.setup_box.isVisible()
    finally:
        s.close()


def test_clients_page_report_and_invoice(qtbot: QtBot, tmp_path: Path, pin_answer: list[str | None]) -> None:
    from PySide6.QtCore import QDate

    from tokenwallet.gui.views.clients import ClientsPage

    w = _prepare(tmp_path / "free")
    cl.set_issuer(w, name="Jo Freelance", address="1 Main St\nSpringfield", email="jo@example.com")
    w.close()
    s = Session(tmp_path / "free", keystore=MemoryKeyStore({}))
    try:
        page = ClientsPage(s)
        qtbot.addWidget(page)
        page.resize(1300, 800)
        page.show()
        page.name.setText("acme")
        page.markup.setText("15")
        page.tax.setText("20")
        page.currency.setText("EUR")
        page.rate.setText("0.92")
        page.cap.setText("10")
        page.legal_name.setText("ACME GmbH")
        page.address.setPlainText("Hauptstr. 1\n10115 Berlin")
        page.add_button.click()
        assert not page.status.is_error(), page.status.text()
        wait(qtbot)
        assert page.table.rowCount() == 1
        page.table.selectRow(0)
        page.key_button.click()
        assert page.key_dialog is not None
        key = page.key_dialog.key
        page.key_dialog.close()
        _record(s.wallet, key, 1_234_567_891, n=7)  # $8.64 of a $10 cap: a warning with a cheaper model
        _record(s.wallet, key, 987_654_321, model="gpt-4o-mini")
        s.notify_changed()
        qtbot.waitUntil(lambda: "acme" in page.warnings.text(), timeout=5000)
        today = wallet_today(s.wallet)  # the wallet's zone (Europe/Paris), not this machine's
        assert page.first.date() == QDate(today.year(), today.month(), 1) and page.last.date() == today
        page.show_report()
        wait(qtbot)
        assert page.report is not None and page.report.calls == 8
        assert page.by_model.rowCount() == 2 and "total €" in page.totals.text()
        inv = page.issue_invoice(tmp_path / "inv.pdf", tmp_path / "inv.csv")
        assert inv is not None and inv.number == "INV-0001"
        assert inv.totals.cost_nano == 7 * 1_234_567_891 + 987_654_321
        assert ink(tmp_path / "inv.pdf", tmp_path) > 0.005
        wait(qtbot)
        page.grab().save(str(tmp_path / "clients-page.png"))
    finally:
        s.close()


def test_guard_for_other_pages(qtbot: QtBot, tmp_path: Path, pin_answer: list[str | None]) -> None:
    """``guard_money_change`` is the hook the budget/profile/settings editors call before an edit."""
    from tokenwallet.billing.pin import pin_state
    from tokenwallet.gui.views.billing_pin import PinDialog, guard_money_change

    w = _prepare(tmp_path / "g")
    pin_answer.append("never asked")
    assert guard_money_change(None, w, "set a budget")  # no household: nothing to ask
    hh.init_household(w, "mum", PIN)
    pin_answer.append(PIN)
    assert guard_money_change(None, w, "set a budget")
    pin_answer.append("0000")
    assert not guard_money_change(None, w, "set a budget")
    assert pin_state(w).failed == 1
    pin_answer.append(None)  # cancelled
    assert not guard_money_change(None, w, "set a budget")
    w.close()
    dlg = PinDialog("choose a PIN", confirm=True)
    qtbot.addWidget(dlg)
    dlg.pin.setText("1234")
    assert dlg.repeat is not None
    dlg.repeat.setText("1243")
    dlg._accept()
    assert "differ" in dlg.error.text() and dlg.result() == 0


def test_pages_in_the_main_window(app: Any) -> None:
    """The window lists both pages and builds them on first use."""
    from tokenwallet.gui.views.clients import ClientsPage
    from tokenwallet.gui.views.household import HouseholdPage

    household = app.page("household")
    assert isinstance(household, HouseholdPage) and household.setup_box.isVisible()
    clients = app.page("clients")
    assert isinstance(clients, ClientsPage)
    app.idle()
    titles = [app.window.nav.item(i).text() for i in range(app.window.nav.count())]
    assert "Household" in titles and any(t.startswith("Clients") for t in titles)


def test_the_owner_sees_and_changes_which_models_a_child_may_call(
    qtbot: QtBot, session: Session, pin_answer: list[str | None]
) -> None:
    from tokenwallet.gui.views.household import COLUMNS, HouseholdPage

    page = HouseholdPage(session)
    qtbot.addWidget(page)
    page.show()
    wait(qtbot)
    col = COLUMNS.index("May call")
    may = {page.table.item(r, 0).text(): page.table.item(r, col).text() for r in range(page.table.rowCount())}  # type: ignore[union-attr]
    assert may == {"mum": "any model", "dad": "any model", "kid": "tier:small (default)"}
    page.member.setCurrentText("kid")
    page.models.setText("tier:small, gpt-4o-mini")
    pin_answer.append("0000")
    page.buttons["models"].click()
    assert page.status.is_error() and "wrong PIN" in page.status.text()
    assert session.wallet.model_rules("kid").source == "household"
    pin_answer.append(PIN)
    page.models.setText("tier:nope")
    page.buttons["models"].click()
    assert page.status.is_error() and "no tier named nope" in page.status.text()
    page.models.setText("tier:small, gpt-4o-mini")
    page.buttons["models"].click()
    assert not page.status.is_error(), page.status.text()
    assert [p.text for p in session.wallet.model_rules("kid").allow] == ["tier:small", "gpt-4o-mini"]
    wait(qtbot)
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "kid")  # type: ignore[union-attr]
    assert page.table.item(row, col).text() == "tier:small, gpt-4o-mini"  # type: ignore[union-attr]
    assert hh.history(session.wallet)[0].action == "models"
