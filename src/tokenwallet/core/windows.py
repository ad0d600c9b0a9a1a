"""Subscription usage windows: the session window (Claude's 5 hours) and the weekly one.

Pure integer maths on microsecond time stamps and nano-USD, no wallet and no clock: the caller
hands in the usage entries and ``now``.

Session windows follow ccusage's ``blocks`` (``src/_session-blocks.ts``), which the community
checks against Claude's own resets: entries are sorted; a window starts at the first entry,
rounded down to the hour (``floor_hour``); an entry more than the window's length after the
window's start, or after the previous entry, starts a new window. An entry exactly at the end
still belongs to the window it ends (ccusage compares with ``>``). A window is *active* while
``now`` is before its end and less than one length after its last entry.

The weekly window resets at a fixed instant each week (Anthropic: "a fixed day and time assigned
to your account"), given as any one past or future reset (``anchor_us``). Without one the week
is the rolling last seven days, and has no reset time.

Burn rate is what the window used over the time from its first entry to ``now`` (at least a
minute, so one entry a second ago does not read as an infinite rate); the projection and the
exhaustion time extend that rate linearly to the reset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

US_PER_MINUTE = 60 * 10**6
US_PER_HOUR = 60 * US_PER_MINUTE
WEEK_US = 7 * 24 * US_PER_HOUR
MIN_RATE_SPAN_US = US_PER_MINUTE


@dataclass(frozen=True, slots=True)
class Entry:
    """One request's usage: when, how many tokens, what it would have cost through the API."""

    at_us: int
    tokens: int
    cost_nano: int


@dataclass(frozen=True, slots=True)
class Block:
    """A session window with usage: ``[start_us, end_us)``, first and last entry, the sums."""

    start_us: int
    end_us: int
    first_us: int
    last_us: int
    tokens: int
    cost_nano: int
    calls: int

    def active(self, now_us: int) -> bool:
        return now_us < self.end_us and now_us - self.last_us < self.end_us - self.start_us


@dataclass(frozen=True, slots=True)
class Window:
    """One window as it stands at ``now``.

    ``start_us`` is None when no session window is running (the next request starts one);
    ``reset_us`` is None for a rolling week. Rates are per hour; projections are at the reset.
    """

    kind: str  # "session" | "week"
    start_us: int | None
    reset_us: int | None
    tokens: int
    cost_nano: int
    calls: int
    first_us: int | None  # the first entry in the window
    cost_per_hour: int | None  # nano-USD per hour
    tokens_per_hour: int | None
    projected_cost: int | None  # at the reset, at this rate
    projected_tokens: int | None


def floor_to_hour(us: int) -> int:
    return us - us % US_PER_HOUR


def session_blocks(entries: Sequence[Entry], length_us: int, *, floor_hour: bool) -> list[Block]:
    """Group ``entries`` into session windows of ``length_us`` (see the module's docstring)."""
    if length_us <= 0:
        raise ValueError("a session window needs a positive length")
    blocks: list[Block] = []
    start = last = first = 0
    tokens = cost = calls = 0
    for e in sorted(entries, key=lambda e: e.at_us):
        if calls and (e.at_us - start > length_us or e.at_us - last > length_us):
            blocks.append(Block(start, start + length_us, first, last, tokens, cost, calls))
            calls = 0
        if not calls:
            start = floor_to_hour(e.at_us) if floor_hour else e.at_us
            first, tokens, cost = e.at_us, 0, 0
        last = e.at_us
        tokens += e.tokens
        cost += e.cost_nano
        calls += 1
    if calls:
        blocks.append(Block(start, start + length_us, first, last, tokens, cost, calls))
    return blocks


def _rate(amount: int, first_us: int | None, now_us: int) -> int | None:
    if first_us is None:
        return None
    span = max(now_us - first_us, MIN_RATE_SPAN_US)
    return amount * US_PER_HOUR // span


def _projected(amount: int, first_us: int | None, now_us: int, reset_us: int | None) -> int | None:
    if first_us is None or reset_us is None:
        return None
    span = max(now_us - first_us, MIN_RATE_SPAN_US)
    return amount + amount * max(0, reset_us - now_us) // span


def _window(kind: str, start: int | None, reset: int | None, inside: Sequence[Entry], now_us: int) -> Window:
    tokens = sum(e.tokens for e in inside)
    cost = sum(e.cost_nano for e in inside)
    first = min((e.at_us for e in inside), default=None)
    return Window(
        kind,
        start,
        reset,
        tokens,
        cost,
        len(inside),
        first,
        _rate(cost, first, now_us),
        _rate(tokens, first, now_us),
        _projected(cost, first, now_us, reset),
        _projected(tokens, first, now_us, reset),
    )


def session_window(entries: Sequence[Entry], now_us: int, length_us: int, *, floor_hour: bool) -> Window:
    """The session window running at ``now_us``, or an empty one (``start_us`` None) when none is."""
    past = [e for e in entries if e.at_us <= now_us]
    blocks = session_blocks(past, length_us, floor_hour=floor_hour)
    if not blocks or not blocks[-1].active(now_us):
        return _window("session", None, None, (), now_us)
    b = blocks[-1]
    inside = [e for e in past if b.first_us <= e.at_us <= b.last_us]
    return _window("session", b.start_us, b.end_us, inside, now_us)


def week_bounds(now_us: int, anchor_us: int | None) -> tuple[int, int | None]:
    """``[start, reset)`` of the week containing ``now_us``; rolling (reset None) without an anchor."""
    if anchor_us is None:
        return now_us - WEEK_US, None
    start = now_us - (now_us - anchor_us) % WEEK_US
    return start, start + WEEK_US


def week_window(entries: Sequence[Entry], now_us: int, anchor_us: int | None) -> Window:
    """The weekly window at ``now_us``: fixed weekly resets from ``anchor_us``, else the last 7 days."""
    start, reset = week_bounds(now_us, anchor_us)
    # a fixed week includes its start instant; a rolling one is the 7 days up to now (both ends in)
    inside = [e for e in entries if start <= e.at_us <= now_us]
    return _window("week", start, reset, inside, now_us)


def exhaustion_us(used: int, limit: int, w: Window, now_us: int) -> int | None:
    """When ``used`` reaches ``limit`` at the window's rate: ``now_us`` if it already has, None if
    not before the reset (or the window has no rate or no reset)."""
    if limit <= 0:
        return None
    if used >= limit:
        return now_us
    if w.first_us is None or w.reset_us is None or used <= 0:
        return None
    span = max(now_us - w.first_us, MIN_RATE_SPAN_US)
    at = now_us + -(-(limit - used) * span // used)  # ceiling: the first microsecond at or over
    return at if at < w.reset_us else None
