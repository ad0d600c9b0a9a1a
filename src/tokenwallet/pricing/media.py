"""Prices of image and audio endpoints, and the exact cost of what such a call was billed in.

A :class:`MediaPrice` holds every rate one media model can be billed at; the units a call was
billed in (``{"images": 2, "size": "1024x1024", "quality": "hd"}``, ``{"characters": 1234}``,
``{"audio_ms": 61234}``, ``{"text_in": 12, "image_out": 4160}`` …, integers only) go into the ledger's
``units`` column and the price's JSON into its price snapshot, so :func:`cost_usd` recomputes the
cost of any row exactly. Where a price comes from:

1. local providers: free;
2. genai-prices (token rates of GPT Image, gpt-4o-transcribe/-tts; tts-1 per character; whisper-1
   per audio hour; other providers' whisper and TTS);
3. ``resources/media_prices.toml``: per-image prices (DALL·E, Imagen), image output tokens, and
   video per second by size (Sora 2: ``{"video_seconds": 8, "size": "1280x720"}``);
4. nothing known: refused, or the table's dearest rates (marked unpriced) under the wallet's
   ``unknown_model_policy = "fallback"``.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from decimal import Context, Decimal, localcontext
from functools import cache
from typing import Any

from tokenwallet.core.money import usd_to_nano
from tokenwallet.pricing import catalog

MEDIA_PRICE_VERSION = 1
_EXACT = Context(prec=60)
_MILLION = Decimal(1_000_000)
_MS_PER_HOUR = Decimal(3_600_000)
#: Token classes a media call can be billed in, and the genai-prices keys their rate comes from
#: (first present wins): an image or audio class without its own rate is billed like text.
TOKEN_CLASSES: dict[str, tuple[str, ...]] = {
    "text_in": ("input_mtok", "input_text_mtok"),
    "image_in": ("input_image_mtok", "input_mtok"),
    "audio_in": ("input_audio_mtok", "input_mtok"),
    "text_out": ("output_mtok", "output_text_mtok"),
    "image_out": ("output_image_mtok", "output_mtok"),
    "audio_out": ("output_audio_mtok", "output_mtok"),
}
_HOUR_KEYS = ("input_audio_hours", "audio_hours")


class UnknownMediaModel(LookupError):
    """No price is known for a media model and the wallet's policy is to refuse rather than guess."""


