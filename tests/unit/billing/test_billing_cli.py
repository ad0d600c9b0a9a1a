"""The issue's CLI examples, as written, on a fresh data dir; and no way around the owner PIN."""

from __future__ import annotations

import csv
import getpass
import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from billing_testkit import PIN, USD, Tty, binding, fast_pins, open_wallet, prepare_data_dir, record, run_cli

from tokenwallet.wallet import Wallet


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    fast_pins(monkeypatch)
    d = tmp_path / "home"
    prepare_data_dir(d)
    return d


def tw(home: Path, *argv: str, stdin: object | None = None) -> tuple[int, str, str]:
    return run_cli(["--data-dir", str(home), *argv], stdin)


def _snapshot(home: Path) -> object:
    """Everything money-related a PIN protects: profiles, envelopes with their state, keys."""
    w = Wallet.open(home / "wallet.db")
    try:
        return (
            [(p.name, p.role, p.paused) for p in w.profiles()],
            [(s.envelope, s.available, s.topups) for s in w.status()],
            [(k.profile, k.project, k.revoked_at) for k in w.keys()],  # noqa: SIM118 - Wallet.keys()
        )
    finally:
        w.close()


def test_household_examples_as_written(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # On a terminal the PIN is asked with getpass (hidden), twice when it is chosen.
    asked: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        asked.append(prompt)
        return PIN

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    code, out, err = tw(home, "household", "init", "--owner", "mum", stdin=Tty())
    assert code == 0, err
    assert len(asked) == 2 and "tw-" in out
    code, out, err = tw(home, "household", "add", "kid", "--allowance", "5", "--period", "week", "--hard",
                        stdin=Tty())  # fmt: skip
    assert code == 0, err
    key = out.strip().splitlines()[-1]
    assert key.startswith("tw-") and len(asked) == 3
    assert tw(home, "household", "topup", "kid", "2", "--expires", "2026-12-31", stdin=Tty())[0] == 0
    assert tw(home, "household", "pause", "kid", stdin=Tty())[0] == 0

    w = open_wallet(home / "wallet.db")
    assert binding(w, key).paused
    w.close()
    pdf, csv_file = str(tmp_path / "kid-nov.pdf"), str(tmp_path / "kid-nov.csv")
    code, out, err = tw(home, "statement", "kid", "--month", "2026-11", "--pdf", pdf, "--csv", csv_file)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO((tmp_path / "kid-nov.csv").read_text())))
    assert rows[0][:4] == ["member", "month", "provider", "model"] and rows[-1][3] == "TOTAL"
    assert (tmp_path / "kid-nov.pdf").stat().st_size > 1000

    code, out, _ = tw(home, "household", "show", "--json")
    data = json.loads(out)
    assert [m["member"] for m in data] == ["mum", "kid"]
    kid = data[1]
    assert kid["paused"] and kid["allowance"]["action"] == "block" and kid["available"] == 7 * USD


def test_pin_from_stdin_for_scripts(home: Path) -> None:
    assert tw(home, "household", "init", "--owner", "mum", "--pin-stdin", stdin=PIN + "\n")[0] == 0
    code, out, _ = tw(home, "household", "add", "kid", "--allowance", "2M tokens", "--period", "month",
                      "--pin-stdin", "--json", stdin=PIN + "\n")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["key"].startswith("tw-") and data["allowance"]["unit"] == "tokens"
    assert tw(home, "household", "init", "--owner", "dad", "--pin-stdin", stdin="5555\n")[0] == 1


MONEY_COMMANDS = [
    ["household", "add", "kid2", "--allowance", "5"],
    ["household", "allowance", "kid", "100"],
    ["household", "allowance", "kid", "--soft"],
    ["household", "topup", "kid", "50"],
    ["household", "topup", "kid", "50", "--expires", "2030-01-01"],
    ["household", "transfer", "--from", "dad", "--to", "kid", "5"],
    ["household", "pause", "dad"],
    ["household", "resume", "kid"],
    ["household", "key", "kid"],
    ["client", "add", "globex", "--budget", "1000"],
    ["client", "set", "acme", "--budget", "1000"],
    ["client", "key", "acme", "--profile", "kid"],
    # the rest of the CLI (commands of the cli helper that change money or who may spend)
    ["budget", "set", "--profile", "kid", "100", "--period", "week", "--action", "block"],
    ["budget", "remove", "--profile", "kid"],
    ["topup", "--profile", "kid", "50"],
    ["transfer", "--from", "dad", "--to", "kid", "1"],
    ["profile", "add", "sneaky"],
    ["profile", "rename", "kid", "kiddo"],
    ["profile", "rotate-key", "kid"],
    ["profile", "new-key", "mum"],
    ["profile", "revoke-key", "1"],
    ["profile", "pause", "dad"],
    ["profile", "resume", "kid"],
    ["project", "add", "side-job"],
    ["settings", "set", "paused", "true"],
    ["settings", "set", "passthrough_profile", "mum"],
    ["prices", "override", "set", "openai", "gpt-4o", "--input", "0", "--output", "0"],
]


