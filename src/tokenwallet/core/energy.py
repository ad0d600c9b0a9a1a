"""Energy and carbon of one call: ecologits where it knows the model, an estimate where it does not.

Three methods, in this order (the first that applies wins):

========================  ==================================================================
``local-watts``           Ollama / LM Studio: the user's watts per GPU × the call's duration.
``ecologits``             ecologits (MPL-2.0) knows the model: its bundled parameter counts,
                          deployment speeds and the provider's data-centre PUE.
``tier-estimate``         an unknown model with a capability tier (``model_tiers.toml``): the
                          parameter class of that tier (:data:`TIER_PARAMS`) through the same
                          ecologits formulas — an *estimate*, labelled as one everywhere.
========================  ==================================================================

Anything else (no tier, no duration for a local model) has no impact: ``None``.

Numbers are kept as integers in micro-units — µWh and µg CO₂eq — so sums in SQLite are exact and
float-free; ecologits' floats are rounded once, here. One ecologits computation costs about a
millisecond (pydantic models, a DAG walk), far too slow for the proxy's settle path: the wallet
fills a row's energy after the fact (``Wallet.fill_energy``), never while the call is metered.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tokenwallet.pricing.suggest import Tiers

ECOLOGITS = "ecologits"
TIER_ESTIMATE = "tier-estimate"
LOCAL_WATTS = "local-watts"
NONE = "none"  # looked at, nothing to say (embeddings, images, an untiered unknown model)
METHODS = (ECOLOGITS, TIER_ESTIMATE, LOCAL_WATTS, NONE)

#: Served from the user's machine (the same names as ``wallet.providers.LOCAL_PROVIDERS``).
LOCAL_PROVIDERS = frozenset({"ollama", "lmstudio"})

#: Our provider names → ecologits' (OpenRouter's ``vendor/model`` names map by vendor).
ECOLOGITS_PROVIDERS = {
    "openai": "openai",
    "anthropic": "anthropic",
    "gemini": "google_genai",
    "google": "google_genai",
    "mistral": "mistralai",
    "mistralai": "mistralai",
    "cohere": "cohere",
}

#: Parameter class per capability tier, in billions: (active min, active max, total min, total max).
#: Taken from ecologits' own entries for typical models of each tier (models.json, v0.11):
#: frontier ≈ claude-opus-4-5 (MoE 670B, 67–200B active), high ≈ gpt-4o / claude-sonnet-4-5
#: (MoE 440B, 44–132B active), mid ≈ gpt-4o-mini … gpt-5-mini (dense 8–70B),
#: small ≈ gpt-5-nano (dense 5–18.5B).
TIER_PARAMS: dict[str, tuple[float, float, float, float]] = {
    "frontier": (67, 200, 670, 670),
    "high": (44, 132, 440, 440),
    "mid": (8, 70, 8, 70),
    "small": (5, 18.5, 5, 18.5),
}
#: Data-centre overhead for an estimate: the span of ecologits' provider PUEs (1.09 … 1.20).
ESTIMATE_PUE = (1.09, 1.20)
ESTIMATE_WUE = 0.569  # only feeds ecologits' water figure, which we do not keep

_KWH_TO_MICRO_WH = 1_000_000_000  # 1 kWh = 10⁹ µWh
_KG_TO_MICRO_G = 1_000_000_000  # 1 kg = 10⁹ µg


# The ledger's energy columns (schema_energy.py), as history, its CSV and exports name them
ENERGY_FIELDS = (
    "energy_uwh_min",
    "energy_uwh_max",
    "gco2_ug_min",
    "gco2_ug_max",
    "energy_method",
    "energy_zone",
)


@dataclass(frozen=True, slots=True)
class Impact:
    """Energy (µWh) and emissions (µg CO₂eq) of one call, with ecologits' uncertainty range."""

    wh_min_micro: int
    wh_max_micro: int
    gco2_min_micro: int
    gco2_max_micro: int
    method: str  # ecologits | tier-estimate | local-watts
    zone: str  # the electricity mix (ISO alpha-3, WOR)

    @property
    def wh_mid(self) -> float:
        """The middle of the range in Wh, for display only (sums use the integers)."""
        return (self.wh_min_micro + self.wh_max_micro) / 2_000_000

    @property
    def gco2_mid(self) -> float:
        return (self.gco2_min_micro + self.gco2_max_micro) / 2_000_000

    @property
    def estimated(self) -> bool:
        return self.method != ECOLOGITS


