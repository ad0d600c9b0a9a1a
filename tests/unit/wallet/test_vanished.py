"""Writes refuse a wallet file that is no longer at its path (folder removed, file replaced)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tokenwallet.wallet import Wallet, WalletError


def test_a_removed_folder_refuses_writes(tmp_path: Path) -> None:
    home = tmp_path / "usb"
    home.mkdir()
    w = Wallet.open(home / "wallet.db")
    w.add_profile("saved")
    shutil.rmtree(home)
    with pytest.raises(WalletError) as err:
        w.add_profile("lost")  # SQLite alone would say nothing and write into the deleted file
    msg = str(err.value)
    assert "\n" not in msg and str(home / "wallet.db") in msg and "is gone" in msg
    w.close()


def test_a_moved_file_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "wallet.db"
    w = Wallet.open(path)
    w.add_profile("saved")
    path.rename(tmp_path / "elsewhere.db")  # its -wal stays behind: writing on would split them
    with pytest.raises(WalletError, match="removed or replaced"):
        w.add_profile("astray")
    assert [p.name for p in w.profiles()] == ["saved"]  # reading what it has still works
    w.close()
