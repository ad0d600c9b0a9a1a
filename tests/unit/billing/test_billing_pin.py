"""The owner PIN: salted hash, wrong PIN changes nothing, persisted rate limit."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from billing_testkit import PIN, Clock, open_wallet

from tokenwallet.billing import household as hh
from tokenwallet.billing.pin import (
    FREE_TRIES,
    PinLocked,
    PinRequired,
    WrongPin,
    change_pin,
    hash_pin,
    household_exists,
    lock_after,
    pin_matches,
    pin_state,
    require_owner,
)
from tokenwallet.core.money import parse_amount
from tokenwallet.wallet import Wallet

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def wallet(tmp_path: Path, clock: Clock) -> Wallet:
    w = open_wallet(tmp_path / "wallet.db", clock)
    hh.init_household(w, "mum", PIN)
    return w


def test_hash_is_salted_and_verifies() -> None:
    a, b = hash_pin("1234"), hash_pin("1234")
    assert a != b and a.startswith("scrypt$")
    assert pin_matches("1234", a) and pin_matches("1234", b)
    assert not pin_matches("1235", a)
    assert not pin_matches("1234", "garbage")


def test_the_pin_is_never_stored_in_clear(wallet: Wallet) -> None:
    raw = Path(wallet.path).read_bytes()
    for extra in Path(wallet.path).parent.glob("wallet.db-*"):
        raw += extra.read_bytes()
    assert PIN.encode() not in raw
    conn = sqlite3.connect(wallet.path)
    (stored,) = conn.execute("SELECT pin_hash FROM household").fetchone()
    conn.close()
    assert stored.startswith("scrypt$") and PIN not in stored.split("$")


def test_without_a_household_nothing_is_asked(tmp_path: Path) -> None:
    w = open_wallet(tmp_path / "solo.db")
    assert not household_exists(w)
    require_owner(w, None)  # a personal wallet has no PIN


def test_right_pin_passes_missing_pin_is_refused(wallet: Wallet) -> None:
    require_owner(wallet, PIN)
    with pytest.raises(PinRequired, match="owner PIN"):
        require_owner(wallet, None, action="raise an allowance")


def test_wrong_pin_changes_nothing(wallet: Wallet) -> None:
    hh.add_member(wallet, "kid", parse_amount("5"), pin=PIN)
    before = ([(p.name, p.paused) for p in wallet.profiles()], wallet.envelopes())
    with pytest.raises(WrongPin):
        hh.add_member(wallet, "kid2", parse_amount("5"), pin="0000")
    with pytest.raises(WrongPin):
        hh.set_allowance(wallet, "kid", parse_amount("50"), pin="9999")
    state = pin_state(wallet)
    assert state.failed == 2 and state.locked_until is None
    after = ([(p.name, p.paused) for p in wallet.profiles()], wallet.envelopes())
    assert before == after


def test_retries_are_rate_limited_and_survive_a_restart(wallet: Wallet, clock: Clock, tmp_path: Path) -> None:
    for i in range(FREE_TRIES - 1):
        with pytest.raises(WrongPin) as exc:
            require_owner(wallet, "0000")
        assert exc.value.tries_left == FREE_TRIES - 1 - i
    with pytest.raises(WrongPin, match="try again in 30 s"):
        require_owner(wallet, "0000")
    # Even the right PIN waits while locked.
    with pytest.raises(PinLocked):
        require_owner(wallet, PIN)
    # A restart (a new process opening the file) does not reset the lock.
    wallet.close()
    reopened = Wallet.open(tmp_path / "wallet.db", clock=clock)
    with pytest.raises(PinLocked) as locked:
        require_owner(reopened, PIN)
    assert locked.value.until == T0 + timedelta(seconds=30)
    clock.advance(seconds=31)
    with pytest.raises(WrongPin, match="try again in 60 s"):  # the next wrong try doubles the wait
        require_owner(reopened, "0000")
    clock.advance(seconds=61)
    require_owner(reopened, PIN)
    assert pin_state(reopened).failed == 0
    log = hh.history(reopened)
    assert sum(1 for e in log if e.action == "wrong-pin") == FREE_TRIES + 1


def test_lock_grows_and_is_capped() -> None:
    assert lock_after(FREE_TRIES - 1) == timedelta(0)
    assert lock_after(FREE_TRIES) == timedelta(seconds=30)
    assert lock_after(FREE_TRIES + 2) == timedelta(seconds=120)
    assert lock_after(50) == timedelta(hours=1)


def test_change_pin(wallet: Wallet) -> None:
    with pytest.raises(WrongPin):
        change_pin(wallet, "1111", "2468")
    change_pin(wallet, PIN, "2468")
    require_owner(wallet, "2468")
    with pytest.raises(WrongPin):
        require_owner(wallet, PIN)


def test_a_second_household_is_refused(wallet: Wallet) -> None:
    from tokenwallet.wallet import WalletError

    with pytest.raises(WalletError, match="already has a household"):
        hh.init_household(wallet, "dad", "5555")