@dataclass(frozen=True, slots=True)
class MediaPrice:
    """Rates of one media model in Decimal USD; a rate that is None is not how this model bills.

    :meth:`billing` says which rates a call is held and charged by: token classes (per 1M), per
    image by size/quality, per 1M characters of input, or per hour of audio (charged by the ms).
    """

    provider: str
    model: str
    source: str
    as_of: str = ""
    unpriced: bool = False
    tokens_mtok: dict[str, Decimal] = field(default_factory=dict)
    per_image: dict[str, Decimal] = field(default_factory=dict)
    per_mchars: Decimal | None = None
    per_audio_hour: Decimal | None = None
    default_size: str | None = None
    default_quality: str | None = None
    output_tokens: dict[str, int] = field(default_factory=dict)  # "quality/size" → image tokens
    per_second: dict[str, Decimal] = field(default_factory=dict)  # video: size → USD per second
    default_seconds: int | None = None  # video: the length the API makes when none is asked

    def billing(self, kind: str) -> str | None:
        """How a call of meter ``kind`` ("images", "speech", "transcription") is billed at this
        price: "tokens", "image", "characters" or "audio"; None when this model has no rate for it."""
        if self.source == "local":
            return "free"
        if self.tokens_mtok:
            return "tokens"
        if kind == "images" and self.per_image:
            return "image"
        if kind == "speech" and self.per_mchars is not None:
            return "characters"
        if kind == "transcription" and self.per_audio_hour is not None:
            return "audio"
        if kind == "video" and self.per_second:
            return "video"
        return None

    def second_rate(self, size: str | None) -> Decimal | None:
        """USD per second of video at ``size`` (the default size when None); None: not a size
        this model is priced at (the call is refused, not guessed)."""
        return self.per_second.get(size or self.default_size or "")

    def image_rate(self, size: str | None, quality: str | None) -> Decimal:
        """USD per image at ``size``/``quality``; a combination the table lacks costs its dearest."""
        table = self.per_image
        size = size or self.default_size or ""
        quality = quality or self.default_quality or ""
        for key in (f"{size}/{quality}", size, "*"):
            if key in table:
                return table[key]
        return max(table.values()) if table else Decimal(0)

    def image_output_tokens(self, size: str | None, quality: str | None) -> int | None:
        """Image tokens one output image costs, the largest matching figure for "auto"/unset."""
        if not self.output_tokens:
            return None
        figures = [
            n
            for key, n in self.output_tokens.items()
            for q, s in [key.split("/", 1)]
            if (quality in (None, "", "auto") or q == quality) and (size in (None, "", "auto") or s == size)
        ]
        return max(figures or self.output_tokens.values())

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"v": MEDIA_PRICE_VERSION, "kind": "media"}
        for name in ("provider", "model", "source", "as_of"):
            d[name] = getattr(self, name)
        if self.unpriced:
            d["unpriced"] = True
        if self.tokens_mtok:
            d["tokens_mtok"] = {k: _dec(v) for k, v in sorted(self.tokens_mtok.items())}
        if self.per_image:
            d["per_image"] = {k: _dec(v) for k, v in sorted(self.per_image.items())}
        if self.per_second:
            d["per_second"] = {k: _dec(v) for k, v in sorted(self.per_second.items())}
        for name in ("per_mchars", "per_audio_hour"):
            value = getattr(self, name)
            if value is not None:
                d[name] = _dec(value)
        for name in ("default_size", "default_quality"):
            if getattr(self, name):
                d[name] = getattr(self, name)
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> MediaPrice:
        d = json.loads(text)
        if d.get("kind") != "media" or int(d.get("v", 0)) > MEDIA_PRICE_VERSION:
            raise ValueError("not a media price this Token Wallet understands")
        return cls(
            provider=d["provider"],
            model=d["model"],
            source=d["source"],
            as_of=d.get("as_of", ""),
            unpriced=bool(d.get("unpriced", False)),
            tokens_mtok={k: Decimal(v) for k, v in d.get("tokens_mtok", {}).items()},
            per_image={k: Decimal(v) for k, v in d.get("per_image", {}).items()},
            per_mchars=None if d.get("per_mchars") is None else Decimal(d["per_mchars"]),
            per_audio_hour=None if d.get("per_audio_hour") is None else Decimal(d["per_audio_hour"]),
            default_size=d.get("default_size"),
            default_quality=d.get("default_quality"),
            per_second={k: Decimal(v) for k, v in d.get("per_second", {}).items()},
        )


def cost_usd(price: MediaPrice, units: dict[str, Any]) -> Decimal:
    """The exact cost of ``units`` at ``price`` (the rule every media ledger row is recomputed by)."""
    with localcontext(_EXACT):
        total = Decimal(0)
        for name, rate in price.tokens_mtok.items():
            total += int(units.get(name, 0)) * rate / _MILLION
        if price.per_image and units.get("images"):
            rate = price.image_rate(units.get("size"), units.get("quality"))
            total += int(units["images"]) * rate
        if price.per_mchars is not None:
            total += int(units.get("characters", 0)) * price.per_mchars / _MILLION
        if price.per_audio_hour is not None:
            total += int(units.get("audio_ms", 0)) * price.per_audio_hour / _MS_PER_HOUR
        if price.per_second and units.get("video_seconds"):
            rate = price.second_rate(units.get("size")) or max(price.per_second.values())
            total += int(units["video_seconds"]) * rate
        return total


def cost_nano(price: MediaPrice, units: dict[str, Any]) -> int:
    return usd_to_nano(cost_usd(price, units))


def units_json(units: dict[str, Any]) -> str:
    """The ledger's ``units`` text: stable JSON, integers (and the size/quality names) only."""
    for key, value in units.items():
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"media unit {key!r} must be an integer or a name, not {value!r}")
    return json.dumps(units, sort_keys=True, separators=(",", ":"))


