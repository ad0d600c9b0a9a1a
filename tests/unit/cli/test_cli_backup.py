"""``tokenwallet backup`` and ``restore``: real files, real SQLite, a real ``serve`` process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run

from tokenwallet.core.money import Amount
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import CallRecord, HistoryFilter, HoldRequest, Scope, Wallet
from tokenwallet.wallet.schema import CURRENT_VERSION


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: what "the whole wallet survived" means."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        conn.close()


def spend(w: Wallet, key: str, n: int, prefix: str = "c") -> None:
    b = w.resolve_key(key)
    assert b is not None
    for i in range(n):
        call_id = f"{prefix}{i}"
        r = w.reserve(HoldRequest(call_id, b, "openai", "gpt-4o", "chat/completions", False, 10, 1000, 10))
        assert r.hold_id is not None
        w.settle(
            r.hold_id,
            CallRecord(call_id, b, "openai", "gpt-4o", "chat/completions", 200, False,
                       Usage(10, output_tokens=5), 700 + i, "{}", "test", False, False, 1),
        )  # fmt: skip


@pytest.fixture
def filled(tw: Run, data_dir: Path) -> str:
    """A wallet with profiles, a budget, a top-up and some calls; returns alice's key."""
    key = tw("profile", "add", "alice").out.strip().splitlines()[-1]
    w = Wallet.open(data_dir / "wallet.db")
    try:
        w.set_budget(Scope("profile", "alice"), Amount("usd", 5_000_000_000), period="month", action="block")
        w.topup(Scope("profile", "alice"), Amount("usd", 1_000_000_000), note="gift")
        spend(w, key, 25)
    finally:
        w.close()
    return key


def test_backup_then_restore_brings_every_row_back(tw: Run, data_dir: Path, filled: str) -> None:
    wallet = data_dir / "wallet.db"
    r = tw("backup", "--json")
    assert r.code == 0, r.err
    made = Path(json.loads(r.out)["path"])
    assert made.parent == data_dir / "backups" and made.name.startswith("wallet-")
    before = dump(wallet)
    assert dump(made) == before

    # after the backup: more calls, a new profile, a revoked key
    w = Wallet.open(wallet)
    spend(w, filled, 5, prefix="late")
    _, bob_key = w.add_profile("bob")
    changed = dump(wallet)
    w.close()

    r = tw("restore", str(made))
    assert r.code == 0, r.err
    assert r.out.startswith(f"Restored {made} into {wallet}.")
    assert dump(wallet) == before  # every ledger row, envelope, movement, key, setting
    w = Wallet.open(wallet)
    try:
        assert w.resolve_key(filled) is not None and w.resolve_key(bob_key) is None
        assert w.history_count(HistoryFilter()) == 25
    finally:
        w.close()
    # …and the wallet it replaced was kept, with what came after the backup
    saved = sorted((data_dir / "backups").glob("wallet-before-restore-*.db"))
    assert len(saved) == 1 and dump(saved[0]) == changed
    assert str(saved[0]) in r.out


