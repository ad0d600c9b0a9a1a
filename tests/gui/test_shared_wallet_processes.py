"""The desktop app (offscreen) hosting the meter, a second wallet handle in the same process, and
50 CLI commands from other processes on one wallet file: the window's meter sees every change at
once and no write is lost (issue 9: with the app open, CLI commands used to split the wallet)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import shared_wallet
from fakes.upstream import FakeUpstream
from tokenwallet.wallet import Wallet

from .conftest import close_app, make_app


@pytest.mark.slow  # 50 real CLI processes: ~13 s on an idle 2-core machine
def test_the_app_the_cli_and_a_second_handle_share_one_wallet(
    qtbot: QtBot, tmp_path: Path, upstream: FakeUpstream
) -> None:
    upstream.reset()
    home = tmp_path / "home"
    app = make_app(qtbot, home, upstream)
    assert app.session.mode == "hosted", app.session.mode_text
    path = app.session.wallet_path
    # the window's own handle and its meter's are two already; this is a third
    extra = Wallet.open(path)
    try:
        written = shared_wallet.run(home, app.url, [app.wallet, extra], os.getpid())
        app.idle()
        # the window shows what the other processes wrote
        assert {f"c-{i}" for i in range(shared_wallet.CHECKED)} <= {p.name for p in app.wallet.profiles()}
    finally:
        extra.close()
        close_app(app)
    assert not shared_wallet.deleted_journals()
    shared_wallet.check_file(path, written)
