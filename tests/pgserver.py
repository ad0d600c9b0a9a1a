"""A throwaway PostgreSQL server for the tests: ``initdb`` + ``pg_ctl`` in a temporary folder.

Debian's ``postgresql`` package (installed by tools/bootstrap.sh) provides the binaries. The server
listens on a Unix socket in its own folder only (no TCP port at all) and runs without fsync: the
tests check behaviour, not the disk. ``synchronous_commit`` stays on: a commit is written to the
OS before it is acknowledged, so a crashed server (``halt("immediate")``) keeps every commit its
clients were told about, as a real one does (with it off, a settle committed just before the
crash was gone afterwards, its cached price snapshot id with it). PostgreSQL refuses to run as
root, so as root the server runs as the ``postgres`` user the package creates.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

USER = "tw"
PASSWORD_USER = "tw_pw"  # the one role that must log in with a password


def binaries() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl`` (newest Debian version first), or None."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(d) / "pg_ctl").exists():
            return Path(d)
    return None


class PgServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="tw-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, timeout=120)

    def _read(self, path: Path) -> str:
        done = subprocess.run(
            [*self._as, "cat", str(path)], check=True, capture_output=True, text=True, timeout=30
        )
        return done.stdout

    def start(self) -> None:
        if not self.data.exists():
            self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust",
                      "-E", "UTF8", "--no-sync")  # fmt: skip
            # one role must give a password (the keychain test); everyone else is trusted
            hba = self.data / "pg_hba.conf"
            rules = f"local all {PASSWORD_USER} scram-sha-256\n" + self._read(hba)
            self._run("sh", "-c", f"printf '%s' \"$1\" > {hba}", "sh", rules)
        opts = (
            f"-c listen_addresses='' -c unix_socket_directories={self.socket_dir} -c fsync=off"
            " -c full_page_writes=off -c max_connections=300"
        )
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-w", "-t", "60",
                  "-l", str(self.root / "log"), "start")  # fmt: skip

    def halt(self, mode: str = "fast") -> None:
        """Stop the server, keeping its data: :meth:`start` brings it back (a database restart).
        ``mode="immediate"``: as if it crashed (no goodbye to the clients; recovery at start)."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@/{database}?host={self.socket_dir}"

    def new_database(self) -> str:
        """A fresh empty database; returns its URL."""
        name = f"wallet_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)