def test_restore_json_and_into_a_fresh_data_dir(tw: Run, data_dir: Path, filled: str, tmp_path: Path) -> None:
    made = Path(tw("backup", str(tmp_path)).out.strip())  # a directory: a new file in there
    assert made.parent == tmp_path
    other = tmp_path / "elsewhere"
    r = tw("--data-dir", str(other), "restore", str(made), "--json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["previous"] is None and doc["schema_version"] == CURRENT_VERSION
    assert dump(other / "wallet.db") == dump(data_dir / "wallet.db")


def _other_sqlite(p: Path) -> None:
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()


NOT_WALLETS: list[tuple[Any, str]] = [
    (lambda p: p.write_text("not a database\n"), "is not a Token Wallet backup"),
    (_other_sqlite, "is not a Token Wallet backup"),
    (lambda p: None, "no such file"),
]


@pytest.mark.usefixtures("filled")
@pytest.mark.parametrize("case", NOT_WALLETS, ids=["text", "other-sqlite", "missing"])
def test_restore_refuses_what_is_not_a_wallet(
    tw: Run, data_dir: Path, tmp_path: Path, case: tuple[Any, str]
) -> None:
    make, expected = case
    before = dump(data_dir / "wallet.db")
    bad = tmp_path / "bad.db"
    make(bad)
    r = tw("restore", str(bad))
    assert r.code == 1 and r.err.count("\n") == 1 and expected in r.err, r.err
    assert r.err.startswith("tokenwallet: error: ")
    assert dump(data_dir / "wallet.db") == before
    assert not (data_dir / "backups").exists()  # nothing was even saved: it stopped at the check


def test_restore_refuses_a_newer_or_damaged_backup(tw: Run, data_dir: Path, filled: str) -> None:
    made = Path(tw("backup").out.strip())
    newer = made.with_name("newer.db")
    assert tw("backup", str(newer)).code == 0
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.close()
    r = tw("restore", str(newer))
    assert r.code == 1 and "newer Token Wallet" in r.err and r.err.count("\n") == 1

    damaged = made.with_name("damaged.db")
    raw = bytearray(made.read_bytes())
    page = 4096
    raw[3 * page : 4 * page] = b"\xa5" * page  # a b-tree page of the ledger turned to noise
    damaged.write_bytes(bytes(raw))
    r = tw("restore", str(damaged))
    assert r.code == 1 and r.err.count("\n") == 1
    assert "damaged" in r.err or "not a Token Wallet backup" in r.err, r.err


def test_backup_errors_are_one_line(tw: Run, data_dir: Path, tmp_path: Path) -> None:
    r = tw("backup")
    assert r.code == 1 and "no wallet at" in r.err and r.err.count("\n") == 1
    assert not data_dir.exists()  # asking for a backup does not create a wallet
    tw("profile", "add", "alice")
    r = tw("backup", str(tmp_path / "nope" / "x.db"))
    assert r.code == 1 and "no such directory" in r.err
    made = tw("backup").out.strip()
    r = tw("backup", made)
    assert r.code == 1 and "already exists" in r.err


def test_backup_list(tw: Run, filled: str) -> None:
    assert "No backups" in tw("backup", "--list").out
    made = tw("backup").out.strip()
    rows = json.loads(tw("backup", "--list", "--json").out)
    assert [(r["path"], r["kind"]) for r in rows] == [(made, "manual")]


def _serve(data_dir: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tokenwallet", "--data-dir", str(data_dir), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("Token Wallet proxy listening on"), first
    return proc


@pytest.mark.skipif(os.name != "posix", reason="file modes and flock")
def test_restore_refuses_while_serve_runs_on_the_wallet(tw: Run, data_dir: Path, filled: str) -> None:
    made = tw("backup").out.strip()
    os.chmod(data_dir / "wallet.db", 0o644)
    proc = _serve(data_dir)
    try:
        assert proc.stderr is not None  # serve says what it tightened, in one line
        assert proc.stderr.readline().startswith("tokenwallet: other accounts on this computer could read")
        before = dump(data_dir / "wallet.db")
        r = tw("restore", made)
        assert r.code == 1 and r.err.count("\n") == 1, r.err
        assert "in use by a running meter" in r.err and "stop it" in r.err
        assert not list((data_dir / "backups").glob("wallet-before-restore-*"))
        assert dump(data_dir / "wallet.db") == before
        # a backup, though, is fine while the meter runs
        assert tw("backup").code == 0
        # serve took its daily backup at start, on its own thread
        daily = data_dir / "backups" / "daily"
        for _ in range(200):
            if list(daily.glob("wallet-*.db")):
                break
            time.sleep(0.05)
        assert len(list(daily.glob("wallet-*.db"))) == 1
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    assert proc.returncode == 0
    r = tw("restore", made)  # the meter has stopped: now it goes through
    assert r.code == 0, r.err


def test_an_older_backup_is_upgraded_as_it_is_restored(tw: Run, data_dir: Path, tmp_path: Path) -> None:
    old = tmp_path / "wallet-v1.db"
    shutil.copy(Path(__file__).parents[2] / "fixtures" / "wallet_v1.db", old)
    r = tw("restore", str(old), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["schema_version"] == 1
    conn = sqlite3.connect(data_dir / "wallet.db")
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    finally:
        conn.close()
    w = Wallet.open(data_dir / "wallet.db")
    try:
        assert w.resolve_key("tw-fixture-alice-key-0000000000000000000000000") is not None
    finally:
        w.close()
