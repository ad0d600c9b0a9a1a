"""Opening the wallet a second time in one process must not drop that process's SQLite locks.

Closing any descriptor of a database file releases every POSIX lock the process holds on it. When
``Wallet.open`` read the file's header with ``open()``/``close()`` while the process already had
the wallet open (the app, ``serve`` and the test fixtures all do), another process closing its
last connection took the wallet for unused and deleted the WAL: every later commit of the first
process went to a deleted file, invisible to every other process (``tokenwallet run`` printed a
session with 0 calls while the proxy had recorded them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tokenwallet.wallet import Wallet

COUNT = """
import sys
from tokenwallet.wallet import Wallet
w = Wallet.open(sys.argv[1])
print(len(w.profiles()))
w.close()
"""


def _count_elsewhere(path: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", COUNT, str(path)], capture_output=True, text=True, check=True, timeout=60
    )
    return int(done.stdout)


def test_a_second_open_keeps_other_processes_seeing_our_commits(tmp_path: Path) -> None:
    path = tmp_path / "wallet.db"
    first = Wallet.open(path)
    first.add_profile("a")
    second = Wallet.open(path)  # the app's proxy, a price updater … in the same process
    try:
        assert _count_elsewhere(path) == 1  # another process opens and closes the wallet
        first.add_profile("b")
        second.add_profile("c")
        assert _count_elsewhere(path) == 3
    finally:
        second.close()
        first.close()
    assert _count_elsewhere(path) == 3


def test_not_a_database_is_still_named(tmp_path: Path) -> None:
    import pytest

    from tokenwallet.wallet.errors import WalletError

    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not a wallet at all" * 10)
    with pytest.raises(WalletError, match="not an SQLite database"):
        Wallet.open(path)
    assert path.read_text().startswith("hello")
