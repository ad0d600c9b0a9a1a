"""Several processes reserving against one blocking envelope on one wallet file never overspend."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tokenwallet.core.money import Amount
from tokenwallet.wallet import HistoryFilter, Scope, Wallet

_WORKER = textwrap.dedent(
    """
    import sys
    from tokenwallet.core.usage import Usage
    from tokenwallet.wallet import CallRecord, HoldRequest, Wallet
    path, key, name, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    w = Wallet.open(path)
    b = w.resolve_key(key)
    ok = 0
    for i in range(n):
        call_id = f"{name}-{i}"
        r = w.reserve(HoldRequest(call_id, b, "openai", "gpt-4o", "chat/completions", False, 10, 1000, 10))
        if r.hold_id is None:
            continue
        # settle for a little less than held half the time, exactly the hold otherwise
        cost = 1000 if i % 2 else 900
        w.settle(r.hold_id, CallRecord(call_id, b, "openai", "gpt-4o", "chat/completions", 200, False,
                                       Usage(10, output_tokens=5), cost, "{}", "test", False, False, 1))
        ok += 1
    print(ok)
    """
)


def test_processes_never_overspend_a_blocking_envelope(tmp_path: Path) -> None:
    path = tmp_path / "wallet.db"
    w = Wallet.open(path)
    _, key = w.add_profile("alice")
    budget = 60_000
    w.set_budget(Scope("profile", "alice"), Amount("usd", budget), period="month", action="block")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(path), key, f"p{i}", "40"], stdout=subprocess.PIPE, text=True
        )
        for i in range(4)
    ]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    ok = sum(int(o.strip()) for o in outs)
    (st,) = w.status()
    assert st.held == 0
    assert st.spent <= budget and st.available >= 0
    assert w.history_count(HistoryFilter()) == ok  # every admitted call is in the ledger, once
    assert st.spent == sum(r.cost_nano for r in w.history(HistoryFilter(), limit=1000))
    assert ok >= budget // 1000  # …and the budget was really used up (cheaper calls leave room for more)
    assert st.available < 1000
    w.close()


def test_processes_opening_a_new_wallet_at_once(tmp_path: Path) -> None:
    path = tmp_path / "wallet.db"
    code = (
        "import sys; from tokenwallet.wallet import Wallet; Wallet.open(sys.argv[1]).add_profile(sys.argv[2])"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), f"p{i}"]) for i in range(4)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    w = Wallet.open(path)
    assert sorted(p.name for p in w.profiles()) == ["p0", "p1", "p2", "p3"]
    w.close()
