"""Never counted twice (issue 11): a request that went through the real proxy and also sits in the
agent's own log is recognised by the import and skipped.

Claude Code pointed at the proxy writes the message id the meter kept; Codex keeps no response id,
so its turn is matched by model and exact usage within minutes.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from tokenwallet.importers import ImportOptions, run_import
from tokenwallet.wallet import HistoryFilter

from .conftest import Env

CLAUDE = "claude-haiku-4-5"


def _still(path: Path) -> None:
    past = time.time() - 3600
    os.utime(path, (past, past))


def test_a_claude_code_request_through_the_meter_is_not_imported_again(env: Env, tmp_path: Path) -> None:
    env.upstream.scenario(input_tokens=300, cached_tokens=100, chunks=4)
    with env.anthropic().messages.stream(
        model=CLAUDE, max_tokens=64, messages=[{"role": "user", "content": "hi"}]
    ) as s:
        final = s.get_final_message()
    metered = env.last_row()
    u = final.usage
    usage = {
        "input_tokens": u.input_tokens,
        "cache_read_input_tokens": u.cache_read_input_tokens or 0,
        "cache_creation_input_tokens": u.cache_creation_input_tokens or 0,
        "output_tokens": u.output_tokens,
    }
    lines = [
        {
            "type": "assistant",
            "sessionId": "s1",
            "cwd": "/w",
            "requestId": "req_1",
            "timestamp": datetime.now(UTC).isoformat(),
            "message": {
                "id": final.id,
                "model": CLAUDE,
                "role": "assistant",
                "stop_reason": "end_turn",
                "usage": usage,
            },
        },
        {
            "type": "assistant",
            "sessionId": "s1",
            "cwd": "/w",
            "requestId": "req_2",
            "timestamp": datetime.now(UTC).isoformat(),
            "message": {
                "id": "msg_on_the_subscription",
                "model": CLAUDE,
                "role": "assistant",
                "stop_reason": "end_turn",
                "usage": {"input_tokens": 40, "output_tokens": 4},
            },
        },
    ]
    log = tmp_path / "session.jsonl"
    log.write_text("".join(json.dumps(x) + "\n" for x in lines))
    _still(log)
    c = run_import(env.wallet, ImportOptions("claude-code", "alice", (tmp_path,)))
    assert (c.metered, c.imported) == (1, 1)
    rows = env.wallet.history(HistoryFilter(), limit=10)
    assert [r.response_id for r in rows if r.source == "meter"] == [final.id] == [metered.response_id]
    assert [r.response_id for r in rows if r.source == "imported:claude-code"] == ["msg_on_the_subscription"]


def test_a_codex_turn_through_the_meter_is_matched_by_its_usage(env: Env, tmp_path: Path) -> None:
    env.upstream.scenario(input_tokens=500, cached_tokens=200, reasoning_tokens=30, chunks=5)
    resp = env.openai().responses.create(model="gpt-5-codex", input="fix it", max_output_tokens=200)
    assert resp.usage is not None
    u = resp.usage
    usage = {
        "input_tokens": u.input_tokens,
        "cached_input_tokens": u.input_tokens_details.cached_tokens,
        "output_tokens": u.output_tokens,
        "reasoning_output_tokens": u.output_tokens_details.reasoning_tokens,
        "total_tokens": u.total_tokens,
    }
    now = datetime.now(UTC).isoformat()
    lines = [
        {
            "timestamp": now,
            "type": "session_meta",
            "payload": {"id": "c1", "cwd": "/w", "model_provider": "openai"},
        },
        {"timestamp": now, "type": "turn_context", "payload": {"model": "gpt-5-codex", "cwd": "/w"}},
        {
            "timestamp": now,
            "type": "event_msg",
            "payload": {
                "type": "token_count",
                "info": {"total_token_usage": usage, "last_token_usage": usage},
            },
        },
    ]
    log = tmp_path / "rollout-c1.jsonl"
    log.write_text("".join(json.dumps(x) + "\n" for x in lines))
    _still(log)
    c = run_import(env.wallet, ImportOptions("codex", "alice", (tmp_path,)))
    assert (c.metered, c.imported, c.requests) == (1, 0, 1)
    assert [r.source for r in env.wallet.history(HistoryFilter(), limit=10)] == ["meter"]


def test_a_codex_usage_record_is_matched_by_the_response_id(env: Env, tmp_path: Path) -> None:
    """Newer Codex writes each response's id in a token_usage_record: the id the meter kept."""
    env.upstream.scenario(input_tokens=400, cached_tokens=100, chunks=3)
    with env.openai().responses.stream(model="gpt-5-codex", input="go", max_output_tokens=100) as s:
        final = s.get_final_response()
    assert final.usage is not None
    u = final.usage
    usage = {
        "input_tokens": u.input_tokens,
        "cached_input_tokens": u.input_tokens_details.cached_tokens,
        "output_tokens": u.output_tokens,
        "reasoning_output_tokens": u.output_tokens_details.reasoning_tokens,
        "total_tokens": u.total_tokens,
    }
    later = datetime(2026, 1, 1, tzinfo=UTC).isoformat()  # far from the metered row: only the id can match
    lines = [
        {"timestamp": later, "type": "turn_context", "payload": {"model": "gpt-5-codex"}},
        {
            "timestamp": later,
            "type": "token_usage_record",
            "payload": {"response_id": final.id, "usage": usage},
        },
    ]
    log = tmp_path / "rollout-new.jsonl"
    log.write_text("".join(json.dumps(x) + "\n" for x in lines))
    _still(log)
    c = run_import(env.wallet, ImportOptions("codex", "alice", (tmp_path,)))
    assert (c.metered, c.imported) == (1, 0)
    assert env.last_row().response_id == final.id
