"""Run the proxy headless in a subprocess (what ``tokenwallet serve`` does), for the crash tests.

usage: python -m tests.proxy.runner DATA_DIR   (provider keys as JSON in $TW_TEST_KEYS)
Prints ``READY <port>`` once listening. ``TW_TEST_SETTLE_FAILS=1``: every settle fails as on a
full disk (the test of the crash-recovery fallback).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from tokenwallet.proxy import ProxyServer, serve_forever
from tokenwallet.secrets import MemoryKeyStore


def _settle_always_fails() -> None:
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.errors import WalletError

    def settle(self: Wallet, *args: object, **kwargs: object) -> None:
        raise WalletError("could not write to the wallet file: database or disk is full")

    Wallet.settle = settle  # type: ignore[assignment,method-assign]


def main() -> int:
    keys = json.loads(os.environ.get("TW_TEST_KEYS", "{}"))
    if os.environ.get("TW_TEST_SETTLE_FAILS"):
        _settle_always_fails()

    def ready(server: ProxyServer) -> None:
        print(f"READY {server.port} recovered={len(server.recovered)}", flush=True)

    return serve_forever(Path(sys.argv[1]), "127.0.0.1", 0, keystore=MemoryKeyStore(keys), ready=ready)


if __name__ == "__main__":
    sys.exit(main())
