"""Import tests: a real wallet file, and the sample agent logs copied where a test may change them."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tokenwallet.core.events import Event, EventBus
from tokenwallet.wallet import Wallet

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "agent_logs"
HOUR_AGO = time.time() - 3600


def settle_files(root: Path, at: float = HOUR_AGO) -> None:
    """Date every file under ``root`` ``at`` (by default: long still, so no one is writing it)."""
    for p in root.rglob("*"):
        if p.is_file():
            os.utime(p, (at, at))


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    """A private copy of tests/fixtures/agent_logs, still for an hour."""
    dest = tmp_path / "logs"
    shutil.copytree(FIXTURES, dest)
    settle_files(dest)
    return dest


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def wallet(tmp_path: Path, events: list[Event]) -> Iterator[Wallet]:
    bus = EventBus()
    bus.subscribe(events.append)
    w = Wallet.open(tmp_path / "wallet.db", bus=bus)
    w.set_setting("timezone", "UTC")
    w.add_profile("me", role="owner")
    w.add_project("acme")
    w.add_project("tools")
    yield w
    w.close()
