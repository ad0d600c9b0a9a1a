"""Reconcile tests: a wallet file, fake admin APIs on loopback, keys in a memory key store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.admin_apis import ANTHROPIC_KEY, OPENAI_KEY, OPENROUTER_KEY, FakeAdminAPIs
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.backend import ENV_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def wallet_path(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The wallet of these tests: a file, then (issue 14) a PostgreSQL database."""
    if request.param == "postgresql":
        monkeypatch.setenv(ENV_URL, request.getfixturevalue("pg_url"))
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