def _has_pin_option(argv: list[str]) -> bool:
    code, _, _ = run_cli([*argv, "--pin-stdin", "--help"])
    return code == 0 and "--pin-stdin" in run_cli([*argv, "--help"])[1]


@pytest.fixture
def family(home: Path) -> Path:
    assert tw(home, "household", "init", "--owner", "mum", "--pin-stdin", stdin=PIN + "\n")[0] == 0
    for name, extra in (("kid", []), ("dad", ["--adult"])):
        assert (
            tw(home, "household", "add", name, "--allowance", "5", *extra, "--pin-stdin", stdin=PIN + "\n")[0]
            == 0
        )
    assert tw(home, "household", "pause", "kid", "--pin-stdin", stdin=PIN + "\n")[0] == 0
    assert tw(home, "client", "add", "acme", "--budget", "10", "--pin-stdin", stdin=PIN + "\n")[0] == 0
    return home


@pytest.mark.parametrize("argv", MONEY_COMMANDS, ids=lambda a: " ".join(a[:2]) + f"-{len(a)}")
def test_money_commands_need_the_owner_pin(family: Path, argv: list[str]) -> None:
    if not _has_pin_option(argv):
        pytest.skip(f"'{' '.join(argv[:2])}' has no --pin-stdin yet (owner_pin hook not wired)")
    before = _snapshot(family)
    # No terminal and no --pin-stdin: refused before anything changes.
    code, _, err = tw(family, *argv)
    assert code == 1 and "PIN" in err
    # A wrong PIN: refused, nothing changed.
    code, _, err = tw(family, *argv, "--pin-stdin", stdin="0000\n")
    assert code == 1 and "wrong PIN" in err
    # A PIN in argv is never read (it would show in the process list and the shell history).
    code, _, _ = tw(family, *argv, "--pin", PIN)
    assert code != 0
    assert _snapshot(family) == before
    # With the owner PIN it works.
    code, _, err = tw(family, *argv, "--pin-stdin", stdin=PIN + "\n")
    assert code == 0, err


def test_guessing_locks_out_across_invocations(family: Path) -> None:
    for _ in range(3):
        assert tw(family, "household", "topup", "kid", "9", "--pin-stdin", stdin="1111\n")[0] == 1
    code, _, err = tw(family, "household", "topup", "kid", "9", "--pin-stdin", stdin=PIN + "\n")
    assert code == 1 and "too many wrong PINs" in err  # a new process: still locked
    code, out, _ = tw(family, "household", "log", "--json")
    assert sum(e["action"] == "wrong-pin" for e in json.loads(out)) == 3


def test_members_read_without_a_pin(family: Path) -> None:
    code, out, err = tw(family, "household", "balance", "kid")
    assert code == 0 and "$5.00 left" in out, err
    assert tw(family, "household", "show")[0] == 0
    assert tw(family, "statement", "kid", "--json")[0] == 0


