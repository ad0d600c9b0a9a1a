"""Suite-wide set-up: no display, no real keychain, no network."""

from __future__ import annotations

import os

# Set before anything imports Qt or keyring: Qt reads the platform at QApplication creation and
# keyring picks its backend on first use. Subprocesses (the CLI under test) inherit both.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "tokenwallet.secrets.memory.MemoryKeyring"
os.environ.pop("TOKENWALLET_HOME", None)
