"""Which provider and which API a request path is for, and where upstream it goes.

Paths follow each official SDK's base-URL convention:

- OpenAI and OpenAI-compatible: ``/<provider>/v1/<rest>`` → ``<base_url incl. /v1>/<rest>``
- Anthropic: ``/anthropic/v1/messages`` → ``<bare host>/v1/messages``
- Gemini: ``/gemini/v1beta/models/<model>:generateContent`` → ``<bare host>/v1beta/models/…``

Only the calls that spend tokens are metered; everything else (``/models``, files,
``count_tokens`` …) is passed through as is, still behind a wallet key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# OpenAI-style endpoints that are metered (after the /v1 prefix), and the API their usage speaks.
_OPENAI_METERED = {
    "/chat/completions": ("chat/completions", "chat"),
    "/responses": ("responses", "responses"),
    "/completions": ("completions", "completions"),
    "/embeddings": ("embeddings", "embeddings"),
}
_GEMINI_CALL = re.compile(
    r"^/v1(?:beta|alpha)?/(?:models|tunedModels)/([^/:]+):(generateContent|streamGenerateContent)$"
)


@dataclass(frozen=True, slots=True)
class Route:
    """A resolved provider request.

    ``wire`` is the error/auth format ("openai", "anthropic", "gemini"), ``api`` the usage format
    ("chat", "completions", "responses", "embeddings", "anthropic", "gemini"; "" when unmetered),
    ``endpoint`` the name used in the ledger and by the token counter ("" when unmetered).
    """

    provider: str
    kind: str
    wire: str
    upstream_path: str
    endpoint: str = ""
    api: str = ""
    path_model: str | None = None  # Gemini names the model in the path
    stream_path: bool = False  # Gemini's :streamGenerateContent

    @property
    def metered(self) -> bool:
        return bool(self.endpoint)


def wire_for_kind(kind: str) -> str:
    return kind if kind in ("anthropic", "gemini") else "openai"


def split_provider(path: str) -> tuple[str, str]:
    """``/openai/v1/models`` → (``openai``, ``/v1/models``)."""
    slash = path.find("/", 1)
    if slash < 0:
        return path[1:], ""
    return path[1:slash], path[slash:]


def resolve(provider: str, kind: str, rest: str, method: str) -> Route:
    """The route for ``rest`` (the path after ``/<provider>``) on a provider of ``kind``."""
    wire = wire_for_kind(kind)
    post = method == "POST"
    if wire == "openai":
        sub = rest[3:] if rest == "/v1" or rest.startswith("/v1/") else rest
        metered = _OPENAI_METERED.get(sub) if post else None
        if metered:
            return Route(provider, kind, wire, sub, metered[0], metered[1])
        return Route(provider, kind, wire, sub)
    if wire == "anthropic":
        if post and rest == "/v1/messages":
            return Route(provider, kind, wire, rest, "messages", "anthropic")
        return Route(provider, kind, wire, rest)
    m = _GEMINI_CALL.match(rest) if post else None
    if m:
        return Route(
            provider,
            kind,
            wire,
            rest,
            "generateContent",
            "gemini",
            m.group(1),
            m.group(2) == "streamGenerateContent",
        )
    return Route(provider, kind, wire, rest)
