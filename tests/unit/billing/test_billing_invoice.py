"""A freelancer with two clients: reports and invoices reconcile with the ledger to the cent."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from billing_testkit import USD, Clock, binding, open_wallet, record
from hypothesis import given
from hypothesis import strategies as st

from tokenwallet.billing import clients as cl
from tokenwallet.billing.exports import invoice_csv, report_dict
from tokenwallet.billing.invoice import client_report, invoices, issue_invoice
from tokenwallet.billing.rounding import Terms, bill, format_minor, minor_digits
from tokenwallet.core.money import parse_amount
from tokenwallet.wallet import Wallet, WalletError
from tokenwallet.wallet.backend import ENV_URL


@pytest.fixture(autouse=True, params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here on both wallet backends (issue 14)."""
    if request.param == "postgresql":
        monkeypatch.setenv(ENV_URL, request.getfixturevalue("pg_url"))
    return str(request.param)


NY = ZoneInfo("America/New_York")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NY)


@pytest.fixture
def clock() -> Clock:
    return Clock(local(2026, 10, 31, 23, 0))


@pytest.fixture
def books(tmp_path: Path, clock: Clock) -> Iterator[Wallet]:
    """Two clients (EUR with markup and tax; JPY without) and a month of awkward call costs."""
    w = open_wallet(tmp_path / "wallet.db", clock, tz="America/New_York")
    cl.set_issuer(w, name="Jo Freelance", address="1 Main St\nSpringfield", email="jo@example.com")
    cl.add_client(w, "acme", markup=15, tax=20, currency="EUR", rate="0.92", budget=parse_amount("500"),
                  legal_name="ACME GmbH", address="Hauptstr. 1\nBerlin")  # fmt: skip
    cl.add_client(w, "globex", markup="12.5", tax=0, currency="JPY", rate="151.37", period="engagement",
                  budget=parse_amount("300"))  # fmt: skip
    _, acme_key = cl.client_key(w, "acme")
    _, globex_key = cl.client_key(w, "globex")
    me = w.profile("me")
    assert me.role == "admin"
    acme, globex = binding(w, acme_key), binding(w, globex_key)
    untagged = binding(w, w.new_key("me"))
    rng = random.Random(5)
    models = [("openai", "gpt-4o"), ("anthropic", "claude-sonnet-4-5"), ("openai", "gpt-4o-mini")]
    record(w, acme, 7 * USD)  # 31 Oct 23:00 New York: outside a November invoice
    clock.set(local(2026, 11, 1, 0, 0))  # the first instant of November (local) is inside
    for _ in range(120):
        clock.advance(hours=rng.randint(1, 11))
        if clock().astimezone(NY).month != 11:
            break
        provider, model = rng.choice(models)
        who = rng.choice([acme, acme, globex, untagged])
        record(w, who, rng.randint(1, 3 * USD // 10), model=model, provider=provider)
    clock.set(local(2026, 12, 1, 0, 0))
    record(w, acme, 11 * USD)  # 1 Dec 00:00 local: outside
    clock.set(local(2026, 12, 2, 9, 0))
    yield w
    w.close()


def _ledger_sum(w: Wallet, project: str, since: datetime, until: datetime) -> tuple[int, int]:
    row = (
        w._conn()
        .execute(  # the wallet's own connection: the file, or PostgreSQL
            "SELECT COUNT(*), SUM(l.cost_nano) FROM ledger l JOIN project p ON p.id = l.project_id"
            " WHERE p.name = ? AND l.at_us >= ? AND l.at_us < ?",
            (project, int(since.timestamp() * 1_000_000), int(until.timestamp() * 1_000_000)),
        )
        .fetchone()
    )
    return int(row[0]), int(row[1] or 0)


def _expected_subtotal(cost_nano: int, terms: Terms) -> int:
    exact = Decimal(cost_nano) / 10**9 * (1 + terms.markup_pct / 100) * terms.rate
    return int(exact.scaleb(minor_digits(terms.currency)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@pytest.mark.parametrize("name", ["acme", "globex"])
def test_invoice_reconciles_with_the_ledger(books: Wallet, name: str) -> None:
    inv = issue_invoice(books, name, date(2026, 11, 1), date(2026, 11, 30))
    calls, cost = _ledger_sum(books, name, local(2026, 11, 1), local(2026, 12, 1))
    t = inv.totals
    assert calls > 10 and inv.report.calls == calls
    assert t.cost_nano == cost == sum(m.cost_nano for m in inv.report.lines)
    assert t.subtotal_minor == _expected_subtotal(cost, t.terms)
    assert sum(t.line_minor) + t.rounding_minor == t.subtotal_minor
    expected_tax = (Decimal(t.subtotal_minor) * t.terms.tax_pct / 100).quantize(Decimal(1), ROUND_HALF_EVEN)
    assert t.tax_minor == int(expected_tax)
    assert t.total_minor == t.subtotal_minor + t.tax_minor
    assert t.cost_minor + t.markup_minor == t.subtotal_minor

    # The CSV adds up on its own, and carries the exact ledger cost.
    rows = list(csv.DictReader(io.StringIO(invoice_csv(inv))))
    scale = Decimal(10) ** minor_digits(t.terms.currency)
    minor = {
        k: [int(Decimal(r["amount"]) * scale) for r in rows if r["kind"] == k]
        for k in {r["kind"] for r in rows}
    }
    assert sum(minor["line"]) + sum(minor.get("rounding", [0])) == minor["subtotal"][0] == t.subtotal_minor
    assert minor["tax"][0] + minor["subtotal"][0] == minor["total"][0] == t.total_minor
    assert sum(int(r["cost_nano"]) for r in rows if r["kind"] == "line") == cost
    assert all(r["invoice"] == inv.number for r in rows)


def test_invoice_numbers_are_a_persisted_sequence(books: Wallet, clock: Clock, tmp_path: Path) -> None:
    a = issue_invoice(books, "acme", date(2026, 11, 1), date(2026, 11, 30))
    b = issue_invoice(books, "globex", date(2026, 11, 1), date(2026, 11, 30))
    draft = issue_invoice(books, "acme", date(2026, 11, 1), date(2026, 11, 15), draft=True)
    assert (a.number, b.number, draft.number) == ("INV-0001", "INV-0002", "")
    books.close()
    again = Wallet.open(tmp_path / "wallet.db", clock=clock)
    c = issue_invoice(again, "acme", date(2026, 11, 1), date(2026, 11, 30))
    assert c.number == "INV-0003" and c.totals == a.totals  # same range, same figures
    assert [i.number for i in invoices(again)] == ["INV-0003", "INV-0002", "INV-0001"]
    assert invoices(again, "globex")[0].total_minor == b.totals.total_minor
    with pytest.raises(WalletError, match="already used"):
        cl.set_issuer(again, next_number=2)
    cl.set_issuer(again, prefix="2026-", next_number=10)
    assert issue_invoice(again, "globex", date(2026, 11, 1), date(2026, 11, 2)).number == "2026-0010"
    again.close()


def test_report_by_model_and_by_day(books: Wallet) -> None:
    r = client_report(books, "acme", date(2026, 11, 1), date(2026, 11, 30))
    assert sum(d.cost_nano for d in r.days) == r.totals.cost_nano
    assert sum(d.calls for d in r.days) == r.calls
    assert r.days[0].day >= date(2026, 11, 1) and r.days[-1].day <= date(2026, 11, 30)
    data = report_dict(r)
    assert data["currency"] == "EUR" and data["markup_pct"] == "15" and data["tax_pct"] == "20"
    assert data["total"]["minor"] == r.totals.total_minor
    assert {m["model"] for m in data["by_model"]} <= {"gpt-4o", "claude-sonnet-4-5", "gpt-4o-mini"}
    assert data["by_day"][0]["day"] == r.days[0].day.isoformat()
    one_day = client_report(books, "acme", date(2026, 11, 1), date(2026, 11, 1))
    assert one_day.calls == sum(d.calls for d in r.days if d.day == date(2026, 11, 1))


def test_client_terms_and_cap(books: Wallet) -> None:
    acme = cl.client(books, "acme")
    assert acme.terms == Terms(Decimal(15), Decimal(20), "EUR", Decimal("0.92"))
    assert acme.cap is not None and (acme.cap.period, acme.cap.action) == ("month", "block")
    globex = cl.client(books, "globex")
    assert globex.cap is not None and globex.cap.period == "none"  # an engagement cap never resets
    changed = cl.set_client(books, "acme", rate="0.95", budget=parse_amount("800"))
    assert (
        changed.terms.rate == Decimal("0.95") and changed.cap is not None and changed.cap.amount == 800 * USD
    )
    assert [c.name for c in cl.clients(books)] == ["acme", "globex"]
    with pytest.raises(WalletError, match="already a client"):
        cl.add_client(books, "acme")
    with pytest.raises(WalletError):
        cl.add_client(books, "bad", currency="EURO")
    with pytest.raises(WalletError):
        cl.add_client(books, "bad", tax=120)


@given(
    costs=st.lists(st.integers(min_value=0, max_value=50 * USD), max_size=12),
    markup=st.decimals(min_value=0, max_value=200, places=2),
    tax=st.decimals(min_value=0, max_value=40, places=2),
    rate=st.decimals(min_value=Decimal("0.0001"), max_value=2000, places=4),
    currency=st.sampled_from(["USD", "EUR", "JPY", "KWD"]),
)
def test_rounding_rule_invariants(
    costs: list[int], markup: Decimal, tax: Decimal, rate: Decimal, currency: str
) -> None:
    terms = Terms(markup, tax, currency, rate)
    t = bill(costs, terms)
    assert t.cost_nano == sum(costs)
    assert t.subtotal_minor == _expected_subtotal(sum(costs), terms)
    assert sum(t.line_minor) + t.rounding_minor == t.subtotal_minor
    assert abs(t.rounding_minor) <= len(costs)  # at most half a minor unit per line, each way
    assert t.cost_minor + t.markup_minor == t.subtotal_minor
    assert t.total_minor == t.subtotal_minor + t.tax_minor


def test_money_formatting() -> None:
    assert format_minor(123456, "EUR") == "€1,234.56"
    assert format_minor(1235, "JPY") == "¥1,235"
    assert format_minor(-2, "USD") == "-$0.02"
    assert format_minor(1000, "CHF") == "CHF 10.00"
    assert format_minor(1500, "KWD") == "KWD 1.500"
