"""Suite-wide set-up: no display, no real keychain, no network."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

import pgserver
from pgserver import PgServer

# Set before anything imports Qt or keyring: Qt reads the platform at QApplication creation and
# keyring picks its backend on first use. Subprocesses (the CLI under test) inherit both.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "tokenwallet.secrets.memory.MemoryKeyring"
os.environ.pop("TOKENWALLET_HOME", None)
# The suite checks English text unless a test asks for Chinese itself (TOKENWALLET_LANG beats the
# machine's LANG, so a developer's zh_CN desktop does not turn every message into Chinese).
os.environ["TOKENWALLET_LANG"] = "en"

# Property tests check invariants, not speed: a per-example deadline only makes them flaky on a
# busy 2-core CI machine. Speed is measured by the benchmarks under bench/.
settings.register_profile("tokenwallet", deadline=None, print_blob=True)
settings.load_profile("tokenwallet")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One PostgreSQL server for the whole run (see tests/pgserver.py), started on first use."""
    bindir = pgserver.binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (tools/bootstrap.sh installs Debian's postgresql)")
    server = PgServer(bindir)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a fresh, empty PostgreSQL database for one test."""
    return pg_server.new_database()
