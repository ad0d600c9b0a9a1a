"""The offline line of ``tokenwallet status`` for a shared (PostgreSQL) wallet (proxy/offline.py).

The running meter knows best (its ``/tokenwallet/health``: offline or not, the float from the
wallet's settings); with no meter answering on the default address, the device's offline journal
itself says what waits to be replayed. Both work while the database cannot be reached, so the line
is printed before the wallet is opened.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tokenwallet.commands.i18n import _
from tokenwallet.commands.serve import DEFAULT_HOST, DEFAULT_PORT
from tokenwallet.core.money import format_tokens, format_usd
from tokenwallet.wallet import backend
from tokenwallet.wallet.offline_journal import FILE, Journal


def offline_line(wallet_path: Path) -> str | None:
    """One line about offline metering, or None (a wallet file, or nothing offline to say)."""
    if backend.url_for(wallet_path) is None:
        return None
    from tokenwallet.gui.attach import probe  # no Qt: the app's probe, shared with the CLI

    health = probe(f"http://{DEFAULT_HOST}:{DEFAULT_PORT}", timeout=0.5)
    if health is not None and health.same_wallet(wallet_path):
        state = health.raw.get("offline")
        if isinstance(state, dict) and state.get("message") not in (None, "online"):
            return _said(state)
        return None
    if not (wallet_path.parent / FILE).exists():
        return None
    try:
        journal = Journal(wallet_path.parent)
    except (OSError, sqlite3.Error):
        return None
    try:
        held, waiting, _failed = journal.counts()
        used = max((amount for unit, amount in journal.used().values() if unit == "usd"), default=0)
    finally:
        journal.close()
    if not held + waiting:
        return None
    return _(
        "offline journal: {n} call(s) metered while the shared wallet was out of reach"
        " ({used} of the float used); the meter replays them when it runs and the database answers"
    ).format(n=held + waiting, used=format_usd(used))


def _said(state: dict[str, object]) -> str:
    """The meter's offline state (its /tokenwallet/health), in the CLI's language."""

    def num(name: str) -> int:
        value = state.get(name)
        return value if isinstance(value, int) else 0

    if state.get("state") != "offline":
        return _("online: replaying {n} call(s) metered offline").format(n=num("journal_waiting"))
    line = _("offline: metering into the local journal, {used} of {float} float used").format(
        used=format_usd(num("used_usd_nano")), float=format_usd(num("float_usd_nano"))
    )
    if num("used_tokens"):
        line += " " + _("({used} of {float} tokens)").format(
            used=format_tokens(num("used_tokens")), float=format_tokens(num("float_tokens"))
        )
    return line
