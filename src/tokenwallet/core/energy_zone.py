"""Which electricity mix a user's calls are counted in: a setting, or the country of the time zone.

ecologits names electricity mixes by ISO 3166-1 alpha-3 country code (``FRA``, ``USA``), plus
``WOR`` (the world average) and ``EEE`` (Europe). The time zone database says which country a zone
is in by alpha-2 code (``zone.tab``: ``Europe/Paris`` → ``FR``); the table below turns that into
alpha-3 for the countries ecologits has a mix for (generated once from Debian's iso-codes
``iso_3166-1.json``). A zone with no country (``UTC``, ``Etc/GMT+3``) or a country ecologits has no
mix for gets ``WOR``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

WORLD = "WOR"

# fmt: off
ALPHA3: dict[str, str] = {
    "AE": "ARE", "AF": "AFG", "AG": "ATG", "AL": "ALB", "AM": "ARM", "AO": "AGO", "AR": "ARG",
    "AS": "ASM", "AT": "AUT", "AU": "AUS", "AW": "ABW", "AZ": "AZE", "BA": "BIH", "BB": "BRB",
    "BD": "BGD", "BE": "BEL", "BF": "BFA", "BG": "BGR", "BH": "BHR", "BI": "BDI", "BJ": "BEN",
    "BM": "BMU", "BN": "BRN", "BO": "BOL", "BR": "BRA", "BS": "BHS", "BT": "BTN", "BW": "BWA",
    "BY": "BLR", "BZ": "BLZ", "CA": "CAN", "CD": "COD", "CF": "CAF", "CG": "COG", "CH": "CHE",
    "CI": "CIV", "CK": "COK", "CL": "CHL", "CM": "CMR", "CN": "CHN", "CO": "COL", "CR": "CRI",
    "CU": "CUB", "CV": "CPV", "CY": "CYP", "CZ": "CZE", "DE": "DEU", "DJ": "DJI", "DK": "DNK",
    "DM": "DMA", "DO": "DOM", "DZ": "DZA", "EC": "ECU", "EE": "EST", "EG": "EGY", "EH": "ESH",
    "ER": "ERI", "ES": "ESP", "ET": "ETH", "FI": "FIN", "FJ": "FJI", "FK": "FLK", "FO": "FRO",
    "FR": "FRA", "GA": "GAB", "GB": "GBR", "GD": "GRD", "GE": "GEO", "GF": "GUF", "GH": "GHA",
    "GI": "GIB", "GL": "GRL", "GM": "GMB", "GN": "GIN", "GP": "GLP", "GQ": "GNQ", "GR": "GRC",
    "GT": "GTM", "GU": "GUM", "GW": "GNB", "GY": "GUY", "HK": "HKG", "HN": "HND", "HR": "HRV",
    "HT": "HTI", "HU": "HUN", "ID": "IDN", "IE": "IRL", "IL": "ISR", "IN": "IND", "IQ": "IRQ",
    "IR": "IRN", "IS": "ISL", "IT": "ITA", "JM": "JAM", "JO": "JOR", "JP": "JPN", "KE": "KEN",
    "KG": "KGZ", "KH": "KHM", "KI": "KIR", "KM": "COM", "KN": "KNA", "KP": "PRK", "KR": "KOR",
    "KW": "KWT", "KY": "CYM", "KZ": "KAZ", "LA": "LAO", "LB": "LBN", "LC": "LCA", "LK": "LKA",
    "LR": "LBR", "LS": "LSO", "LT": "LTU", "LU": "LUX", "LV": "LVA", "LY": "LBY", "MA": "MAR",
    "MD": "MDA", "ME": "MNE", "MG": "MDG", "MK": "MKD", "ML": "MLI", "MM": "MMR", "MN": "MNG",
    "MO": "MAC", "MQ": "MTQ", "MR": "MRT", "MS": "MSR", "MT": "MLT", "MU": "MUS", "MV": "MDV",
    "MW": "MWI", "MX": "MEX", "MY": "MYS", "MZ": "MOZ", "NA": "NAM", "NC": "NCL", "NE": "NER",
    "NG": "NGA", "NI": "NIC", "NL": "NLD", "NO": "NOR", "NP": "NPL", "NR": "NRU", "NZ": "NZL",
    "OM": "OMN", "PA": "PAN", "PE": "PER", "PF": "PYF", "PG": "PNG", "PH": "PHL", "PK": "PAK",
    "PL": "POL", "PM": "SPM", "PR": "PRI", "PS": "PSE", "PT": "PRT", "PY": "PRY", "QA": "QAT",
    "RE": "REU", "RO": "ROU", "RS": "SRB", "RU": "RUS", "RW": "RWA", "SA": "SAU", "SB": "SLB",
    "SC": "SYC", "SD": "SDN", "SE": "SWE", "SG": "SGP", "SH": "SHN", "SI": "SVN", "SK": "SVK",
    "SL": "SLE", "SN": "SEN", "SO": "SOM", "SR": "SUR", "SS": "SSD", "ST": "STP", "SV": "SLV",
    "SY": "SYR", "SZ": "SWZ", "TC": "TCA", "TD": "TCD", "TG": "TGO", "TH": "THA", "TJ": "TJK",
    "TL": "TLS", "TM": "TKM", "TN": "TUN", "TO": "TON", "TR": "TUR", "TT": "TTO", "TW": "TWN",
    "TZ": "TZA", "UA": "UKR", "UG": "UGA", "US": "USA", "UY": "URY", "UZ": "UZB", "VC": "VCT",
    "VE": "VEN", "VG": "VGB", "VI": "VIR", "VN": "VNM", "VU": "VUT", "WS": "WSM", "YE": "YEM",
    "ZA": "ZAF", "ZM": "ZMB", "ZW": "ZWE",
}
# fmt: on


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """IANA zone name → ISO alpha-2 country, from the ``tzdata`` package's ``zone.tab``."""
    out: dict[str, str] = {}
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return out
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            out[parts[2]] = parts[0]
    return out


def zone_for_timezone(tz_name: str) -> str:
    """The electricity-mix zone of an IANA time zone (``Europe/Paris`` → ``FRA``), else ``WOR``."""
    country = _zone_countries().get(tz_name)
    return ALPHA3.get(country or "", WORLD)


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """Every zone ecologits has an electricity mix for (loads its bundled data)."""
    from ecologits.electricity_mix_repository import electricity_mixes

    return frozenset(m.zone for m in electricity_mixes.list_electricity_mixes())
