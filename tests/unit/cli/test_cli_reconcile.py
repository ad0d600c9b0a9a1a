"""``tokenwallet reconcile`` against fake admin APIs on loopback, and from a CSV export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_helpers import Run

from fakes.admin_apis import ANTHROPIC_KEY, OPENAI_KEY, FakeAdminAPIs
from fakes.ledger_plant import plant
from tokenwallet import paths
from tokenwallet.core.usage import Usage

FIXTURES = Path(__file__).parents[2] / "fixtures" / "reconcile"


@pytest.fixture
def fake() -> Iterator[FakeAdminAPIs]:
    with FakeAdminAPIs(page_size=3) as f:
        yield f


@pytest.fixture
def wallet_file(tw: Run, data_dir: Path) -> Path:
    assert tw("settings", "set", "timezone", "UTC").code == 0
    return paths.wallet_file(data_dir)


def _openai_scenario(fake: FakeAdminAPIs, wallet_file: Path) -> None:
    plant(wallet_file, datetime(2025, 3, 3, 10, tzinfo=UTC), "openai", "gpt-4o", Usage(input_tokens=320_000))
    fake.openai_day(
        datetime(2025, 3, 3).date(), "gpt-4o-2024-08-06", cost="13.14", input_tokens=320_000,
        output_tokens=1_234_000, requests=2,
    )  # fmt: skip


def test_reconcile_reports_the_planted_difference(tw: Run, fake: FakeAdminAPIs, wallet_file: Path) -> None:
    _openai_scenario(fake, wallet_file)
    assert tw("key", "set", "openai-admin", stdin=OPENAI_KEY + "\n").code == 0
    assert tw("settings", "set", "reconcile_openai_url", fake.url).code == 0

    r = tw("reconcile", "--provider", "openai", "--month", "2025-03", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    [row] = data["rows"]
    assert (row["day"], row["model"]) == ("2025-03-03", "gpt-4o-2024-08-06")
    assert (row["provider_nano"], row["metered_nano"], row["imported_nano"]) == (
        13_140_000_000,
        800_000_000,
        0,
    )
    assert row["difference_nano"] == 12_340_000_000 and row["difference_usd"] == "12.34"
    assert row["bypassed_nano"] == 12_340_000_000 and row["price_difference_nano"] == 0
    assert row["provider_requests"] == 2 and row["wallet_calls"] == 1
    assert "bypassed the meter" in row["causes"][0]
    assert (data["start"], data["end"], data["days"]) == ("2025-03-01", "2025-04-01", "UTC")
    # 31 daily buckets, 3 per page: 11 pages from each endpoint
    assert sum(p == "/v1/organization/costs" for _, p, _, _ in fake.requests) == 11

    text = tw("reconcile", "--provider", "openai", "--month", "2025-03")
    assert text.code == 0
    assert "openai (api): 2025-03-01 … 2025-03-31 (UTC days)" in text.out
    assert "difference +$12.34" in text.out
    line = next(x for x in text.out.splitlines() if x.startswith("2025-03-03"))
    assert "gpt-4o-2024-08-06" in line and "$13.14" in line and "$0.80" in line and "+$12.34" in line
    assert OPENAI_KEY not in text.out + text.err + r.out


def test_reconcile_every_provider_with_an_admin_key(tw: Run, fake: FakeAdminAPIs, wallet_file: Path) -> None:
    _openai_scenario(fake, wallet_file)
    for name in ("openai", "anthropic"):
        assert tw("settings", "set", f"reconcile_{name}_url", fake.url).code == 0
    assert tw("key", "set", "openai-admin", stdin=OPENAI_KEY).code == 0
    assert tw("key", "set", "anthropic-admin", stdin=ANTHROPIC_KEY).code == 0
    r = tw("reconcile", "--month", "2025-03", "--json")
    assert r.code == 0, r.err
    assert [d["provider"] for d in json.loads(r.out)] == ["openai", "anthropic"]


def test_reconcile_is_opt_in_and_errors_are_one_line(tw: Run, fake: FakeAdminAPIs, wallet_file: Path) -> None:
    r = tw("reconcile")
    assert r.code == 1
    assert r.err.startswith("tokenwallet: error: no provider admin keys stored: reconcile is opt-in")
    assert tw("key", "set", "openai-admin", stdin="sk-admin-WRONG-KEY-9876").code == 0
    r = tw("reconcile", "--provider", "openai", "--month", "2025-03", "--base-url", fake.url)
    assert r.code == 1 and r.out == ""
    assert r.err.count("\n") == 1
    assert "the admin key was refused (HTTP 401)" in r.err and "WRONG-KEY" not in r.err
    r = tw("reconcile", "--provider", "openai", "--month", "2025-13")
    assert r.code == 1 and "not a month: '2025-13'" in r.err
    fake.raw_body = b'{"object": "page", "data": [{"start_time": 1740787200}], "has_more": false}'
    assert tw("key", "set", "openai-admin", stdin=OPENAI_KEY).code == 0
    r = tw("reconcile", "--provider", "openai", "--month", "2025-03", "--base-url", fake.url)
    assert r.code == 1 and "data[0].results is not a list" in r.err


def test_reconcile_from_a_csv_export(tw: Run, wallet_file: Path) -> None:
    plant(wallet_file, datetime(2025, 3, 3, 10, tzinfo=UTC), "openai", "gpt-4o", Usage(input_tokens=320_000))
    r = tw(
        "reconcile",
        "--provider",
        "openai",
        "--csv",
        str(FIXTURES / "openai_costs.csv"),
        "--month",
        "2025-03",
        "--json",
    )
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["source"] == "csv:openai_costs.csv"
    assert data["rows"][0]["difference_nano"] == 12_340_000_000
    r = tw("reconcile", "--csv", "x.csv")
    assert r.code == 1 and "--csv needs --provider" in r.err


def test_the_admin_key_stays_in_the_keychain(
    tw: Run, fake: FakeAdminAPIs, wallet_file: Path, data_dir: Path
) -> None:
    _openai_scenario(fake, wallet_file)
    outputs: list[str] = []
    for args, stdin in (
        (("key", "set", "openai-admin"), OPENAI_KEY),
        (("settings", "set", "reconcile_openai_url", fake.url), ""),
        (("key", "status", "--json"), ""),
        (("reconcile", "--json"), ""),
        (("reconcile",), ""),
        (("reconcile", "--provider", "openai", "--base-url", "http://127.0.0.1:9"), ""),
        (("settings", "list", "--json"), ""),
        (("history", "--json"), ""),
    ):
        r = tw(*args, stdin=stdin)
        outputs += [r.out, r.err]
    assert {"name": "openai-admin", "stored": True} in json.loads(outputs[4])["providers"]
    assert "cannot reach http://127.0.0.1:9" in outputs[11]
    assert all(OPENAI_KEY not in text for text in outputs)
    everything = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    assert OPENAI_KEY.encode() not in everything
    # the fake saw it, in the Authorization header only
    assert all(h["authorization"] == f"Bearer {OPENAI_KEY}" for _, _, _, h in fake.requests)
    assert all(OPENAI_KEY not in str(q) for _, _, q, _ in fake.requests)
