"""Reserve + settle per call on each wallet backend, in one run (issue 14).

    .venv/bin/python bench/bench_backends.py [--calls 2000] [--wallet postgresql://…]

A fresh wallet with the envelopes of bench_wallet.py (no bulk ledger: this is about the call path),
first as an SQLite file in a temp dir, then — with ``--wallet`` — in that PostgreSQL database
(an empty one: the wallet is created in it). Targets: SQLite ≤ 0.5 ms, PostgreSQL over a Unix
socket ≤ 2 ms median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tokenwallet.core.money import parse_amount
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import CallRecord, HoldRequest, Scope, Wallet
from tokenwallet.wallet.backend import ENV_URL, redact


def measure(path: Path, calls: int) -> tuple[list[float], float]:
    """Wall seconds per call, and this process's CPU seconds per call (the wallet's own work)."""
    w = Wallet.open(path)
    try:
        w.add_project("acme")
        for name in ("alice", "bob"):
            w.add_profile(name)
            w.set_budget(Scope("profile", name), parse_amount("20000"), action="block", rollover=True)
        w.set_budget(Scope("wallet"), parse_amount("100000"), action="warn")
        w.set_budget(Scope("wallet"), parse_amount("2000M tokens"), period="day", action="warn")
        w.set_budget(Scope("project", "acme"), parse_amount("5000"), period="week", action="downgrade")
        b = w.resolve_key(w.new_key("alice", project="acme"))
        assert b is not None
        usage = Usage(input_tokens=800, output_tokens=200)
        took = []
        cpu = time.process_time()
        for i in range(calls):
            call_id = f"live-{i}"
            t = time.perf_counter()
            r = w.reserve(
                HoldRequest(call_id, b, "openai", "gpt-4o", "chat/completions", False, 800, 5_000_000, 1800)
            )
            assert r.hold_id is not None
            w.settle(
                r.hold_id,
                CallRecord(call_id, b, "openai", "gpt-4o", "chat/completions", 200, False, usage, 4_000_000,
                           '{"bench": 1}', "bench", False, False, 900),
            )  # fmt: skip
            took.append(time.perf_counter() - t)
        return took, (time.process_time() - cpu) / calls
    finally:
        w.close()


def report(name: str, measured: tuple[list[float], float], target_ms: float) -> bool:
    took, cpu = measured
    med = statistics.median(took) * 1000
    p95 = sorted(took)[int(len(took) * 0.95)] * 1000
    print(
        f"{name}: reserve + settle median {med:.3f} ms, p95 {p95:.3f} ms,"
        f" CPU {cpu * 1000:.3f} ms/call  (target ≤ {target_ms} ms)"
    )
    return med <= target_ms


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--wallet", metavar="URL", help="an empty PostgreSQL database to measure as well")
    args = ap.parse_args()
    os.environ.pop(ENV_URL, None)
    with tempfile.TemporaryDirectory() as tmp:
        ok = report("SQLite", measure(Path(tmp) / "wallet.db", args.calls), 0.5)
        if args.wallet:
            os.environ[ENV_URL] = args.wallet
            ok = (
                report(
                    f"PostgreSQL {redact(args.wallet)}",
                    measure(Path(tmp) / "pg" / "wallet.db", args.calls),
                    2.0,
                )
                and ok
            )
    print("OK: within target" if ok else "MISSED a target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
