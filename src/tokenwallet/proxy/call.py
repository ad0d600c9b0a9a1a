"""The record of one metered call while it runs, and what every part of the call path shares."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tokenwallet.pricing.model_price import ModelPrice
    from tokenwallet.proxy.routes import Route
    from tokenwallet.wallet.types import EnvelopeStatus, KeyBinding

MAX_PROMPT_STORED = 256 * 1024  # bytes of a prompt kept when the profile stores prompts


@dataclass(slots=True)
class Call:
    """Everything known about one metered call while it runs."""

    call_id: str
    route: Route
    binding: KeyBinding
    model: str
    requested_model: str | None
    stream: bool
    input_tokens: int
    max_out: int  # output the hold covers: the cap per generation × choices
    price: ModelPrice
    price_json: str
    hold_id: int
    held_nano: int
    tightest: EnvelopeStatus | None
    started: float
    started_at: Any
    prompt_text: str | None = None
    choices: int = 1  # generations asked for (n, best_of, candidateCount)
    settled: bool = False
    last_progress: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def new_call_id() -> str:
    return os.urandom(12).hex()


def dumps(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
