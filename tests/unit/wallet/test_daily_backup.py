"""The automatic daily backup: one a day, kept for a week, never pruned after a failure."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tokenwallet.wallet import Wallet, WalletError
from tokenwallet.wallet.backup import backup, check_backup
from tokenwallet.wallet.daily import DailyBackups, daily_backups, daily_dir, run_once


@pytest.fixture
def wallet(tmp_path: Path) -> Path:
    path = tmp_path / "wallet.db"
    w = Wallet.open(path)
    w.add_profile("alice")
    w.close()
    return path


def age(path: Path, days: float) -> None:
    """Make ``path`` look written ``days`` ago."""
    at = (datetime.now(UTC) - timedelta(days=days)).timestamp()
    os.utime(path, (at, at))


def test_one_backup_a_day(wallet: Path) -> None:
    now = datetime.now(UTC)
    first = run_once(wallet, now)
    assert first is not None and first.parent == daily_dir(wallet)
    assert check_backup(first).version > 0
    assert run_once(wallet, now + timedelta(hours=23)) is None  # still today's
    second = run_once(wallet, now + timedelta(hours=25))
    assert second is not None and second != first
    assert [p for _, p in daily_backups(wallet)] == [first, second]


def test_a_week_old_daily_backup_is_pruned_and_hand_made_ones_never(wallet: Path) -> None:
    now = datetime.now(UTC)
    old = run_once(wallet, now - timedelta(days=9))
    assert old is not None
    age(old, 9)
    week = run_once(wallet, now - timedelta(days=3))
    assert week is not None
    age(week, 3)
    manual = backup(wallet)
    age(manual, 30)
    newest = run_once(wallet, now)
    kept = [p for _, p in daily_backups(wallet)]
    assert kept == [week, newest] and not old.exists()
    assert manual.exists()  # 'tokenwallet backup' files are the user's, whatever their age


def test_nothing_is_pruned_when_the_backup_fails(wallet: Path) -> None:
    old = run_once(wallet, datetime.now(UTC))
    assert old is not None
    age(old, 10)
    wallet.unlink()
    wallet.write_text("the wallet file got damaged\n")
    with pytest.raises(WalletError, match="could not back up"):
        run_once(wallet, datetime.now(UTC) + timedelta(minutes=1))
    assert old.exists()  # the last good backup stays


def test_the_thread_backs_up_at_start_and_stops(wallet: Path) -> None:
    backups = DailyBackups(wallet, check_every_s=3600).start()
    try:
        for _ in range(400):
            if backups.last is not None:
                break
            backups._stop.wait(0.025)
    finally:
        backups.stop()
    assert backups.last is not None and backups.last.exists() and backups.error is None
    assert not backups._thread.is_alive()
