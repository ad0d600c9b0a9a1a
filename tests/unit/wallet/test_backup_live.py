"""Backups taken while another process keeps writing are consistent snapshots."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tokenwallet.core.money import Amount
from tokenwallet.wallet import HistoryFilter, Scope, Wallet
from tokenwallet.wallet.backup import backup, check_backup

# Reserves and settles calls until stdin closes; says "go" once it has written some.
_WRITER = textwrap.dedent(
    """
    import sys, threading
    from tokenwallet.core.usage import Usage
    from tokenwallet.wallet import CallRecord, HoldRequest, Wallet
    path, key = sys.argv[1], sys.argv[2]
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    w = Wallet.open(path)
    b = w.resolve_key(key)
    n = 0
    while not stop.is_set():
        call_id = f"w{n}"
        r = w.reserve(HoldRequest(call_id, b, "openai", "gpt-4o", "chat/completions", False, 10, 1000, 10))
        usage = Usage(10, output_tokens=5)
        w.settle(r.hold_id, CallRecord(call_id, b, "openai", "gpt-4o", "chat/completions", 200, False,
                                       usage, 900 + n % 7, "{}", "test", False, False, 1))
        n += 1
        if n == 20:
            print("go", flush=True)
    w.close()
    print(n, flush=True)
    """
)


def test_backups_while_another_process_writes_are_consistent(tmp_path: Path) -> None:
    path = tmp_path / "wallet.db"
    w = Wallet.open(path)
    _, key = w.add_profile("alice")
    w.set_budget(Scope("profile", "alice"), Amount("usd", 10**12), period="month", action="block")
    w.close()
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), key],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdin is not None
    assert writer.stdout.readline().strip() == "go"
    made = [backup(path, tmp_path / f"b{i}.db") for i in range(6)]  # the writer never pauses for these
    out, _ = writer.communicate(input="", timeout=60)  # closing its stdin tells it to stop
    assert writer.returncode == 0
    total = int(out)

    counts = []
    for copy in made:
        assert check_backup(copy).version > 0  # application id, version, integrity_check ok
        b = Wallet.open(copy)
        try:
            rows = b.history(HistoryFilter(), limit=100_000)
            (st,) = b.status()
            # One snapshot: the envelope's spending is exactly the ledger it holds (plus at most
            # the one call the writer had reserved but not yet settled).
            assert st.spent == sum(r.cost_nano for r in rows)
            assert len(b.holds()) <= 1 and st.held in (0, 1000)
            counts.append(len(rows))
        finally:
            b.close()
    assert counts == sorted(counts) and counts[0] >= 20 and counts[-1] <= total
    final = Wallet.open(path)
    try:
        assert final.history_count(HistoryFilter()) == total  # the writer lost nothing to the backups
    finally:
        final.close()


_CLOSER = textwrap.dedent(
    """
    import sys
    from tokenwallet.wallet import Wallet
    w = Wallet.open(sys.argv[1])
    w.add_profile(sys.argv[2])
    w.close()
    print("ok")
    """
)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc/self/fd")
def test_backups_inside_a_meter_process_keep_its_sqlite_locks(tmp_path: Path) -> None:
    """The daily backup runs in the meter's own process: it must not drop that process's POSIX
    locks on the wallet (a plain open()+close() would), or the next process to close the wallet
    deletes the WAL under the meter and later writes split off into a deleted file."""
    path = tmp_path / "wallet.db"
    meter = Wallet.open(path)
    try:
        meter.add_profile("alice")  # this process holds connections and the WAL
        for i in range(3):
            backup(path, tmp_path / f"b{i}.db")
        run = [sys.executable, "-c", _CLOSER, str(path)]
        assert subprocess.run([*run, "bob"], capture_output=True, text=True, check=True, timeout=60).stdout
        meter.add_profile("carol")  # after another process opened and closed the wallet
        fds = Path("/proc/self/fd")
        targets = [os.readlink(fd) for fd in fds.iterdir() if fd.is_symlink()]
        assert not [t for t in targets if "wallet.db" in t and "(deleted)" in t], targets
        assert subprocess.run([*run, "dave"], capture_output=True, text=True, check=True, timeout=60).stdout
        assert {p.name for p in meter.profiles()} == {"alice", "bob", "carol", "dave"}
    finally:
        meter.close()
    final = Wallet.open(path)
    try:
        assert {p.name for p in final.profiles()} == {"alice", "bob", "carol", "dave"}
    finally:
        final.close()
