"""A wallet whose folder vanishes under a running meter (a disk unplugged): calls are refused with a
clear 503 instead of being metered into a file nobody will see again, and when the folder is back
the meter goes on with every settled call still there."""

from __future__ import annotations

import time
from pathlib import Path

import openai
import pytest

from fakes.upstream import FakeUpstream
from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import HistoryFilter, Wallet

from .conftest import PROVIDER_KEYS, configure

MESSAGES = [{"role": "user", "content": "hi"}]


def test_calls_are_refused_while_the_wallet_folder_is_gone(tmp_path: Path, upstream: FakeUpstream) -> None:
    upstream.reset()
    home = tmp_path / "disk"
    home.mkdir()
    path = home / "wallet.db"
    w = Wallet.open(path)
    key = configure(w, upstream)
    proxy = ProxyServer(path, port=0, keystore=MemoryKeyStore(PROVIDER_KEYS))
    proxy.start()
    client = openai.OpenAI(base_url=proxy.url + "/openai/v1", api_key=key, max_retries=0)
    try:
        client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)  # type: ignore[arg-type]
        settled(w, 1)  # the meter answers first and settles just after: let it finish
        forwarded = len(upstream.requests)
        away = tmp_path / "unplugged"
        home.rename(away)  # the disk is unplugged: the path no longer leads to the open file
        with pytest.raises(openai.APIStatusError) as err:
            client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)  # type: ignore[arg-type]
        assert err.value.status_code == 503
        assert str(path) in err.value.message and "is gone" in err.value.message
        assert len(upstream.requests) == forwarded  # nothing went out unmetered
        away.rename(home)  # plugged back in
        client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)  # type: ignore[arg-type]
        settled(w, 2)
    finally:
        client.close()
        proxy.stop(timeout=5)
        w.close()


def settled(w: Wallet, calls: int) -> None:
    deadline = time.monotonic() + 10
    while w.holds() or w.history_count(HistoryFilter()) < calls:
        assert time.monotonic() < deadline, "the call never settled"
        time.sleep(0.005)
    assert w.history_count(HistoryFilter()) == calls


def test_a_stream_that_ends_while_the_folder_is_gone_is_written_when_it_is_back(
    tmp_path: Path, upstream: FakeUpstream
) -> None:
    upstream.reset()
    home = tmp_path / "disk"
    home.mkdir()
    path = home / "wallet.db"
    w = Wallet.open(path)
    key = configure(w, upstream)
    proxy = ProxyServer(path, port=0, keystore=MemoryKeyStore(PROVIDER_KEYS))
    proxy.start()
    client = openai.OpenAI(base_url=proxy.url + "/openai/v1", api_key=key, max_retries=0)
    away = tmp_path / "unplugged"
    try:
        upstream.once(chunks=30, chunk_delay=0.01)
        stream = client.chat.completions.create(
            model="gpt-4o-mini",
            messages=MESSAGES,  # type: ignore[arg-type]
            stream=True,
            stream_options={"include_usage": True},
        )
        parts = iter(stream)
        next(parts)
        home.rename(away)  # unplugged while the answer streams: its settle cannot be written
        rest = list(parts)
        assert rest[-1].usage is not None  # the client got its whole answer all the same
        assert proxy.app is not None
        deadline = time.monotonic() + 10
        while not proxy.app.planner.retry.pending:
            assert time.monotonic() < deadline, "the settle never ran"
            time.sleep(0.005)
        away.rename(home)  # plugged back in: the next call writes the waiting row first
        client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)  # type: ignore[arg-type]
        settled(w, 2)
        rows = w.history(HistoryFilter(), limit=10)
        assert all(not r.estimated and r.status == 200 for r in rows)
        assert {r.stream for r in rows} == {True, False}
    finally:
        client.close()
        proxy.stop(timeout=5)
        w.close()
