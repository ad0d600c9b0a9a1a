"""How the app's tables write a call's energy: a range, ``~`` for an estimate, a tooltip saying how."""

from __future__ import annotations

from typing import Any

from tokenwallet.core.energy_text import co2_text, range_text
from tokenwallet.gui.i18n import QT_TR_NOOP, tr


def energy_cell(e: Any) -> str:
    """``29.6–36.4 mWh``; ``~`` in front of an estimate; empty while not computed or unknown."""
    if e is None:
        return ""
    text = range_text(e.wh_min_micro, e.wh_max_micro)
    return text if e.method == "ecologits" else f"~{text}"


METHOD_WORDS = {
    "ecologits": QT_TR_NOOP("ecologits (its data for this model)"),
    "tier-estimate": QT_TR_NOOP("estimate: ecologits' formulas for a model of this capability tier"),
    "local-watts": QT_TR_NOOP("estimate: your gpu_watts setting × the call's duration"),
}


def energy_tip(e: Any) -> str:
    if e is None:
        return tr("No energy figure (not computed yet, or not a text model ecologits can estimate)")
    co2 = range_text(e.gco2_min_micro, e.gco2_max_micro, co2_text)
    energy = range_text(e.wh_min_micro, e.wh_max_micro)
    return tr("{energy} · {co2} CO₂e ({zone} mix)\n{get}").format(
        energy=energy, co2=co2, zone=e.zone, get=tr(METHOD_WORDS.get(e.method, e.method))
    )
