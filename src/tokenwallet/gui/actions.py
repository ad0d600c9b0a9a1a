"""Small wallet edits shared by several widgets (banner, tray, budgets page)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet.core.money import Amount
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.words import scope_text, word

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet


def find_envelope(wallet: Wallet, envelope_id: int) -> Any:
    for env in wallet.envelopes():
        if env.id == envelope_id:
            return env
    return None


def set_envelope_action(wallet: Wallet, envelope_id: int, action: str) -> Any:
    """Change one envelope's limit action, keeping everything else; returns the saved envelope."""
    env = find_envelope(wallet, envelope_id)
    if env is None:
        raise LookupError(tr("budget #{envelope_id} no longer exists").format(envelope_id=envelope_id))
    return wallet.set_budget(
        env.scope,
        Amount(env.unit, env.amount),
        period=env.period,
        action=action,
        rollover=env.rollover,
        thresholds=tuple(env.thresholds),
    )


def envelope_title(env: Any) -> str:
    """``profile alice · month`` / ``whole wallet · prepaid``."""
    scope = env.scope
    who = scope_text(scope.kind, scope.name)
    if getattr(scope, "profile", None):  # a model/provider budget narrowed to one profile
        who += tr(" for {profile}").format(profile=scope.profile)
    return f"{who} · {word(env.period or 'none')}"


def suggest_for_envelope(
    wallet: Wallet, book: Any, envelope_id: int, data_dir: Path | None = None
) -> str | None:
    """A cheaper model for what an envelope's scope mostly used this period, as a sentence part.

    Threshold events carry no suggestion of their own; this looks at the period's usage mix, takes
    the model with the most tokens and asks for a cheaper one on the same provider (the one the
    proxy could switch to when the envelope downgrades).
    """
    from tokenwallet.pricing.suggest import suggest_cheaper

    status = next((s for s in wallet.status() if s.envelope.id == envelope_id), None)
    if status is None:
        return None
    from tokenwallet.gui.views.dashboard_data import scope_usage_mix

    mix = scope_usage_mix(wallet, status.envelope.scope, since=status.period_start)
    if not mix:
        return None
    (provider, model), usage = max(mix.items(), key=lambda kv: kv[1].total_tokens)
    try:
        found = suggest_cheaper(
            book, provider, model, usage, providers=[provider], limit=1, data_dir=data_dir
        )
    except LookupError:  # a model without a price: nothing to compare with
        return None
    if not found:
        return None
    best = found[0]
    return tr("{model} costs {saving_pct} % less than {model2} for this period's calls").format(
        model=best.model, saving_pct=best.saving_pct, model2=model
    )
