"""The dashboard's energy card figures, read off the GUI thread (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from tokenwallet.core.periods import period_bounds, zone

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.energy import EnergyTotal

TOP_MODELS = 5


@dataclass(frozen=True)
class EnergyData:
    month: date  # the month's first day, in the wallet's time zone
    zone: str  # the electricity mix the figures use
    total: EnergyTotal | None  # None: no call with an energy figure this month
    by_model: tuple[EnergyTotal, ...]  # most energy first, at most TOP_MODELS
    pending: int  # calls whose energy is still being computed


def load_energy(wallet: Wallet, *, profile: str | None, now: datetime | None = None) -> EnergyData:
    """This calendar month's energy and CO₂ (the profile's, or the whole wallet's), by model."""
    now = now or datetime.now(UTC)
    tz = zone(str(wallet.get_setting("timezone")))
    start, end = period_bounds("month", now, tz)
    totals = wallet.energy_totals(since=start, until=end, profile=profile)
    by_model = wallet.energy_totals(since=start, until=end, profile=profile, by="model")
    return EnergyData(
        month=start.astimezone(tz).date(),
        zone=wallet.energy_zone(),
        total=totals[0] if totals else None,
        by_model=tuple(by_model[:TOP_MODELS]),
        pending=wallet.energy_pending(),
    )
