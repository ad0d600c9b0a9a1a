"""``run_import`` on the sample logs: totals against a hand computation, dedup, idempotence,
incremental reads, files being written, and the meter never counted twice."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tokenwallet.core.events import CallSettled, Event, WalletChanged
from tokenwallet.core.money import Amount
from tokenwallet.core.usage import Usage
from tokenwallet.importers import ImportOptions, run_import
from tokenwallet.wallet import CallRecord, HistoryFilter, Scope, Wallet
from tokenwallet.wallet.backend import ENV_URL

from .conftest import settle_files


@pytest.fixture(autouse=True, params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here on both wallet backends (issue 14)."""
    if request.param == "postgresql":
        monkeypatch.setenv(ENV_URL, request.getfixturevalue("pg_url"))
    return str(request.param)


# Prices in nano-USD per token ($/Mtok × 1000), from the providers' price pages (genai-prices):
#                 input   cache read  write 5m  write 1h  output
SONNET_45 = (3_000, 300, 3_750, 6_000, 15_000)
OPUS_41 = (15_000, 1_500, 18_750, 30_000, 75_000)
HAIKU_45 = (1_000, 100, 1_250, 2_000, 5_000)
GPT5 = (1_250, 125, 0, 0, 10_000)  # gpt-5-codex and gpt-5.1-codex: gpt-5's rates
GEMINI_25_PRO = (1_250, 125, 0, 0, 10_000)  # below 200k prompt tokens


def by_hand(price: tuple[int, int, int, int, int], u: Usage) -> int:
    i, r, w5, w1, o = price
    return (
        u.input_tokens * i
        + u.cache_read_tokens * r
        + u.cache_write_tokens * w5
        + u.cache_write_1h_tokens * w1
        + u.output_tokens * o
    )


def rows(w: Wallet) -> dict[str, object]:
    return {r.response_id: r for r in w.history(HistoryFilter(), limit=1000)}


def claude(logs: Path, **kw: object) -> ImportOptions:
    return ImportOptions("claude-code", "me", (logs / "claude" / "projects",), **kw)  # type: ignore[arg-type]


# -- Claude Code --------------------------------------------------------------------------------

A = Usage(
    input_tokens=3,
    cache_read_tokens=15_000,
    cache_write_tokens=1_000,
    cache_write_1h_tokens=200,
    output_tokens=245,
)
B = Usage(input_tokens=5, cache_read_tokens=16_200, output_tokens=512)
C = Usage(input_tokens=10, cache_write_1h_tokens=2_000, output_tokens=100)
D = Usage(input_tokens=20, output_tokens=80)


