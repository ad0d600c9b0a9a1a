"""The household owner's PIN: a salted scrypt hash, checked before anything that changes money.

Rules a user can rely on:

* The PIN is stored only as ``scrypt$n$r$p$salt$hash`` (16 random bytes of salt; the parameters
  are kept with the hash so a later change of cost still verifies old PINs).
* It may be a passphrase: any text of 4 characters or more, letters and inner spaces allowed.
  The retry limit stops guessing through the app, but whoever can copy the wallet file can try
  all 10,000 four-digit PINs against the hash in minutes; a few words cannot be searched that way
  (the wallet file is also owner-only, see :mod:`tokenwallet.core.private`).
* A wrong PIN changes nothing but the retry counter. After :data:`FREE_TRIES` wrong PINs in a row,
  every further try waits: 30 s, then 60 s, 2 min … up to an hour. While locked, even the right
  PIN is refused. The counter and the lock live in the wallet file, so restarting the app or the
  CLI does not reset them. A right PIN resets the counter.
* With no household, :func:`require_owner` lets everything through: a personal wallet has no PIN.

Hooks for the rest of the app (CLI ``budget``/``topup``/``transfer``/``profile``/``settings``,
the GUI's budget and profile editors): call ``require_owner(wallet, pin, action=...)`` before a
money-changing edit; it raises a :class:`PinError` (a ``WalletError``, one line) and the caller
changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tokenwallet.billing import store
from tokenwallet.wallet.errors import WalletError

if TYPE_CHECKING:
    import sqlite3

    from tokenwallet.wallet import Wallet

MIN_PIN_LEN = 4
MAX_PIN_LEN = 1024  # only so a pasted document is refused; any real passphrase fits
STRONG_LEN = 12  # shorter, or only digits: say that a passphrase would be safer
#: What every prompt for a new PIN says (CLI and app alike).
NEW_PIN_HINT = (
    "4 characters or more; letters and spaces are allowed, and a passphrase of a few words "
    "is much harder to guess than a 4-digit PIN"
)
FREE_TRIES = 3
BASE_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(hours=1)
# 16 MiB and ~40 ms per check: slow enough to make guessing a stolen hash costly, fast enough to type.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class PinError(WalletError):
    """The owner PIN was needed and not given, wrong, or locked out (one-line message)."""


class PinRequired(PinError):
    """A household exists and this change needs the owner PIN."""


class WrongPin(PinError):
    """The PIN did not match; ``tries_left`` before the lock-out starts (0 when locked)."""

    def __init__(self, message: str, tries_left: int) -> None:
        super().__init__(message)
        self.tries_left = tries_left


class PinLocked(PinError):
    """Too many wrong PINs: no try is accepted before ``until``."""

    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


@dataclass(frozen=True, slots=True)
class PinState:
    failed: int
    locked_until: datetime | None


def check_new_pin(pin: str) -> str:
    """A PIN or passphrase the owner may choose: 4 characters or more, printable, no surrounding
    spaces (a terminal or a form would silently drop them the next time)."""
    if pin != pin.strip() or not pin.isprintable():
        raise PinError("the PIN cannot start or end with spaces or contain control characters")
    if len(pin) < MIN_PIN_LEN:
        raise PinError(f"the PIN or passphrase needs at least {MIN_PIN_LEN} characters")
    if len(pin) > MAX_PIN_LEN:
        raise PinError(f"the passphrase is too long (at most {MAX_PIN_LEN} characters)")
    return pin


def is_weak(pin: str) -> bool:
    """Short or digits only: fine against a member at the keyboard, not against a copied file."""
    return pin.isdigit() or len(pin) < STRONG_LEN


WEAK_PIN_NOTE = (
    "a short or all-digit PIN keeps members out of the app, but anyone who copies the wallet file "
    "can find it in minutes; a passphrase of a few words is safer (change it any time)"
)


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt_hex$hash_hex`` for ``pin``."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(
        pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 1024 * 1024, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Constant-time comparison of ``pin`` against a stored hash."""
    try:
        algo, n, r, p, salt_hex, hash_hex = stored.split("$")
        if algo != "scrypt":
            return False
        digest = hashlib.scrypt(
            pin.encode(),
            salt=bytes.fromhex(salt_hex),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 1024 * 1024,
            dklen=len(hash_hex) // 2,
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest.hex(), hash_hex)


