"""Backups of the wallet file and restoring one, through SQLite's online backup API only.

* A backup copies the wallet page by page inside one read transaction (``sqlite3.Connection.backup``
  with every page in one step): a consistent snapshot while a meter keeps writing (WAL readers do
  not block writers). It is written beside its final name and renamed into place, owner-only, in
  rollback-journal mode so the backup is one self-contained file.
* A restore checks the file through SQLite (application id, schema version, integrity), refuses
  while a meter or the app uses the wallet (:mod:`tokenwallet.wallet.inuse`), keeps the current
  wallet as a backup, then copies the backup *into the live file* with the same API: SQLite
  rewrites the file and its WAL together, so no stale ``-wal`` can outlive the restore (a file
  copy over ``wallet.db`` could leave the old WAL to be replayed onto the new file).

Never open the wallet with anything but SQLite here (see wallet/db.py: closing a plain
descriptor would drop the process's locks on it).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tokenwallet.core import private
from tokenwallet.wallet import backend
from tokenwallet.wallet.db import BUSY_TIMEOUT_S, connect
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.inuse import exclusive
from tokenwallet.wallet.schema import APPLICATION_ID, CURRENT_VERSION

BACKUP_DIR = "backups"
STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Checked:
    """What :func:`check_backup` found in a file."""

    path: Path
    version: int
    size: int


def backup_dir(wallet: Path) -> Path:
    return wallet.parent / BACKUP_DIR


def backup_name(prefix: str = "wallet", now: datetime | None = None) -> str:
    """``<prefix>-YYYYMMDD-HHMMSS.db`` in local time: what the user sees on the clock."""
    return f"{prefix}-{(now or datetime.now().astimezone()).astimezone().strftime(STAMP)}.db"


def _ro_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def backup(wallet: Path, target: Path | None = None) -> Path:
    """Copy the wallet to ``target`` (default: ``backups/wallet-….db``); returns the path written.

    An existing ``target`` is never overwritten; a directory means "a new file in there".
    """
    backend.refuse_file_only(wallet, "a backup")
    if not wallet.is_file():
        raise WalletError(f"no wallet at {wallet} to back up")
    # No check_file() here: the daily backup runs inside the meter's process, where reading the
    # header with open() would drop the meter's SQLite locks. SQLite itself checks the copy.
    if target is None:
        private.make_dir(backup_dir(wallet))
        target = _free_name(backup_dir(wallet) / backup_name())
    elif target.is_dir():
        target = _free_name(target / backup_name())
    if target.exists():
        raise WalletError(f"{target} already exists: choose another name, or remove it first")
    if not target.parent.is_dir():
        raise WalletError(f"no such directory: {target.parent}")
    part = target.with_name(f".{target.name}.part")
    try:
        part.unlink(missing_ok=True)
        private.create_file(part)
        _copy(wallet, part)
        os.replace(part, target)
    except OSError as exc:
        raise WalletError(f"cannot write the backup {target}: {exc.strerror or exc}") from exc
    finally:
        for leftover in (part, part.with_name(part.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return target


def _free_name(path: Path) -> Path:
    """``path``, or ``…-2.db``, ``…-3.db`` when two backups start within one second."""
    n = 1
    candidate = path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _copy(wallet: Path, dest: Path) -> None:
    try:
        src = sqlite3.connect(_ro_uri(wallet), uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            out = sqlite3.connect(str(dest), timeout=BUSY_TIMEOUT_S, isolation_level=None)
            try:
                src.backup(out)  # pages=-1: one step, one read transaction, a consistent snapshot
                out.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
                _verify(out, wallet, "file")  # the copy is the wallet as it was: name the wallet
            finally:
                out.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise WalletError(f"could not back up {wallet}, it is damaged or not a Token Wallet ({exc})") from exc


def _verify(conn: sqlite3.Connection, path: Path, what: str = "backup") -> int:
    """The schema version of a Token Wallet database; raises, naming ``path``, on anything else."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if app_id != APPLICATION_ID or version == 0:
        raise WalletError(f"{path} is not a Token Wallet {what}")
    if version > CURRENT_VERSION:
        raise WalletError(
            f"{path} was written by a newer Token Wallet (schema v{version}; this one knows "
            f"v{CURRENT_VERSION}): upgrade Token Wallet to restore it"
        )
    problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(5)")]
    if problems != ["ok"]:
        raise WalletError(f"{path} is damaged ({'; '.join(problems)})")
    return version


def check_backup(path: Path) -> Checked:
    """Is ``path`` a wallet this version can restore? Read-only: nothing is written to it."""
    if not path.exists():
        raise WalletError(f"no such file: {path}")
    if not path.is_file():
        raise WalletError(f"{path} is not a file")
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            version = _verify(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise WalletError(f"{path} is not a Token Wallet backup ({exc})") from exc
    return Checked(path, version, path.stat().st_size)


def restore(wallet: Path, source: Path) -> Path | None:
    """Replace the wallet's content with the backup ``source``; returns where the old wallet was saved.

    Refuses (``WalletInUse``) while a meter or the app uses the wallet. The old wallet is saved
    as ``backups/wallet-before-restore-….db`` first (None when there was none); a wallet too damaged
    to copy is moved aside under that name instead.
    """
    backend.refuse_file_only(wallet, "a restore")
    check_backup(source)
    if wallet.exists() and wallet.resolve() == source.resolve():
        raise WalletError(f"{source} is the wallet itself: pick a backup file")
    with exclusive(wallet):
        saved = _save_current(wallet)
        private.make_dir(wallet.parent)
        private.create_file(wallet)
        try:
            src = sqlite3.connect(_ro_uri(source), uri=True, timeout=BUSY_TIMEOUT_S)
            try:
                live = connect(wallet)
                try:
                    live.execute("PRAGMA journal_mode = WAL")
                    src.backup(live)
                    live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    _verify(live, wallet, "file")
                finally:
                    live.close()
            finally:
                src.close()
        except sqlite3.Error as exc:
            raise WalletError(
                f"could not restore {source} into {wallet}: {exc}"
                + (f" (the previous wallet is in {saved})" if saved else "")
            ) from exc
        from tokenwallet.wallet.wallet import Wallet

        Wallet.open(wallet).close()  # an older backup is upgraded now, not by the next meter
    return saved


def _save_current(wallet: Path) -> Path | None:
    if not wallet.exists():
        return None
    private.make_dir(backup_dir(wallet))
    target = _free_name(backup_dir(wallet) / backup_name("wallet-before-restore"))
    try:
        return backup(wallet, target)
    except WalletError:
        pass
    # Not readable as a wallet: move it (and its journals) aside untouched. Nothing has it open:
    # restore holds the in-use lock, and a rename opens no descriptor.
    for suffix in ("", "-wal", "-shm", "-journal"):
        old = wallet.with_name(wallet.name + suffix)
        if old.exists():
            os.replace(old, target.with_name(target.name + suffix))
    return target