def test_claude_code_totals_match_a_hand_computation(wallet: Wallet, logs: Path) -> None:
    acme, tools = Path("/home/dev/acme"), Path("/home/dev/acme/tools")
    c = run_import(wallet, claude(logs, project_map=((acme, "acme"), (tools, "tools"))))
    # A: 3 sonnet snapshots (output 1, 1, 245): the final one; B: once though a resumed session
    # copies it; C: opus with 1-hour cache writes; D: haiku, no requestId (newer Claude Code)
    expected = {
        "msg_01AAAAAAAAAAAAAAAAAAAAAA": (A, SONNET_45, "acme"),
        "msg_01BBBBBBBBBBBBBBBBBBBBBB": (B, SONNET_45, "acme"),
        "msg_01CCCCCCCCCCCCCCCCCCCCCC": (C, OPUS_41, "acme"),
        "msg_01DDDDDDDDDDDDDDDDDDDDDD": (D, HAIKU_45, "tools"),
    }
    # 13,134,000 + 12,555,000 + 67,650,000 + 420,000 nano-USD
    assert sum(by_hand(p, u) for u, p, _ in expected.values()) == 93_759_000
    assert (c.files, c.requests, c.imported, c.cost_nano) == (2, 4, 4, 93_759_000)
    assert (c.duplicates, c.metered, c.bad_lines, c.unknown, c.partial) == (4, 0, 2, 1, 0)
    got = rows(wallet)
    assert set(got) == set(expected)
    for rid, (usage, price, project) in expected.items():
        r = got[rid]
        assert r.usage == usage and r.cost_nano == by_hand(price, usage), rid  # type: ignore[attr-defined]
        assert r.source == "imported:claude-code" and r.project == project  # type: ignore[attr-defined]
        assert r.provider == "anthropic" and not r.estimated and not r.unpriced  # type: ignore[attr-defined]
    a = got["msg_01AAAAAAAAAAAAAAAAAAAAAA"]
    assert a.at == datetime(2025, 11, 20, 9, 0, 6, 10_000, tzinfo=UTC)  # type: ignore[attr-defined]
    assert a.session == "7c1d6f0e-3b0a-4a55-9d0e-2f1c0a9b8e11"  # type: ignore[attr-defined]
    assert json.loads(a.price_json)["model"] == "claude-sonnet-4-5-20250929"  # type: ignore[attr-defined]
    sessions = {s.id: s for s in wallet.sessions(profile="me")}
    s1 = sessions["7c1d6f0e-3b0a-4a55-9d0e-2f1c0a9b8e11"]
    assert (s1.source, s1.label, s1.calls) == ("imported", "/home/dev/acme", 3)
    assert s1.started_at == datetime(2025, 11, 20, 9, 0, 6, 10_000, tzinfo=UTC)
    assert s1.ended_at == datetime(2025, 11, 20, 9, 2, 5, tzinfo=UTC)
    # the daily roll-up is dated when the requests ran, not when they were imported
    days = wallet.daily_spend(since=date(2025, 11, 1), until=date(2025, 11, 30))
    assert [(d.day, d.cost_nano) for d in days] == [(date(2025, 11, 20), 93_759_000)]


def test_run_twice_no_new_rows_then_only_what_was_appended(wallet: Wallet, logs: Path) -> None:
    first = run_import(wallet, claude(logs))
    again = run_import(wallet, claude(logs))
    assert first.imported == 4
    assert (again.files_unchanged, again.bytes_read, again.imported, again.requests) == (2, 0, 0, 0)
    f = next((logs / "claude" / "projects" / "-home-dev-acme").glob("*.jsonl"))
    size = f.stat().st_size
    line = {
        "type": "assistant",
        "sessionId": "7c1d6f0e-3b0a-4a55-9d0e-2f1c0a9b8e11",
        "cwd": "/home/dev/acme",
        "timestamp": "2025-11-20T09:05:00.000Z",
        "requestId": "req_01FF",
        "message": {
            "id": "msg_01FF",
            "model": "claude-sonnet-4-5-20250929",
            "role": "assistant",
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 7, "output_tokens": 9},
        },
    }
    data = (json.dumps(line) + "\n").encode()
    with f.open("ab") as out:
        out.write(data)
    settle_files(logs)
    third = run_import(wallet, claude(logs))
    assert (third.bytes_read, third.lines, third.imported) == (len(data), 1, 1)
    assert third.cost_nano == 7 * 3_000 + 9 * 15_000
    assert len(rows(wallet)) == 5 and f.stat().st_size == size + len(data)


def test_a_file_being_written(wallet: Wallet, logs: Path) -> None:
    """The last message still streaming and a torn last line wait; once the file is still, they count."""
    tools = logs / "claude" / "projects" / "-home-dev-acme-tools"
    f = next(tools.glob("*.jsonl"))
    now = datetime.now(UTC).timestamp()
    os.utime(f, (now, now))
    c = run_import(wallet, ImportOptions("claude-code", "me", (tools,)))
    assert (c.imported, c.partial, c.bad_lines) == (1, 2, 0)  # B only: D may grow, the torn line may end
    assert set(rows(wallet)) == {"msg_01BBBBBBBBBBBBBBBBBBBBBB"}
    settle_files(logs)
    c = run_import(wallet, ImportOptions("claude-code", "me", (tools,)))
    assert (c.imported, c.partial, c.bad_lines, c.duplicates) == (1, 0, 1, 1)  # read from D on: B is behind
    d = rows(wallet)["msg_01DDDDDDDDDDDDDDDDDDDDDD"]
    assert d.usage == D  # type: ignore[attr-defined]
    # the torn line was passed once it was counted: a third run reads nothing
    assert run_import(wallet, ImportOptions("claude-code", "me", (tools,))).bytes_read == 0


