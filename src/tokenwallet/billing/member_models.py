"""Which models a household member may call, changed by the owner (with the owner PIN).

A child starts with ``tier:small`` (the wallet's default for household children, see
``wallet/model_rules.py``); the owner can widen or narrow that, and every change is written to the
household log like the owner's other actions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tokenwallet.billing import store
from tokenwallet.billing.household import member
from tokenwallet.billing.pin import log, require_owner
from tokenwallet.core.model_patterns import PatternError, RuleSet, parse_patterns
from tokenwallet.wallet.errors import WalletError

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet


def set_member_models(
    wallet: Wallet, name: str, allow: Sequence[str], *, pin: str | None, now: datetime | None = None
) -> RuleSet:
    """Let member ``name`` call exactly the models matching ``allow`` (``*`` for any model).

    Deny patterns and the refused-model action set elsewhere (``tokenwallet model-rules``) stay.
    """
    m = member(wallet, name)
    if m.is_owner:
        raise WalletError("the owner's own models are not limited here (use tokenwallet model-rules)")
    try:
        patterns = [p.text for p in parse_patterns(allow)]
    except PatternError as exc:
        raise WalletError(str(exc)) from None
    if not patterns:
        raise WalletError("name at least one model pattern or tier (e.g. tier:small), or * for any model")
    require_owner(wallet, pin, action=f"change which models {name} may call", now=now)
    current = wallet.model_rules(name)
    rules = wallet.set_model_rules(
        name, allow=patterns, deny=[p.text for p in current.deny], action=current.action
    )
    with store.write(wallet) as conn:
        log(conn, store.stamp(store.now_utc(now, wallet)), "models", f"{name}: {rules.describe()}", True)
    return rules
