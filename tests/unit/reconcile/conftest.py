"""Reconcile tests: a wallet file, fake admin APIs on loopback, keys in a memory key store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.admin_apis import ANTHROPIC_KEY, OPENAI_KEY, OPENROUTER_KEY, FakeAdminAPIs
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import Wallet


@pytest.fixture
def wallet_path(tmp_path: Path) -> Path:
    path = tmp_path / "wallet.db"
    Wallet.open(path).close()
    return path


@pytest.fixture
def fake() -> Iterator[FakeAdminAPIs]:
    with FakeAdminAPIs(page_size=2) as f:
        yield f


@pytest.fixture
def keys() -> MemoryKeyStore:
    return MemoryKeyStore(
        {"openai-admin": OPENAI_KEY, "anthropic-admin": ANTHROPIC_KEY, "openrouter-admin": OPENROUTER_KEY}
    )
