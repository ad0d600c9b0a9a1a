"""Which device a meter is, and whose holds recovery may settle.

A device is a data folder: it keeps a random id in ``device-id`` (made once, atomically, so the app
and ``serve`` starting together in one folder agree), and every hold and ledger row its meter
writes carries that id (schema step 16). On an SQLite file every hold was written on this machine,
so a hold whose process is gone is dead and is settled at once. On a shared (PostgreSQL) wallet a
hold of another device is that device's to recover when it restarts: this device cannot see its
process, so it leaves the hold alone until it is older than the ``foreign_hold_timeout_s`` setting
(an hour: longer than any call runs) and only then settles it as an estimate. Holds written before
devices existed have no device; their owner token's boot id tells (see ``procs``).
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from pathlib import Path

from tokenwallet.wallet import procs

DEVICE_FILE = "device-id"
#: How often a serving meter refreshes its device's "last seen" (``proxy.heartbeat``); a device not
#: seen for three beats is shown as stopped, whatever its row says (a meter that was killed).
HEARTBEAT_S = 30.0
STALE_AFTER_S = 3 * HEARTBEAT_S
#: PostgreSQL's channel for the calls of every device (``pg_notify`` in reserve and settle).
CHANNEL = "tokenwallet_calls"


def device_id_for(data_dir: Path) -> str:
    """The id kept in ``data_dir`` (made on first use); "" when the folder cannot be written."""
    target = data_dir / DEVICE_FILE
    with contextlib.suppress(OSError, UnicodeError):
        found = target.read_text(encoding="ascii").strip()
        if found:
            return found
    new = uuid.uuid4().hex
    tmp = data_dir / f".{DEVICE_FILE}.{os.getpid()}.{new[:8]}"
    try:
        from tokenwallet.core import private

        private.make_dir(data_dir)  # a PostgreSQL wallet's data folder may hold nothing else yet
        private.write_text(tmp, new + "\n")
        try:
            os.link(tmp, target)  # atomic, and never replaces: whoever links first wins
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
        return target.read_text(encoding="ascii").strip()
    except (OSError, UnicodeError):
        return ""


def host_name() -> str:
    """The default name of this device: the machine's host name, short."""
    return (socket.gethostname().split(".")[0] or "this device")[:64]


def another_boot(token: str) -> bool:
    """Was this owner token written on another machine (or before this machine's last boot)?"""
    boot = token.partition(":")[0]
    mine = procs.my_token().partition(":")[0]
    return bool(token) and bool(mine) and boot != mine


def foreign(hold_device: str, mine: str, token: str, *, shared: bool) -> bool:
    """Is a hold another device's, so that no process of this machine can tell whether it lives?"""
    if not shared:
        return False  # an SQLite file: every owner ran on this machine
    if hold_device:
        return hold_device != mine
    return another_boot(token)  # a hold from before devices existed


def left_alone(
    hold_device: str, mine: str, token: str, age_us: int, timeout_us: int, *, shared: bool
) -> bool:
    """Should recovery leave a hold whose process is not running here to its own device?"""
    return foreign(hold_device, mine, token, shared=shared) and age_us < timeout_us
