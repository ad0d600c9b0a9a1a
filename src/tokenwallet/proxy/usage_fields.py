"""The checks every count in a provider's usage goes through (split from ``proxy.usage``)."""

from __future__ import annotations

from typing import Any


class UsageError(ValueError):
    """Usage a provider sent that cannot be taken at its word (the call is charged its hold)."""


# Providers count tokens in 32-bit fields; a larger count is not a real call (10**15 tokens would
# write a $1e9 ledger row). The settle applies a tighter, per-call bound on top (proxy.charging).
MAX_USAGE_FIELD = 2**31 - 1


def count(d: Any, key: str, *, required: bool = False) -> int:
    """A token count: a whole number in 0..MAX_USAGE_FIELD; absent or null counts 0 unless required."""
    v = d.get(key) if isinstance(d, dict) else None
    if v is None:
        if required:
            raise UsageError(f"usage has no {key}")
        return 0
    if isinstance(v, bool) or not isinstance(v, int):
        shown = repr(v) if len(repr(v)) <= 30 else type(v).__name__
        raise UsageError(f"usage {key} is not a whole number ({shown})")
    if v < 0:
        raise UsageError(f"usage {key} is negative ({v})")
    if v > MAX_USAGE_FIELD:
        raise UsageError(f"usage {key} is beyond any real call ({len(str(v))} digits)")
    return v


def details(d: dict[str, Any], key: str) -> dict[str, Any] | None:
    """A details object: absent or null is fine, anything but an object is not."""
    v = d.get(key)
    if v is None or isinstance(v, dict):
        return v
    raise UsageError(f"usage {key} is not an object")


def within(part: int, whole: int, what: str) -> None:
    if part > whole:
        raise UsageError(f"usage says {what} ({part} > {whole})")
