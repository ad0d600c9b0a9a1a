"""Token counting: tiktoken for OpenAI models (encodings shipped in resources/), estimates for the rest.

Public API (see /tmp/tw-notes/API.md): :class:`TokenCount`, :func:`encoding_name_for`,
:func:`count_text`, :func:`count_request`, :func:`warm`; plus :func:`count_chat` and
:func:`family_for` for callers that already hold parsed messages or want the estimate ratio.
"""

from __future__ import annotations

from tokenwallet.tokens.counting import TokenCount, count_chat, count_text
from tokenwallet.tokens.encodings import ENCODING_NAMES, TokenizerFileError, get_encoding, is_loaded, warm
from tokenwallet.tokens.images import ImageDataError
from tokenwallet.tokens.models import FAMILIES, Family, encoding_name_for, family_for
from tokenwallet.tokens.requests import count_request, guess_endpoint

__all__ = [
    "ENCODING_NAMES",
    "FAMILIES",
    "Family",
    "ImageDataError",
    "TokenCount",
    "TokenizerFileError",
    "count_chat",
    "count_request",
    "count_text",
    "encoding_name_for",
    "family_for",
    "get_encoding",
    "guess_endpoint",
    "is_loaded",
    "warm",
]