class EnergyError(ValueError):
    """A zone ecologits has no electricity mix for."""


def _bare(model: str) -> str:
    return model.rsplit("/", 1)[-1]


def _strip_date(model: str) -> str:
    """``gpt-4o-2024-08-06`` → ``gpt-4o``; ``claude-x-20250929`` → ``claude-x`` (else unchanged)."""
    parts = model.split("-")
    if len(parts) >= 4 and all(p.isdigit() for p in parts[-3:]) and len(parts[-3]) == 4:
        return "-".join(parts[:-3])
    if len(parts) >= 2 and parts[-1].isdigit() and len(parts[-1]) == 8:
        return "-".join(parts[:-1])
    return model


def ecologits_model(provider: str, model: str) -> tuple[str, Any] | None:
    """ecologits' provider name and model entry for our ``provider``/``model``, if it knows it."""
    from ecologits.model_repository import models

    provider = provider.lower()
    eco_provider = ECOLOGITS_PROVIDERS.get(provider)
    name = model
    if "/" in model and (eco_provider is None or provider == "openrouter"):
        vendor, _, name = model.partition("/")
        eco_provider = ECOLOGITS_PROVIDERS.get(vendor.lower(), vendor.lower())
    if eco_provider is None:
        return None
    for candidate in dict.fromkeys((name, name.lower(), _strip_date(name.lower()))):
        found = models.find_model(provider=eco_provider, model_name=candidate)
        if found is not None:
            return eco_provider, found
    return None


@lru_cache(maxsize=512)
def _mix(zone: str) -> Any:
    from ecologits.electricity_mix_repository import electricity_mixes

    found = electricity_mixes.find_electricity_mix(zone=zone)
    if found is None:
        raise EnergyError(f"no electricity mix for zone {zone!r} (ISO alpha-3 like FRA, USA; or WOR)")
    return found


def _span(value: Any) -> tuple[float, float]:
    lo = getattr(value, "min", value)
    hi = getattr(value, "max", value)
    return float(lo), float(hi)


def _impact(result: Any, method: str, zone: str) -> Impact:
    e_lo, e_hi = _span(result.energy.value)
    g_lo, g_hi = _span(result.gwp.value)
    return Impact(
        round(e_lo * _KWH_TO_MICRO_WH),
        round(e_hi * _KWH_TO_MICRO_WH),
        round(g_lo * _KG_TO_MICRO_G),
        round(g_hi * _KG_TO_MICRO_G),
        method,
        zone,
    )


def _compute(
    active: Any, total: Any, output_tokens: int, latency_s: float | None, zone: str, **dc: Any
) -> Any:
    from ecologits.impacts.llm import compute_llm_impacts

    mix = _mix(zone)
    return compute_llm_impacts(
        model_active_parameter_count=active,
        model_total_parameter_count=total,
        output_token_count=output_tokens,
        # no latency (an imported row): ecologits' modelled generation time is used instead
        request_latency=latency_s if latency_s else None,
        if_electricity_mix_adpe=mix.adpe,
        if_electricity_mix_pe=mix.pe,
        if_electricity_mix_gwp=mix.gwp,
        if_electricity_mix_wue=mix.wue,
        **dc,
    )


@lru_cache(maxsize=4096)  # imported logs repeat the same (model, output) pairs; each miss costs ~1.5 ms
def _ecologits_impact(
    provider: str, model: str, output_tokens: int, latency_s: float | None, zone: str
) -> Impact | None:
    """What ``ecologits.tracers.utils.llm_impacts`` computes, from the same tables, for our names."""
    from ecologits.model_repository import ParametersMoE
    from ecologits.tracers.utils import PROVIDER_CONFIG_MAP

    found = ecologits_model(provider, model)
    if found is None:
        return None
    eco_provider, entry = found
    params = entry.architecture.parameters
    active, total = (params.active, params.total) if isinstance(params, ParametersMoE) else (params, params)
    config = PROVIDER_CONFIG_MAP[eco_provider]
    deployment = entry.deployment
    result = _compute(
        active,
        total,
        output_tokens,
        latency_s,
        zone,
        datacenter_pue=config.datacenter_pue,
        datacenter_wue=config.datacenter_wue,
        tps=deployment.tps if deployment else None,
        ttft=deployment.ttft if deployment else None,
    )
    return _impact(result, ECOLOGITS, zone)


