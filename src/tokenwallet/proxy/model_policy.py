"""Which models a profile may call, decided in memory before the hold (issue 10).

Every profile's rules are read in one query at most once a second (like ``Meter.refresh``) and
matched here: a deny pattern or an allow list that misses refuses the call with 403 in the caller's
wire format, naming the rule and how to lift it. A profile whose rules say ``downgrade`` gets the
best allowed cheaper model on the same provider instead, when there is one. The budget
``downgrade`` action and every "a cheaper model would fit" hint only offer allowed models, and a
model/provider envelope is satisfied by a model outside it (:func:`fits`).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tokenwallet.core.events import CallRefused
from tokenwallet.core.model_patterns import PatternError, RuleSet, scope_pattern
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.wallet.errors import WalletError

if TYPE_CHECKING:
    from tokenwallet.core.events import EventBus
    from tokenwallet.pricing.suggest import Tiers
    from tokenwallet.proxy.metering import Meter
    from tokenwallet.proxy.routes import Route
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.types import EnvelopeStatus, KeyBinding, Scope

RULES_TTL = 1.0  # seconds the cached rules stay fresh (a change in the app applies within a second)
_CACHE_MAX = 4096


class ModelPolicy:
    """The model rules of every profile, cached; one per proxy, used on its loop only."""

    def __init__(self, wallet: Wallet) -> None:
        self.wallet = wallet
        self._stamp = -1.0
        self._loaded = False
        # True while a shared wallet is out of reach (set by the meter): the rules read last apply,
        # and the loop does not wait on a database known to be gone.
        self.frozen: Callable[[], bool] = lambda: False
        self._rules: dict[int, RuleSet] = {}
        self._tiers: Tiers | None = None
        self._verdicts: dict[tuple[int, str, str], str | None] = {}
        self._choices: dict[tuple[Any, ...], str | None] = {}

    def refresh(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if (not force and now - self._stamp < RULES_TTL) or (self._loaded and self.frozen()):
            return
        self._stamp = now
        from tokenwallet.pricing.suggest import Tiers

        try:
            rules = self.wallet.model_rules_all()
        except (WalletError, sqlite3.Error) as exc:  # a shared wallet out of reach: the rules read
            from tokenwallet.proxy.offline import unreachable  # last still apply (never read: refuse)

            if self._loaded and unreachable(exc):
                return
            raise
        self._loaded = True
        tiers = Tiers.load(self.wallet.path.parent)
        if rules != self._rules or tiers is not self._tiers:
            self._rules, self._tiers = rules, tiers
            self._verdicts.clear()
            self._choices.clear()

    def rules(self, profile_id: int) -> RuleSet | None:
        """The profile's rules, or None when it may call any model."""
        self.refresh()
        return self._rules.get(profile_id)

    def refusing(self, profile_id: int, provider: str, model: str) -> str | None:
        """The rule that stops ``model`` for this profile, in words; None when it may go."""
        rules = self.rules(profile_id)
        if rules is None:
            return None
        key = (profile_id, provider, model)
        if key in self._verdicts:
            return self._verdicts[key]
        tiers = self._tiers
        verdict = rules.refusing(provider, model, tiers.tier_of if tiers is not None else None)
        if len(self._verdicts) >= _CACHE_MAX:
            self._verdicts.clear()
        self._verdicts[key] = verdict
        return verdict

    def usable(self, binding: KeyBinding, options: list[Any]) -> list[Any]:
        """The suggestions (``.provider``/``.model``) this profile is allowed to call."""
        if self.rules(binding.profile_id) is None:
            return options
        return [s for s in options if self.refusing(binding.profile_id, s.provider, s.model) is None]

    # -- before the hold -------------------------------------------------------------------------

    def admit(
        self,
        route: Route,
        binding: KeyBinding,
        model: str,
        tokens: int,
        cap: int | None,
        *,
        meter: Meter,
        bus: EventBus,
    ) -> str:
        """The model the call may use: ``model`` itself, or an allowed cheaper one; else 403."""
        rule = self.refusing(binding.profile_id, route.provider, model)
        if rule is None:
            return model
        rules = self._rules[binding.profile_id]
        cheaper = self._allowed_cheaper(meter, binding, route.provider, model, (tokens, cap))
        if cheaper is not None and rules.action == "downgrade":
            return cheaper
        bus.publish(
            CallRefused(
                os.urandom(12).hex(),
                binding.profile,
                binding.project,
                route.provider,
                model,
                f"model rule ({rule})",
                suggestion=cheaper,
            )
        )
        message = refusal_message(binding.profile, route.provider, model, rule, cheaper)
        raise ProxyError(403, message, "model_not_allowed")

    def _allowed_cheaper(
        self, meter: Meter, binding: KeyBinding, provider: str, model: str, size: tuple[int, int | None]
    ) -> str | None:
        """The allowed model on ``provider`` nearest in tier to ``model`` whose worst case (for
        ``size``: input tokens, output cap) is lower."""
        tokens, cap = size
        book = meter.book
        key = (id(book), binding.profile_id, provider, model, -(-tokens // 256) * 256, cap)
        if key in self._choices:
            return self._choices[key]
        choice: str | None = None
        try:
            base = book.lookup(provider, model)
        except LookupError:
            base = None
        tiers = self._tiers
        if base is not None and not base.unpriced and tiers is not None:
            out_cap = book.default_max_output(base) if cap is None else cap
            worst = book.worst_case(base, key[4], out_cap)
            base_tier = tiers.tier_of(provider, model)
            ranked: list[tuple[int, int, str]] = []
            for price in book.catalog([provider]):
                tier = tiers.tier_of(price.provider, price.model)
                if tier is None or price.unpriced or price.model == model:
                    continue  # no tier: embeddings, speech… never stand in for a chat model
                if price.context_window is not None and price.context_window < tokens:
                    continue
                if self.refusing(binding.profile_id, provider, price.model) is not None:
                    continue
                cost = book.worst_case(price, key[4], out_cap)
                if cost < worst:
                    distance = tiers.distance(tier, base_tier) if base_tier else 0
                    ranked.append((distance, -cost, price.model))
            choice = min(ranked)[2] if ranked else None
        if len(self._choices) >= _CACHE_MAX:
            self._choices.clear()
        self._choices[key] = choice
        return choice


def refusal_message(profile: str, provider: str, model: str, rule: str, cheaper: str | None) -> str:
    msg = (
        f"Token Wallet model rules for profile {profile!r} do not allow {model} on {provider} (rule: {rule})."
    )
    if cheaper:
        msg += f" An allowed cheaper model: {cheaper}."
    return msg + (
        f" To lift it: `tokenwallet model-rules allow --profile {profile} {provider}/{model}`"
        f" (see `tokenwallet model-rules show --profile {profile}`)."
    )


def covers(scope: Scope, provider: str, model: str) -> bool:
    """Whether a ``model``/``provider`` envelope's scope applies to ``model`` on ``provider``."""
    if scope.kind not in ("model", "provider") or scope.name is None:
        return True
    try:
        p = scope_pattern(scope.kind, scope.name)
    except PatternError:
        return True  # cannot tell: assume it applies (the stricter answer)
    return p.matches(provider, model)


def fits(status: EnvelopeStatus, provider: str, model: str, cost_nano: int) -> bool:
    """Whether a call to ``model`` costing ``cost_nano`` would pass the envelope ``status``."""
    if not covers(status.envelope.scope, provider, model):
        return True
    return status.envelope.unit == "usd" and cost_nano <= status.available
