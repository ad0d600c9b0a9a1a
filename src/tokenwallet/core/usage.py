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
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int = 0  # uncached input, billed at the input price
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0  # cache writes with the default (5 minute) lifetime
    cache_write_1h_tokens: int = 0  # Anthropic's 1 hour cache writes, priced higher
    output_tokens: int = 0  # everything generated, reasoning included
    reasoning_tokens: int = 0  # the part of output_tokens spent thinking (informative)

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

    def __add__(self, other: Usage) -> Usage:
        return Usage(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Usage:
        names = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in data.items() if k in names and v is not None})