def test_a_replaced_file_is_read_again_without_double_counting(wallet: Wallet, logs: Path) -> None:
    run_import(wallet, claude(logs))
    f = next((logs / "claude" / "projects" / "-home-dev-acme").glob("*.jsonl"))
    lines = f.read_bytes().splitlines(keepends=True)
    f.unlink()
    f.write_bytes(b"".join(lines[4:]))  # another inode, other first bytes, shorter
    settle_files(logs)
    c = run_import(wallet, claude(logs))
    assert c.bytes_read > 0 and c.imported == 0 and c.duplicates >= 2
    assert len(rows(wallet)) == 4


def test_imports_charge_no_budget_unless_asked(wallet: Wallet, logs: Path) -> None:
    wallet.set_budget(Scope("profile", "me"), Amount("usd", 10_000_000_000), period="none")
    run_import(wallet, claude(logs))
    assert wallet.status(profile="me")[0].spent == 0
    run_import(
        wallet, ImportOptions("codex", "me", (logs / "codex" / "sessions" / "2025",), charge_budgets=True)
    )
    assert wallet.status(profile="me")[0].spent == 31_250_000


def test_recent_requests_reach_the_live_meter(wallet: Wallet, logs: Path, events: list[Event]) -> None:
    events.clear()
    run_import(wallet, claude(logs))
    assert [type(e) for e in events] == [WalletChanged]  # last year's requests: one refresh, no meter events
    events.clear()
    f = logs / "claude" / "projects" / "live.jsonl"
    at = datetime.now(UTC) - timedelta(seconds=30)
    line = {
        "type": "assistant",
        "sessionId": "s-live",
        "cwd": "/w",
        "timestamp": at.isoformat(),
        "message": {
            "id": "msg_live",
            "model": "claude-haiku-4-5",
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 100, "output_tokens": 10},
        },
    }
    f.write_text(json.dumps(line) + "\n")
    run_import(wallet, claude(logs))
    settled = [e for e in events if isinstance(e, CallSettled)]
    assert (
        len(settled) == 1 and settled[0].cost_nano == 100 * 1_000 + 10 * 5_000 and settled[0].profile == "me"
    )


# -- Codex --------------------------------------------------------------------------------------


