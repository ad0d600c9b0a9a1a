"""``tokenwallet import``: the summary, JSON, the profile rule, and bad input as one line."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from cli_helpers import Run

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "agent_logs"


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    dest = tmp_path / "logs"
    shutil.copytree(FIXTURES, dest)
    past = time.time() - 3600
    for p in dest.rglob("*"):
        os.utime(p, (past, past))
    return dest


def test_import_prints_a_summary_and_is_idempotent(tw: Run, logs: Path) -> None:
    assert tw("profile", "add", "me").code == 0
    assert tw("project", "add", "acme").code == 0
    claude = str(logs / "claude" / "projects")
    r = tw("import", "claude-code", "--path", claude, "--project-map", "/home/dev/acme=acme")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith("claude-code → profile me: 2 files (0 unchanged), 18 lines")
    assert any(line.split()[:3] == ["requests", "imported", "4"] and "$0.094" in line for line in lines)
    assert any(line.split()[:3] == ["duplicates", "skipped", "4"] for line in lines)
    assert any(line.split()[:3] == ["bad", "lines", "2"] for line in lines)
    assert "budgets were not charged" in r.out
    again = json.loads(tw("import", "claude-code", "--path", claude, "--json").out)
    assert again["requests_imported"] == 0 and again["files_unchanged"] == 2
    h = json.loads(tw("history", "--json").out)
    assert len(h) == 4 and {row["project"] for row in h} == {"acme"}


def test_codex_json_summary(tw: Run, logs: Path) -> None:
    tw("profile", "add", "me")
    r = tw("import", "codex", "--path", str(logs / "codex" / "sessions" / "2025"), "--json")
    assert r.code == 0, r.err
    s = json.loads(r.out)
    assert (s["requests_imported"], s["cost_nano"], s["duplicates_skipped"], s["cost_usd"]) == (
        3,
        31_250_000,
        2,
        "0.031250",
    )


def test_bad_input_is_one_line(tw: Run, logs: Path, tmp_path: Path) -> None:
    r = tw("import", "codex", "--path", str(logs))
    assert r.code == 1 and r.err.count("\n") == 1 and "no profile yet" in r.err
    tw("profile", "add", "me")
    tw("profile", "add", "kid")
    r = tw("import", "codex", "--path", str(logs))
    assert r.code == 1 and "--profile" in r.err and "kid, me" in r.err
    r = tw("import", "codex", "--profile", "me", "--path", str(tmp_path / "nowhere"))
    assert r.code == 1 and "no such file or directory" in r.err
    r = tw("import", "codex", "--profile", "me", "--path", str(logs), "--project-map", "/x=nope")
    assert r.code == 1 and r.err.count("\n") == 1 and "nope" in r.err
    r = tw("import", "codex", "--profile", "me", "--project-map", "no-equals-sign")
    assert r.code == 1 and "DIR=PROJECT" in r.err
    assert tw("import", "aider").code == 2
    assert json.loads(tw("history", "--json").out) == []


def test_watch_imports_new_lines_until_ctrl_c(tw: Run, logs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tw("profile", "add", "me")
    claude = logs / "claude" / "projects"
    f = claude / "new.jsonl"
    rounds: list[float] = []
    line = {
        "type": "assistant",
        "sessionId": "s9",
        "cwd": "/w",
        "timestamp": "2025-11-22T08:00:00Z",
        "message": {"id": "msg_w1", "model": "claude-haiku-4-5", "stop_reason": "end_turn",
                    "usage": {"input_tokens": 10, "output_tokens": 2}},
    }  # fmt: skip

    def fake_sleep(seconds: float) -> None:  # each pause: the agent writes a line; then Ctrl+C
        rounds.append(seconds)
        if len(rounds) == 3:
            raise KeyboardInterrupt
        with f.open("a") as out:
            out.write(
                json.dumps({**line, "message": {**line["message"], "id": f"msg_w{len(rounds)}"}}) + "\n"
            )

    monkeypatch.setattr("tokenwallet.commands.imports.time.sleep", fake_sleep)
    r = tw("import", "claude-code", "--path", str(claude), "--watch", "--every", "2")
    assert r.code == 0, r.err
    assert rounds == [2.0, 2.0, 2.0]
    assert r.out.count("claude-code: 1 imported") == 2
    assert "stopped watching: 6 requests imported" in r.err
    assert len(json.loads(tw("history", "--json").out)) == 6
