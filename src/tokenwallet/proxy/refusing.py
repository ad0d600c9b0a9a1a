"""Refusals and cheaper models: what a call that does not fit is told, and what would fit.

A mixin of :class:`tokenwallet.proxy.calls.Planner`: the budget refusal (402 in the caller's wire
format, naming the envelope and a cheaper model that would fit) and the cheaper-model searches
the downgrades and the guards use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tokenwallet.core.events import CallRefused
from tokenwallet.core.money import format_tokens, format_usd
from tokenwallet.core.usage import Usage
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.metering import describe_available, remaining_header
from tokenwallet.proxy.model_policy import fits

if TYPE_CHECKING:
    from tokenwallet.core.events import EventBus
    from tokenwallet.proxy.metering import Meter
    from tokenwallet.proxy.routes import Route
    from tokenwallet.wallet.types import EnvelopeStatus, KeyBinding, ReserveResult


def _refusal_message(status: EnvelopeStatus, cost: int, tokens: int, suggestion: str | None) -> str:
    env = status.envelope
    need = format_usd(cost, places=4) if env.unit == "usd" else f"{format_tokens(tokens)} tokens"
    msg = (
        f"Token Wallet budget {env.label} cannot cover this call: it may cost up to {need} "
        f"and {describe_available(status)} is left."
    )
    if suggestion:
        msg += f" A cheaper model that would fit: {suggestion}."
    else:
        msg += " Top up (`tokenwallet topup`), raise the budget, or lower max_tokens."
    return msg


class Refusals:
    """The planner's refusals and cheaper-model searches (needs ``meter`` and ``bus``)."""

    meter: Meter
    bus: EventBus

    def _cheaper(
        self,
        provider: str,
        model: str,
        input_tokens: int,
        out_cap: int,
        status: EnvelopeStatus,
        *,
        binding: KeyBinding,
        same_provider: bool = True,
    ) -> str | None:
        """The first cheaper model the profile may call whose worst case fits ``status`` (a token
        budget only fits a model outside its scope) — ``provider/model`` when elsewhere."""
        options = self.meter.models.usable(binding, self._suggestions(provider, model, input_tokens, out_cap))
        for s in options:
            if s.provider == provider and fits(status, s.provider, s.model, s.cost_nano):
                return str(s.model)
        if not same_provider:
            anywhere = self._suggestions(provider, model, input_tokens, out_cap, anywhere=True)
            for s in self.meter.models.usable(binding, anywhere):
                if fits(status, s.provider, s.model, s.cost_nano):
                    return f"{s.provider}/{s.model}"
        return None

    def _cheaper_within(
        self, provider: str, model: str, input_tokens: int, out_cap: int, room: int, *, binding: KeyBinding
    ) -> str | None:
        """The first cheaper model of the same provider, allowed to the profile, costing at most ``room``."""
        options = self.meter.models.usable(binding, self._suggestions(provider, model, input_tokens, out_cap))
        for s in options:
            if s.provider == provider and s.cost_nano <= room:
                return str(s.model)
        return None

    def _suggestions(
        self, provider: str, model: str, input_tokens: int, out_cap: int, *, anywhere: bool = False
    ) -> list[Any]:
        """suggest_cheaper, cached: it walks the whole catalog (~10 ms), and refusals come in bursts.

        Only the request's own provider unless ``anywhere``: a downgrade must stay on the route the
        call came in on, and cheap models elsewhere would crowd that provider's out of the list.
        The input is rounded up to a multiple of 256 tokens so one entry serves similar prompts while
        its costs stay an upper bound.
        """
        rounded = -(-input_tokens // 256) * 256
        key = (provider, model, rounded, out_cap, anywhere)
        cache = self.meter.suggestion_cache
        hit = cache.get(key)
        if hit is None:
            from tokenwallet.pricing.suggest import suggest_cheaper

            mix = Usage(input_tokens=rounded, output_tokens=out_cap)
            # a long list: a model envelope (or the profile's rules) may rule out the first few
            try:
                hit = list(
                    suggest_cheaper(
                        self.meter.book,
                        provider,
                        model,
                        mix,
                        context_needed=input_tokens,
                        limit=64,
                        providers=None if anywhere else [provider],
                    )
                )
            except LookupError:
                hit = []
            if len(cache) > 256:
                cache.clear()
            cache[key] = hit
        return hit

    def _refuse(
        self,
        route: Route,
        binding: KeyBinding,
        model: str,
        input_tokens: int,
        *,
        out_cap: int,
        worst: int,
        res: ReserveResult,
        call_id: str,
    ) -> None:
        status = res.refused or res.downgrade or res.tightest
        if status is None:
            raise ProxyError(
                402, "Token Wallet refused the call (no envelope could hold it).", "budget_exceeded"
            )
        suggestion = self._cheaper(
            route.provider, model, input_tokens, out_cap, status, binding=binding, same_provider=False
        )
        env = status.envelope
        self.bus.publish(
            CallRefused(
                call_id,
                binding.profile,
                binding.project,
                route.provider,
                model,
                "budget",
                env.label,
                env.id,
                status.available,
                env.unit,
                suggestion,
            )
        )
        message = _refusal_message(status, worst, input_tokens + out_cap, suggestion)
        raise ProxyError(
            402, message, "budget_exceeded", headers={"x-tokenwallet-remaining": remaining_header(status)}
        )