def test_codex_totals_match_a_hand_computation(wallet: Wallet, logs: Path) -> None:
    c = run_import(wallet, ImportOptions("codex", "me", (logs / "codex" / "sessions" / "2025",)))
    # turn 1: input 12,000 of which 8,000 cached, output 600 (256 reasoning); re-emitted once, and
    # replayed by a forked session: counted once. Turn 2 from last_token_usage; turn 3 (after a
    # model change) from the difference of the running totals.
    turns = [
        (
            "gpt-5-codex",
            Usage(input_tokens=4_000, cache_read_tokens=8_000, output_tokens=600, reasoning_tokens=256),
        ),
        (
            "gpt-5-codex",
            Usage(input_tokens=3_000, cache_read_tokens=12_000, output_tokens=400, reasoning_tokens=44),
        ),
        (
            "gpt-5.1-codex",
            Usage(input_tokens=3_000, cache_read_tokens=10_000, output_tokens=500, reasoning_tokens=100),
        ),
    ]
    assert [by_hand(GPT5, u) for _, u in turns] == [12_000_000, 9_250_000, 10_000_000]
    assert (c.requests, c.imported, c.cost_nano) == (3, 3, 31_250_000)
    assert (c.duplicates, c.unknown, c.bad_lines, c.metered) == (2, 1, 0, 0)
    got = sorted(wallet.history(HistoryFilter(), limit=10), key=lambda r: r.at)
    assert [(r.model, r.usage) for r in got] == turns
    assert {r.session for r in got} == {"0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}
    assert all(
        r.source == "imported:codex" and r.provider == "openai" and r.endpoint == "responses" for r in got
    )


def test_codex_carries_model_and_running_total_between_runs(wallet: Wallet, logs: Path) -> None:
    opts = ImportOptions("codex", "me", (logs / "codex" / "sessions" / "2025",))
    run_import(wallet, opts)
    f = next((logs / "codex" / "sessions").rglob("*c3d4*.jsonl"))
    total = {
        "input_tokens": 50_000,
        "cached_input_tokens": 38_000,
        "output_tokens": 1_700,
        "reasoning_output_tokens": 400,
        "total_tokens": 51_700,
    }
    line = {
        "timestamp": "2025-11-20T11:06:00.000Z",
        "type": "event_msg",
        "payload": {"type": "token_count", "info": {"total_token_usage": total}},
    }
    with f.open("a") as out:
        out.write(json.dumps(line) + "\n")
    settle_files(logs)
    c = run_import(wallet, opts)
    assert (c.lines, c.imported) == (1, 1)
    new = max(wallet.history(HistoryFilter(), limit=10), key=lambda r: r.at)
    assert new.model == "gpt-5.1-codex"  # from the turn_context read in the first run
    assert new.usage == Usage(
        input_tokens=2_000, cache_read_tokens=8_000, output_tokens=200, reasoning_tokens=0
    )


def test_codex_usage_records_of_today_are_paired_with_their_token_counts(wallet: Wallet, logs: Path) -> None:
    """Each response is logged twice (token_usage_record with its id, and token_count), in either
    order; a compacted line embeds a copy of a record. Each counts once, under the response id."""
    c = run_import(wallet, ImportOptions("codex", "me", (logs / "codex" / "sessions" / "2026",)))
    r1 = Usage(input_tokens=6_000, cache_read_tokens=24_000, output_tokens=700, reasoning_tokens=200)
    r2 = Usage(input_tokens=4_000, cache_read_tokens=30_000, output_tokens=300)
    assert (by_hand(GPT5, r1), by_hand(GPT5, r2)) == (17_500_000, 11_750_000)
    assert (c.requests, c.imported, c.duplicates, c.unknown, c.cost_nano) == (4, 2, 2, 0, 29_250_000)
    got = rows(wallet)
    assert {k: r.usage for k, r in got.items()} == {"resp_0a1b2c3d4e5f": r1, "resp_9f8e7d6c5b4a": r2}  # type: ignore[attr-defined]
    assert {r.session for r in got.values()} == {"01a08ac3-1111-7222-8333-444455556666"}  # type: ignore[attr-defined]


def test_codex_record_written_after_its_count_was_imported_is_not_counted_again(
    wallet: Wallet, tmp_path: Path
) -> None:
    f = tmp_path / "rollout.jsonl"
    u = {
        "input_tokens": 5_000,
        "cached_input_tokens": 1_000,
        "output_tokens": 100,
        "reasoning_output_tokens": 0,
        "total_tokens": 5_100,
    }
    ctx = {"timestamp": "2026-11-20T09:00:00Z", "type": "turn_context", "payload": {"model": "gpt-5.1-codex"}}
    info = {"total_token_usage": u, "last_token_usage": u}
    count = {
        "timestamp": "2026-11-20T09:00:05.000Z",
        "type": "event_msg",
        "payload": {"type": "token_count", "info": info},
    }
    f.write_text(json.dumps(ctx) + "\n" + json.dumps(count) + "\n")
    settle_files(tmp_path)
    assert run_import(wallet, ImportOptions("codex", "me", (f,))).imported == 1
    record = {"timestamp": "2026-11-20T09:00:05.300Z", "type": "token_usage_record",
              "payload": {"response_id": "resp_late", "usage": u}}  # fmt: skip
    with f.open("a") as out:
        out.write(json.dumps(record) + "\n")
    settle_files(tmp_path)
    c = run_import(wallet, ImportOptions("codex", "me", (f,)))
    assert (c.imported, c.duplicates) == (0, 1) and len(rows(wallet)) == 1


# -- Gemini CLI ---------------------------------------------------------------------------------


def test_gemini_cli_older_document_totals_and_project_by_hash(wallet: Wallet, logs: Path) -> None:
    older = next((logs / "gemini" / "tmp").glob("*/chats/session-*.json"))
    opts = ImportOptions("gemini-cli", "me", (older,), project_map=((Path("/home/dev/acme"), "acme"),))
    c = run_import(wallet, opts)
    one = Usage(input_tokens=3_000, cache_read_tokens=2_000, output_tokens=420, reasoning_tokens=120)
    two = Usage(input_tokens=8_100, output_tokens=500)  # 100 tool-use prompt tokens are input
    assert (by_hand(GEMINI_25_PRO, one), by_hand(GEMINI_25_PRO, two)) == (8_200_000, 15_125_000)
    assert (c.imported, c.cost_nano) == (2, 23_325_000)
    got = sorted(wallet.history(HistoryFilter(), limit=10), key=lambda r: r.at)
    assert [r.usage for r in got] == [one, two] and {r.project for r in got} == {"acme"}
    assert run_import(wallet, opts).files_unchanged == 1
    # the recording is rewritten with one more answer: only that one is new
    doc = json.loads(older.read_text())
    doc["messages"].append(
        {
            "id": "new-1",
            "timestamp": "2025-11-21T09:10:00.000Z",
            "type": "gemini",
            "tokens": {"input": 10, "output": 1, "cached": 0, "total": 11},
            "model": "gemini-2.5-pro",
        }
    )
    older.write_text(json.dumps(doc))
    c = run_import(wallet, opts)
    assert (c.imported, c.duplicates, c.cost_nano) == (1, 2, 10 * 1_250 + 1 * 10_000)


GEMINI_25_FLASH = (300, 30, 0, 0, 2_500)


def test_gemini_cli_jsonl_recordings_of_today(wallet: Wallet, logs: Path) -> None:
    """Answers appended again as their tokens arrive, a $set batch, a rewind, a sub-agent's file."""
    site = logs / "gemini" / "tmp" / "site"
    c = run_import(
        wallet, ImportOptions("gemini-cli", "me", (site,), project_map=((Path("/home/dev/site"), "tools"),))
    )
    answers = {
        "gemini-cli:g-a1": Usage(
            input_tokens=4_000, cache_read_tokens=8_000, output_tokens=600, reasoning_tokens=200
        ),
        "gemini-cli:g-a2": Usage(
            input_tokens=3_300, cache_read_tokens=12_000, output_tokens=100
        ),  # 300 tool input
        "gemini-cli:g-a3": Usage(
            input_tokens=9_000, output_tokens=300, reasoning_tokens=50
        ),  # after a rewind
        "gemini-cli:g-s1": Usage(input_tokens=3_000, output_tokens=120),  # the sub-agent's
    }
    assert [by_hand(GEMINI_25_FLASH, u) for u in answers.values()] == [
        2_940_000,
        1_600_000,
        3_450_000,
        1_200_000,
    ]
    assert (c.files, c.imported, c.duplicates, c.cost_nano) == (2, 4, 2, 9_190_000)
    got = rows(wallet)
    assert {k: r.usage for k, r in got.items()} == answers  # type: ignore[attr-defined]
    assert {r.project for r in got.values()} == {"tools"}  # type: ignore[attr-defined]  # from .project_root
    assert got["gemini-cli:g-a1"].session == "9f8e7d6c-2222-4333-8444-555566667777"  # type: ignore[attr-defined]
    assert got["gemini-cli:g-s1"].session == "1a2b3c4d-5555-4666-8777-888899990000"  # type: ignore[attr-defined]


# -- never counted twice --------------------------------------------------------------------------


def _metered(
    wallet: Wallet, call_id: str, provider: str, model: str, usage: Usage, *, response_id: str
) -> None:
    wallet.record(
        CallRecord(
            call_id,
            wallet.binding_for("me"),
            provider,
            model,
            "x",
            200,
            True,
            usage,
            1,
            "{}",
            "test",
            False,
            False,
            1,
            response_id=response_id,
        )
    )


def test_requests_the_meter_recorded_are_skipped(wallet: Wallet, logs: Path, tmp_path: Path) -> None:
    # Claude Code pointed at the proxy: the meter kept Anthropic's message id
    _metered(
        wallet, "m1", "anthropic", "claude-opus-4-1-20250805", C, response_id="msg_01CCCCCCCCCCCCCCCCCCCCCC"
    )
    c = run_import(wallet, claude(logs))
    assert (c.imported, c.metered, c.cost_nano) == (3, 1, 93_759_000 - by_hand(OPUS_41, C))
    # Codex keeps no response id: the same counts from the same model within minutes
    at = datetime.now(UTC)
    u = Usage(input_tokens=900, cache_read_tokens=100, output_tokens=50, reasoning_tokens=10)
    _metered(wallet, "m2", "openai", "gpt-5-codex", u, response_id="resp_abc")
    d = tmp_path / "codex-now"
    d.mkdir()
    usage = {
        "input_tokens": 1_000,
        "cached_input_tokens": 100,
        "output_tokens": 50,
        "reasoning_output_tokens": 10,
    }
    lines = [
        {
            "timestamp": at.isoformat(),
            "type": "turn_context",
            "payload": {"model": "gpt-5-codex", "cwd": "/w"},
        },
        {
            "timestamp": at.isoformat(),
            "type": "event_msg",
            "payload": {
                "type": "token_count",
                "info": {"total_token_usage": usage, "last_token_usage": usage},
            },
        },
        {
            "timestamp": (at + timedelta(hours=1)).isoformat(),
            "type": "event_msg",
            "payload": {
                "type": "token_count",
                "info": {"total_token_usage": {**usage, "input_tokens": 2_000}, "last_token_usage": usage},
            },
        },
    ]
    (d / "rollout.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    c = run_import(wallet, ImportOptions("codex", "me", (d,)))
    assert (c.metered, c.imported) == (1, 1)  # the same counts an hour later are another request


def test_damaged_logs_never_raise(wallet: Wallet, tmp_path: Path) -> None:
    d = tmp_path / "odd"
    d.mkdir()
    (d / "binary.jsonl").write_bytes(os.urandom(4096).replace(b"\n", b"") + b"\n\x00\xff assistant\n")
    (d / "empty.jsonl").write_bytes(b"")
    huge = {
        "type": "assistant",
        "timestamp": "2025-01-01T00:00:00Z",
        "message": {
            "id": "m",
            "model": "claude-haiku-4-5",
            "usage": {"input_tokens": 2**40, "output_tokens": 1},
        },
    }
    neg = {
        "type": "assistant",
        "timestamp": "2025-01-01T00:00:00Z",
        "message": {
            "id": "n",
            "model": "claude-haiku-4-5",
            "usage": {"input_tokens": -5, "output_tokens": 1},
        },
    }
    no_time = {
        "type": "assistant",
        "message": {"id": "t", "model": "claude-haiku-4-5", "usage": {"input_tokens": 1}},
    }
    deep = '{"role":"assistant","x":' + "[" * 100_000 + "]" * 100_000 + "}"
    text = "\n".join([json.dumps(huge), json.dumps(neg), json.dumps(no_time), deep, '["assistant"]', "null"])
    (d / "bad.jsonl").write_text(text + "\n")
    (d / "dir.jsonl").mkdir()
    settle_files(d)
    c = run_import(wallet, ImportOptions("claude-code", "me", (d,)))
    assert c.imported == 0 and c.bad_lines == 5 and wallet.history(HistoryFilter(), limit=5) == []
    for tool in ("codex", "gemini-cli"):
        assert run_import(wallet, ImportOptions(tool, "me", (d,))).imported == 0


def test_unknown_models_are_priced_at_fallback_rates_and_marked(wallet: Wallet, tmp_path: Path) -> None:
    f = tmp_path / "x.jsonl"
    line = {
        "type": "assistant",
        "timestamp": "2025-06-01T00:00:00Z",
        "message": {
            "id": "msg_new",
            "model": "claude-future-9",
            "usage": {"input_tokens": 1_000, "output_tokens": 100},
        },
    }
    f.write_text(json.dumps(line) + "\n")
    settle_files(tmp_path)
    c = run_import(wallet, ImportOptions("claude-code", "me", (f,)))
    row = rows(wallet)["msg_new"]
    # the wallet's fallback rates: $10 in, $40 out per Mtok
    assert (c.imported, c.unpriced, c.cost_nano) == (1, 1, 1_000 * 10_000 + 100 * 40_000)
    assert row.unpriced  # type: ignore[attr-defined]


def test_gemini_project_hash_is_sha256_of_the_directory() -> None:
    name = next(
        (Path(__file__).resolve().parents[2] / "fixtures" / "agent_logs" / "gemini" / "tmp").iterdir()
    ).name
    assert name == hashlib.sha256(b"/home/dev/acme").hexdigest()


def test_a_small_new_file_that_grows_is_read_on_not_again(wallet: Wallet, tmp_path: Path) -> None:
    """A session file shorter than the bytes that identify a file, then grown, is still that file."""
    f = tmp_path / "s.jsonl"
    first = {
        "type": "assistant",
        "timestamp": "2025-06-01T00:00:00Z",
        "message": {
            "id": "m1",
            "model": "claude-haiku-4-5",
            "usage": {"input_tokens": 1, "output_tokens": 1},
        },
    }
    f.write_text(json.dumps(first) + "\n")
    assert f.stat().st_size < 256
    settle_files(tmp_path)
    assert run_import(wallet, ImportOptions("claude-code", "me", (f,))).imported == 1
    second = {**first, "message": {**first["message"], "id": "m2"}}
    with f.open("a") as out:
        out.write(json.dumps(second) + "\n" + "x" * 300 + "\n")
    settle_files(tmp_path)
    c = run_import(wallet, ImportOptions("claude-code", "me", (f,)))
    assert (c.imported, c.duplicates, c.lines) == (1, 0, 2)  # the new lines only


def test_gemini_cli_last_answer_waits_while_the_recording_is_written(wallet: Wallet, logs: Path) -> None:
    f = next((logs / "gemini" / "tmp" / "site" / "chats").glob("session-*.jsonl"))
    now = datetime.now(UTC).timestamp()
    os.utime(f, (now, now))
    c = run_import(wallet, ImportOptions("gemini-cli", "me", (f,)))
    assert (c.imported, c.partial) == (2, 1) and "gemini-cli:g-a3" not in rows(wallet)
    settle_files(logs)
    c = run_import(wallet, ImportOptions("gemini-cli", "me", (f,)))
    assert (c.imported, c.partial) == (1, 0) and "gemini-cli:g-a3" in rows(wallet)


def test_imported_rows_get_energy_without_a_duration(wallet: Wallet, logs: Path) -> None:
    from tokenwallet.core.energy import energy_for

    run_import(wallet, claude(logs))
    assert wallet.energy_pending() == 0
    zone = wallet.energy_zone()
    methods = {}
    for r in rows(wallet).values():
        e = r.energy  # type: ignore[attr-defined]
        # no latency in an agent's log: ecologits models the generation time
        assert e is not None and e.zone == zone
        assert e == energy_for("anthropic", r.model, r.usage.output_tokens, None, zone)  # type: ignore[attr-defined]
        methods[r.model] = e.method  # type: ignore[attr-defined]
    # sonnet 4.5 is in ecologits' data; opus 4.1 is not, so it is estimated from its tier
    assert methods["claude-sonnet-4-5-20250929"] == "ecologits"
    assert methods["claude-opus-4-1-20250805"] == "tier-estimate"
