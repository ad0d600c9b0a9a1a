"""The offline line of ``tokenwallet status`` for a shared (PostgreSQL) wallet (proxy/offline.py).

The running meter knows best (its ``/tokenwallet/health``: offline or not, the float from the
wallet's settings); with no meter answering on the default address, the device's offline journal
itself says what waits to be replayed. Both work while the database cannot be reached, so the line
is printed before the wallet is opened.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tokenwallet.commands.serve import DEFAULT_HOST, DEFAULT_PORT
from tokenwallet.core.money import format_usd
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
            return str(state["message"])
        return None
    if not (wallet_path.parent / FILE).exists():
        return None
    try:
        journal = Journal(wallet_path.parent)
    except (OSError, sqlite3.Error):
        return None
    try:
        held, waiting, _ = journal.counts()
        used = max((amount for unit, amount in journal.used().values() if unit == "usd"), default=0)
    finally:
        journal.close()
    if not held + waiting:
        return None
    return (
        f"offline journal: {held + waiting} call(s) metered while the shared wallet was out of reach"
        f" ({format_usd(used)} of the float used); the meter replays them when it runs"
        " and the database answers"
    )
