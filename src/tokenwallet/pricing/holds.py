"""The most a request may cost: its output cap and how many generations it asks for.

A hold must cover what the provider can bill for the request, so the cap is read from *every*
field the provider reads, and the output is multiplied by every field that asks for more than one
generation. One table per endpoint (the names the ledger uses), shared by the proxy's hold, its
``/tokenwallet/preview`` endpoint and ``tokenwallet preview``:

===================  ==========================================  ==================================
endpoint             output cap (the largest present wins)       generations billed
===================  ==========================================  ==================================
chat/completions     max_completion_tokens, max_tokens           n
completions          max_tokens (default 16)                     max(n, best_of) × prompts in a list
responses            max_output_tokens                           1
messages             max_tokens (a thinking budget is inside it)  1
generateContent      generationConfig.maxOutputTokens            generationConfig.candidateCount
embeddings           none: no output                             1
===================  ==========================================  ==================================

Gemini's REST API reads proto field names in either spelling (``generation_config.max_output_tokens``
too), so both are read. A value that is present must be a whole number in range — not a float, a
string, a bool or negative — or the request is refused (:class:`RequestFieldError`): the meter
does not guess what a provider would make of a value it cannot read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tokenwallet.core.usage import Usage

if TYPE_CHECKING:
    from tokenwallet.pricing.book import PriceBook
    from tokenwallet.pricing.model_price import ModelPrice

# Providers keep token counts in 32-bit fields; anything larger is refused before it can overflow a
# hold (2**62 tokens × a price does not fit SQLite's 64-bit integers).
MAX_TOKEN_FIELD = 2**31 - 1
# OpenAI's documented maximum for ``n`` (best_of ≤ 20, candidateCount ≤ 8 are lower still).
MAX_CHOICES = 128
# A legacy completions prompt may be a list of prompts, each answered ``n`` times.
MAX_PROMPTS = 2048

Path = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reads:
    """What one endpoint's provider reads from a request body for its output."""

    caps: tuple[Path, ...] = ()  # output-cap fields; the largest present one counts
    default_cap: int | None = None  # the API's own default when none is set (None: the model's)
    choices: tuple[Path, ...] = ()  # generation-count fields; the largest present one counts
    no_output: bool = False  # embeddings
    prompt_list: bool = False  # legacy completions: a list of prompts multiplies the generations


_GEMINI = Reads(
    caps=(("generationConfig", "maxOutputTokens"), ("generation_config", "max_output_tokens")),
    choices=(("generationConfig", "candidateCount"), ("generation_config", "candidate_count")),
)
READS: dict[str, Reads] = {
    "chat/completions": Reads(caps=(("max_completion_tokens",), ("max_tokens",)), choices=(("n",),)),
    "completions": Reads(
        caps=(("max_tokens",),), default_cap=16, choices=(("n",), ("best_of",)), prompt_list=True
    ),
    "responses": Reads(caps=(("max_output_tokens",),)),
    "messages": Reads(caps=(("max_tokens",),)),
    "generateContent": _GEMINI,
    "streamGenerateContent": _GEMINI,
    "embeddings": Reads(no_output=True),
}


class RequestFieldError(ValueError):
    """A field the hold depends on holds something the meter will not guess about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class OutputPlan:
    """The output a request may produce: ``cap`` per generation (None: the model's), ``choices``."""

    cap: int | None
    choices: int = 1


def _get(body: Mapping[str, Any], path: Path) -> Any:
    value: Any = body
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _whole(body: Mapping[str, Any], path: Path, top: int) -> int | None:
    """The field's value as a whole number in 1..top, None when absent; RequestFieldError otherwise."""
    value = _get(body, path)
    if value is None:
        return None
    name = ".".join(path)
    if isinstance(value, bool) or not isinstance(value, int):
        shown = repr(value) if len(repr(value)) <= 40 else type(value).__name__
        raise RequestFieldError(name, f"must be a whole number, not {shown}")
    if value < 1:
        raise RequestFieldError(name, f"must be at least 1, not {value}")
    if value > top:
        digits = len(str(value))
        shown = f"{value:,}" if digits <= 24 else f"a number of {digits} digits"
        raise RequestFieldError(name, f"must be at most {top:,}, not {shown}")
    return value


def _prompts(body: Mapping[str, Any]) -> int:
    """How many prompts a legacy completions request sends (a list of strings or of token lists)."""
    prompt = body.get("prompt")
    if isinstance(prompt, list) and prompt and isinstance(prompt[0], str | list):
        if len(prompt) > MAX_PROMPTS:
            raise RequestFieldError("prompt", f"at most {MAX_PROMPTS} prompts in one request")
        return len(prompt)
    return 1


def output_plan(endpoint: str, body: Mapping[str, Any]) -> OutputPlan:
    """The output cap and generation count ``body`` asks of ``endpoint`` (see the module table)."""
    reads = READS.get(endpoint)
    if reads is None:
        return OutputPlan(None)
    if reads.no_output:
        return OutputPlan(0)
    caps = [c for c in (_whole(body, p, MAX_TOKEN_FIELD) for p in reads.caps) if c is not None]
    counts = [c for c in (_whole(body, p, MAX_CHOICES) for p in reads.choices) if c is not None]
    choices = max(counts, default=1)
    if reads.prompt_list:
        choices *= _prompts(body)
    return OutputPlan(max(caps) if caps else reads.default_cap, choices)


@dataclass(frozen=True, slots=True)
class WorstCase:
    """A request's hold: ``output_tokens`` = cap × choices, ``cost_nano`` with all input uncached."""

    cap: int  # per generation
    choices: int
    output_tokens: int
    cost_nano: int

    def tokens(self, input_tokens: int) -> int:
        """What a token-denominated envelope holds for the call."""
        return input_tokens + self.output_tokens


def worst_case(book: PriceBook, price: ModelPrice, plan: OutputPlan, input_tokens: int) -> WorstCase:
    """The reservation for a request of ``input_tokens`` following ``plan`` at ``price``."""
    cap = book.default_max_output(price) if plan.cap is None else plan.cap
    out = cap * plan.choices
    cost = price.cost_nano(worst_output(price, max(input_tokens, 0), out))
    return WorstCase(cap, plan.choices, out, cost)


def worst_output(price: ModelPrice, input_tokens: int, output_tokens: int) -> Usage:
    """Input all uncached at the text rate; the output all of its dearest kind: speech when the
    model's audio rate is the dearest (a gpt-audio answer may be all speech), images when its image
    rate is (a Gemini image model), else text."""
    dearest = price.dearest_output_mtok()
    if dearest > price.output_mtok and price.output_audio_mtok == dearest:
        return Usage(
            input_tokens=input_tokens, output_tokens=output_tokens, output_audio_tokens=output_tokens
        )
    if dearest > price.output_mtok and price.output_image_mtok == dearest:
        return Usage(
            input_tokens=input_tokens, output_tokens=output_tokens, output_image_tokens=output_tokens
        )
    return Usage(input_tokens=input_tokens, output_tokens=output_tokens)
