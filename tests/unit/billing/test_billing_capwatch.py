"""A client nearing its cap warns the freelancer, naming the cheaper model that would finish the job."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from billing_testkit import USD, Clock, binding, open_wallet, record

from tokenwallet.billing import clients as cl
from tokenwallet.billing.overview import cap_warnings
from tokenwallet.core.money import parse_amount
from tokenwallet.core.usage import Usage

MIX = Usage(input_tokens=200_000, output_tokens=20_000)


def test_cap_warning_names_a_cheaper_model_that_fits(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 3, 12, 0, tzinfo=UTC))
    w = open_wallet(tmp_path / "wallet.db", clock)
    cl.add_client(w, "acme", budget=parse_amount("10"), period="month")
    cl.add_client(w, "calm", budget=parse_amount("100"), period="engagement")
    acme = binding(w, cl.client_key(w, "acme")[1])
    calm = binding(w, cl.client_key(w, "calm")[1])
    for _ in range(3):  # $0.75 by noon on the 3rd: on course for ~$9 of $10, no warning yet
        record(w, acme, USD // 4, model="gpt-4o", usage=MIX)
    record(w, calm, USD, model="gpt-4o", usage=MIX)
    assert cap_warnings(w) == []

    clock.advance(days=1)
    for _ in range(30):
        record(w, acme, USD // 4, model="gpt-4o", usage=MIX)
    (warning,) = cap_warnings(w)
    assert warning.client == "acme" and warning.status.used_pct == 82
    assert warning.need is not None and warning.need > warning.status.available  # heading over the cap
    s = warning.suggestion
    assert s is not None and warning.fits
    # the rest of the month at the suggested model's price fits in what is left
    assert warning.need * s.cost_nano // s.baseline_nano <= warning.status.available
    assert f"{s.provider}/{s.model}" in warning.text and "within the cap" in warning.text


def test_engagement_cap_near_its_end(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 3, 12, 0, tzinfo=UTC))
    w = open_wallet(tmp_path / "wallet.db", clock)
    cl.add_client(w, "job", budget=parse_amount("5"), period="engagement")
    job = binding(w, cl.client_key(w, "job")[1])
    for _ in range(9):
        record(w, job, USD // 2, model="gpt-4o", usage=MIX)
    (warning,) = cap_warnings(w)
    assert warning.need is None and warning.status.used_pct == 90
    assert warning.suggestion is not None and "90 % of its cap used, $0.50 left" in warning.text


def test_client_watch_cli(tmp_path: Path) -> None:
    import json

    from billing_testkit import prepare_data_dir, run_cli

    home = tmp_path / "home"
    prepare_data_dir(home)
    w = open_wallet(home / "wallet.db")
    cl.add_client(w, "job", budget=parse_amount("5"), period="engagement")
    job = binding(w, cl.client_key(w, "job")[1])
    for _ in range(9):
        record(w, job, USD // 2, model="gpt-4o", usage=MIX)
    w.close()
    code, out, err = run_cli(["--data-dir", str(home), "client", "watch", "--json"])
    assert code == 0, err
    (item,) = json.loads(out)
    assert item["client"] == "job" and item["used_pct"] == 90 and item["suggestion"]["model"]
    code, out, _ = run_cli(["--data-dir", str(home), "client", "watch"])
    assert "job: 90 % of its cap used" in out
