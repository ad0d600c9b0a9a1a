"""The CLI in-process: outputs, JSON that parses, and what each command changes."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from cli_helpers import Run

from tokenwallet.cli import main
from tokenwallet.secrets import SERVICE
from tokenwallet.secrets.memory import MemoryKeyring


def test_help_and_version(tw: Run, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    commands = shlex.split(
        "status preview profile project budget topup transfer provider key history prices serve"
    )
    for command in commands:
        assert command in out
    assert main(["--version"]) == 0


def test_profile_lifecycle(tw: Run) -> None:
    r = tw("profile", "add", "alice", "--json")
    assert r.code == 0, r.err
    added = json.loads(r.out)
    assert added["profile"] == "alice" and added["key"].startswith("tw-")

    assert tw("profile", "rename", "alice", "carol").code == 0
    assert tw("profile", "pause", "carol").code == 0
    listed = json.loads(tw("profile", "list", "--json").out)
    assert listed == [{**listed[0], "name": "carol", "paused": True}]
    assert tw("profile", "resume", "carol").code == 0
    assert json.loads(tw("profile", "list", "--json").out)[0]["paused"] is False

    rotated = json.loads(tw("profile", "rotate-key", "carol", "--json").out)
    assert rotated["key"].startswith("tw-") and rotated["key"] != added["key"]
    keys = json.loads(tw("profile", "keys", "carol", "--json").out)
    assert sum(1 for k in keys if k["revoked_at"] is None) == 1
    assert all(added["key"] not in json.dumps(k) for k in keys)

    assert tw("project", "add", "acme", "--client", "ACME Ltd").code == 0
    extra = json.loads(tw("profile", "new-key", "carol", "--project", "acme", "--json").out)
    assert extra["key"].startswith("tw-")
    projects = json.loads(tw("project", "list", "--json").out)
    assert projects[0]["name"] == "acme" and projects[0]["client"] == "ACME Ltd"


def test_budgets_topup_transfer_status(tw: Run) -> None:
    tw("profile", "add", "alice")
    tw("profile", "add", "bob")
    r = tw(*shlex.split("budget set --profile alice 20 --period month --action block --rollover --json"))
    assert r.code == 0, r.err
    env = json.loads(r.out)
    assert env["unit"] == "usd" and env["amount"] == 20 * 10**9 and env["rollover"] is True
    r = tw("budget", "set", "--wallet", "2M tokens", "--period", "day", "--action", "warn")
    assert r.code == 0, r.err
    assert tw("budget", "set", "--profile", "bob", "$10", "--thresholds", "80,50").code == 0

    budgets = json.loads(tw("budget", "list", "--json").out)
    assert {b["scope"] for b in budgets} == {"profile:alice", "profile:bob", "wallet"}
    tokens = next(b for b in budgets if b["scope"] == "wallet")
    assert tokens["unit"] == "tokens" and tokens["amount"] == 2_000_000 and tokens["period"] == "day"
    assert next(b for b in budgets if b["scope"] == "profile:bob")["thresholds"] == [50, 80]

    assert tw("topup", "--profile", "alice", "5", "--expires", "2099-01-31").code == 0
    assert tw("transfer", "--from", "alice", "--to", "bob", "2").code == 0

    status = {s["scope"]: s for s in json.loads(tw("status", "--json").out)}
    assert status["profile:alice"]["available"] == 23 * 10**9
    assert status["profile:bob"]["available"] == 12 * 10**9
    assert status["wallet"]["available"] == 2_000_000
    for s in status.values():
        assert s["available"] == s["carried"] + s["assigned"] + s["topups"] - s["spent"] - s["held"]

    text = tw("status").out
    assert "profile:alice" in text and "$23.00" in text and "2M tokens" in text

    only_alice = json.loads(tw("status", "--profile", "alice", "--json").out)
    assert {s["scope"] for s in only_alice} == {"profile:alice", "wallet"}

    assert tw("budget", "remove", "--profile", "bob").code == 0
    assert "profile:bob" not in {b["scope"] for b in json.loads(tw("budget", "list", "--json").out)}


def test_provider_and_key_commands(tw: Run) -> None:
    r = tw("key", "set", "openai", stdin="sk-live-abc123\n")
    assert r.code == 0, r.err
    assert MemoryKeyring._store[(SERVICE, "openai")] == "sk-live-abc123"
    status = json.loads(tw("key", "status", "--json").out)
    assert {"name": "openai", "stored": True} in status["providers"]
    assert "sk-live-abc123" not in json.dumps(status)
    assert tw("key", "delete", "openai").code == 0
    assert (SERVICE, "openai") not in MemoryKeyring._store

    r = tw("provider", "set", "myllm", "--base-url", "http://127.0.0.1:9000/v1", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["kind"] == "openai-compatible"
    assert tw("key", "set", "myllm", stdin="local-key").code == 0
    names = {p["name"] for p in json.loads(tw("provider", "list", "--json").out)}
    assert {"openai", "anthropic", "ollama", "myllm"} <= names


def test_preview_text_and_request_json(tw: Run, tmp_path: Path) -> None:
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("Hello there! Please write a haiku about budgets.", encoding="utf-8")
    tw("profile", "add", "alice")
    tw("budget", "set", "--profile", "alice", "1", "--action", "block")
    r = tw("preview", str(prompt), "--model", "gpt-4o", "--max-output", "800", "--json")
    assert r.code == 0, r.err
    p = json.loads(r.out)
    assert p["exact"] is True and p["input_tokens"] > 5
    assert p["cost_min_nano"] < p["cost_max_nano"]
    assert p["profile"] == "alice" and p["envelopes"][0]["scope"] == "profile:alice"
    assert p["fits"] is True
    assert all(c["cost_nano"] < p["cost_max_nano"] for c in p["cheaper"])
    # the energy a cheaper model saves for the full output, where ecologits knows both models
    from tokenwallet.core.energy import energy_saved

    for c in p["cheaper"]:
        assert c["energy_saved_uwh"] == energy_saved("openai", "gpt-4o", c["provider"], c["model"], 800)
    assert any(c["energy_saved_uwh"] for c in p["cheaper"])
    assert "energy" in tw("preview", str(prompt), "--model", "gpt-4o", "--max-output", "800").out

    # A request body is counted by the proxy's own counter (tokens/ checks it against OpenAI's figures).
    from tokenwallet.tokens import count_request

    body = {
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": "You are a helpful assistant.", "name": "sys"},
            {"role": "user", "content": "What is 2 + 2?"},
        ],
        "max_tokens": 50,
    }
    req = tmp_path / "request.json"
    req.write_text(json.dumps(body), encoding="utf-8")
    p = json.loads(tw("preview", str(req), "--json").out)
    assert p["input_tokens"] == count_request("openai", "chat/completions", body).tokens
    assert p["max_output"] == 50 and p["model"] == "gpt-4o"

    tw("project", "add", "acme")
    tw("budget", "set", "--project", "acme", "0.000001", "--action", "block")
    r = tw("preview", str(prompt), "--model", "gpt-4o", "--project", "acme", "--json")
    p = json.loads(r.out)
    assert {e["scope"] for e in p["envelopes"]} == {"profile:alice", "project:acme"}
    assert p["fits"] is False  # the project's tiny blocking budget cannot cover it
    assert "REFUSED" in tw("preview", str(prompt), "--model", "gpt-4o", "--project", "acme").out

    r = tw("preview", str(prompt), "--model", "claude-sonnet-4-5", "--json")
    assert r.code == 0, r.err
    p = json.loads(r.out)
    assert p["provider"] == "anthropic" and p["exact"] is False and "estimate" in p["method"]
    assert "ESTIMATE" in tw("preview", str(prompt), "--model", "claude-sonnet-4-5").out


def test_prices_commands(tw: Run) -> None:
    r = tw("prices", "show", "gpt-4o", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["provider"] == "openai"
    listed = json.loads(tw("prices", "list", "--provider", "openai", "--json").out)
    assert any(p["model"] == "gpt-4o" for p in listed)
    assert tw("prices", "override", "set", "openai", "my-model", "--input", "1.5", "--output", "6").code == 0
    shown = json.loads(tw("prices", "show", "my-model", "--provider", "openai", "--json").out)
    assert shown["source"] == "override" and shown["input_mtok"] == "1.5"
    assert json.loads(tw("prices", "override", "list", "--json").out)[0]["model"] == "my-model"
    assert tw("prices", "override", "remove", "openai", "my-model").code == 0
    assert json.loads(tw("prices", "override", "list", "--json").out) == []
    assert tw("prices", "update", "--on").code == 0
    assert tw("settings", "get", "price_updates").out.strip() == "on"


def test_history_empty_and_formats(tw: Run) -> None:
    assert tw("history").code == 0
    assert json.loads(tw("history", "--json").out) == []
    csv_out = tw("history", "--csv").out
    assert csv_out.splitlines()[0].startswith("id,at,profile")


def test_settings(tw: Run) -> None:
    assert tw("settings", "set", "timezone", "Europe/Paris").code == 0
    assert tw("settings", "get", "timezone").out.strip() == "Europe/Paris"
    assert json.loads(tw("settings", "list", "--json").out)["timezone"] == "Europe/Paris"


def test_data_dir_after_the_command(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "add", "zed", "--data-dir", str(data_dir)]) == 0
    assert (data_dir / "wallet.db").exists()


def test_preview_holds_what_the_proxy_holds(tw: Run, tmp_path: Path) -> None:
    """n, best_of and candidateCount multiply the output, as in the proxy's hold (pricing.holds)."""
    from tokenwallet.pricing import PriceBook
    from tokenwallet.pricing.holds import OutputPlan, worst_case

    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4000, "n": 128}
    req = tmp_path / "n.json"
    req.write_text(json.dumps(body), encoding="utf-8")
    p = json.loads(tw("preview", str(req), "--json", "--limit", "0").out)
    book = PriceBook()
    expected = worst_case(book, book.lookup("openai", "gpt-4o"), OutputPlan(4000, 128), p["input_tokens"])
    assert (p["max_output"], p["choices"], p["cost_max_nano"]) == (4000, 128, expected.cost_nano)
    assert p["cost_max_nano"] > 5_120_000_000  # $5.12 of output alone
    assert "× 128 generations" in tw("preview", str(req), "--limit", "0").out
    # --max-output replaces the cap, the generations stay
    p = json.loads(tw("preview", str(req), "--json", "--limit", "0", "--max-output", "10").out)
    assert (p["max_output"], p["choices"]) == (10, 128)
    req.write_text(json.dumps({**body, "n": 1.5}), encoding="utf-8")
    r = tw("preview", str(req), "--json")
    assert r.code != 0 and "n must be a whole number" in r.err
