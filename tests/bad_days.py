"""Bad days for tests: a folder or file that really cannot be written, a process that cannot grow a
file, a damaged wallet. Shared by the CLI tests (tests/unit/cli) and the app's (tests/gui).

``read_only`` must work as root too (CI containers often run as root, and root ignores file
modes): there it sets the immutable attribute with ``chattr +i``, which stops root as well; a
root without CAP_LINUX_IMMUTABLE skips the test. Other users get ``chmod a-w``.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` (a folder or a file) really unwritable for this process and its children."""
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if chattr is None:
            pytest.skip("running as root without chattr: cannot make a folder read-only for root")
        done = subprocess.run([chattr, "+i", str(path)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"running as root and chattr +i is refused here: {done.stderr.strip()}")
        try:
            yield
        finally:
            subprocess.run([chattr, "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)


def limited_to(size: int) -> None:
    """``preexec_fn`` for a child that cannot write past ``size`` bytes into any file: writes then
    fail with EFBIG (SIGXFSZ ignored), which is what a full disk looks like to SQLite."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))


def run_cli(home: Path, *args: str, preexec: object = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tokenwallet", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=preexec,  # type: ignore[arg-type]
    )


def damage(path: Path, table: str = "profile") -> None:
    """Overwrite ``table``'s first page in a closed wallet file: the header still says SQLite and
    the wallet opens, but reading that table fails ("database disk image is malformed")."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:  # no connection is open in this process: see db.check_file
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * page_size)


def profiles(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {r[0] for r in conn.execute("SELECT name FROM profile")}
    finally:
        conn.close()
