"""Through the proxy a member's key cannot get around the household's rules: the allowance's
hard stop holds (also when the call is tagged to a client project), a paused member is refused,
and the proxy's own API has nothing that changes money."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import openai
import pytest
from billing_testkit import PIN, open_wallet

from fakes.upstream import FakeUpstream
from tokenwallet.billing import clients as cl
from tokenwallet.billing import household as hh
from tokenwallet.core.money import parse_amount
from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import HistoryFilter, Wallet


@dataclass
class Home:
    proxy: ProxyServer
    wallet: Wallet
    kid_key: str
    upstream: FakeUpstream


@pytest.fixture(scope="module")
def upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream() as fake:
        yield fake


@pytest.fixture
def home(tmp_path: Path, upstream: FakeUpstream) -> Iterator[Home]:
    upstream.reset()
    path = tmp_path / "wallet.db"
    w = open_wallet(path)
    w.set_provider("openai", base_url=upstream.openai_base_url)
    hh.init_household(w, "mum", PIN)
    # 2 cents a week: enough for one small call, not for a big one.
    _, kid_key = hh.add_member(w, "kid", parse_amount("0.02"), period="week", pin=PIN)
    w.change_model_rules("kid", allow=["gpt-4o"])  # beside tier:small: these tests are about allowances
    cl.add_client(w, "acme", budget=parse_amount("1000"), pin=PIN)
    proxy = ProxyServer(path, port=0, keystore=MemoryKeyStore({"openai": "sk-real"}))
    proxy.start()
    try:
        yield Home(proxy, w, kid_key, upstream)
    finally:
        proxy.stop(timeout=5)
        w.close()


def _client(home: Home, **headers: str) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=home.proxy.url + "/openai/v1", api_key=home.kid_key, max_retries=0, default_headers=headers
    )


def _ask(client: openai.OpenAI, max_tokens: int) -> object:
    """One chat call; the client is closed afterwards (no socket left for the GC to warn about)."""
    with client:
        return client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hello"}], max_tokens=max_tokens
        )


def _settled(w: Wallet, f: HistoryFilter, calls: int) -> None:
    """Wait until ``calls`` rows match: the proxy settles a call just after the answer went out."""
    deadline = time.monotonic() + 5
    while w.history_count(f) < calls or w.holds():
        assert time.monotonic() < deadline, "the calls never settled"
        time.sleep(0.005)


def _snapshot(w: Wallet) -> object:
    return ([(p.name, p.paused) for p in w.profiles()], w.envelopes(), [s.available for s in w.status()])


def test_hard_stop_holds_even_when_tagged_to_a_client(home: Home) -> None:
    _ask(_client(home), 10)  # a small call fits
    with pytest.raises(openai.APIStatusError) as exc:
        _ask(_client(home), 20_000)  # its worst case does not: refused before reaching the provider
    assert exc.value.status_code == 402 and "profile:kid" in exc.value.message
    # Tagging the call to a client with a big budget does not lift the member's own allowance.
    with pytest.raises(openai.APIStatusError) as exc:
        _ask(_client(home, **{"X-Tokenwallet-Project": "acme"}), 20_000)
    assert exc.value.status_code == 402 and "profile:kid" in exc.value.message
    assert len(home.upstream.requests) == 1
    _settled(home.wallet, HistoryFilter(profile="kid"), 1)
    assert home.wallet.history_count(HistoryFilter(profile="kid")) == 1


def test_a_paused_member_is_refused(home: Home) -> None:
    hh.pause_member(home.wallet, "kid", True, pin=PIN)
    with pytest.raises(openai.APIStatusError) as exc:
        _ask(_client(home), 10)
    assert exc.value.status_code == 403 and "paused" in exc.value.message
    assert home.upstream.requests == []


def test_the_proxy_api_changes_no_money(home: Home) -> None:
    before = _snapshot(home.wallet)
    body = {"profile": "kid", "amount": "100", "allowance": "100", "paused": False, "pin": "0000"}
    auth = {"authorization": f"Bearer {home.kid_key}"}
    paths = ["/tokenwallet/status", "/tokenwallet/budget", "/tokenwallet/topup", "/tokenwallet/household",
             "/tokenwallet/settings", "/tokenwallet/profiles/kid"]  # fmt: skip
    with httpx.Client(base_url=home.proxy.url) as http:
        for path in paths:
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                r = http.request(method, path, json=body, headers=auth)
                assert r.status_code in (401, 403, 404, 405), (method, path, r.status_code, r.text)
    assert _snapshot(home.wallet) == before


def test_client_key_and_header_land_calls_on_the_client(home: Home) -> None:
    from datetime import timedelta

    from tokenwallet.billing.invoice import client_report

    w = home.wallet
    _, acme_key = cl.client_key(w, "acme", profile="mum", pin=PIN)
    tablet_key = hh.new_member_key(w, "kid", pin=PIN)  # any key plus the header tags the client too
    by_key = openai.OpenAI(base_url=home.proxy.url + "/openai/v1", api_key=acme_key, max_retries=0)
    _ask(by_key, 10)
    tagged = openai.OpenAI(
        base_url=home.proxy.url + "/openai/v1",
        api_key=tablet_key,
        max_retries=0,
        default_headers={"X-Tokenwallet-Project": "acme"},
    )
    _ask(tagged, 10)
    _settled(w, HistoryFilter(project="acme"), 2)
    rows = w.history(HistoryFilter(project="acme"), limit=10)
    assert len(rows) == 2 and {r.profile for r in rows} == {"mum", "kid"}
    today = rows[0].at.astimezone().date()
    report = client_report(w, "acme", today - timedelta(days=1), today + timedelta(days=1))
    assert report.calls == 2 and report.totals.cost_nano == sum(r.cost_nano for r in rows) > 0
