"""Every way a provider's admin API can fail ends in one clear line — never the admin key."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime

import pytest

from fakes.admin_apis import OPENAI_KEY, FakeAdminAPIs
from tokenwallet.reconcile import FetchOptions, ReconcileError, fetch_report
from tokenwallet.secrets import MemoryKeyStore

MARCH = (date(2025, 3, 1), date(2025, 3, 21))
TODAY = datetime(2025, 3, 20, tzinfo=UTC).date()


def fetch(provider: str, url: str, keys: MemoryKeyStore, timeout_s: float = 5.0) -> None:
    fetch_report(provider, *MARCH, today=TODAY, keys=keys, opts=FetchOptions(url, timeout_s))


@pytest.mark.parametrize("provider", ["openai", "anthropic", "openrouter"])
def test_a_refused_key_is_named_and_never_shown(provider: str, fake: FakeAdminAPIs) -> None:
    wrong = f"sk-wrong-{provider}-SECRET123456"
    keys = MemoryKeyStore({f"{provider}-admin": wrong})
    with pytest.raises(ReconcileError) as err:
        fetch(provider, fake.url, keys)
    text = str(err.value)
    assert "the admin key was refused (HTTP 401)" in text
    assert f"tokenwallet key set {provider}-admin" in text
    assert "SECRET123456" not in text and "\n" not in text


def test_no_admin_key_is_opt_in(fake: FakeAdminAPIs) -> None:
    with pytest.raises(ReconcileError, match="no admin key for anthropic: store a read-only admin key"):
        fetch("anthropic", fake.url, MemoryKeyStore())
    assert fake.requests == []


def test_network_error_names_the_address(keys: MemoryKeyStore) -> None:
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(
        ReconcileError,
        match=rf"openai /v1/organization/costs: cannot reach http://127.0.0.1:{port} \(ConnectError\)",
    ):
        fetch("openai", f"http://127.0.0.1:{port}", keys)


def test_server_error_quotes_the_provider_masking_the_key(fake: FakeAdminAPIs, keys: MemoryKeyStore) -> None:
    fake.fail_status = 500
    with pytest.raises(ReconcileError, match=r"answered HTTP 500: fake failure$"):
        fetch("openai", fake.url, keys)
    fake.fail_status = 429
    with pytest.raises(ReconcileError, match="rate limiting"):
        fetch("openai", fake.url, keys)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>oops</html>", "the answer is not JSON"),
        (b"[]", "not a JSON object"),
        (b'{"object": "page", "has_more": false}', "no 'data' list"),
        (b'{"data": [{"object": "bucket", "start_time": 1740787200}], "has_more": false}',
         r"page 1 data\[0\]\.results is not a list"),
        (b'{"data": [{"start_time": "yesterday", "results": []}], "has_more": false}',
         r"data\[0\]\.start_time is not a Unix time"),
        (b'{"data": [{"start_time": 1740787200, "results": '
         b'[{"amount": {"value": "lots", "currency": "usd"}}]}],'
         b' "has_more": false}', r"results\[0\]\.amount\.value is not a number"),
        (b'{"data": [{"start_time": 1740787200, "results": [{"amount": {"value": 1.5, "currency": "eur"}}]}],'
         b' "has_more": false}', r"amount\.currency is 'eur', not usd"),
        (b'{"data": [{"start_time": 1740787200, "results": [{"amount": {"value": NaN, "currency": "usd"}}]}],'
         b' "has_more": false}', "not JSON"),
        (b'{"data": [], "has_more": "yes"}', "'has_more' is not true/false"),
        (b'{"data": [], "has_more": true, "next_page": null}', "has_more without a 'next_page' cursor"),
    ],
)  # fmt: skip
def test_unexpected_shapes_are_refused_naming_the_field(
    fake: FakeAdminAPIs, keys: MemoryKeyStore, body: bytes, message: str
) -> None:
    fake.raw_body = body
    with pytest.raises(ReconcileError, match=message):
        fetch("openai", fake.url, keys)


def test_anthropic_amount_must_be_cents_text_or_number(fake: FakeAdminAPIs, keys: MemoryKeyStore) -> None:
    fake.raw_body = (
        b'{"data": [{"starting_at": "2025-03-01T00:00:00Z", "results": '
        b'[{"amount": true, "currency": "USD"}]}],'
        b' "has_more": false, "next_page": null}'
    )
    with pytest.raises(
        ReconcileError,
        match=r"anthropic /v1/organizations/cost_report page 1 "
        r"data\[0\]\.results\[0\]\.amount is not a number",
    ):
        fetch("anthropic", fake.url, keys)


def test_a_provider_that_never_stops_paging_is_cut_off(fake: FakeAdminAPIs, keys: MemoryKeyStore) -> None:
    fake.raw_body = b'{"data": [], "has_more": true, "next_page": "again"}'
    with pytest.raises(ReconcileError, match="more than 200 pages"):
        fetch("openai", fake.url, keys)


def test_credentials_in_the_base_url_are_refused(keys: MemoryKeyStore) -> None:
    with pytest.raises(ReconcileError, match="not in the URL"):
        fetch("openai", f"http://user:{OPENAI_KEY}@127.0.0.1:9", keys)
    with pytest.raises(ReconcileError, match="not an http"):
        fetch("openai", "ftp://127.0.0.1", keys)


def test_a_provider_too_slow_to_answer(fake: FakeAdminAPIs, keys: MemoryKeyStore) -> None:
    fake.delay_s = 1.0
    with pytest.raises(
        ReconcileError, match="openai /v1/organization/costs: the provider did not answer in time"
    ):
        fetch("openai", fake.url, keys, timeout_s=0.2)
