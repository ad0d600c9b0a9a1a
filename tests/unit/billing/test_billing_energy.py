"""Statements and client reports carry the month's energy; a cheaper model says the energy it saves."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from billing_testkit import USD, Clock, binding, open_wallet, record

from tokenwallet.billing import clients as cl
from tokenwallet.billing.exports import report_dict
from tokenwallet.billing.html import invoice_html, statement_html
from tokenwallet.billing.invoice import client_report, issue_invoice
from tokenwallet.billing.statement import member_statement, statement_dict
from tokenwallet.core.energy import energy_for, energy_saved
from tokenwallet.core.usage import Usage


def test_statement_and_client_report_carry_energy(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 10, 12, tzinfo=UTC))
    w = open_wallet(tmp_path / "wallet.db", clock)
    try:
        w.set_setting("energy_zone", "DEU")
        cl.add_client(w, "acme", markup=0, tax=0)
        _, acme_key = cl.client_key(w, "acme")
        _, key = w.add_profile("alice")
        alice = binding(w, key)
        acme = binding(w, acme_key)
        usage = Usage(input_tokens=2000, output_tokens=600)
        for _ in range(3):
            record(w, alice, USD // 50, model="gpt-4o", usage=usage)
        record(w, acme, USD // 50, model="gpt-4o", usage=usage)

        s = member_statement(w, "alice", 2026, 11)
        one = energy_for("openai", "gpt-4o", 600, 0.003, "DEU")
        assert one is not None and s.energy is not None
        assert s.energy.calls == 3 and s.energy.uwh_min == 3 * one.wh_min_micro
        assert s.energy.ug_max == 3 * one.gco2_max_micro
        line = s.lines[0]
        assert line.cheaper is not None
        expected = energy_saved("openai", "gpt-4o", line.cheaper.provider, line.cheaper.model, 1800, calls=3)
        assert line.energy_saved_uwh == expected
        d = statement_dict(s)
        assert d["energy"]["energy_uwh_max"] == 3 * one.wh_max_micro
        assert d["by_model"][0]["energy_saved_uwh"] == expected
        html = statement_html(s)
        assert "<td>Energy</td>" in html and "CO₂e" in html and "by electric car" in html

        r = client_report(w, "acme", date(2026, 11, 1), date(2026, 11, 30))
        assert r.energy is not None and r.energy.calls == 1 and r.energy.uwh_max == one.wh_max_micro
        assert report_dict(r)["energy"]["energy_uwh_min"] == one.wh_min_micro
        inv = issue_invoice(w, "acme", date(2026, 11, 1), date(2026, 11, 30), draft=True)
        assert "Energy used by these calls" in invoice_html(inv) and "not billed" in invoice_html(inv)
    finally:
        w.close()


def test_energy_saved_only_where_ecologits_knows_both() -> None:
    saved = energy_saved("openai", "gpt-4o", "openai", "gpt-4o-mini", 1000)
    big = energy_for("openai", "gpt-4o", 1000, None, "WOR")
    small = energy_for("openai", "gpt-4o-mini", 1000, None, "WOR")
    assert big and small and saved is not None and saved > 0
    assert saved == ((big.wh_min_micro + big.wh_max_micro) - (small.wh_min_micro + small.wh_max_micro)) // 2
    assert energy_saved("openai", "gpt-4o", "deepseek", "deepseek-chat", 1000) is None  # an estimate
    back = energy_saved("openai", "gpt-4o-mini", "openai", "gpt-4o", 1000)
    assert back is not None and abs(back + saved) <= 1  # the other way round: more energy
