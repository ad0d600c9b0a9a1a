"""One fake upstream per test module, reset before every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.upstream import FakeUpstream


@pytest.fixture(scope="module")
def _server() -> Iterator[FakeUpstream]:
    with FakeUpstream() as fake:
        yield fake


@pytest.fixture
def upstream(_server: FakeUpstream) -> FakeUpstream:
    _server.reset()
    return _server
