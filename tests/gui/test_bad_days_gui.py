"""Bad days in the app: a read-only folder, a full disk, a damaged or foreign file each end in a
dialog with the very line the CLI prints, and the wallet is left as it was."""

from __future__ import annotations

import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from bad_days import damage, profiles, read_only, run_cli
from shared_wallet import deleted_journals
from tokenwallet.gui import app as gui_app
from tokenwallet.paths import wallet_file

from .conftest import App

HEADING = "The wallet cannot be opened.\n\n"


def open_app(home: Path) -> tuple[int, str]:
    """Start the app on ``home`` as ``tokenwallet`` would; the text of the dialog it shows."""
    texts: list[str] = []
    tries = iter(range(1000))

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            texts.append(box.text())
            box.accept()
        elif next(tries, None) is None:
            QApplication.quit()  # the window opened instead: end the test rather than hang
        else:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)
    code = gui_app.main(["tokenwallet"], home)
    assert texts, "no dialog was shown"
    return code, texts[0]


def cli_line(home: Path, command: str = "status") -> str:
    done = run_cli(home, *command.split())
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    return line.removeprefix("tokenwallet: error: ")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    assert run_cli(home, "profile", "add", "saved").returncode == 0
    return home


def test_a_read_only_folder(qtbot: QtBot, home: Path) -> None:
    with read_only(home):
        code, text = open_app(home)
        expected = cli_line(home)
    assert code == 1 and text == HEADING + expected
    assert "read-only" in text and str(wallet_file(home)) in text  # not "unable to open database file"
    assert profiles(wallet_file(home)) == {"saved"}


@contextmanager
def disk_full() -> Iterator[None]:
    """This process may write at most 16 KB into any file, inside the block."""
    old = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 10, old[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old)
        signal.signal(signal.SIGXFSZ, previous)


def test_a_full_disk(qtbot: QtBot, home: Path) -> None:
    with disk_full():
        code, text = open_app(home)
    assert code == 1 and "disk is full" in text and str(wallet_file(home)) in text
    assert "nothing already saved is lost" in text
    assert profiles(wallet_file(home)) == {"saved"}


def test_a_damaged_wallet(qtbot: QtBot, home: Path) -> None:
    damage(wallet_file(home), "profile")  # the window lists the profiles as it opens
    before = wallet_file(home).read_bytes()
    code, text = open_app(home)
    assert code == 1 and text == HEADING + cli_line(home, "profile list")
    assert "is damaged" in text
    assert wallet_file(home).read_bytes() == before


def test_a_file_that_is_not_a_wallet(qtbot: QtBot, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    wallet_file(home).write_text("my shopping list")
    code, text = open_app(home)
    assert code == 1 and text == HEADING + cli_line(home)
    assert "not a Token Wallet file" in text


def test_the_window_never_reads_or_overwrites_its_wallet_file(app: App) -> None:
    """A prompt file or an export target that is the wallet is refused: reading it with open()
    would drop the app's locks on it (issue 9), writing over it would destroy it."""
    path = app.session.wallet_path
    app.wallet.add_profile("saved")
    history = app.page("history")
    history.export_to(path)
    app.idle()
    assert "the wallet's own file" in history.count.text()
    preview = app.page("preview")
    preview.load_file(Path(f"{path}-wal"))
    app.idle()
    assert "the wallet's own file" in preview.file_label.text()
    assert "saved" in {p.name for p in app.wallet.profiles()}
    assert not deleted_journals()