def _dec(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# -- where prices come from ----------------------------------------------------------------------


@cache
def _table() -> dict[str, Any]:
    from tokenwallet.resources import resource_path

    with resource_path("media_prices.toml").open("rb") as fh:
        return tomllib.load(fh)


def _table_entry(provider: str, model: str) -> dict[str, Any] | None:
    entries = _table().get(provider.lower())
    if not isinstance(entries, dict):
        return None
    name = model.lower()
    if name in entries:
        return dict(entries[name])
    for entry in entries.values():
        if name in [a.lower() for a in entry.get("aliases", ())]:
            return dict(entry)
    return None


def _from_genai(provider: str, model: str, version: str) -> MediaPrice | None:
    entry = catalog.find(catalog.snapshot(), provider, model)
    if entry is None:
        return None
    gp = entry.info.get_prices(_now()) if catalog.has_conditional_prices(entry) else entry.info.prices
    rates = {
        k: Decimal(v) for k, v in vars(gp).items() if isinstance(v, Decimal | int) and not k.startswith("_")
    }
    tokens: dict[str, Decimal] = {}
    if any(k.endswith("_mtok") for k in rates):
        for name, keys in TOKEN_CLASSES.items():
            for key in keys:
                if key in rates:
                    tokens[name] = rates[key]
                    break
    hour = next((rates[k] for k in _HOUR_KEYS if k in rates), None)
    source = f"genai-prices {version}" + (f" via {entry.via}" if entry.via else "")
    return MediaPrice(
        provider,
        model,
        source,
        tokens_mtok=tokens,
        per_mchars=rates.get("input_mchars"),
        per_audio_hour=hour,
    )


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def media_price(provider: str, model: str, *, local: bool = False, fallback: bool = False) -> MediaPrice:
    """The price of media ``model`` on ``provider`` now (see the module docstring for the order)."""
    if local:
        return MediaPrice(provider, model, "local")
    entry = _table_entry(provider, model)
    price = _from_genai(provider, model, catalog.genai_version())
    if price is not None and (price.tokens_mtok or price.per_mchars or price.per_audio_hour):
        if entry is not None and entry.get("output_tokens"):
            return _with_table(price, entry, keep_rates=True)
        return price
    if entry is not None and (entry.get("per_image") or entry.get("per_second")):
        return _with_table(MediaPrice(provider, model, "media_prices.toml"), entry, keep_rates=False)
    if not fallback:
        raise UnknownMediaModel(
            f"no price known for media model {model!r} on provider {provider!r}, so Token Wallet does "
            "not send it (set the unknown_model_policy setting to 'fallback' to charge the dearest "
            "known rate instead)"
        )
    fb = _table()["fallback"]
    return MediaPrice(
        provider,
        model,
        "fallback",
        as_of=fb["as_of"],
        unpriced=True,
        per_image={k: Decimal(v) for k, v in fb["per_image"].items()},
        per_mchars=Decimal(fb["per_mchars"]),
        per_audio_hour=Decimal(fb["per_audio_hour"]),
    )


def _with_table(price: MediaPrice, entry: dict[str, Any], *, keep_rates: bool) -> MediaPrice:
    """``price`` with the table's figures (and its source and date) added."""
    source = price.source if keep_rates else f"media_prices.toml ({entry['source']})"
    return MediaPrice(
        price.provider,
        price.model,
        source if not keep_rates else f"{price.source} + media_prices.toml",
        as_of=str(entry.get("as_of", "")),
        tokens_mtok=price.tokens_mtok,
        per_image={k: Decimal(v) for k, v in entry.get("per_image", {}).items()},
        per_mchars=price.per_mchars,
        per_audio_hour=price.per_audio_hour,
        default_size=entry.get("default_size"),
        default_quality=entry.get("default_quality"),
        output_tokens={k: int(v) for k, v in entry.get("output_tokens", {}).items()},
        per_second={k: Decimal(v) for k, v in entry.get("per_second", {}).items()},
        default_seconds=entry.get("default_seconds"),
    )
