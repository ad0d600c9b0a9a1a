"""Energy per call: the same numbers as ecologits for a model it knows; estimates where it does not."""

from __future__ import annotations

import pytest
from ecologits.tracers.utils import llm_impacts
from ecologits.utils.range_value import RangeValue

from tokenwallet.core import energy as en
from tokenwallet.core.energy_zone import known_zones, zone_for_timezone
from tokenwallet.pricing.suggest import Tiers
from tokenwallet.wallet.providers import LOCAL_PROVIDERS


def _micro(value: float | RangeValue) -> tuple[int, int]:
    lo = value.min if isinstance(value, RangeValue) else value
    hi = value.max if isinstance(value, RangeValue) else value
    return round(lo * 1e9), round(hi * 1e9)


@pytest.mark.parametrize(
    ("provider", "model", "eco_provider", "eco_model"),
    [
        ("openai", "gpt-4o-mini", "openai", "gpt-4o-mini"),
        ("anthropic", "claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5"),
        ("gemini", "gemini-2.5-flash", "google_genai", "gemini-2.5-flash"),
        ("openrouter", "anthropic/claude-haiku-4-5", "anthropic", "claude-haiku-4-5"),
        ("openai", "gpt-4o-mini-2024-07-18", "openai", "gpt-4o-mini"),  # dated snapshot name
    ],
)
@pytest.mark.parametrize("zone", ["FRA", "USA", "WOR"])
def test_matches_ecologits_called_directly(
    provider: str, model: str, eco_provider: str, eco_model: str, zone: str
) -> None:
    ours = en.energy_for(provider, model, 640, 4.25, zone)
    theirs = llm_impacts(eco_provider, eco_model, 640, 4.25, zone)
    assert ours is not None and theirs.energy is not None and theirs.gwp is not None
    assert (ours.wh_min_micro, ours.wh_max_micro) == _micro(theirs.energy.value)
    assert (ours.gco2_min_micro, ours.gco2_max_micro) == _micro(theirs.gwp.value)
    assert ours.method == "ecologits" and ours.zone == zone and not ours.estimated
    assert ours.wh_min_micro <= ours.wh_max_micro


def test_more_output_more_energy_and_a_dirtier_mix_more_co2() -> None:
    small = en.energy_for("openai", "gpt-4o", 100, 2.0, "FRA")
    big = en.energy_for("openai", "gpt-4o", 2000, 20.0, "FRA")
    coal = en.energy_for("openai", "gpt-4o", 2000, 20.0, "POL")
    assert small and big and coal
    assert big.wh_min_micro > small.wh_min_micro
    assert coal.wh_min_micro == big.wh_min_micro and coal.gco2_min_micro > big.gco2_min_micro


def test_unknown_latency_uses_ecologits_modelled_generation_time() -> None:
    # an imported row has no duration: ecologits models it instead of counting zero seconds
    ours = en.energy_for("anthropic", "claude-sonnet-4-5", 500, None, "WOR")
    zero = en.energy_for("anthropic", "claude-sonnet-4-5", 500, 0.0, "WOR")
    short = en.energy_for("anthropic", "claude-sonnet-4-5", 500, 0.5, "WOR")
    assert ours is not None and ours == zero and short is not None
    assert ours.wh_min_micro > short.wh_min_micro > 0


def test_unknown_model_with_a_tier_is_a_labelled_estimate() -> None:
    est = en.energy_for("deepseek", "deepseek-chat", 500, 3.0, "CHN")
    assert est is not None and est.method == "tier-estimate" and est.estimated
    # deepseek-chat is in the "high" tier: the same as computing that tier's class directly
    assert est == en.tier_impact("high", 500, 3.0, "CHN")
    frontier = en.tier_impact("frontier", 500, 3.0, "CHN")
    small = en.tier_impact("small", 500, 3.0, "CHN")
    assert frontier and small and frontier.wh_max_micro > est.wh_max_micro > small.wh_max_micro


def test_tier_classes_come_from_ecologits_entries_of_that_tier() -> None:
    # the "high" class is gpt-4o's entry in ecologits: an estimate for an unknown high model
    # at the same tokens is the same as gpt-4o's but for the data centre's PUE range
    from ecologits.model_repository import models

    gpt4o = models.find_model("openai", "gpt-4o")
    assert gpt4o is not None
    params = gpt4o.architecture.parameters
    assert (params.active.min, params.active.max, params.total) == tuple(en.TIER_PARAMS["high"][:3])
    assert Tiers.load().tier_of("openai", "gpt-4o") == "high"


def test_untiered_unknown_model_has_no_impact() -> None:
    assert en.energy_for("together", "some-new-model-xyz", 500, 3.0, "WOR") is None


def test_local_model_is_watts_times_duration() -> None:
    imp = en.energy_for("ollama", "llama3.1:8b", 800, 36.0, "FRA", gpu_watts=250)
    assert imp is not None and imp.method == "local-watts"
    assert imp.wh_min_micro == imp.wh_max_micro == 2_500_000  # 250 W × 36 s = 2.5 Wh
    from ecologits.electricity_mix_repository import electricity_mixes

    mix = electricity_mixes.find_electricity_mix("FRA")
    assert mix is not None and imp.gco2_min_micro == round(2_500_000 * mix.gwp)
    assert en.energy_for("lmstudio", "qwen", 10, 0.0, "FRA", gpu_watts=250) is None  # no duration
    assert en.LOCAL_PROVIDERS == LOCAL_PROVIDERS


def test_unknown_zone_is_an_error() -> None:
    with pytest.raises(en.EnergyError, match="XXX"):
        en.energy_for("openai", "gpt-4o", 10, 1.0, "XXX")


@pytest.mark.parametrize(
    ("tz", "zone"),
    [
        ("Europe/Paris", "FRA"),
        ("America/Los_Angeles", "USA"),
        ("Asia/Shanghai", "CHN"),
        ("Europe/Berlin", "DEU"),
        ("Australia/Sydney", "AUS"),
        ("UTC", "WOR"),
        ("Etc/GMT+3", "WOR"),
        ("Antarctica/Troll", "WOR"),  # a country with no electricity mix
    ],
)
def test_zone_default_from_the_time_zone(tz: str, zone: str) -> None:
    assert zone_for_timezone(tz) == zone
    assert zone in known_zones()
