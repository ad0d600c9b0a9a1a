"""Token Wallet: a personal wallet and meter for AI tokens."""

import sys
import types

__version__ = "0.1.0"

# httpx imports its own command-line client (click, rich, pygments: ~6 MB and ~70 ms) whenever
# those happen to be installed (a developer's venv has rich through import-linter). Nothing here
# runs `httpx` as a command, so its module is a stub: the meter's memory does not depend on what
# else is installed. The `httpx` console script, another process, is unaffected.


def _no_httpx_cli() -> None:
    raise SystemExit("httpx's command-line client is not loaded inside Token Wallet")


if "httpx._main" not in sys.modules:
    _stub = types.ModuleType("httpx._main", "httpx's command-line client, not loaded by Token Wallet")
    _stub.main = _no_httpx_cli  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = _stub
