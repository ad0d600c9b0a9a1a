"""One wallet, many processes: the scenario shared by the meter tests with ``tokenwallet serve``
(tests/proxy) and with the desktop app (tests/gui).

While a meter runs and the test process holds a wallet handle of its own, other processes run 50
real CLI commands (``python -m tokenwallet …``): 15 checked one by one against the meter right
after they return, 35 more in the background two at a time. Afterwards every write from every
process must still be in the file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import openai

from tokenwallet.wallet import Wallet

CHECKED = 5  # profiles added, given a blocking budget and paused, each step checked at the meter


def cli(home: Path, *args: str) -> str:
    """Run one real CLI command in its own process; its stdout (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-m", "tokenwallet", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"tokenwallet {' '.join(args)}: {done.stderr}"
    return done.stdout


def call(url: str, key: str) -> int:
    """One chat call through the meter with the official SDK: its HTTP status."""
    client = openai.OpenAI(base_url=url + "/openai/v1", api_key=key, max_retries=0)
    try:
        client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], max_tokens=50
        )
    except openai.APIStatusError as exc:
        return exc.status_code
    finally:
        client.close()
    return 200


def deleted_journals(pid: int | str = "self") -> list[str]:
    """Descriptors of ``pid`` on a wallet file that was unlinked under it (the WAL split)."""
    found = []
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(fd_dir / fd)
        except OSError:
            continue
        if "wallet.db" in target and target.endswith("(deleted)"):
            found.append(target)
    return found


@dataclass
class Written:
    """What every process wrote, to look for after all of them closed."""

    profiles: set[str] = field(default_factory=set)
    paused: set[str] = field(default_factory=set)
    blocked: set[str] = field(default_factory=set)  # profiles with a blocking budget
    projects: set[str] = field(default_factory=set)
    topups: int = 0
    calls: int = 0  # calls the meter let through


def _noise() -> list[tuple[str, ...]]:
    """35 commands of every kind, run in the background while the checked ones run."""
    cmds: list[tuple[str, ...]] = []
    for i in range(7):
        cmds += [
            ("project", "add", f"noise-{i}"),
            ("status",),
            ("profile", "add", f"n-{i}"),
            ("topup", "--wallet", "1", "--note", f"noise-{i}"),
            ("budget", "list", "--json") if i % 2 else ("profile", "list", "--json"),
        ]
    return cmds


def run(home: Path, url: str, mine: list[Wallet], meter_pid: int) -> Written:
    """The scenario; returns what was written. ``mine`` are the test process's own wallet handles
    (two, opened one after the other: the second open is what split the wallet in issue 9)."""
    out = Written()
    noise = _noise()
    with ThreadPoolExecutor(max_workers=2) as pool:
        background = [pool.submit(cli, home, *c) for c in noise]
        for i in range(CHECKED):
            name = f"c-{i}"
            key = json.loads(cli(home, "profile", "add", name, "--json"))["key"]
            out.profiles.add(name)
            assert call(url, key) == 200, f"the meter refused {name}'s new key"
            out.calls += 1
            cli(home, "budget", "set", "--profile", name, "0.000001", "--period", "day", "--action", "block")
            out.blocked.add(name)
            assert call(url, key) == 402, f"{name}'s new blocking budget did not block"
            cli(home, "profile", "pause", name)
            out.paused.add(name)
            assert call(url, key) == 403, f"{name} was paused but its call was not refused"
            # this process writes too, through its own handles, between the others' writes
            mine[i % len(mine)].add_project(f"mine-{i}")
            out.projects.add(f"mine-{i}")
            assert not deleted_journals(meter_pid) and not deleted_journals()
        for f in background:
            f.result()
    out.profiles |= {f"n-{i}" for i in range(7)}
    out.projects |= {f"noise-{i}" for i in range(7)}
    out.topups = 7
    assert len(noise) + 3 * CHECKED == 50
    # these handles see every other process's writes too
    for w in mine:
        assert out.profiles <= {p.name for p in w.profiles()}
        assert out.projects <= {p.name for p in w.projects()}
    assert not deleted_journals(meter_pid) and not deleted_journals()
    return out


def check_file(path: Path, out: Written) -> None:
    """After every process closed: the file is sound and holds every write."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        profiles = dict(conn.execute("SELECT name, paused FROM profile"))
        assert out.profiles <= set(profiles)
        assert {n for n, p in profiles.items() if p} == out.paused
        assert out.projects <= {r[0] for r in conn.execute("SELECT name FROM project")}
        blocked = conn.execute(
            "SELECT p.name FROM envelope e JOIN profile p ON e.scope_kind = 'profile' AND p.id = e.scope_ref"
            " WHERE e.action = 'block'"
        )
        assert {r[0] for r in blocked} == out.blocked
        assert conn.execute("SELECT count(*) FROM topup").fetchone()[0] == out.topups
        assert conn.execute("SELECT count(*) FROM ledger WHERE status = 200").fetchone()[0] == out.calls
        assert conn.execute("SELECT count(*) FROM hold").fetchone()[0] == 0
    finally:
        conn.close()