def household_exists(wallet: Wallet) -> bool:
    """Does this wallet have a household (and so an owner PIN)?"""
    try:
        with store.read(wallet) as conn:
            return conn.execute("SELECT 1 FROM household WHERE id=1").fetchone() is not None
    except WalletError:
        return False  # no billing tables: a wallet that never had a household


def pin_state(wallet: Wallet, now: datetime | None = None) -> PinState:
    """The retry counter and the lock-out end (None when not locked at ``now``)."""
    now = store.now_utc(now, wallet)
    with store.read(wallet) as conn:
        row = conn.execute("SELECT failed, locked_until_us FROM household WHERE id=1").fetchone()
    if row is None:
        return PinState(0, None)
    until = store.from_us(int(row[1]))
    return PinState(int(row[0]), until if until > now else None)


def lock_after(failed: int) -> timedelta:
    """How long the next try waits after ``failed`` wrong PINs in a row."""
    if failed < FREE_TRIES:
        return timedelta(0)
    steps = min(failed - FREE_TRIES, 16)
    wait: timedelta = BASE_LOCK * (2**steps)
    return min(MAX_LOCK, wait)


def log(conn: sqlite3.Connection, at_us: int, action: str, detail: str, ok: bool) -> None:
    conn.execute(
        "INSERT INTO household_log (at_us, action, detail, ok) VALUES (?, ?, ?, ?)",
        (at_us, action, detail, ok),
    )


def require_owner(
    wallet: Wallet, pin: str | None, *, action: str = "change money settings", now: datetime | None = None
) -> None:
    """Let a money-changing edit through only with the owner PIN (a no-op without a household).

    Raises :class:`PinRequired`, :class:`PinLocked` or :class:`WrongPin`; the only thing a failed
    check writes is the retry counter (and a line in the household log).
    """
    if not household_exists(wallet):
        return
    now = store.now_utc(now, wallet)
    if pin is None or pin == "":
        raise PinRequired(f"this wallet has a household: the owner PIN is needed to {action}")
    with store.read(wallet) as conn:
        row = conn.execute("SELECT pin_hash, locked_until_us FROM household WHERE id=1").fetchone()
    stored, locked_us = str(row[0]), int(row[1])
    now_us = store.stamp(now)
    if now_us < locked_us:
        until = store.from_us(locked_us)
        raise PinLocked(_locked_text(until, now), until)
    # The slow hash runs outside any transaction so the proxy's writes never wait for it.
    ok = pin_matches(pin, stored)
    wait, until_us = timedelta(0), 0
    with store.write(wallet) as conn:
        row = conn.execute("SELECT failed, locked_until_us FROM household WHERE id=1").fetchone()
        failed, locked_us = int(row[0]), int(row[1])
        if now_us < locked_us:  # another process locked it while we were hashing
            until = store.from_us(locked_us)
            raise PinLocked(_locked_text(until, now), until)
        if ok:
            conn.execute("UPDATE household SET failed=0, locked_until_us=0 WHERE id=1")
        else:
            failed += 1
            wait = lock_after(failed)
            if wait:
                until_us = now_us + wait // timedelta(microseconds=1)
            conn.execute("UPDATE household SET failed=?, locked_until_us=? WHERE id=1", (failed, until_us))
            log(conn, now_us, "wrong-pin", action, False)
    if not ok:
        if wait:
            raise WrongPin(f"wrong PIN; {_locked_text(store.from_us(until_us), now)}", 0)
        left = FREE_TRIES - failed
        raise WrongPin(f"wrong PIN ({left} {'try' if left == 1 else 'tries'} left before a wait)", left)


def _locked_text(until: datetime, now: datetime) -> str:
    secs = max(1, int((until - now).total_seconds() + 0.999))
    wait = f"{secs} s" if secs < 120 else f"{(secs + 59) // 60} min"
    return f"too many wrong PINs: try again in {wait}"


def change_pin(wallet: Wallet, old: str, new: str, *, now: datetime | None = None) -> None:
    """Replace the owner PIN (the old one is checked with the same retry rules)."""
    check_new_pin(new)
    require_owner(wallet, old, action="change the PIN", now=now)
    hashed = hash_pin(new)
    now_us = store.stamp(store.now_utc(now, wallet))
    with store.write(wallet) as conn:
        conn.execute("UPDATE household SET pin_hash=?, failed=0, locked_until_us=0 WHERE id=1", (hashed,))
        log(conn, now_us, "pin", "owner PIN changed", True)
