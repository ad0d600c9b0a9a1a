"""Running ``tokenwallet run`` as a real process against the proxy fixture, and checking what it says.

Every tool runs with a fresh HOME and with HTTP(S)_PROXY pointing at :class:`Trap`, a loopback
listener that records whoever tries to reach a host other than loopback (tools that honour the
proxy variables — Python's httpx and requests, Node's and Rust's HTTP stacks in these CLIs — go
there first); a test fails if the trap saw anyone.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from tokenwallet.core.money import format_usd
from tokenwallet.core.usage import Usage
from tokenwallet.wallet.types import HistoryFilter, LedgerRow

from .conftest import Env

SUMMARY = re.compile(
    r"tokenwallet: session (?P<sid>s-[0-9a-f]+) \((?P<who>[^)]*)\): (?P<calls>\d+) calls?, "
    r"(?P<input>[\d,]+) in(?: \(\+(?P<cached>[\d,]+) cached\))? / (?P<output>[\d,]+) out tokens, "
    r"(?P<cost>\$[\d.,]+), (?P<time>[^,\n]+)"
)


class Trap:
    """A loopback listener standing in for every host beyond loopback (via HTTP(S)_PROXY)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.seen: list[str] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    first = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                except OSError:
                    first = "?"
                self.seen.append(first)
                with contextlib.suppress(OSError):
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self) -> None:
        self.sock.close()


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str
    session: str

    def rows(self, env: Env) -> list[LedgerRow]:
        return env.wallet.history(HistoryFilter(session=self.session), limit=1000)


def cache_dir() -> Path:
    if os.environ.get("TOKENWALLET_TEST_CACHE"):
        return Path(os.environ["TOKENWALLET_TEST_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tokenwallet-tests"


def install_once(name: str, entry: Path, install: list[str], home: Path, *, timeout: float = 900) -> None:
    """Run ``install`` (which fills the directory named by ``{dest}``) once into ``home``.

    Installed beside the final place and renamed: a run stopped half-way, or two runs at once,
    never leave a half-installed tool where the next run would take it as done.
    """
    if entry.exists():
        return
    home.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-install-", dir=home.parent))
    try:
        cmd = [part.replace("{dest}", str(staging)) for part in install]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            pytest.skip(f"could not install {name} ({' '.join(cmd[:3])} …):\n{done.stderr[-2000:]}")
        with contextlib.suppress(OSError):  # OSError: another run installed it meanwhile
            staging.rename(home)
        assert entry.exists(), f"{name} installed, but {entry} is missing"
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def pip_tool(name: str, requirement: str, executable: str) -> Path:
    """A pinned PyPI tool in its own cached virtualenv; returns its executable.

    A virtualenv names its interpreter by absolute path, so it is made in place (not renamed
    into place) under a lock, and counts as installed once ``.complete`` is written.
    """
    import fcntl

    version = requirement.rsplit("==", 1)[-1]
    home = cache_dir() / f"{name}-{version}-py{sys.version_info[0]}{sys.version_info[1]}"
    entry = home / "bin" / executable
    home.parent.mkdir(parents=True, exist_ok=True)
    with (home.parent / f".{home.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (home / ".complete").exists():
            return entry
        shutil.rmtree(home, ignore_errors=True)  # a run stopped half-way
        steps = [
            [sys.executable, "-m", "venv", str(home)],
            [str(home / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", requirement],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900, check=False)
            if done.returncode != 0:
                shutil.rmtree(home, ignore_errors=True)
                pytest.skip(f"could not install {requirement} ({step[0]} …):\n{done.stderr[-2000:]}")
        (home / ".complete").write_text(requirement)
    return entry


def npm_tool(name: str, package: str, entry_in_package: str) -> Path:
    """A pinned npm package under the cache; returns the file to run."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip(f"{name} needs Node.js and npm on PATH to install {package}")
    home = cache_dir() / f"{name}-{package.rsplit('@', 1)[-1]}"
    entry = home / "node_modules" / entry_in_package
    install_once(
        name, entry, [npm, "install", "--prefix", "{dest}", "--no-audit", "--no-fund", package], home
    )
    return entry


def point_wallet_at(env: Env) -> Path:
    """Make the fixture's proxy the wallet's configured meter; returns the data dir."""
    env.wallet.set_setting("proxy_host", "127.0.0.1")
    env.wallet.set_setting("proxy_port", env.proxy.port)
    return env.path.parent


def tool_env(home: Path, trap: Trap, **extra: str) -> dict[str, str]:
    """A clean environment: a fresh HOME, loopback only (everything else goes to the trap)."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PYTHON_KEYRING_BACKEND": os.environ.get("PYTHON_KEYRING_BACKEND", ""),
        "HTTP_PROXY": trap.url,
        "HTTPS_PROXY": trap.url,
        "ALL_PROXY": trap.url,
        "http_proxy": trap.url,
        "https_proxy": trap.url,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        "LANG": "C.UTF-8",
    }
    env.update(extra)
    return env


def tokenwallet_run(
    data_dir: Path,
    command: list[str],
    *,
    env: dict[str, str],
    cwd: Path,
    args: tuple[str, ...] = (),
    timeout: float = 120,
) -> Ran:
    done = subprocess.run(
        [sys.executable, "-m", "tokenwallet", "--data-dir", str(data_dir), "run", *args, "--", *command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    m = SUMMARY.search(done.stderr)
    assert m, f"no session summary on stderr:\n{done.stderr[-4000:]}\nstdout:\n{done.stdout[-2000:]}"
    return Ran(done.returncode, done.stdout, done.stderr, m["sid"])


def check_metered(env: Env, ran: Ran, *, calls: int | None = None) -> list[LedgerRow]:
    """Every call of the session is in the ledger with its session, exactly priced, and the summary
    printed at exit and ``Wallet.sessions`` both say what the ledger says."""
    env.settled()
    rows = ran.rows(env)
    if calls is not None:
        assert len(rows) == calls, [(r.endpoint, r.model, r.status) for r in rows]
    assert rows, "the session made no metered call"
    for r in rows:
        assert r.session == ran.session
        assert r.status == 200 and not r.estimated and not r.unpriced, r
        assert r.cost_nano == env.expected_cost(r.provider, r.model, r.usage)
    usage = sum((r.usage for r in rows), Usage())
    cost = sum(r.cost_nano for r in rows)
    m = SUMMARY.search(ran.stderr)
    assert m is not None
    cached = usage.cache_read_tokens + usage.cache_write_tokens + usage.cache_write_1h_tokens
    assert int(m["calls"]) == len(rows)
    assert int(m["input"].replace(",", "")) == usage.input_tokens
    assert int((m["cached"] or "0").replace(",", "")) == cached
    assert int(m["output"].replace(",", "")) == usage.output_tokens
    assert m["cost"] == format_usd(cost)
    (summary,) = env.wallet.sessions(session_id=ran.session)
    assert (summary.calls, summary.usage, summary.cost_nano) == (len(rows), usage, cost)
    assert summary.ended_at is not None and summary.source == "run"
    # The session's key was revoked at exit.
    keys = env.wallet.keys(profile=rows[0].profile)
    assert not [k for k in keys if f"session {ran.session}" in k.label and k.revoked_at is None]
    return rows
