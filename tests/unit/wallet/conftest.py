"""Wallet test helpers: a real wallet file in tmp_path, a settable clock, call builders."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tokenwallet.core.events import Event, EventBus
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import CallRecord, HoldRequest, KeyBinding, Wallet
from tokenwallet.wallet.backend import ENV_URL

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
_ids = itertools.count(1)


class Clock:
    """A clock tests move by hand."""

    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **kw: float) -> datetime:
        self.at += timedelta(**kw)
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def backend() -> str:
    """Where ``wallet`` lives; a module runs its tests on both with ``BOTH_BACKENDS`` (below)."""
    return "sqlite"


#: ``backend = BOTH_BACKENDS`` in a test module runs each of its tests on SQLite and PostgreSQL.
BOTH_BACKENDS = pytest.fixture(params=["sqlite", "postgresql"])(lambda request: request.param)


@pytest.fixture
def wallet_place(request: pytest.FixtureRequest, backend: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """For PostgreSQL: this process's wallet is a fresh database (as ``--wallet URL`` would say)."""
    if backend == "postgresql":
        monkeypatch.setenv(ENV_URL, request.getfixturevalue("pg_url"))
    return backend


@pytest.fixture
def wallet(wallet_place: str, tmp_path: Path, clock: Clock, events: list[Event]) -> Iterator[Wallet]:
    bus = EventBus()
    bus.subscribe(events.append)
    w = Wallet.open(tmp_path / "wallet.db", bus=bus, clock=clock)
    w.set_setting("timezone", "UTC")
    yield w
    w.close()


def req(
    b: KeyBinding, cost: int, tokens: int = 0, *, call_id: str | None = None, **kw: object
) -> HoldRequest:
    return HoldRequest(
        call_id=call_id or f"call-{next(_ids)}",
        binding=b,
        provider=str(kw.get("provider", "openai")),
        model=str(kw.get("model", "gpt-4o")),
        endpoint="chat/completions",
        stream=False,
        input_tokens=100,
        cost_nano=cost,
        tokens=tokens,
        allow_downgrade=bool(kw.get("allow_downgrade", False)),
    )


def rec(b: KeyBinding, call_id: str, cost: int, usage: Usage | None = None, **kw: object) -> CallRecord:
    return CallRecord(
        call_id=call_id,
        binding=b,
        provider=str(kw.get("provider", "openai")),
        model=str(kw.get("model", "gpt-4o")),
        endpoint="chat/completions",
        status=200,
        stream=False,
        usage=usage or Usage(input_tokens=100, output_tokens=50),
        cost_nano=cost,
        price_json=str(kw.get("price_json", '{"model": "gpt-4o", "input_mtok": "2.5"}')),
        price_source="test",
        estimated=bool(kw.get("estimated", False)),
        unpriced=False,
        duration_ms=5,
    )


def spend(w: Wallet, b: KeyBinding, cost: int, usage: Usage | None = None, **kw: object) -> None:
    """Reserve and settle one call for exactly ``cost``."""
    r = w.reserve(req(b, cost, (usage or Usage(100, output_tokens=50)).total_tokens, **kw))
    assert r.hold_id is not None, r.refused
    w.settle(r.hold_id, rec(b, w_call_id(w, r.hold_id), cost, usage, **kw))


def w_call_id(w: Wallet, hold_id: int) -> str:
    return next(h.call_id for h in w.holds() if h.hold_id == hold_id)
