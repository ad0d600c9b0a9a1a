"""Private by default: the data dir is 0700; the wallet, its journals, exports and backups 0600.

Real files under a permissive umask (022, the usual default), so nothing here depends on the
user's own umask; an old wallet left readable by others is tightened once, with one line.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import Run

from tokenwallet.core.usage import Usage
from tokenwallet.wallet import CallRecord, HoldRequest, Wallet

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def record_call(w: Wallet, key: str, call_id: str = "c1") -> None:
    b = w.resolve_key(key)
    assert b is not None
    r = w.reserve(HoldRequest(call_id, b, "openai", "gpt-4o", "chat/completions", False, 10, 1000, 10))
    assert r.hold_id is not None
    w.settle(
        r.hold_id,
        CallRecord(call_id, b, "openai", "gpt-4o", "chat/completions", 200, False, Usage(10, output_tokens=5),
                   900, "{}", "test", False, False, 1),
    )  # fmt: skip


def test_a_new_wallet_and_its_journals_are_owner_only(tw: Run, data_dir: Path) -> None:
    assert tw("profile", "add", "alice").code == 0
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "wallet.db") == 0o600
    # While a wallet is open and written, SQLite's -wal and -shm exist: they hold the same data.
    w = Wallet.open(data_dir / "wallet.db")
    try:
        w.add_profile("bob")
        journals = [data_dir / "wallet.db-wal", data_dir / "wallet.db-shm"]
        assert all(p.exists() for p in journals)
        assert [mode(p) for p in journals] == [0o600, 0o600]
    finally:
        w.close()
    assert not any(mode(p) & 0o077 for p in data_dir.iterdir()), (
        "no file in the data dir is readable by others"
    )


def test_a_readable_wallet_is_tightened_once_with_one_line(tw: Run, data_dir: Path) -> None:
    assert tw("profile", "add", "alice").code == 0
    wallet = data_dir / "wallet.db"
    os.chmod(data_dir, 0o755)  # as an older version, or a copy with cp, left them
    os.chmod(wallet, 0o644)
    r = tw("status")
    assert r.code == 0
    notice = r.err.splitlines()
    assert len(notice) == 1, r.err
    assert notice[0].startswith("tokenwallet: other accounts on this computer could read")
    assert str(wallet) in notice[0] and "(0644)" in notice[0] and "(0755)" in notice[0]
    assert mode(wallet) == 0o600 and mode(data_dir) == 0o700
    again = tw("status")
    assert again.code == 0 and again.err == ""  # nothing left to say


def test_leftover_journals_are_tightened_before_sqlite_reuses_them(tw: Run, data_dir: Path) -> None:
    assert tw("profile", "add", "alice").code == 0
    w = Wallet.open(data_dir / "wallet.db")
    w.add_profile("bob")
    wal, shm = data_dir / "wallet.db-wal", data_dir / "wallet.db-shm"
    os.chmod(wal, 0o644)
    os.chmod(shm, 0o644)
    r = tw("status")
    w.close()
    assert r.code == 0 and "wallet.db-wal (0644)" in r.err and "wallet.db-shm (0644)" in r.err
    assert r.err.count("\n") == 1


def test_history_exports_are_owner_only(tw: Run, data_dir: Path, tmp_path: Path) -> None:
    key = tw("profile", "add", "alice").out.strip().splitlines()[-1]
    w = Wallet.open(data_dir / "wallet.db")
    record_call(w, key)
    w.close()
    csv_file, json_file = tmp_path / "calls.csv", tmp_path / "calls.json"
    json_file.write_text("old export, readable by all\n")
    os.chmod(json_file, 0o644)
    assert tw("export", "-o", str(csv_file)).code == 0
    assert tw("export", "--json", "-o", str(json_file)).code == 0
    assert "gpt-4o" in csv_file.read_text() and "gpt-4o" in json_file.read_text()
    assert mode(csv_file) == 0o600
    assert mode(json_file) == 0o600  # an export written over an old file tightens it too


def test_statement_and_invoice_csvs_are_owner_only(tw: Run, tmp_path: Path) -> None:
    assert (
        tw("household", "init", "--owner", "mum", "--pin-stdin", stdin="a long family passphrase\n").code == 0
    )
    statement = tmp_path / "statement.csv"
    r = tw("statement", "mum", "--csv", str(statement))
    assert r.code == 0, r.err
    assert mode(statement) == 0o600
    pin = "a long family passphrase\n"
    assert tw("client", "add", "acme", "--pin-stdin", stdin=pin).code == 0
    invoice = tmp_path / "invoice.csv"
    r = tw("invoice", "acme", "--csv", str(invoice), "--draft", stdin=pin)
    assert r.code == 0, r.err
    assert mode(invoice) == 0o600


def test_backups_are_owner_only(tw: Run, data_dir: Path, tmp_path: Path) -> None:
    assert tw("profile", "add", "alice").code == 0
    made = Path(tw("backup").out.strip())
    assert made.parent == data_dir / "backups"
    assert mode(made) == 0o600 and mode(made.parent) == 0o700
    elsewhere = Path(tw("backup", str(tmp_path / "copy.db")).out.strip())
    assert elsewhere == tmp_path / "copy.db" and mode(elsewhere) == 0o600
