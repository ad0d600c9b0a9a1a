"""The price of one model, and the cost of a usage record at that price.

A :class:`ModelPrice` is a self-contained value: every rate the cost depends on (USD per million
tokens for each token class, the long-context tiers) is in it, and :meth:`ModelPrice.to_json` is
stored with each ledger row. The cost of a call is therefore a pure function of the row's usage
and its stored price JSON, and can be recomputed exactly years later whatever the catalog says then.

Cost rules (the same for every provider, because adapters normalise usage first, see
``tokenwallet.core.usage``):

- ``input_tokens`` (uncached) × input rate;
- ``cache_read_tokens`` × cache-read rate (the input rate when the model has none);
- ``cache_write_tokens`` (5 minute) × cache-write rate (input rate when none);
- ``cache_write_1h_tokens`` × 1 hour cache-write rate (else the 5 minute one, else input);
- ``output_tokens`` × output rate, except the reasoning part, which uses a reasoning rate when the
  model has one (almost none do: reasoning is billed as output);
- long-context tiers: when the call's *total* input (uncached + cache reads + cache writes) is
  above a tier's threshold, that tier's rates apply to *all* tokens of the call (the "cliff" model
  Anthropic, Google and OpenAI use and genai-prices encodes).

The sum is computed exactly in ``Decimal`` USD and converted to nano-USD once, at the end, by
:func:`tokenwallet.core.money.usd_to_nano` (round half to even at 10⁻⁹ USD).

A price set in another currency (CNY for most Chinese providers) keeps its rates in that currency
and carries the exchange rate used (``usd_rate``: units of that currency per 1 USD, the rate the
user set). The call's cost in that currency is computed exactly as above, then divided by the rate
once; both the currency and the rate are in the JSON stored with the ledger row, so its USD cost and
its original amount are reproducible. Such a price is written as JSON version 2: an older Token
Wallet refuses it rather than read yuan as dollars.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from decimal import Context, Decimal, localcontext
from typing import Any

from tokenwallet.core.money import usd_to_nano
from tokenwallet.core.usage import Usage
from tokenwallet.pricing.media_rates import media_rates, unpriced_parts

PRICE_JSON_VERSION = 1
FOREIGN_PRICE_JSON_VERSION = 2  # a price in another currency than USD (see the module docstring)
_MTOK = Decimal(1_000_000)
_EXACT = Context(prec=60)  # token counts × rates never come close; no rounding before usd_to_nano
RATE_FIELDS = (
    "input_mtok",
    "output_mtok",
    "cache_read_mtok",
    "cache_write_mtok",
    "cache_write_1h_mtok",
    "reasoning_mtok",
    "input_audio_mtok",
    "output_audio_mtok",
    "cache_audio_read_mtok",
    "input_image_mtok",
    "input_video_mtok",
    "output_image_mtok",
)


@dataclass(frozen=True, slots=True)
class PriceTier:
    """Rates that replace the base rates when a call's total input is *above* ``above`` tokens.

    A ``None`` rate means "unchanged from the base price".
    """

    above: int
    input_mtok: Decimal | None = None
    output_mtok: Decimal | None = None
    cache_read_mtok: Decimal | None = None
    cache_write_mtok: Decimal | None = None
    cache_write_1h_mtok: Decimal | None = None
    reasoning_mtok: Decimal | None = None
    input_audio_mtok: Decimal | None = None
    output_audio_mtok: Decimal | None = None
    cache_audio_read_mtok: Decimal | None = None
    input_image_mtok: Decimal | None = None
    input_video_mtok: Decimal | None = None
    output_image_mtok: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """Rates per million tokens for one model at one time, plus where they came from.

    Rates are in ``currency`` (USD unless the provider sets its prices in another currency, then
    ``usd_rate`` says how many units of it make 1 USD).

    ``source``: ``"genai-prices 0.2.3"`` (possibly with a ``" via openrouter"`` note), ``"override"``,
    ``"local"`` or ``"fallback"``. ``unpriced`` is True when fallback rates stand in for a model
    no catalog knows.
    """

    provider: str
    model: str
    source: str
    unpriced: bool = False
    input_mtok: Decimal = Decimal(0)
    output_mtok: Decimal = Decimal(0)
    cache_read_mtok: Decimal | None = None
    cache_write_mtok: Decimal | None = None  # 5 minute cache writes
    cache_write_1h_mtok: Decimal | None = None
    reasoning_mtok: Decimal | None = None  # None: reasoning is billed as output
    input_audio_mtok: Decimal | None = None  # None: the model has no audio input price
    output_audio_mtok: Decimal | None = None  # None: the model has no audio output price
    cache_audio_read_mtok: Decimal | None = None  # None: cached audio at the audio input rate
    input_image_mtok: Decimal | None = None  # None: image tokens are billed as text input
    input_video_mtok: Decimal | None = None  # None: video tokens are billed as text input
    output_image_mtok: Decimal | None = None  # None: generated image tokens billed as output
    tiers: tuple[PriceTier, ...] = ()
    context_window: int | None = None
    max_output: int | None = None
    catalog_id: str | None = field(default=None, compare=False)  # the catalog's own model id
    currency: str = "USD"  # the currency the rates are in
    usd_rate: Decimal | None = None  # units of ``currency`` per 1 USD (None for USD)

    def __post_init__(self) -> None:
        if self.currency != "USD" and (self.usd_rate is None or not self.usd_rate > 0):
            raise ValueError(f"a price in {self.currency} needs its exchange rate to USD")

    @property
    def is_free(self) -> bool:
        return all(getattr(self, f) in (None, Decimal(0)) for f in RATE_FIELDS) and not self.tiers

    def rates_for(self, total_input: int) -> ModelPrice:
        """The flat (tier-less) rates that apply to a call with ``total_input`` input tokens."""
        if not self.tiers:
            return self
        tier = None
        for t in self.tiers:  # sorted ascending; the highest threshold crossed wins
            if total_input > t.above:
                tier = t
        if tier is None:
            return replace(self, tiers=())
        changes = {f: getattr(tier, f) for f in RATE_FIELDS if getattr(tier, f) is not None}
        return replace(self, tiers=(), **changes)

    def cost_usd(self, usage: Usage) -> Decimal:
        """The exact cost of ``usage`` in Decimal USD (see the module docstring for the rules)."""
        native = self.cost_native(usage)
        if self.currency == "USD":
            return native
        assert self.usd_rate is not None  # checked in __post_init__
        with localcontext(_EXACT):
            return native / self.usd_rate

    def cost_native(self, usage: Usage) -> Decimal:
        """The exact cost of ``usage`` in the price's own currency (USD for most providers)."""
        p = self.rates_for(usage.total_input)
        cache_read = p.cache_read_mtok if p.cache_read_mtok is not None else p.input_mtok
        cache_write = p.cache_write_mtok if p.cache_write_mtok is not None else p.input_mtok
        cache_1h = p.cache_write_1h_mtok if p.cache_write_1h_mtok is not None else cache_write
        reasoning = min(max(usage.reasoning_tokens, 0), usage.output_tokens)
        reasoning_rate = p.reasoning_mtok if p.reasoning_mtok is not None else p.output_mtok
        with localcontext(_EXACT):
            total = (
                usage.input_tokens * p.input_mtok
                + usage.cache_read_tokens * cache_read
                + usage.cache_write_tokens * cache_write
                + usage.cache_write_1h_tokens * cache_1h
                + (usage.output_tokens - reasoning) * p.output_mtok
                + reasoning * reasoning_rate
            )
            # Non-text parts are inside the totals above: add what their own rate adds over the
            # rate they were just counted at (text input, cache read or output).
            base_of = {
                "cache_audio_read_tokens": cache_read,
                "output_audio_tokens": p.output_mtok,
                "output_image_tokens": p.output_mtok,
            }
            for part, rate in p.media_rates(usage).items():
                total += getattr(usage, part) * (rate - base_of.get(part, p.input_mtok))
            return total / _MTOK

    def media_rates(self, usage: Usage) -> dict[str, Decimal]:
        """The rate of each non-text part ``usage`` has (``pricing.media_rates``)."""
        return media_rates(self, usage)

    def unpriced_parts(self, usage: Usage) -> list[str]:
        """The non-text parts of ``usage`` this price has no rate for ("input audio", …)."""
        return unpriced_parts(self.rates_for(usage.total_input), usage)

    def dearest_output_mtok(self) -> Decimal:
        """The dearest rate an output token can cost (audio or image output when the model makes them)."""
        rates: list[Decimal] = [
            getattr(p, name)
            for p in (self, *self.tiers)
            for name in ("output_mtok", "output_audio_mtok", "output_image_mtok")
            if getattr(p, name) is not None
        ]
        return max(rates)

    def cost_nano(self, usage: Usage) -> int:
        """The exact cost of ``usage`` in nano-USD (rounded once, half to even)."""
        return usd_to_nano(self.cost_usd(usage))

    # -- serialisation (stored with every ledger row) -------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        foreign = self.currency != "USD"
        d: dict[str, Any] = {"v": FOREIGN_PRICE_JSON_VERSION if foreign else PRICE_JSON_VERSION}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("currency", "usd_rate") and not foreign:
                continue  # a USD price's JSON stays what it always was
            if f.name == "tiers":
                d["tiers"] = [_tier_dict(t) for t in value]
            elif isinstance(value, Decimal):
                d[f.name] = _dec(value)
            elif value is not None:
                d[f.name] = value
        return d

    def to_json(self) -> str:
        """Stable JSON (sorted keys, Decimals as strings) that :meth:`from_json` reads back exactly."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ModelPrice:
        version = int(d.get("v", PRICE_JSON_VERSION))
        if version > FOREIGN_PRICE_JSON_VERSION:
            raise ValueError(f"price JSON version {version} is newer than this Token Wallet understands")
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in d:
                continue
            value = d[f.name]
            if f.name == "tiers":
                kwargs["tiers"] = tuple(
                    PriceTier(
                        above=int(t["above"]),
                        **{k: Decimal(str(t[k])) for k in RATE_FIELDS if t.get(k) is not None},
                    )
                    for t in value
                )
            elif f.name in RATE_FIELDS or f.name == "usd_rate":
                kwargs[f.name] = None if value is None else Decimal(str(value))
            elif f.name in ("context_window", "max_output"):
                kwargs[f.name] = None if value is None else int(value)
            elif f.name == "unpriced":
                kwargs[f.name] = bool(value)
            else:
                kwargs[f.name] = value
        return cls(**kwargs)

    @classmethod
    def from_json(cls, s: str) -> ModelPrice:
        return cls.from_dict(json.loads(s))

    def describe(self) -> str:
        """One line for people: ``$2.50 in / $10 out per 1M tokens, cache read $1.25``; a price in
        yuan reads ``¥4 in / ¥16 out per 1M tokens, …, at 7.25 CNY per USD``."""
        c = _SIGNS.get(self.currency, f"{self.currency} ")
        parts = [f"{c}{_dec(self.input_mtok)} in / {c}{_dec(self.output_mtok)} out per 1M tokens"]
        if self.cache_read_mtok is not None:
            parts.append(f"cache read {c}{_dec(self.cache_read_mtok)}")
        if self.cache_write_mtok is not None:
            parts.append(f"cache write {c}{_dec(self.cache_write_mtok)}")
        if self.cache_write_1h_mtok is not None:
            parts.append(f"1h cache write {c}{_dec(self.cache_write_1h_mtok)}")
        for name, label in _MEDIA_LABELS:
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{label} {c}{_dec(value)}")
        for t in self.tiers:
            tier_in = _dec(t.input_mtok) if t.input_mtok is not None else _dec(self.input_mtok)
            tier_out = _dec(t.output_mtok) if t.output_mtok is not None else _dec(self.output_mtok)
            parts.append(f"above {t.above:,} input tokens {c}{tier_in} in / {c}{tier_out} out")
        if self.usd_rate is not None and self.currency != "USD":
            parts.append(f"at {_dec(self.usd_rate)} {self.currency} per USD")
        return ", ".join(parts)


_SIGNS = {"USD": "$", "CNY": "¥"}
_MEDIA_LABELS = (
    ("input_audio_mtok", "audio in"),
    ("output_audio_mtok", "audio out"),
    ("cache_audio_read_mtok", "cached audio"),
    ("input_image_mtok", "image in"),
    ("input_video_mtok", "video in"),
    ("output_image_mtok", "image out"),
)


def _dec(d: Decimal) -> str:
    """Canonical text of a rate: no exponent, no trailing zeros (``"2.5"``, ``"0.075"``, ``"10"``)."""
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _tier_dict(t: PriceTier) -> dict[str, Any]:
    d: dict[str, Any] = {"above": t.above}
    for k in RATE_FIELDS:
        value = getattr(t, k)
        if value is not None:
            d[k] = _dec(value)
    return d


@dataclass(frozen=True, slots=True)
class PriceOverride:
    """A user's own price for a model (wins over the catalog). ``model="*"`` covers a whole provider."""

    provider: str
    model: str
    input_mtok: Decimal
    output_mtok: Decimal
    cache_read_mtok: Decimal | None = None
    cache_write_mtok: Decimal | None = None


class UnknownModelError(LookupError):
    """No price is known for a model and the wallet's policy is to block rather than guess."""

    def __init__(self, provider: str, model: str) -> None:
        self.provider = provider
        self.model = model
        super().__init__(
            f"no price known for model {model!r} on provider {provider!r}: add your own price with "
            f"`tokenwallet prices override set {provider} {model} --input USD --output USD` "
            f"(USD per 1M tokens), or set the unknown_model_policy setting to 'fallback'"
        )
