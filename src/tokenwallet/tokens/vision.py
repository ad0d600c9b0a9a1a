"""Input tokens of one image, the way each provider documents billing it.

OpenAI (platform.openai.com/docs/guides/images-vision, "Calculating costs"), two rules:

- **tiles** (GPT-4o, 4.1, 4.5, 5, o1, o3, 4o-mini, computer-use): ``detail: low`` costs the base
  tokens; otherwise the image is fitted in 2048×2048, its shortest side scaled down to 768, and
  every 512-px tile costs the tile tokens, plus the base once. Sizes are rounded like Python's
  ``round`` (the API bills 2049×513 as two tile rows and 2050×513 as one).
- **patches** (4.1-mini, 4.1-nano, o4-mini, 5-mini, 5-nano): 32-px patches covering the image,
  scaled down to at most 1,536 patches, times the model's multiplier; ``detail`` does not matter.

Anthropic (docs.anthropic.com, "Vision" → "Calculate image costs"): the image is scaled to fit a
1,568-px long edge and about 1,600 tokens (≈1.19 MP), then costs ``width × height / 750`` tokens.

A remote image URL has no size the meter can read, so it costs the rule's worst case
(:func:`worst_image_tokens`): a hold must cover what the provider can bill. Fractions of a token
are rounded up for the same reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from tokenwallet.tokens.models import normalise_model


@dataclass(frozen=True, slots=True)
class Tiles:
    base: int
    tile: int


@dataclass(frozen=True, slots=True)
class Patches:
    multiplier: Fraction


Rule = Tiles | Patches

GPT_4O = Tiles(85, 170)
# Longest matching prefix of the bare model name wins.
OPENAI_RULES: dict[str, Rule] = {
    "gpt-4o": GPT_4O,
    "chatgpt-4o": GPT_4O,
    "gpt-4-turbo": GPT_4O,
    "gpt-4-vision": GPT_4O,
    "gpt-4.1": GPT_4O,
    "gpt-4.5": GPT_4O,
    "gpt-4o-mini": Tiles(2833, 5667),
    "gpt-5": Tiles(70, 140),
    "o1": Tiles(75, 150),
    "o3": Tiles(75, 150),
    "computer-use-preview": Tiles(65, 129),
    "gpt-4.1-mini": Patches(Fraction("1.62")),
    "gpt-4.1-nano": Patches(Fraction("2.46")),
    "gpt-5-mini": Patches(Fraction("1.62")),
    "gpt-5-nano": Patches(Fraction("2.46")),
    "o4-mini": Patches(Fraction("1.72")),
}
FIT_SQUARE = 2048
SHORT_SIDE = 768
TILE = 512
MAX_TILES = 8  # a 768 × 2048 image: 2 × 4 tiles, the most the tile rule can reach
PATCH = 32
MAX_PATCHES = 1536
ANTHROPIC_LONG_EDGE = 1568
ANTHROPIC_MAX_TOKENS = 1600
ANTHROPIC_PIXELS_PER_TOKEN = 750


def openai_rule(model: str) -> tuple[Rule, bool]:
    """The rule for ``model`` and whether OpenAI documents it.

    A documented name matches itself and its dated or suffixed versions (``gpt-4o-2024-08-06``), not
    a newer family (``gpt-5.4-nano`` is not ``gpt-5``). Undocumented models take the rule of their
    kind, as the documented families do: ``-nano`` and ``-mini`` patches, the rest GPT-4o's tiles.
    """
    bare = normalise_model(model).rsplit("/", 1)[-1]
    best = max((p for p in OPENAI_RULES if bare == p or bare.startswith(p + "-")), key=len, default=None)
    if best:
        return OPENAI_RULES[best], True
    if "-nano" in bare:
        return OPENAI_RULES["gpt-4.1-nano"], False
    if "-mini" in bare:
        return OPENAI_RULES["gpt-4.1-mini"], False
    return GPT_4O, False


def is_claude(model: str) -> bool:
    return "claude" in model.lower()


def image_tokens(model: str, width: int, height: int, detail: str | None = None) -> int:
    """Tokens a ``width`` × ``height`` image costs ``model`` (Claude models by Anthropic's rule)."""
    if is_claude(model):
        return anthropic_tokens(width, height)
    rule, _ = openai_rule(model)
    if isinstance(rule, Patches):
        return patch_tokens(rule, width, height)
    return tile_tokens(rule, width, height, detail)


def worst_image_tokens(model: str, detail: str | None = None) -> int:
    """The most one image of unknown size can cost ``model``."""
    if is_claude(model):
        return ANTHROPIC_MAX_TOKENS
    rule, _ = openai_rule(model)
    if isinstance(rule, Patches):
        return math.ceil(MAX_PATCHES * rule.multiplier)
    return rule.base if detail == "low" else rule.base + rule.tile * MAX_TILES


def tile_tokens(rule: Tiles, width: int, height: int, detail: str | None) -> int:
    if detail == "low":
        return rule.base
    w, h = width, height
    if max(w, h) > FIT_SQUARE:
        scale = Fraction(FIT_SQUARE, max(w, h))
        w, h = max(1, round(w * scale)), max(1, round(h * scale))
    if min(w, h) > SHORT_SIDE:
        scale = Fraction(SHORT_SIDE, min(w, h))
        w, h = round(w * scale), round(h * scale)
    tiles = math.ceil(w / TILE) * math.ceil(h / TILE)
    return rule.base + rule.tile * tiles


def patch_tokens(rule: Patches, width: int, height: int) -> int:
    # the documented steps, in floating point as OpenAI writes them
    patches = math.ceil(width / PATCH) * math.ceil(height / PATCH)
    if patches > MAX_PATCHES:
        r = math.sqrt(PATCH * PATCH * MAX_PATCHES / (width * height))
        r *= min(
            math.floor(width * r / PATCH) / (width * r / PATCH),
            math.floor(height * r / PATCH) / (height * r / PATCH),
        )
        patches = math.ceil(width * r / PATCH) * math.ceil(height * r / PATCH)
        if patches < 1:  # a sliver thinner than a patch after scaling: the documented cap
            patches = MAX_PATCHES
    return math.ceil(min(patches, MAX_PATCHES) * rule.multiplier)


def anthropic_tokens(width: int, height: int) -> int:
    w, h = Fraction(width), Fraction(height)
    if max(w, h) > ANTHROPIC_LONG_EDGE:
        scale = Fraction(ANTHROPIC_LONG_EDGE) / max(w, h)
        w, h = w * scale, h * scale
    limit = ANTHROPIC_MAX_TOKENS * ANTHROPIC_PIXELS_PER_TOKEN
    if w * h > limit:
        scale = Fraction(math.sqrt(limit / (w * h)))
        w, h = w * scale, h * scale
    w, h = max(Fraction(1), Fraction(math.floor(w))), max(Fraction(1), Fraction(math.floor(h)))
    return min(ANTHROPIC_MAX_TOKENS, math.ceil(w * h / ANTHROPIC_PIXELS_PER_TOKEN))
