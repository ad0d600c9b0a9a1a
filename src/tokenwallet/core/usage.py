"""The normalised usage record: one per metered call.

Providers disagree on what their token fields mean, so every adapter maps its API's own fields
into this one shape and nothing downstream needs to know which provider it was:

- OpenAI counts cached tokens *inside* ``prompt_tokens``: ``input = prompt_tokens − cached``.
- Anthropic reports ``cache_read_input_tokens`` and ``cache_creation_input_tokens`` *beside*
  ``input_tokens``: ``input = input_tokens``.
- Gemini reports ``thoughtsTokenCount`` beside ``candidatesTokenCount``:
  ``output = candidates + thoughts`` and ``reasoning = thoughts``.

``input_tokens`` is therefore always the *uncached* input billed at the plain input price, and
``output_tokens`` always includes reasoning (``reasoning_tokens`` is the informative part of it).

Tokens that are not text are *parts* of those classes, never beside them, so every total (and a
token-denominated budget) stays what it was: ``input_audio_tokens``, ``input_image_tokens`` and
``input_video_tokens`` are inside ``input_tokens``, ``cache_audio_read_tokens`` inside
``cache_read_tokens``, ``output_audio_tokens`` and ``output_image_tokens`` inside
``output_tokens``. A price with its own rate for a class charges that part at it
(``pricing.model_price``). Records written before these fields
existed read back with zeros: all text, as they were charged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

MEDIA_FIELDS = (
    "input_audio_tokens",
    "output_audio_tokens",
    "input_image_tokens",
    "input_video_tokens",
    "cache_audio_read_tokens",
    "output_image_tokens",
)


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int = 0  # uncached input, billed at the input price
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0  # cache writes with the default (5 minute) lifetime
    cache_write_1h_tokens: int = 0  # Anthropic's 1 hour cache writes, priced higher
    output_tokens: int = 0  # everything generated, reasoning included
    reasoning_tokens: int = 0  # the part of output_tokens spent thinking (informative)
    input_audio_tokens: int = 0  # the audio part of input_tokens
    output_audio_tokens: int = 0  # the audio part of output_tokens
    input_image_tokens: int = 0  # the image part of input_tokens
    input_video_tokens: int = 0  # the video part of input_tokens
    cache_audio_read_tokens: int = 0  # the audio part of cache_read_tokens
    output_image_tokens: int = 0  # the image part of output_tokens (Gemini image models)

    @property
    def total_input(self) -> int:
        """Every input token the provider processed, cached or not."""
        return (
            self.input_tokens + self.cache_read_tokens + self.cache_write_tokens + self.cache_write_1h_tokens
        )

    @property
    def total_tokens(self) -> int:
        """What a token-denominated envelope is charged."""
        return self.total_input + self.output_tokens

    @property
    def media(self) -> dict[str, int]:
        """The non-text parts that are not zero, by field name (for history and exports)."""
        return {name: getattr(self, name) for name in MEDIA_FIELDS if getattr(self, name)}

    def __add__(self, other: Usage) -> Usage:
        return Usage(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def to_dict(self) -> dict[str, int]:
        """Every field; the non-text parts only when not zero (older readers' shape is unchanged)."""
        return {k: v for k, v in asdict(self).items() if v or k not in MEDIA_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Usage:
        names = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in data.items() if k in names and v is not None})