def tier_impact(tier: str, output_tokens: int, latency_s: float | None, zone: str) -> Impact | None:
    """The estimate for an unknown model of capability ``tier`` (None for a tier not in the table)."""
    from ecologits.utils.range_value import RangeValue

    params = TIER_PARAMS.get(tier)
    if params is None:
        return None
    a_lo, a_hi, t_lo, t_hi = params
    result = _compute(
        RangeValue(min=a_lo, max=a_hi),
        RangeValue(min=t_lo, max=t_hi) if t_lo != t_hi else t_lo,
        output_tokens,
        latency_s,
        zone,
        datacenter_pue=RangeValue(min=ESTIMATE_PUE[0], max=ESTIMATE_PUE[1]),
        datacenter_wue=ESTIMATE_WUE,
    )
    return _impact(result, TIER_ESTIMATE, zone)


def local_impact(watts: int, duration_ms: int, zone: str) -> Impact | None:
    """A local model: ``watts`` for ``duration_ms``, in exact integers (µWh = W × ms / 3.6)."""
    if watts <= 0 or duration_ms <= 0:
        return None
    micro_wh = watts * duration_ms * 10 // 36
    micro_g = round(micro_wh * _mix(zone).gwp)  # kg/kWh is g/Wh, so µWh × it is µg
    return Impact(micro_wh, micro_wh, micro_g, micro_g, LOCAL_WATTS, zone)


def energy_for(
    provider: str,
    model: str,
    output_tokens: int,
    latency_s: float | None,
    zone: str,
    *,
    gpu_watts: int = 0,
    tiers: Tiers | None = None,
) -> Impact | None:
    """Energy and CO₂ of one text-generation call, or ``None`` when nothing sensible can be said.

    ``latency_s`` is the call's duration (``None`` or 0 when unknown: ecologits then models it);
    ``zone`` the electricity mix (see ``core.energy_zone``); ``gpu_watts`` the user's setting for
    local models. Raises :class:`EnergyError` for a zone ecologits does not know.
    """
    _mix(zone)  # an unknown zone is an error whatever the method
    if provider.lower() in LOCAL_PROVIDERS:
        return local_impact(gpu_watts, round((latency_s or 0) * 1000), zone)
    found = _ecologits_impact(provider, model, output_tokens, latency_s, zone)
    if found is not None:
        return found
    if tiers is None:
        from tokenwallet.pricing.suggest import Tiers

        tiers = Tiers.load()
    tier = tiers.tier_of(provider, _bare(model))
    return None if tier is None else tier_impact(tier, output_tokens, latency_s, zone)


def energy_saved(
    provider: str, model: str, alt_provider: str, alt_model: str, output_tokens: int, *, calls: int = 1
) -> int | None:
    """µWh that ``alt_model`` would save over ``model`` for the same output (middle of the ranges).

    Only where ecologits knows both models (an estimate against an estimate says nothing); negative
    when the alternative uses more. ``output_tokens`` over ``calls`` calls, each with ecologits'
    modelled generation time (the alternative's speed is not known from this call's latency). The
    electricity mix does not change energy, only CO₂, so the world mix is used.
    """
    if calls <= 0:
        return None
    per_call = output_tokens // calls
    base = _ecologits_impact(provider, model, per_call, None, "WOR")
    alt = _ecologits_impact(alt_provider, alt_model, per_call, None, "WOR")
    if base is None or alt is None:
        return None
    diff = (base.wh_min_micro + base.wh_max_micro) - (alt.wh_min_micro + alt.wh_max_micro)
    return diff * calls // 2
