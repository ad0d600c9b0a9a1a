"""The wallet's side of a reconcile: ledger rows per UTC day and model, metered vs imported.

Rows come from the ledger itself (not the ``daily`` roll-up, which is bucketed by the wallet's
local day): providers bill by UTC day, so we bucket by UTC day too. ``source`` (schema v9) tells
metered calls (``meter``) from calls imported from a tool's logs (``imported:<tool>``). Holds are
calls still in flight: not in the ledger yet, but they will be.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tokenwallet.core.usage import Usage
from tokenwallet.reconcile.dates import unix
from tokenwallet.wallet.db import connect

_BY_DAY_MODEL = (
    "SELECT date(at_us / 1000000, 'unixepoch') AS day, model,"
    " SUM(CASE WHEN source = 'meter' THEN cost_nano ELSE 0 END),"
    " SUM(CASE WHEN source = 'meter' THEN 0 ELSE cost_nano END), COUNT(*), SUM(estimated),"
    " SUM(input_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), SUM(cache_write_1h_tokens),"
    " SUM(output_tokens), SUM(reasoning_tokens),"
    " MAX(price_id) FROM ledger WHERE provider = ? AND at_us >= ? AND at_us < ? GROUP BY 1, 2 ORDER BY 1, 2"
)
_HOLDS = "SELECT model, COUNT(*), SUM(cost_nano) FROM hold WHERE provider = ? GROUP BY model"


@dataclass(frozen=True, slots=True)
class WalletLine:
    """One UTC day and model in the wallet: what the meter charged and what was imported."""

    day: date
    model: str
    metered_nano: int
    imported_nano: int
    calls: int
    estimated_calls: int
    usage: Usage
    price_json: str  # the price of the day's latest row: what the meter charges for this model


@dataclass(frozen=True, slots=True)
class InFlight:
    model: str
    holds: int
    held_nano: int


def wallet_lines(path: Path, provider: str, start: date, end: date) -> list[WalletLine]:
    conn = connect(path)
    try:
        rows = conn.execute(_BY_DAY_MODEL, (provider, unix(start) * 10**6, unix(end) * 10**6)).fetchall()
        prices = {
            pid: conn.execute("SELECT price_json FROM price_snapshot WHERE id = ?", (pid,)).fetchone()[0]
            for pid in {r[12] for r in rows}
        }
    finally:
        conn.close()
    return [
        WalletLine(
            date.fromisoformat(r[0]), r[1], int(r[2]), int(r[3]), int(r[4]), int(r[5] or 0),
            Usage(*(int(x or 0) for x in r[6:12])), prices[r[12]],
        )
        for r in rows
    ]  # fmt: skip


def wallet_total(path: Path, provider: str, start: date, end: date) -> tuple[int, int]:
    """(metered, imported) nano-USD of ``provider`` in [start, end)."""
    lines = wallet_lines(path, provider, start, end)
    return sum(x.metered_nano for x in lines), sum(x.imported_nano for x in lines)


def in_flight(path: Path, provider: str) -> list[InFlight]:
    conn = connect(path)
    try:
        rows = conn.execute(_HOLDS, (provider,)).fetchall()
    except sqlite3.Error:
        rows = []
    finally:
        conn.close()
    return [InFlight(r[0], int(r[1]), int(r[2] or 0)) for r in rows]
