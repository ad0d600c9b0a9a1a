"""Gemini CLI's chat recordings: ``~/.gemini/tmp/<project hash>/chats/session-*.json``.

One JSON document per session, rewritten as the chat goes on: ``sessionId``, ``projectHash`` (the
SHA-256 of the project directory) and ``messages``. A message of ``type: "gemini"`` carries
``id``, ``timestamp``, ``model`` and ``tokens`` — the API's usageMetadata under Gemini CLI's names:
``input`` (prompt, cached included), ``cached``, ``output`` (candidates), ``thoughts``, ``tool``
(tool-use prompt) and ``total``. Those are real usage numbers, so they are imported: one row per
recorded answer. The recording keeps no provider response id; a request that went through the
meter is found by its usage (see ``tokenwallet.importers.run``).

The file is read whole when its size or time changed; requests already imported are skipped by
id. A file that does not parse (being rewritten right now) is left for the next run.
"""

from __future__ import annotations

import json
from typing import Any

from tokenwallet.importers.entries import BadUsage, Counts, Entry, gemini_counts, timestamp

TOOL = "gemini-cli"


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
        if not isinstance(m, dict) or m.get("type") != "gemini" or m.get("tokens") is None:
            continue
        model, mid = _text(m.get("model")), _text(m.get("id"))
        if not model or not mid:
            counts.unknown += 1
            continue
        try:
            usage = gemini_counts(m["tokens"])
            at = timestamp(m.get("timestamp"))
        except BadUsage:
            counts.bad_lines += 1
            continue
        if usage.total_tokens == 0:
            continue
        rid = f"gemini-cli:{mid}"
        out.append(
            Entry(
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
        )
    return out


def _text(v: Any) -> str:
    return v if isinstance(v, str) and len(v) <= 200 else ""
