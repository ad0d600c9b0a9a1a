"""How the app's tables write a call's energy: a range, ``~`` for an estimate, a tooltip saying how."""

from __future__ import annotations

from typing import Any

from tokenwallet.core.energy_text import EV_WH_PER_KM, _num, co2_text, range_text
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
    return tr("{energy} · {co2} CO₂e ({zone} mix)\n{method}").format(
        energy=energy, co2=co2, zone=e.zone, method=tr(METHOD_WORDS.get(e.method, e.method))
    )


# tokenwallet.core.energy_text's comparison, in the window's language (the same sentence, marked for
# the translators; tests/unit/test_i18n.py keeps the two equal)
EV_SOURCE_TEXT = QT_TR_NOOP(
    "An electric car uses about 20 kWh per 100 km (WLTP; most large EVs at or above 20, smaller "
    "ones in the high teens). Source: Drive, \u201cWhat is a good energy consumption figure for "
    "electric vehicles?\u201d, drive.com.au/caradvice/what-is-a-good-energy-consumption-figure-for-"
    "electric-vehicles/"
)


# core.energy_text.ESTIMATE_TIP, marked for the translators (tests/gui/test_i18n.py keeps them equal)
ESTIMATE_TIP_TEXT = QT_TR_NOOP("Estimated from the model's size class (ecologits has no data for this model)")


def ev_km(micro_wh: float) -> str:
    """``≈ 9 km by electric car`` (core.energy_text.ev_km_text) in the window's language."""
    km = micro_wh / 1e6 / EV_WH_PER_KM
    if km >= 1:
        return tr("≈ {km} km by electric car").format(km=_num(km))
    return tr("≈ {m} m by electric car").format(m=_num(km * 1000))
