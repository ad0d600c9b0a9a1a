"""The app: a readable wallet is tightened with a notice, exports are owner-only, the app takes its
daily backup and holds the wallet against a restore, and the PIN dialogs offer a passphrase."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from fakes.upstream import FakeUpstream
from tokenwallet.cli import main
from tokenwallet.gui.app import build, ensure_app
from tokenwallet.gui.views import billing_pin
from tokenwallet.gui.views.billing_pin import PinDialog
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.daily import daily_backups

from .conftest import PROVIDER_KEYS, App, close_app, point_at

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def cli(data_dir: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--data-dir", str(data_dir), *args], stdin=io.StringIO(), stdout=out, stderr=err)
    return code, out.getvalue() + err.getvalue()


def test_the_app_tightens_a_readable_wallet_backs_up_and_holds_it(
    qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream
) -> None:
    home = tmp_path / "home"
    w = Wallet.open(home / "wallet.db")
    w.add_profile("alice")
    point_at(w, upstream)
    w.close()
    code, text = cli(home, "backup")
    assert code == 0, text
    made = text.strip()
    os.chmod(home, 0o755)  # as an older version, or a copy with cp, left them
    os.chmod(home / "wallet.db", 0o644)

    ensure_app()
    session, window = build(home, keystore=MemoryKeyStore(dict(PROVIDER_KEYS)), use_tray=False, port=0)
    window.show()
    qtbot.waitUntil(lambda: session.mode in ("hosted", "attached", "off"), timeout=10_000)
    app = App(session, window, upstream, MemoryKeyStore({}), qtbot)
    try:
        assert mode(home) == 0o700 and mode(home / "wallet.db") == 0o600
        notices = app.window.banner.texts()
        assert any("could read" in t and "wallet.db (0644)" in t for t in notices), notices
        # the daily backup, on its own thread
        qtbot.waitUntil(lambda: bool(daily_backups(home / "wallet.db")), timeout=10_000)
        (_, daily), *_ = daily_backups(home / "wallet.db")
        assert mode(daily) == 0o600
        # the open window holds the wallet: no restore under it
        code, text = cli(home, "restore", made)
        assert code == 1 and "in use by a running meter or the app" in text
    finally:
        close_app(app)
    code, text = cli(home, "restore", made)
    assert code == 0, text


def test_history_export_and_pdfs_are_owner_only(app: App, tmp_path: Path) -> None:
    page = app.page("history")
    out = tmp_path / "history.csv"
    out.write_text("an old export\n")
    os.chmod(out, 0o644)
    page.export_to(out)
    app.idle()
    assert "Exported" in page.count.text() and mode(out) == 0o600

    from tokenwallet.gui.pdf import write_pdf

    pdf = tmp_path / "statement.pdf"
    write_pdf("<h1>Statement</h1>", pdf, title="t")
    assert mode(pdf) == 0o600
    os.chmod(pdf, 0o644)
    write_pdf("<h1>Again</h1>", pdf, title="t")  # over a readable file
    assert mode(pdf) == 0o600


def test_pin_dialogs_offer_a_passphrase(app: App, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    ask = PinDialog("top up", parent=None)
    qtbot.addWidget(ask)
    assert ask.pin.placeholderText() == "PIN or passphrase" and ask.hint is None
    choose = PinDialog("choose the new owner PIN", confirm=True)
    qtbot.addWidget(choose)
    assert choose.hint is not None and "passphrase of a few words" in choose.hint.text()

    page = app.page("household")
    assert "passphrase" in page.pin_hint.text()
    page.owner_name.setText("mum")
    page.new_pin.setText("1234")
    page.new_pin2.setText("1234")
    page.init_button.click()
    assert "Household created" in page.status.text() and "passphrase" in page.status.text()
    monkeypatch.setattr(billing_pin, "asker", lambda _parent, _action: "1234")  # the owner types it
    page.change_pin("Otter kettle Dunedin 42")
    assert page.status.text() == "The owner PIN is changed."  # a passphrase: no advice
    monkeypatch.setattr(billing_pin, "asker", lambda _parent, _action: "Otter kettle Dunedin 42")
    assert billing_pin.guard_money_change(None, app.wallet, "top up")
