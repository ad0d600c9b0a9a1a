"""Claude Code's transcripts: ``~/.claude/projects/<project>/<session>.jsonl``, one JSON object a line.

A billed request is an ``assistant`` line whose ``message`` carries ``id`` (Anthropic's message id),
``model`` and ``usage``; the line has ``requestId``, ``sessionId``, ``cwd`` and ``timestamp``.
Claude Code writes *several* lines per message while it streams (one per content block), each with
the usage as it stood: ``output_tokens`` grows and only the last line has the final count. So lines
are grouped by ``message.id`` + ``requestId`` (``message.id`` alone when there is no request id)
and the final snapshot is kept — the one with the most output, the later one on a tie.

A message still streaming at the end of a file being written (no ``stop_reason`` yet, file changed
in the last minutes) is left for the next run: the file's position stays before its first line.
Lines that cannot carry usage (user turns, tool results, summaries) are not parsed at all.
"""

from __future__ import annotations

import json

from tokenwallet.importers.entries import BadUsage, Counts, Entry, anthropic_counts, timestamp

TOOL = "claude-code"
# Types Claude Code writes today; another type is counted as unknown (and skipped).
KNOWN_TYPES = frozenset(
    {"user", "assistant", "system", "summary", "file-history-snapshot", "queue-operation", "progress"}
)
MAX_NAME = 200  # longest id or model name taken from a log
NOT_BILLED = "<synthetic>"  # the model name of messages Claude Code makes up itself (errors, notices)


class ClaudeCodeFile:
    """Reads the lines of one transcript; :meth:`finish` hands back its requests."""

    def __init__(self, counts: Counts, state: dict[str, object]) -> None:
        self.counts = counts
        self.state = state  # nothing to carry: every line names its session, directory and model
        self.groups: dict[str, tuple[Entry, int]] = {}  # key → (final snapshot so far, first line's offset)
        self.last_key: str | None = None
        self.last_stopped = True

    def feed(self, line: bytes, start: int) -> None:
        counts = self.counts
        if b'"assistant"' not in line:  # the only lines with usage have role and type "assistant"
            return
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            counts.bad_lines += 1
            return
        if not isinstance(obj, dict):
            counts.bad_lines += 1
            return
        kind = obj.get("type")
        if kind != "assistant":
            if kind not in KNOWN_TYPES:
                counts.unknown += 1
            return
        msg = obj.get("message")
        if not isinstance(msg, dict) or msg.get("usage") is None:
            counts.unknown += 1
            return
        model = msg.get("model")
        if not isinstance(model, str) or not model or model == NOT_BILLED:
            return
        if len(model) > MAX_NAME:
            counts.bad_lines += 1  # not a model name: kept out of the ledger
            return
        try:
            usage = anthropic_counts(msg["usage"])
            at = timestamp(obj.get("timestamp"))
        except BadUsage:
            counts.bad_lines += 1
            return
        if usage.total_tokens == 0:
            return
        mid = _text(msg.get("id"))
        rid = _text(obj.get("requestId"))
        if mid:
            key = f"{mid}:{rid}" if rid else mid
        else:
            key = f"req:{rid}" if rid else f"line:{_text(obj.get('uuid')) or start}"
        entry = Entry(
            key=key,
            response_id=mid or key,
            provider_id=bool(mid),
            at=at,
            session=_text(obj.get("sessionId")),
            cwd=_text(obj.get("cwd"), 1000),
            provider="anthropic",
            model=model,
            endpoint="messages",
            usage=usage,
        )
        found = self.groups.get(key)
        if found is None:
            self.groups[key] = (entry, start)
        else:
            counts.duplicates += 1  # another snapshot of a message being streamed
            if usage.output_tokens >= found[0].usage.output_tokens:
                self.groups[key] = (entry, found[1])
        self.last_key = key
        self.last_stopped = msg.get("stop_reason") is not None

    def finish(self, end: int, idle: bool) -> tuple[list[Entry], int]:
        """The requests read, and the offset to resume from."""
        read_to = end
        if self.last_key is not None and not self.last_stopped and not idle:
            _, start = self.groups.pop(self.last_key)
            self.counts.partial += 1  # may still be streaming: read again next time
            read_to = start
        return [e for e, _ in self.groups.values()], read_to


def _text(v: object, most: int = MAX_NAME) -> str:
    return v if isinstance(v, str) and len(v) <= most else ""
