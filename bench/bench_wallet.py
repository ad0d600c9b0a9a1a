"""Wallet benchmark: ``status`` over a million ledger rows, and reserve + settle per call.

    .venv/bin/python bench/bench_wallet.py [--rows 1000000] [--calls 3000] [--dir DIR]

Builds a wallet file with ``--rows`` ledger rows (bulk inserted in one transaction, with their
daily roll-ups and envelope totals), then reports medians against the targets:
``status`` ≤ 50 ms, reserve + settle of one call ≤ 0.5 ms (on the real file: WAL, synchronous=NORMAL).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tokenwallet.core.money import Amount, parse_amount
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import CallRecord, HistoryFilter, HoldRequest, Scope, Wallet
from tokenwallet.wallet.db import to_us

MODELS = [
    ("openai", "gpt-4o"),
    ("openai", "gpt-4o-mini"),
    ("anthropic", "claude-sonnet-4"),
    ("gemini", "gemini-2.5-flash"),
]
PROFILES = ["alice", "bob", "carol", "agent-1", "agent-2"]
PROJECTS = ["acme", "globex", "initech"]


def build(path: Path, rows: int) -> Wallet:
    w = Wallet.open(path)
    w.set_setting("timezone", "Europe/Berlin")
    bindings = []
    for name in PROFILES:
        _, key = w.add_profile(name)
        b = w.resolve_key(key)
        assert b is not None
        bindings.append(b)
    for p in PROJECTS:
        w.add_project(p)
    w.set_budget(Scope("wallet"), parse_amount("100000"), period="month", action="warn")
    w.set_budget(Scope("wallet"), parse_amount("2000M tokens"), period="day", action="warn")
    for name in PROFILES:
        w.set_budget(
            Scope("profile", name), parse_amount("20000"), period="month", action="block", rollover=True
        )
    for p in PROJECTS:
        w.set_budget(Scope("project", p), parse_amount("5000"), period="week", action="downgrade")
    w.topup(
        Scope("profile", "alice"), Amount("usd", 5 * 10**9), expires_at=datetime.now(UTC) + timedelta(days=90)
    )

    conn = w._conn()
    now = to_us(datetime.now(UTC))
    span = 90 * 86_400 * 1_000_000
    rnd = random.Random(7)
    conn.execute("INSERT OR IGNORE INTO price_snapshot (price_json) VALUES ('{\"bench\": 1}')")
    price_id = conn.execute("SELECT id FROM price_snapshot").fetchone()[0]

    def gen():  # type: ignore[no-untyped-def]
        for i in range(rows):
            prof = rnd.randrange(len(PROFILES))
            proj = rnd.randrange(len(PROJECTS) + 1)
            provider, model = MODELS[rnd.randrange(len(MODELS))]
            at = now - span + i * span // rows
            inp, out = rnd.randrange(50, 5000), rnd.randrange(10, 1500)
            yield (f"bench-{i}", at, at - 900_000, prof + 1, prof + 1, proj or None, provider, model, None,
                   "chat/completions", 200, 0, inp, 0, 0, 0, out, 0, inp * 2500 + out * 10_000, price_id,
                   "bench", 0, 0, 900, None, None)  # fmt: skip

    t = time.perf_counter()
    # Bulk build only: no fsync and a big page cache (the measured wallet is reopened normally).
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO ledger (call_id, at_us, started_us, key_id, profile_id, project_id, provider, model,"
        " requested_model, endpoint, status, stream, input_tokens, cache_read_tokens, cache_write_tokens,"
        " cache_write_1h_tokens, output_tokens, reasoning_tokens, cost_nano, price_id, price_source,"
        " estimated, unpriced, duration_ms, error, prompt_text) VALUES (" + ", ".join("?" * 26) + ")",
        gen(),
    )
    # the roll-ups, exactly as migration v2 backfills them
    from tokenwallet.wallet.schema import _backfill_daily

    conn.execute("DELETE FROM daily")
    _backfill_daily(conn)
    conn.execute("COMMIT")
    took = time.perf_counter() - t
    print(f"built {rows:,} ledger rows in {took:.1f} s → {path} ({path.stat().st_size >> 20} MiB)")
    return w


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--calls", type=int, default=3000)
    ap.add_argument("--dir", type=Path, default=None, help="where to build the wallet (default: a temp dir)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.dir or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "bench-wallet.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        w = build(path, args.rows)
        w.close()
        w = Wallet.open(path)  # a fresh process view: nothing cached
        key = w.new_key("alice", project="acme")
        b = w.resolve_key(key)
        assert b is not None

        status_t = []
        for _ in range(200):
            t = time.perf_counter()
            sts = w.status()
            status_t.append(time.perf_counter() - t)
        assert len(sts) == 2 + len(PROFILES) + len(PROJECTS)

        hist_t = []
        for _ in range(50):
            t = time.perf_counter()
            w.history(HistoryFilter(profile="bob"), limit=100)
            hist_t.append(time.perf_counter() - t)

        call_t, reserve_t = [], []
        usage = Usage(input_tokens=800, output_tokens=200)
        for i in range(args.calls):
            call_id = f"live-{i}"
            t = time.perf_counter()
            r = w.reserve(
                HoldRequest(call_id, b, "openai", "gpt-4o", "chat/completions", False, 800, 5_000_000, 1800)
            )
            t1 = time.perf_counter()
            assert r.hold_id is not None
            w.settle(
                r.hold_id,
                CallRecord(call_id, b, "openai", "gpt-4o", "chat/completions", 200, False, usage, 4_000_000,
                           '{"bench": 1}', "bench", False, False, 900),
            )  # fmt: skip
            call_t.append(time.perf_counter() - t)
            reserve_t.append(t1 - t)
        w.close()

    s, c = median_ms(status_t), median_ms(call_t)
    print(f"status ({len(sts)} envelopes, {args.rows:,} ledger rows): median {s:.3f} ms  (target ≤ 50 ms)")
    print(f"reserve + settle: median {c:.3f} ms, p95 {sorted(call_t)[int(len(call_t) * 0.95)] * 1000:.3f} ms"
          f"  (reserve alone {median_ms(reserve_t):.3f} ms; target ≤ 0.5 ms)")  # fmt: skip
    print(f"history page (100 rows of one profile): median {median_ms(hist_t):.3f} ms")
    ok = s <= 50 and c <= 0.5
    print("OK: both within target" if ok else "MISSED a target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
