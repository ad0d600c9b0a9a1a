"""One process holding several handles on a wallet while other processes open and close it.

The original bug (issue 9): opening a second wallet handle ran a header check with a plain
``open()``; closing that descriptor dropped every POSIX lock this process held on the file, so the
next process to close its connection deleted the WAL under ours and later writes were lost.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tokenwallet.wallet import Wallet
from tokenwallet.wallet.db import check_file

_ADD = (
    "import sys; from tokenwallet.wallet import Wallet; "
    "w = Wallet.open(sys.argv[1]); w.add_profile(sys.argv[2]); w.close()"
)
ALL = {"first", "second", "other-1", "after-1", "after-2", "other-2"}


def deleted_journals(pid: int | str = "self") -> list[str]:
    """Descriptors of ``pid`` pointing at a wallet file that was unlinked while still open."""
    found = []
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(fd_dir / fd)
        except OSError:
            continue  # closed meanwhile (the listing's own descriptor)
        if "wallet.db" in target and target.endswith("(deleted)"):
            found.append(target)
    return found


def _other_process_adds(path: Path, name: str) -> None:
    subprocess.run([sys.executable, "-c", _ADD, str(path), name], check=True, timeout=60)


def test_a_second_handle_and_other_processes_never_delete_our_wal(tmp_path: Path) -> None:
    path = tmp_path / "wallet.db"
    first = Wallet.open(path)
    first.add_profile("first")
    first._conn()  # two live connections in this process: this thread's and the checkpointer's
    check_file(path)  # what every later open runs, with connections already open
    second = Wallet.open(path)  # the app's meter opening its own handle beside the window's
    second.add_profile("second")
    _other_process_adds(path, "other-1")  # opens, writes, closes: believes it may be the last
    assert deleted_journals() == []
    first.add_profile("after-1")
    second.add_profile("after-2")
    _other_process_adds(path, "other-2")
    assert deleted_journals() == []
    # the other process sees what this one wrote (the same WAL), and this one sees its writes
    assert {p.name for p in first.profiles()} == ALL
    first.close()
    second.close()
    # …and after everyone closed, nothing is lost
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM profile")}
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert names == ALL
