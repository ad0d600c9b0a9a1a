"""Codex CLI's rollouts: ``~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl``.

Each line is ``{"timestamp", "type", "payload"}``. Three kinds matter:

- ``session_meta``: the session's ``id``, ``cwd`` and ``model_provider``;
- ``turn_context``: the ``model`` (and ``cwd``) of the turns that follow;
- ``event_msg`` with ``payload.type == "token_count"``: ``payload.info.last_token_usage`` is the
  usage of the request just answered, ``info.total_token_usage`` the session's running total
  (``input_tokens`` includes ``cached_input_tokens``, ``output_tokens`` includes
  ``reasoning_output_tokens``).

Codex writes the same ``token_count`` again when only its rate-limit display changes, and a forked
or resumed session replays its parent's events: a request counts only when the running total moved
(``last_token_usage`` is its usage; the difference of the totals when that is missing), and its id
is made from the running total and the request's usage, so a replay in another file is the same
request. The rollout keeps no provider response id, so a request that went through the meter is
found by its usage instead (see ``tokenwallet.importers.run``).

Newer Codex versions also write a ``token_usage_record`` per response: ``payload.response_id``
(the Responses API's id, the one the meter keeps) and ``payload.usage`` (that response's own usage;
``thread_token_usage`` is the running total). One response is then in the log twice, as a record and
as a ``token_count``; the two are paired by their identical usage within seconds (see
``tokenwallet.importers.run``) and counted once, under the record's id. Copies of a record inside a
``compacted`` line are not records and are not read.

The model and running total are carried between runs in the file's saved state.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tokenwallet.core.usage import Usage
from tokenwallet.importers.entries import BadUsage, Counts, Entry, openai_counts, timestamp

TOOL = "codex"
FALLBACK_MODEL = "gpt-5"  # early rollouts (before turn_context carried it) name no model
MODEL_GUESSED = "model_guessed"
_WANTED = (b'"token_count"', b'"turn_context"', b'"session_meta"', b'"token_usage_record"')
_ITEM, _HEAD = b'"type":"response_item"', 160
_EVENT, _COUNT = b'"type":"event_msg","payload":{"type":"', b'"type":"token_count"'
KNOWN_TYPES = frozenset(
    {"session_meta", "turn_context", "event_msg", "response_item", "compacted", "token_usage_record"}
)


class CodexFile:
    def __init__(self, counts: Counts, state: dict[str, Any]) -> None:
        self.counts = counts
        self.state = state  # session, cwd, provider, model, total (the running total, as a list)
        self.entries: list[Entry] = []

    def feed(self, line: bytes, start: int) -> None:
        # Most of the bytes are response items (model output, tool output) and events other than
        # token counts: Codex writes the line's type (and an event's) first, so they are passed on
        # their first bytes, unread.
        head = line[:_HEAD]
        if _ITEM in head or (_EVENT in head and _COUNT not in head):
            return
        if not any(w in line for w in _WANTED):
            return
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            self.counts.bad_lines += 1
            return
        if not isinstance(obj, dict):
            self.counts.bad_lines += 1
            return
        kind, payload = obj.get("type"), obj.get("payload")
        if not isinstance(payload, dict):
            if kind not in KNOWN_TYPES:
                self.counts.unknown += 1
            return
        st = self.state
        if kind == "session_meta":
            if not st.get("session"):  # a fork repeats its parent's meta after its own: keep the first
                st["session"] = _text(payload.get("id"))
                st["cwd"] = _text(payload.get("cwd"), 1000)
                st["provider"] = _text(payload.get("model_provider"))
        elif kind == "turn_context":
            st["model"] = _text(payload.get("model")) or st.get("model", "")
            st["cwd"] = _text(payload.get("cwd"), 1000) or st.get("cwd", "")
        elif kind == "event_msg":
            if payload.get("type") == "token_count":
                self._token_count(obj, payload)
        elif kind == "token_usage_record":
            self._usage_record(obj, payload)
        elif kind not in KNOWN_TYPES:
            self.counts.unknown += 1

    def _token_count(self, obj: dict[str, Any], payload: dict[str, Any]) -> None:
        info = payload.get("info")
        if not isinstance(info, dict):
            return  # rate limits only: nothing was used
        st = self.state
        try:
            total = (
                None if info.get("total_token_usage") is None else openai_counts(info["total_token_usage"])
            )
            last = None if info.get("last_token_usage") is None else openai_counts(info["last_token_usage"])
            at = timestamp(obj.get("timestamp"))
        except BadUsage:
            self.counts.bad_lines += 1
            return
        prev = st.get("total")
        now = None if total is None else _counts(total)
        if now is not None and now == prev:
            self.counts.duplicates += 1  # re-emitted: the running total did not move
            return
        if last is None:
            if total is None:
                return
            last = _minus(total, prev)
        if now is not None:
            st["total"] = now
        if last.total_tokens == 0:
            return
        seed = json.dumps([now, _counts(last)] if now is not None else [st.get("session"), at.isoformat()])
        rid = "codex:" + hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:32]
        model = st.get("model") or _text(info.get("model"))
        self.entries.append(
            Entry(
                key=rid,
                response_id=rid,
                provider_id=False,
                at=at,
                session=st.get("session") or "",
                cwd=st.get("cwd") or "",
                provider=_provider(st.get("provider") or ""),
                model=model or FALLBACK_MODEL,
                endpoint="responses",
                usage=last,
                flags="" if model else MODEL_GUESSED,
                pair="count",
            )
        )

    def _usage_record(self, obj: dict[str, Any], payload: dict[str, Any]) -> None:
        """A ``token_usage_record`` (newer Codex): one response's own usage, with its response id."""
        st = self.state
        rid = _text(payload.get("response_id"))
        try:
            usage = openai_counts(payload.get("usage"))
            at = timestamp(obj.get("timestamp"))
        except BadUsage:
            self.counts.bad_lines += 1
            return
        if not rid:
            self.counts.unknown += 1  # a record without its response is not one this reader knows
            return
        if usage.total_tokens == 0:
            return
        model = st.get("model") or _text(payload.get("model"))
        self.entries.append(
            Entry(
                key=rid,
                response_id=rid,
                provider_id=True,  # the Responses API id the meter keeps too
                at=at,
                session=st.get("session") or _text(payload.get("thread_id")),
                cwd=st.get("cwd") or "",
                provider=_provider(st.get("provider") or ""),
                model=model or FALLBACK_MODEL,
                endpoint="responses",
                usage=usage,
                flags="" if model else MODEL_GUESSED,
                pair="record",
            )
        )

    def finish(self, end: int, idle: bool) -> tuple[list[Entry], int]:
        return self.entries, end


def _counts(u: Usage) -> list[int]:
    """The six counts of ``u`` as a list (what the file's saved state keeps of a running total)."""
    return [u.input_tokens, u.cache_read_tokens, u.cache_write_tokens, u.cache_write_1h_tokens,
            u.output_tokens, u.reasoning_tokens]  # fmt: skip


def _minus(total: Usage, prev: Any) -> Usage:
    """The usage between two running totals (the whole total when there is no earlier one, or it fell)."""
    if not isinstance(prev, list) or len(prev) != 6:
        return total
    parts = [a - b for a, b in zip(_counts(total), prev, strict=True)]
    return total if any(p < 0 for p in parts) else Usage(*parts)


def _provider(name: str) -> str:
    """Codex's ``model_provider`` as a provider the price book knows (``openai`` when unset)."""
    return name.lower() if name and name.lower() != "openai" else "openai"


def _text(v: object, most: int = 200) -> str:
    """A name from the log (an id, a model); anything longer than ``most`` is not one."""
    return v if isinstance(v, str) and len(v) <= most else ""
