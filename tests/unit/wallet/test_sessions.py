"""Agent sessions in the wallet: a key that belongs to a session, its calls, its sums, its end."""

from __future__ import annotations

from pathlib import Path

from tokenwallet.core.usage import Usage
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.types import CallRecord, HistoryFilter

from .conftest import BOTH_BACKENDS

backend = BOTH_BACKENDS


def _record(w: Wallet, key: str, call_id: str, cost: int, usage: Usage) -> None:
    b = w.resolve_key(key)
    assert b is not None
    rec = CallRecord(call_id, b, "openai", "gpt-4o", "chat/completions", 200, False, usage, cost, "{}", "t",
                     False, False, 10)  # fmt: skip
    w.record(rec)


def test_a_session_key_tags_calls_and_ends_with_the_session(tmp_path: Path) -> None:
    w = Wallet.open(tmp_path / "w.db")
    w.add_profile("agent")
    sid, key = w.start_session("agent", label="claude -p hi")
    assert key is not None and sid.startswith("s-")
    b = w.resolve_key(key)
    assert b is not None and b.session == sid and b.profile == "agent"
    _record(w, key, "c1", 1000, Usage(input_tokens=10, output_tokens=5))
    _record(w, key, "c2", 2500, Usage(input_tokens=20, cache_read_tokens=4, output_tokens=7))
    rows = w.history(HistoryFilter(session=sid), limit=10)
    assert {r.call_id for r in rows} == {"c1", "c2"} and all(r.session == sid for r in rows)
    (s,) = w.sessions(session_id=sid)
    assert s.calls == 2 and s.cost_nano == 3500 and s.usage.total_tokens == 46 and s.label == "claude -p hi"
    assert s.first_call is not None and s.ended_at is None
    w.end_session(sid)
    assert w.resolve_key(key) is None  # revoked with the session
    (s,) = w.sessions(session_id=sid)
    assert s.ended_at is not None
    w.close()


def test_an_empty_session_sums_to_zero(tmp_path: Path) -> None:
    w = Wallet.open(tmp_path / "w.db")
    w.add_profile("agent")
    sid, key = w.start_session("agent", source="header", with_key=False)
    assert key is None
    (s,) = w.sessions(profile="agent")
    assert (s.id, s.calls, s.cost_nano, s.first_call, s.burn_nano_per_min) == (sid, 0, 0, None, 0)
    w.close()


def test_a_run_session_gets_the_agent_guards_and_they_go_with_it(tmp_path: Path) -> None:
    w = Wallet.open(tmp_path / "w.db")
    w.add_profile("agent")
    sid, _ = w.start_session("agent", source="run")
    kinds = sorted((g.scope, g.kind, g.source) for g in w.guards())
    assert kinds == [(f"session:{sid}", k, "default") for k in ("burn", "loop", "rate")]
    w.start_session("agent", source="header", with_key=False)
    assert all(g.scope == f"session:{sid}" for g in w.guards())  # only run sessions get them
    w.end_session(sid)
    assert w.guards() == []
    w.close()
