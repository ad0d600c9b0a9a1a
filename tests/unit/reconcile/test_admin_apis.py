"""Reconcile against fake admin APIs that answer in the documented shapes, several pages each.

Planted differences are asserted to the nano-dollar: the fake provider reports $12.34 more on one
day and model than the wallet's ledger holds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from fakes.admin_apis import FakeAdminAPIs
from fakes.ledger_plant import plant
from tokenwallet.core.usage import Usage
from tokenwallet.reconcile import FetchOptions, Reconciliation, against_wallet, fetch_report, model_key
from tokenwallet.secrets import MemoryKeyStore

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
MARCH = (date(2025, 3, 1), date(2025, 3, 21))
USD = 10**9


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=UTC)


def run(provider: str, fake: FakeAdminAPIs, keys: MemoryKeyStore, wallet_path: Path) -> Reconciliation:
    report = fetch_report(provider, *MARCH, today=NOW.date(), keys=keys, opts=FetchOptions(fake.url, 5.0))
    return against_wallet(wallet_path, report, NOW)


def row(rec: Reconciliation, day: int, model: str):  # type: ignore[no-untyped-def]
    [r] = [r for r in rec.rows if r.day == date(2025, 3, day) and model_key(r.model) == model]
    return r


def test_openai_planted_difference_to_the_cent(
    fake: FakeAdminAPIs, keys: MemoryKeyStore, wallet_path: Path
) -> None:
    # 3 March, gpt-4o: two metered calls ($0.80); the provider also billed a third call the meter
    # never saw: 1,234,000 output tokens at $10/M = exactly $12.34 more.
    u1 = Usage(input_tokens=100_000, cache_read_tokens=20_000, output_tokens=30_000)
    u2 = Usage(input_tokens=50_000, output_tokens=10_000)
    assert (
        plant(wallet_path, at(3), "openai", "gpt-4o", u1)
        + plant(wallet_path, at(3, 11), "openai", "gpt-4o", u2)
        == 800_000_000
    )
    fake.openai_day(
        date(2025, 3, 3), "gpt-4o-2024-08-06", cost="13.14", input_tokens=150_000, cached=20_000,
        output_tokens=40_000 + 1_234_000, requests=3, line_items=("input", "cached input", "output"),
    )  # fmt: skip
    # 5 March, gpt-4o-mini: same tokens, but the provider charged $1.00 more than the meter's price.
    u3 = Usage(input_tokens=1_000_000, output_tokens=500_000)
    assert plant(wallet_path, at(5), "openai", "gpt-4o-mini", u3) == 450_000_000
    fake.openai_day(
        date(2025, 3, 5), "gpt-4o-mini-2024-07-18", cost="1.45", input_tokens=1_000_000, output_tokens=500_000
    )
    # 7 March: metered + imported (Codex logs) match the provider exactly.
    plant(wallet_path, at(7), "openai", "gpt-4o", Usage(input_tokens=200_000))
    plant(wallet_path, at(7, 12), "openai", "gpt-4o", Usage(output_tokens=100_000), source="imported:codex")
    fake.openai_day(
        date(2025, 3, 7),
        "gpt-4o-2024-08-06",
        cost="1.50",
        input_tokens=200_000,
        output_tokens=100_000,
        requests=2,
    )
    # 10 March: the wallet charged a call the provider never billed.
    plant(wallet_path, at(10), "openai", "gpt-4o", Usage(input_tokens=100_000))
    # Embeddings: usage from the embeddings endpoint, money from the Costs API.
    plant(
        wallet_path,
        at(6),
        "openai",
        "text-embedding-3-small",
        Usage(input_tokens=1_000_000),
        price_model="emb",
    )
    fake.openai_day(date(2025, 3, 6), "text-embedding-3-small", cost="0.02")
    fake.openai_usage[date(2025, 3, 6)].clear()
    fake.openai_embeddings_day(date(2025, 3, 6), "text-embedding-3-small", input_tokens=1_000_000, requests=4)
    # Another provider's rows stay out of OpenAI's reconcile.
    plant(wallet_path, at(3), "anthropic", "claude-sonnet-4-5", Usage(input_tokens=1000))

    rec = run("openai", fake, keys, wallet_path)

    planted = row(rec, 3, "gpt-4o")
    assert planted.provider_nano == 13_140_000_000
    assert planted.metered_nano == 800_000_000 and planted.imported_nano == 0
    assert planted.difference_nano == 12_340_000_000
    assert planted.bypassed_nano == 12_340_000_000 and planted.price_nano == 0
    assert planted.provider_requests == 3 and planted.wallet_calls == 2
    assert planted.causes[0].startswith(
        "calls that bypassed the meter: 1,234,000 more tokens (1 more request)"
    )
    assert "$12.34 at the meter's price" in planted.causes[0]

    mini = row(rec, 5, "gpt-4o-mini")
    assert mini.difference_nano == USD and mini.bypassed_nano == 0 and mini.price_nano == USD
    assert mini.causes[0].startswith("price difference: the provider charged $1.00 more for the same tokens")
    assert "($0.97 vs the meter's $0.30 per 1M tokens on average" in mini.causes[0]

    both = row(rec, 7, "gpt-4o")
    assert (both.metered_nano, both.imported_nano, both.difference_nano) == (500_000_000, USD, 0)
    assert both.causes == ("matches (within half a cent)",)

    extra = row(rec, 10, "gpt-4o")
    assert (extra.provider_nano, extra.difference_nano) == (0, -250_000_000)
    assert extra.causes == ("the wallet charged more than the provider billed",)

    emb = row(rec, 6, "text-embedding-3-small")
    assert (emb.difference_nano, emb.provider_usage, emb.provider_requests) == (
        0,
        Usage(input_tokens=1_000_000),
        4,
    )

    assert len(rec.rows) == 5
    assert rec.provider_nano - rec.wallet_nano == 13_090_000_000  # 12.34 + 1.00 − 0.25

    # Paging: 20 one-day buckets, 2 per page → 10 pages from each endpoint, cursors sent back.
    costs = [q for _, path, q, _ in fake.requests if path == "/v1/organization/costs"]
    usage = [q for _, path, q, _ in fake.requests if path == "/v1/organization/usage/completions"]
    embeddings = [q for _, path, q, _ in fake.requests if path == "/v1/organization/usage/embeddings"]
    assert len(costs) == len(usage) == len(embeddings) == 10
    assert "page" not in costs[0] and all("page" in q for q in costs[1:])
    assert costs[0]["group_by"] == ["line_item"] and costs[0]["bucket_width"] == ["1d"]
    assert usage[0]["group_by"] == ["model"]
    assert costs[0]["start_time"] == [str(int(datetime(2025, 3, 1, tzinfo=UTC).timestamp()))]
    assert costs[0]["end_time"] == [str(int(datetime(2025, 3, 21, tzinfo=UTC).timestamp()))]


def test_anthropic_planted_difference_split_into_usage_and_price(
    fake: FakeAdminAPIs, keys: MemoryKeyStore, wallet_path: Path
) -> None:
    u = Usage(input_tokens=10_000, cache_read_tokens=100_000, cache_write_tokens=20_000, output_tokens=5_000)
    assert (
        plant(
            wallet_path, at(3), "anthropic", "claude-sonnet-4-5-20250929", u, price_model="claude-sonnet-4-5"
        )
        == 210_000_000
    )
    # The provider: 800,000 more output tokens ($12.00 at $15/M) and $0.34 above the meter's price:
    # $12.55 in all, sent as cents in a decimal string.
    fake.anthropic_day(
        date(2025, 3, 3), "claude-sonnet-4-5-20250929", cents="1255.0", input_tokens=10_000,
        cache_read=100_000, cache_5m=20_000, output_tokens=805_000,
    )  # fmt: skip
    fake.anthropic_day(date(2025, 3, 4), "claude-haiku-4-5", cents="0.5")  # half a cent: $0.005

    rec = run("anthropic", fake, keys, wallet_path)

    planted = row(rec, 3, "claude-sonnet-4-5")
    assert planted.provider_nano == 12_550_000_000
    assert planted.difference_nano == 12_340_000_000
    assert (planted.bypassed_nano, planted.price_nano) == (12_000_000_000, 340_000_000)
    assert planted.provider_usage == Usage(10_000, 100_000, 20_000, 0, 805_000, 0)
    assert planted.causes[0].startswith(
        "calls that bypassed the meter: 800,000 more tokens than the wallet saw"
    )
    assert planted.causes[1].startswith("price difference: the provider charged $0.34 more")
    haiku = row(rec, 4, "claude-haiku-4-5")
    assert haiku.provider_nano == 5_000_000 and haiku.difference_nano == 5_000_000
    assert "Priority Tier" in rec.notes[0]
    paths = [(path, h) for _, path, _, h in fake.requests]
    assert sum(p == "/v1/organizations/cost_report" for p, _ in paths) == 10
    assert sum(p == "/v1/organizations/usage_report/messages" for p, _ in paths) == 10
    assert all(h["anthropic-version"] == "2023-06-01" for _, h in paths)
    first = next(q for _, path, q, _ in fake.requests if path == "/v1/organizations/usage_report/messages")
    assert first["group_by[]"] == ["model"] and first["starting_at"] == ["2025-03-01T00:00:00Z"]


def test_openrouter_today_and_month_totals_and_credits(
    fake: FakeAdminAPIs, keys: MemoryKeyStore, wallet_path: Path
) -> None:
    plant(
        wallet_path,
        at(20, 9),
        "openrouter",
        "openai/gpt-4o",
        Usage(input_tokens=1_000_000),
        price_model="gpt-4o",
    )
    plant(
        wallet_path,
        at(2),
        "openrouter",
        "openai/gpt-4o",
        Usage(output_tokens=1_000_000),
        price_model="gpt-4o",
    )
    imported = Usage(output_tokens=25_000)
    plant(
        wallet_path, at(2), "openrouter", "openai/gpt-4o", imported, price_model="gpt-4o", source="imported:x"
    )
    fake.openrouter = {"label": "sk-or-v1-tes...789", "usage": "40.125", "usage_daily": "2.5",
                       "usage_weekly": "2.5", "usage_monthly": "15.75", "limit": None}  # fmt: skip
    fake.credits = {"total_credits": "100", "total_usage": "40.125"}

    rec = run("openrouter", fake, keys, wallet_path)

    assert rec.rows == []  # OpenRouter reports no days and models: totals only
    today, month = rec.totals
    assert (today.label, today.provider_nano, today.metered_nano, today.difference_nano) == (
        "2025-03-20 (today, UTC)", 2_500_000_000, 2_500_000_000, 0)  # fmt: skip
    assert today.causes == ("matches (within half a cent)",)
    assert (month.provider_nano, month.metered_nano, month.imported_nano) == (
        15_750_000_000,
        12_500_000_000,
        250_000_000,
    )
    assert month.difference_nano == 3_000_000_000
    assert "bypassed the meter" in month.causes[0]
    assert "credits: $100.00 bought, $40.125 used, $59.875 left" in rec.notes
