"""Which models a rule or a budget means: one small pattern syntax, matched the same everywhere.

A pattern is one of

* ``tier:NAME`` — every model of a capability tier in ``model_tiers.toml`` (``tier:small``);
* ``PROVIDER/MODEL`` — the part before the *first* ``/`` is always our provider name, the rest
  the model as that provider names it: ``anthropic/claude-opus-*``, ``openrouter/*``,
  ``openrouter/*/claude-*`` (OpenRouter's own ids contain a ``/``);
* ``MODEL`` — a model on any provider: ``gpt-4o*`` (it does not match OpenRouter's
  ``openai/gpt-4o``: write ``openrouter/openai/gpt-4o*`` or ``*gpt-4o*`` for that).

Both parts are globs: ``*`` is any run of characters (``/`` included), ``?`` one character.
Matching ignores case. ``[`` and ``]`` are refused, which keeps Python's ``fnmatchcase`` and
SQLite's ``GLOB`` (used to pick a call's per-model envelopes inside the reserve transaction)
in exact agreement — a test holds them equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal

MAX_PATTERN = 200
TIER_PREFIX = "tier:"
_TIER_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")

#: ``tier_of(provider, model)``: the model's capability tier, or None (pricing.suggest.Tiers.tier_of).
TierOf = Callable[[str, str], str | None]


class PatternError(ValueError):
    """A pattern a user typed that means nothing we can match; the message says why."""


@dataclass(frozen=True, slots=True)
class ModelPattern:
    """One parsed pattern; ``text`` is its canonical (lower-case) spelling."""

    text: str
    provider_glob: str
    model_glob: str
    tier: str | None = None

    @classmethod
    def parse(cls, raw: str) -> ModelPattern:
        text = raw.strip().lower()
        if not text:
            raise PatternError("a model pattern cannot be empty")
        if len(text) > MAX_PATTERN:
            raise PatternError(f"a model pattern is at most {MAX_PATTERN} characters")
        if not text.isprintable() or any(ch.isspace() for ch in text):
            raise PatternError(f"{raw!r}: a model pattern has no spaces or control characters")
        if "[" in text or "]" in text:
            raise PatternError(f"{raw!r}: only * and ? are wildcards here ([…] is not supported)")
        if text.startswith(TIER_PREFIX):
            name = text[len(TIER_PREFIX) :]
            if not _TIER_NAME.fullmatch(name):
                raise PatternError(f"{raw!r}: write a tier as tier:NAME (e.g. tier:small)")
            return cls(text, "*", "*", name)
        provider, slash, model = text.partition("/")
        if not slash:
            return cls(text, "*", text)
        if not provider or not model:
            raise PatternError(
                f"{raw!r}: write PROVIDER/MODEL (e.g. anthropic/claude-opus-*, openrouter/*) or a model alone"
            )
        return cls(text, provider, model)

    def matches(self, provider: str, model: str, tier_of: TierOf | None = None) -> bool:
        """Whether a call to ``model`` on ``provider`` falls under this pattern."""
        if self.tier is not None:
            return tier_of is not None and tier_of(provider, model) == self.tier
        return fnmatchcase(provider.lower(), self.provider_glob) and fnmatchcase(
            model.lower(), self.model_glob
        )

    def __str__(self) -> str:
        return self.text


def provider_pattern(raw: str) -> ModelPattern:
    """``--provider openrouter``: every model of a provider (a glob allowed: ``open*``)."""
    text = raw.strip().lower()
    if not text or "/" in text or text.startswith(TIER_PREFIX):
        raise PatternError(f"{raw!r} is not a provider name (e.g. openrouter, anthropic)")
    parsed = ModelPattern.parse(f"{text}/*")
    return ModelPattern(text, parsed.provider_glob, parsed.model_glob)


def scope_pattern(kind: str, name: str) -> ModelPattern:
    """What a ``model`` or ``provider`` envelope scope (``Scope.kind``, ``Scope.name``) matches."""
    return provider_pattern(name) if kind == "provider" else ModelPattern.parse(name)


def scope_covers(kind: str, name: str | None, profile: str | None, provider: str, model: str) -> bool:
    """Whether an envelope scope that belongs to no one profile applies to ``provider``/``model``
    for anyone: the wallet, and model/provider scopes for every profile that match (for previews
    without a profile)."""
    if kind == "wallet":
        return True
    if kind not in ("model", "provider") or profile is not None or name is None:
        return False
    try:
        return scope_pattern(kind, name).matches(provider, model)
    except PatternError:
        return False


def parse_patterns(raw: Sequence[str]) -> tuple[ModelPattern, ...]:
    """Several patterns, de-duplicated in order; the first bad one raises PatternError."""
    out: dict[str, ModelPattern] = {}
    for item in raw:
        p = ModelPattern.parse(item)
        out.setdefault(p.text, p)
    return tuple(out.values())


Action = Literal["block", "downgrade"]
RULE_ACTIONS: tuple[str, ...] = ("block", "downgrade")


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A profile's model rules. An empty allow list allows every model; deny wins over allow.

    ``source`` says where the rules come from: ``own`` (set for this profile),
    ``household`` (the default for a household child: ``tier:small``) or ``none`` (no rules).
    ``action`` is what a refused model gets: ``block`` (403) or ``downgrade`` (an allowed cheaper
    model on the same provider, when there is one; else 403).
    """

    allow: tuple[ModelPattern, ...] = ()
    deny: tuple[ModelPattern, ...] = ()
    action: Action = "block"
    source: str = "none"

    @property
    def open(self) -> bool:
        """No rule at all: every model passes (the proxy skips matching)."""
        return not self.allow and not self.deny

    def refusing(self, provider: str, model: str, tier_of: TierOf | None) -> str | None:
        """None when the call may go; else the rule that stops it, in words."""
        for p in self.deny:
            if p.matches(provider, model, tier_of):
                return f"deny {p.text}"
        if self.allow and not any(p.matches(provider, model, tier_of) for p in self.allow):
            return "allow only " + ", ".join(p.text for p in self.allow)
        return None

    def describe(self) -> str:
        """``tier:small, gpt-4o-mini; never o1*`` — what the profile may use, in one line."""
        may = ", ".join(p.text for p in self.allow) if self.allow else "any model"
        never = f"; never {', '.join(p.text for p in self.deny)}" if self.deny else ""
        return may + never
