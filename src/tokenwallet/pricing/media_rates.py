"""Which rate prices each non-text part of a usage (audio, image, video tokens; issue 12).

Split from :mod:`tokenwallet.pricing.model_price`, whose cost rule adds, for each part, what its
own rate adds over the rate the part was already counted at.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from tokenwallet.core.usage import Usage

if TYPE_CHECKING:
    from tokenwallet.pricing.model_price import ModelPrice

# Which rate prices each non-text part of a usage, and the rate that stands in when the price has
# none. ``None`` there means no stand-in: the model has no price for that kind of token, and a call
# reporting it is not priced as text but charged its hold and flagged (proxy.charging).
MEDIA_RATES: dict[str, tuple[str, str | None]] = {
    "input_audio_tokens": ("input_audio_mtok", None),
    "output_audio_tokens": ("output_audio_mtok", None),
    "cache_audio_read_tokens": ("cache_audio_read_mtok", "input_audio_mtok"),
    "input_image_tokens": ("input_image_mtok", "input_mtok"),  # images are billed as text unless priced apart
    "input_video_tokens": ("input_video_mtok", "input_mtok"),  # video is billed as text unless priced apart
    "output_image_tokens": ("output_image_mtok", "output_mtok"),  # generated images, unless priced apart
}


def _rate(price: ModelPrice, part: str) -> Decimal | None:
    field_name, stand_in = MEDIA_RATES[part]
    rate: Decimal | None = getattr(price, field_name, None)
    if rate is None and stand_in is not None:
        rate = getattr(price, stand_in)
    return rate


def media_rates(price: ModelPrice, usage: Usage) -> dict[str, Decimal]:
    """The rate of each non-text part ``usage`` has, for a tier-less ``price``. A part the price
    has no rate for is priced at the dearest rate the price has at all, never as plain text — but
    the proxy never gets that far: it charges such a call its hold (:func:`unpriced_parts`)."""
    from tokenwallet.pricing.model_price import RATE_FIELDS

    out: dict[str, Decimal] = {}
    for part in MEDIA_RATES:
        if getattr(usage, part):
            rate = _rate(price, part)
            out[part] = (
                rate if rate is not None else max(Decimal(getattr(price, f) or 0) for f in RATE_FIELDS)
            )
    return out


def unpriced_parts(price: ModelPrice, usage: Usage) -> list[str]:
    """The non-text parts of ``usage`` a tier-less ``price`` has no rate for ("input audio", …)."""
    return [
        part.removesuffix("_tokens").replace("_", " ")
        for part in MEDIA_RATES
        if getattr(usage, part) and _rate(price, part) is None
    ]
