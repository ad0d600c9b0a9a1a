"""``serve`` in a subprocess (tests/proxy/runner.py) that kills itself in the middle of a replay.

usage: python -m tests.proxy.offline_runner DATA_DIR N

After the N-th offline call's ledger row is committed in the shared wallet, and before that call
leaves the journal, the process sends itself SIGKILL: the worst moment for "exactly once".
"""

from __future__ import annotations

import os
import signal
import sys

from tokenwallet.wallet.offline_journal import Journal


def _die_after(n: int) -> None:
    remove = Journal.remove
    done = [0]

    def dying_remove(self: Journal, call_id: str) -> None:
        done[0] += 1
        if done[0] >= n:
            os.kill(os.getpid(), signal.SIGKILL)
        remove(self, call_id)

    Journal.remove = dying_remove  # type: ignore[method-assign]


if __name__ == "__main__":
    _die_after(int(sys.argv.pop(2)))
    from tests.proxy.runner import main

    sys.exit(main())
