"""Energy as people read it: ``36 mWh``, ``1.8 kWh``, ``≈ 9 km by electric car``.

The comparison uses 20 kWh per 100 km, a typical electric car's consumption in the WLTP cycle
(Drive, "What is a good energy consumption figure for electric vehicles?": most large EVs are at
or above 20 kWh/100 km, smaller ones in the high teens —
https://www.drive.com.au/caradvice/what-is-a-good-energy-consumption-figure-for-electric-vehicles/).
"""

from __future__ import annotations

from collections.abc import Callable

EV_WH_PER_KM = 200  # 20 kWh / 100 km
EV_SOURCE = (
    "An electric car uses about 20 kWh per 100 km (WLTP; most large EVs at or above 20, smaller "
    "ones in the high teens). Source: Drive, \u201cWhat is a good energy consumption figure for "
    "electric vehicles?\u201d, drive.com.au/caradvice/what-is-a-good-energy-consumption-figure-for-"
    "electric-vehicles/"
)


def _num(x: float) -> str:
    """Three significant digits, no exponent: 0.0364, 1.82, 36.4, 364."""
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return f"{x:.3g}"


def wh_text(micro_wh: float) -> str:
    """``364 µWh`` · ``36.4 mWh`` · ``1.82 Wh`` · ``1.8 kWh`` · ``2.3 MWh``."""
    for scale, unit in ((1e12, "MWh"), (1e9, "kWh"), (1e6, "Wh"), (1e3, "mWh")):
        if micro_wh >= scale:
            return f"{_num(micro_wh / scale)} {unit}"
    return f"{_num(micro_wh)} µWh" if micro_wh else "0 Wh"


def co2_text(micro_g: float) -> str:
    """``12 mg`` · ``3.4 g`` · ``1.2 kg`` CO₂eq (the unit only; callers add "CO₂e")."""
    for scale, unit in ((1e12, "t"), (1e9, "kg"), (1e6, "g"), (1e3, "mg")):
        if micro_g >= scale:
            return f"{_num(micro_g / scale)} {unit}"
    return f"{_num(micro_g)} µg" if micro_g else "0 g"


def range_text(lo: int, hi: int, text: Callable[[float], str] = wh_text) -> str:
    """``1.2–1.9 Wh`` for a range (``text=co2_text``: ``155–210 mg``), one figure when both agree."""
    a, b = text(lo), text(hi)
    if a == b:
        return a
    unit_a, unit_b = a.split(" ", 1)[1], b.split(" ", 1)[1]
    return f"{a.split(' ', 1)[0]}–{b}" if unit_a == unit_b else f"{a}–{b}"


def ev_km_text(micro_wh: float) -> str:
    """How far an electric car goes on that energy: ``≈ 9 km``, ``≈ 350 m``."""
    km = micro_wh / 1e6 / EV_WH_PER_KM
    if km >= 1:
        return f"≈ {_num(km)} km by electric car"
    return f"≈ {_num(km * 1000)} m by electric car"


ESTIMATE_TIP = "Estimated from the model's size class (ecologits has no data for this model)"


def wh_cell(wh: float | None, *, estimated: bool) -> str:
    """One call's energy in a table: ``0.123 Wh``, ``~0.123 Wh`` for an estimate, ``—`` for none."""
    if wh is None:
        return "—"
    return f"{'~' if estimated else ''}{wh:.3g} Wh"
