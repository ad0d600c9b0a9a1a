"""Opt-in price updates: never block, fail quietly offline, and a good update reaches lookups."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tokenwallet.pricing import PriceBook, stop_updates, update_prices, using_updated_prices
from tokenwallet.pricing.updates import wait_for_update

FEED = [
    {
        "id": "openai",
        "name": "OpenAI",
        "api_pattern": "https://api\\.openai\\.com",
        "models": [
            {
                "id": "gpt-4o",
                "match": {"equals": "gpt-4o"},
                "context_window": 128000,
                "prices": {"input_mtok": 1, "output_mtok": 3},
            },
        ],
    }
]


@pytest.fixture(autouse=True)
def _restore_bundled_prices() -> Iterator[None]:
    from genai_prices import data_snapshot

    yield
    stop_updates()
    data_snapshot.set_custom_snapshot(None)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_offline_update_returns_at_once_and_changes_nothing(caplog: pytest.LogCaptureFixture) -> None:
    book = PriceBook()
    before = book.lookup("openai", "gpt-4o")
    caplog.set_level(logging.INFO)
    assert update_prices(url=f"http://127.0.0.1:{_closed_port()}/data.json", timeout_s=2)
    assert wait_for_update(60) is False  # the fetch failed, quietly
    assert book.lookup("openai", "gpt-4o") == before
    assert not using_updated_prices()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_successful_update_reaches_the_price_book() -> None:
    body = json.dumps(FEED).encode()
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            release.wait(60)  # the answer waits until update_prices() has returned
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        book = PriceBook()
        assert book.lookup("openai", "gpt-4o").input_mtok == Decimal("2.5")
        assert update_prices(url=f"http://127.0.0.1:{server.server_address[1]}/data.json")
        assert update_prices()  # a second call is a no-op
        release.set()  # start-up never waits on the network: both calls returned before the answer
        assert wait_for_update(60) is True
        assert using_updated_prices()
        updated = book.lookup("openai", "gpt-4o")
        assert (updated.input_mtok, updated.output_mtok) == (Decimal(1), Decimal(3))
    finally:
        release.set()
        server.shutdown()
        server.server_close()
