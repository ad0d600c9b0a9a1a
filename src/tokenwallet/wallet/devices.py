"""Holds of other devices on a shared (PostgreSQL) wallet: whose they are, and when to give up.

A hold's owner is a process id plus a token with the boot id of the machine it ran on (see
``procs``). On an SQLite file every owner ran on this machine, so a hold whose process is gone
here is dead and is recovered at once. On a shared wallet a hold with another boot id belongs to
another device (or to this one before a reboot): this device cannot see that process, so it
leaves the hold alone until it is older than :data:`FOREIGN_HOLD_TIMEOUT_US` — longer than any
call runs (the meter's upstream time-outs) — and only then settles it as an estimate.
"""

from __future__ import annotations

from tokenwallet.wallet import procs

FOREIGN_HOLD_TIMEOUT_US = 3600 * 1_000_000


def another_device(token: str) -> bool:
    """Was this owner token written on another machine (or before this machine's last boot)?"""
    boot = token.partition(":")[0]
    mine = procs.my_token().partition(":")[0]
    return bool(token) and bool(mine) and boot != mine


def left_alone(token: str, created_us: int, now_us: int, *, shared: bool) -> bool:
    """Should recovery leave a hold whose process is not running here to its own device?"""
    return shared and another_device(token) and now_us - created_us < FOREIGN_HOLD_TIMEOUT_US
