"""Fill a wallet's ledger with many synthetic calls fast (tests of lazy history, the benchmark).

A million calls through ``Wallet.record`` would take minutes; this writes the same ``ledger`` and
``daily`` rows with the wallet's own SQL in a few big transactions. Envelopes are not charged:
these rows exist to be listed and aggregated, not to test budgets.
"""

from __future__ import annotations

import random
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tokenwallet.wallet import Wallet
from tokenwallet.wallet.calls import _INSERT_LEDGER  # the wallet's own statement: same columns, same order

_UPSERT_DAILY_BULK = (
    "INSERT INTO daily (day, profile_id, project_id, provider, model, calls, estimated_calls,"
    " input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens,"
    " reasoning_tokens, cost_nano) VALUES (?, ?, 0, ?, ?, ?, 0, ?, 0, 0, 0, ?, 0, ?)"
    " ON CONFLICT (day, profile_id, project_id, provider, model) DO UPDATE SET"
    " calls = calls + excluded.calls, input_tokens = input_tokens + excluded.input_tokens,"
    " output_tokens = output_tokens + excluded.output_tokens, cost_nano = cost_nano + excluded.cost_nano"
)
MODELS = [
    ("openai", "gpt-4o", 2500, 10000),
    ("openai", "gpt-4o-mini", 150, 600),
    ("anthropic", "claude-sonnet-4-5", 3000, 15000),
    ("gemini", "gemini-2.5-flash", 300, 2500),
]


def fill(
    path: Path,
    n: int,
    *,
    profiles: tuple[str, ...] = ("alice", "bob", "ci-agent"),
    days: int = 30,
    seed: int = 7,
    now: datetime | None = None,
) -> None:
    """Add ``n`` settled calls spread over the last ``days`` days (profiles created when missing)."""
    w = Wallet.open(path)
    try:
        existing = {p.name for p in w.profiles()}
        for name in profiles:
            if name not in existing:
                w.add_profile(name)
        ids = [w.profile(name).id for name in profiles]
        tz = ZoneInfo(str(w.get_setting("timezone")))
    finally:
        w.close()
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    start_us = int((now - timedelta(days=days)).timestamp() * 1_000_000)
    span_us = days * 86_400 * 1_000_000
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("INSERT OR IGNORE INTO price_snapshot (price_json) VALUES ('{\"bulk\": true}')")
    price_id = conn.execute("SELECT id FROM price_snapshot WHERE price_json = '{\"bulk\": true}'").fetchone()[
        0
    ]
    base = conn.execute("SELECT COALESCE(MAX(id), 0) FROM ledger").fetchone()[0]
    times = sorted(start_us + rng.randrange(span_us) for _ in range(n))
    daily: dict[tuple[str, int, str, str], list[int]] = defaultdict(lambda: [0] * 4)
    batch = []
    conn.execute("BEGIN")
    for i, at in enumerate(times):
        provider, model, in_rate, out_rate = MODELS[rng.randrange(len(MODELS))]
        pid = ids[rng.randrange(len(ids))]
        inp, out = rng.randrange(50, 4000), rng.randrange(10, 800)
        cost = inp * in_rate + out * out_rate  # nano-USD at rates given per token ×1e9/1e6
        batch.append(
            (
                f"bulk-{base + i}",
                at,
                at - 800_000,
                None,
                pid,
                None,
                provider,
                model,
                None,
                "chat/completions",
                200,
                1,
                inp,
                0,
                0,
                0,
                out,
                0,
                cost,
                price_id,
                "bulk",
                0,
                0,
                800,
                None,
                None,
                "",  # flags (schema v4)
                "",  # units
                "",  # session (v5)
                "meter",  # source (v9)
                "",  # response_id
                *(0,) * 6,  # audio / image / video token parts (v15)
            )
        )
        day = datetime.fromtimestamp(at / 1_000_000, UTC).astimezone(tz).date().isoformat()
        agg = daily[(day, pid, provider, model)]
        agg[0] += 1
        agg[1] += inp
        agg[2] += out
        agg[3] += cost
        if len(batch) >= 50_000:
            conn.executemany(_INSERT_LEDGER, batch)
            batch.clear()
    if batch:
        conn.executemany(_INSERT_LEDGER, batch)
    conn.executemany(
        _UPSERT_DAILY_BULK,
        [(d, pid, prov, model, c, i, o, cost) for (d, pid, prov, model), (c, i, o, cost) in daily.items()],
    )
    conn.execute("COMMIT")
    conn.close()