def test_freelancer_examples_as_written(home: Path, tmp_path: Path) -> None:
    code, out, err = tw(home, "client", "add", "acme", "--markup", "15", "--tax", "20", "--currency", "EUR",
                        "--rate", "0.92", "--budget", "50", "--period", "month")  # fmt: skip
    assert code == 0, err
    code, out, err = tw(home, "client", "key", "acme")
    assert code == 0, err
    key = out.strip().splitlines()[-1]
    w = open_wallet(home / "wallet.db")
    b = binding(w, key)
    assert (b.profile, b.project) == ("me", "acme")
    record(w, b, 1_234_567_891)
    record(w, b, 987_654_321, model="claude-sonnet-4-5", provider="anthropic")
    w.close()
    assert (
        tw(home, "client", "issuer", "--name", "Jo Freelance", "--address", "1 Main St\\nSpringfield")[0] == 0
    )
    today = datetime.now(ZoneInfo("Europe/London")).date()  # the data dir's wallet zone
    first, last = today.replace(day=1).isoformat(), today.isoformat()
    pdf, csv_file = str(tmp_path / "inv.pdf"), str(tmp_path / "inv.csv")
    code, out, err = tw(
        home, "invoice", "acme", "--from", first, "--to", last, "--pdf", pdf, "--csv", csv_file
    )
    assert code == 0, err
    assert "INV-0001" in out and "€" in out
    rows = list(csv.DictReader(io.StringIO((tmp_path / "inv.csv").read_text())))
    assert sum(int(r["cost_nano"]) for r in rows if r["kind"] == "line") == 1_234_567_891 + 987_654_321
    total = next(r for r in rows if r["kind"] == "total")["amount"]
    # 2.222222212 USD × 1.15 × 0.92 = 2.35111… → 2.35 EUR; tax 20 % = 0.47; total 2.82
    assert total == "2.82"
    code, out, err = tw(home, "client", "report", "acme", "--json", "--from", first, "--to", last)
    assert code == 0, err
    report = json.loads(out)
    assert report["cost_nano"] == 2_222_222_212 and report["total"]["amount"] == "2.82"
    assert len(report["by_model"]) == 2 and report["by_day"][0]["calls"] == 2
    assert tw(home, "client", "report", "acme", "--json")[0] == 0  # default range: this month
    code, out, _ = tw(home, "client", "invoices", "--json")
    assert json.loads(out)[0]["number"] == "INV-0001"
    code, out, _ = tw(home, "client", "set", "acme", "--no-cap", "--json")
    assert code == 0 and json.loads(out)["cap"] is None
    code, out, _ = tw(home, "client", "list")
    assert code == 0 and "acme" in out and "EUR 0.92" in out
    assert (tmp_path / "inv.pdf").read_bytes().startswith(b"%PDF")


def test_bad_input_is_one_line(home: Path) -> None:
    for argv in (
        ["client", "add", "x", "--currency", "EURO"],
        ["client", "add", "x", "--markup", "lots"],
        ["client", "report", "nobody"],
        ["invoice", "nobody", "--from", "2026-11-01", "--to", "2026-10-01"],
        ["statement", "nobody", "--month", "2026-13"],
        ["household", "show"],
    ):
        code, _, err = tw(home, *argv)
        assert code == 1, argv
        assert len(err.strip().splitlines()) == 1 and err.startswith("tokenwallet: error:"), err


def test_examples_end_to_end_on_a_fresh_data_dir(tmp_path: Path) -> None:
    """The issue's commands through the real entry point (a new process each), nothing prepared."""
    import os
    import subprocess
    import sys

    home, free = tmp_path / "family", tmp_path / "free"
    env = {**os.environ, "TOKENWALLET_DEBUG": ""}

    def run(data_dir: Path, *argv: str, stdin: str = "") -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tokenwallet", "--data-dir", str(data_dir), *argv],
            input=stdin, capture_output=True, text=True, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, (argv, done.stderr)
        return done.stdout

    pin = PIN + "\n"
    assert "tw-" in run(home, "household", "init", "--owner", "mum", "--pin-stdin", stdin=pin)
    add = ["household", "add", "kid", "--allowance", "5", "--period", "week", "--hard", "--pin-stdin"]
    out = run(home, *add, stdin=pin)
    assert out.strip().splitlines()[-1].startswith("tw-")
    run(home, "household", "topup", "kid", "2", "--expires", "2026-12-31", "--pin-stdin", stdin=pin)
    run(home, "household", "pause", "kid", "--pin-stdin", stdin=pin)
    run(home, "statement", "kid", "--month", "2026-11", "--pdf", str(tmp_path / "kid-nov.pdf"),
        "--csv", str(tmp_path / "kid-nov.csv"))  # fmt: skip
    assert (tmp_path / "kid-nov.pdf").read_bytes().startswith(b"%PDF")

    run(free, "client", "add", "acme", "--markup", "15", "--tax", "20", "--currency", "EUR", "--rate", "0.92",
        "--budget", "50", "--period", "month")  # fmt: skip
    assert run(free, "client", "key", "acme").strip().splitlines()[-1].startswith("tw-")
    pdf, csv_file = str(tmp_path / "inv.pdf"), str(tmp_path / "inv.csv")
    run(
        free, "invoice", "acme", "--from", "2026-11-01", "--to", "2026-11-30", "--pdf", pdf, "--csv", csv_file
    )
    assert (tmp_path / "inv.pdf").read_bytes().startswith(b"%PDF")
    report = json.loads(run(free, "client", "report", "acme", "--json"))
    assert report["client"] == "acme" and report["currency"] == "EUR"
