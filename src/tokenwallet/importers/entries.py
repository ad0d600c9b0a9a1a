"""What every log reader produces: one :class:`Entry` per billed request, and the counts of a run.

Counts in agents' logs are taken as the provider reported them, but checked like the meter checks
an answer: whole numbers, in range, parts within their totals. A line whose counts are not believable
is counted as a bad line and imports nothing (a corrupt log must not write a $1e9 row).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tokenwallet.core.usage import Usage

MAX_COUNT = 2**31 - 1  # providers count tokens in 32-bit fields


class BadUsage(ValueError):
    """Counts that cannot be taken at their word."""


@dataclass(slots=True)
class Entry:
    """One billed request found in a log."""

    key: str  # identity within the logs: two entries with one key are one request
    response_id: str  # kept in the ledger: the provider's answer id, or a stable id made from the log
    provider_id: bool  # response_id is the provider's own id (a metered twin is found by it)
    at: datetime
    session: str
    cwd: str  # the project directory the agent ran in ("" when the log does not say)
    provider: str
    model: str
    endpoint: str
    usage: Usage
    flags: str = ""
    project_hash: str = ""  # Gemini CLI names the project by the SHA-256 of its directory
    pair: str = ""  # Codex logs one response twice in two kinds of record ("count", "record"): see run.py
    resumed: bool = False  # read from a file's middle: its pair may be in an earlier run's rows


@dataclass(slots=True)
class Counts:
    """What one import run saw and did (printed as the summary)."""

    files: int = 0
    files_unchanged: int = 0
    files_unreadable: int = 0
    bytes_read: int = 0
    lines: int = 0
    requests: int = 0  # distinct billed requests found in what was read
    imported: int = 0
    duplicates: int = 0  # streamed snapshots, re-emitted counters, requests imported before
    metered: int = 0  # went through the meter already: skipped
    bad_lines: int = 0  # not JSON, or counts that are not believable
    unknown: int = 0  # JSON lines of a kind the reader does not know (skipped)
    partial: int = 0  # an unfinished last line or message (a file being written): read next time
    unpriced: int = 0  # imported at the wallet's fallback rates: the model has no known price
    cost_nano: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)  # one line each: files that could not be read

    def add(self, other: Counts) -> None:
        for name in self.__slots__:
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, list):
                mine.extend(theirs)
            else:
                setattr(self, name, mine + theirs)


def count(d: Any, key: str) -> int:
    """A token count: absent or null is 0; anything but a whole number in range is BadUsage."""
    v = d.get(key) if isinstance(d, dict) else None
    if v is None:
        return 0
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_COUNT:
        raise BadUsage(f"{key} is not a token count")
    return v


def timestamp(value: Any) -> datetime:
    """An ISO 8601 time stamp as the agents write it (``2025-11-19T20:05:16.363Z``), aware."""
    if not isinstance(value, str):
        raise BadUsage("no timestamp")
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise BadUsage("timestamp is not ISO 8601") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def anthropic_counts(u: Any) -> Usage:
    """Claude's ``message.usage``: cache reads and writes beside ``input_tokens``; writes split by
    lifetime in ``cache_creation`` (the total is authoritative, the rest is the 5-minute default)."""
    if not isinstance(u, dict):
        raise BadUsage("usage is not an object")
    total_writes = count(u, "cache_creation_input_tokens")
    creation = u.get("cache_creation")
    w1h = count(creation, "ephemeral_1h_input_tokens")
    w5m = count(creation, "ephemeral_5m_input_tokens")
    if not total_writes:
        total_writes = w1h + w5m  # a log with the split only
    if w1h + w5m > total_writes:
        raise BadUsage("more cache writes by lifetime than in total")
    return Usage(
        input_tokens=count(u, "input_tokens"),
        cache_read_tokens=count(u, "cache_read_input_tokens"),
        cache_write_tokens=total_writes - w1h,
        cache_write_1h_tokens=w1h,
        output_tokens=count(u, "output_tokens"),
    )


def openai_counts(u: Any) -> Usage:
    """Codex's ``token_count`` usage: ``input_tokens`` includes ``cached_input_tokens``, and
    ``output_tokens`` includes ``reasoning_output_tokens`` (as in the Responses API)."""
    if not isinstance(u, dict):
        raise BadUsage("usage is not an object")
    prompt = count(u, "input_tokens")
    cached = count(u, "cached_input_tokens")
    output = count(u, "output_tokens")
    reasoning = count(u, "reasoning_output_tokens")
    if cached > prompt:
        raise BadUsage("more cached tokens than input tokens")
    if reasoning > output:
        raise BadUsage("more reasoning tokens than output tokens")
    return Usage(
        input_tokens=prompt - cached,
        cache_read_tokens=cached,
        output_tokens=output,
        reasoning_tokens=reasoning,
    )


def gemini_counts(t: Any) -> Usage:
    """Gemini CLI's ``tokens`` (its names for the API's usageMetadata): ``input`` includes ``cached``;
    ``tool`` is more input, ``thoughts`` more output; a ``total`` above the parts is charged as output,
    as the meter does."""
    if not isinstance(t, dict):
        raise BadUsage("tokens is not an object")
    prompt = count(t, "input") + count(t, "tool")
    cached = count(t, "cached")
    thoughts = count(t, "thoughts")
    output = count(t, "output") + thoughts
    if cached > prompt:
        raise BadUsage("more cached tokens than input tokens")
    total = count(t, "total")
    hidden = max(total - prompt - output, 0)
    return Usage(
        input_tokens=prompt - cached,
        cache_read_tokens=cached,
        output_tokens=output + hidden,
        reasoning_tokens=thoughts + hidden,
    )
