"""Gemini CLI's chat recordings, under ``~/.gemini/tmp/<project>/chats/``, in both formats it wrote.

Current versions append to ``session-*.jsonl`` (a sub-agent's in ``chats/<parent session>/*.jsonl``):
the first line is the header (``sessionId``, ``projectHash``, ``startTime`` …), then one message
record a line, ``{"$set": {...}}`` updates (``messages`` there is a whole batch) and
``{"$rewindTo": id}``. A message is appended again, same ``id``, whenever it changes — its
``tokens`` arrive that way — so records are kept by id, the latest one. Older versions rewrote one
``session-*.json`` document with ``sessionId``, ``projectHash`` and ``messages``.

A message of ``type: "gemini"`` carries ``id``, ``timestamp``, ``model`` and ``tokens`` — the API's
usageMetadata under Gemini CLI's names: ``input`` (prompt, cached included), ``cached``, ``output``
(candidates), ``thoughts``, ``tool`` (tool-use prompt) and ``total``. Those are real usage numbers,
so they are imported: one row per recorded answer. An answer a rewind later dropped from the
conversation was still billed, so it stays. The recordings keep no provider response id; a request
that went through the meter is found by its usage (see ``tokenwallet.importers.run``).

The project directory: the ``.project_root`` file beside ``chats/`` (current versions), else the
``projectHash`` (a SHA-256 of the directory) that ``--project-map`` matches. A ``.json`` document
is read whole when it changed, and left for the next run while it does not parse (being rewritten);
a ``.jsonl`` file is read from where the last run stopped, its last answer left for the next run
while the file is being written (its tokens may still come).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tokenwallet.importers.entries import BadUsage, Counts, Entry, gemini_counts, timestamp

TOOL = "gemini-cli"
_WANTED = (b'"tokens"', b'"sessionId"')


def project_root(log: Path) -> str:
    """The project directory Gemini CLI noted for a recording (``<project>/.project_root``), or ""."""
    for parent in log.parents:
        if parent.name == "chats":
            try:
                text = (parent.parent / ".project_root").read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return ""
            return text if len(text) <= 1000 and "\n" not in text else ""
    return ""


class GeminiChatFile:
    """One append-only ``.jsonl`` recording; :meth:`finish` hands back its answers."""

    def __init__(self, counts: Counts, state: dict[str, Any]) -> None:
        self.counts = counts
        self.state = state  # session, project_hash, cwd (from the header and .project_root)
        self.found: dict[str, tuple[Entry, int]] = {}  # message id → (latest record, first offset)
        self.last: str | None = None

    def feed(self, line: bytes, start: int) -> None:
        if not any(w in line for w in _WANTED):
            return  # user turns, info, rewinds, metadata updates without messages
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            self.counts.bad_lines += 1
            return
        if not isinstance(obj, dict):
            self.counts.bad_lines += 1
            return
        if "$set" in obj:
            batch = obj["$set"].get("messages") if isinstance(obj["$set"], dict) else None
            for m in batch if isinstance(batch, list) else ():
                self._message(m, start)
        elif "type" in obj:
            self._message(obj, start)
        elif "sessionId" in obj:  # the header
            self.state["session"] = _text(obj.get("sessionId"))
            self.state["project_hash"] = _text(obj.get("projectHash"))
        else:
            self.counts.unknown += 1

    def _message(self, m: Any, start: int) -> None:
        entry = _entry(m, self.counts, self.state.get("session", ""), self.state.get("project_hash", ""))
        if entry is None:
            return
        entry.cwd = self.state.get("cwd", "")
        had = self.found.get(entry.key)
        if had is not None:
            self.counts.duplicates += 1  # the same answer appended again
        self.found[entry.key] = (entry, start if had is None else had[1])
        self.last = entry.key

    def finish(self, end: int, idle: bool) -> tuple[list[Entry], int]:
        read_to = end
        if self.last is not None and not idle:
            _, start = self.found.pop(self.last)
            self.counts.partial += 1  # its tokens may still be updated
            read_to = start
        return [e for e, _ in self.found.values()], read_to


def read_chat(data: bytes, counts: Counts) -> list[Entry] | None:
    """The requests of one recording; None when it is not a whole JSON document yet."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        counts.partial += 1
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list):
        counts.unknown += 1
        return []
    session = _text(doc.get("sessionId"))
    project_hash = _text(doc.get("projectHash"))
    out: list[Entry] = []
    for m in doc["messages"]:
        counts.lines += 1
        entry = _entry(m, counts, session, project_hash)
        if entry is not None:
            out.append(entry)
    return out


def _entry(m: Any, counts: Counts, session: str, project_hash: str) -> Entry | None:
    """The billed answer a message record is, or None (not an answer, no tokens yet, bad counts)."""
    if not isinstance(m, dict) or m.get("type") != "gemini" or m.get("tokens") is None:
        return None
    model, mid = _text(m.get("model")), _text(m.get("id"))
    if not model or not mid:
        counts.unknown += 1
        return None
    try:
        usage = gemini_counts(m["tokens"])
        at = timestamp(m.get("timestamp"))
    except BadUsage:
        counts.bad_lines += 1
        return None
    if usage.total_tokens == 0:
        return None
    rid = f"gemini-cli:{mid}"
    return Entry(
        key=rid,
        response_id=rid,
        provider_id=False,
        at=at,
        session=session,
        cwd="",
        provider="gemini",
        model=model,
        endpoint="generateContent",
        usage=usage,
        flags="",
        project_hash=project_hash,
    )


def _text(v: Any) -> str:
    return v if isinstance(v, str) and len(v) <= 200 else ""
