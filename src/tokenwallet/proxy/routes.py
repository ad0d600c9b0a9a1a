"""Which provider and which endpoint a request is for, and how it is metered: one table per wire.

Fail closed. Every path a provider bills for is in a table below with how it is metered, or that it
is refused and why. A write (POST/PUT/PATCH/DELETE) to a path that is in no table is refused;
reads (GET/HEAD) of unknown paths pass through, still behind a wallet key. Adding an endpoint is
adding a row.

Routing works on a **canonical** path only (see :func:`canonical_path`): a spelling such as
``/v1/./chat/completions`` or ``/v1/%2e/chat/completions`` would otherwise miss the table, be
passed through as "unmetered", and then be normalised by the HTTP client into a billable call. The
upstream URL is built from the canonical path (percent-encoded again), never from the raw request.

Paths follow each official SDK's base-URL convention:

- OpenAI and OpenAI-compatible: ``/<provider>/v1/<rest>`` → ``<base_url incl. /v1>/<rest>``
  (``/<provider>/<rest>`` without ``/v1`` is accepted too)
- Anthropic: ``/anthropic/v1/messages`` → ``<bare host>/v1/messages`` (``/anthropic/messages``
  too: the AI SDK's Anthropic provider composes ``<base>/messages``)
- Gemini: ``/gemini/v1beta/models/<model>:generateContent`` → ``<bare host>/v1beta/models/…``
"""

# The endpoint tables are aligned columns, to be read as tables: they may run past the line length.
# ruff: noqa: E501

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

Meter = Literal["tokens", "images", "speech", "transcription", "video", "free", "unpriced", "refused", "read"]
#: Meter kinds whose calls are counted and held to budget before they are sent.
METERED: frozenset[str] = frozenset({"tokens", "images", "speech", "transcription", "video"})


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One row: ``method path`` → how it is metered.

    ``path`` is canonical, after the provider prefix (and after ``/v1`` on OpenAI-style wires);
    ``{id}`` matches one segment, ``{model}`` one segment up to a ``:``, ``{ver}`` a Gemini API
    version. ``api`` is the usage format of a metered answer, ``endpoint`` its name in the ledger,
    ``why`` what a refusal says.
    """

    method: str
    path: str
    meter: Meter
    api: str = ""
    endpoint: str = ""
    why: str = ""


_BATCH = "a batch runs later and cannot be priced or held before it is sent"
_TUNE = "fine-tuning is billed by training tokens that cannot be known before the job runs"
_FILES = "files uploaded here feed batches and fine-tuning, which the meter cannot price"
_STORE = "stored data is billed per GB-day, which the meter does not count"
_AGENTS = "Assistants runs, containers and hosted tools are billed outside a metered answer"
_REALTIME = (
    "Realtime sessions hand out keys that talk to the provider directly, around the meter; "
    "use the HTTP APIs through Token Wallet"
)
_VIDEO_EDIT = (
    "video edits and extensions are billed by the seconds of a video the meter has not seen; "
    "create or remix videos through Token Wallet instead"
)
_VEO = (
    "Veo video generation (a long-running job billed per second) is not priced yet: "
    "Token Wallet meters video only on OpenAI's /v1/videos"
)
_LEGACY = "the legacy Text Completions API reports no usage; use /v1/messages"
_EMBED = "embeddings answers carry no usage to meter"
_AQA = "attributed question answering reports no usage to meter"
_CACHE = "cached content is billed per token-hour of storage, which the meter does not count"

# fmt: off
#: OpenAI and every OpenAI-compatible provider; paths after ``/v1``.
OPENAI: tuple[Endpoint, ...] = (
    #        method    path                                 meter            api              ledger name
    Endpoint("POST",   "/chat/completions",                 "tokens",        "chat",          "chat/completions"),
    Endpoint("POST",   "/completions",                      "tokens",        "completions",   "completions"),
    Endpoint("POST",   "/responses",                        "tokens",        "responses",     "responses"),
    Endpoint("POST",   "/embeddings",                       "tokens",        "embeddings",    "embeddings"),
    Endpoint("POST",   "/images/generations",               "images",        "images",        "images/generations"),
    Endpoint("POST",   "/images/edits",                     "images",        "images",        "images/edits"),
    Endpoint("POST",   "/images/variations",                "images",        "images",        "images/variations"),
    Endpoint("POST",   "/audio/speech",                     "speech",        "speech",        "audio/speech"),
    Endpoint("POST",   "/audio/transcriptions",             "transcription", "transcription", "audio/transcriptions"),
    Endpoint("POST",   "/audio/translations",               "transcription", "transcription", "audio/translations"),
    Endpoint("POST",   "/videos",                           "video",         "video",         "videos"),
    Endpoint("POST",   "/videos/{id}/remix",                "video",         "video",         "videos/remix"),
    # free: no tokens are generated
    Endpoint("POST",   "/moderations",                      "free"),
    Endpoint("POST",   "/responses/input_tokens",           "free"),
    Endpoint("POST",   "/responses/{id}/cancel",            "free"),
    Endpoint("DELETE", "/responses/{id}",                   "free"),
    Endpoint("POST",   "/chat/completions/{id}",            "free"),
    Endpoint("DELETE", "/chat/completions/{id}",            "free"),
    Endpoint("DELETE", "/files/{id}",                       "free"),
    Endpoint("POST",   "/batches/{id}/cancel",              "free"),
    Endpoint("POST",   "/fine_tuning/jobs/{id}/cancel",     "free"),
    Endpoint("DELETE", "/models/{id}",                      "free"),
    Endpoint("DELETE", "/videos/{id}",                      "free"),
    # cannot be priced before they run: refused under a blocking budget, else opt-in per profile
    Endpoint("POST",   "/batches",                          "unpriced",      why=_BATCH),
    Endpoint("POST",   "/fine_tuning/jobs",                 "unpriced",      why=_TUNE),
    Endpoint("POST",   "/files",                            "unpriced",      why=_FILES),
    Endpoint("POST",   "/uploads",                          "unpriced",      why=_FILES),
    Endpoint("POST",   "/uploads/{id}/parts",               "unpriced",      why=_FILES),
    Endpoint("POST",   "/uploads/{id}/complete",            "unpriced",      why=_FILES),
    Endpoint("POST",   "/vector_stores",                    "unpriced",      why=_STORE),
    Endpoint("POST",   "/assistants",                       "unpriced",      why=_AGENTS),
    Endpoint("POST",   "/threads",                          "unpriced",      why=_AGENTS),
    Endpoint("POST",   "/threads/runs",                     "unpriced",      why=_AGENTS),
    Endpoint("POST",   "/threads/{id}/runs",                "unpriced",      why=_AGENTS),
    Endpoint("POST",   "/containers",                       "unpriced",      why=_AGENTS),
    Endpoint("POST",   "/videos/edits",                     "unpriced",      why=_VIDEO_EDIT),
    Endpoint("POST",   "/videos/extensions",                "unpriced",      why=_VIDEO_EDIT),
    Endpoint("POST",   "/videos/characters",                "unpriced",      why=_VIDEO_EDIT),
    # never through the meter
    Endpoint("POST",   "/realtime/sessions",                "refused",       why=_REALTIME),
    Endpoint("POST",   "/realtime/calls",                   "refused",       why=_REALTIME),
    Endpoint("POST",   "/realtime/client_secrets",          "refused",       why=_REALTIME),
    Endpoint("POST",   "/realtime/transcription_sessions",  "refused",       why=_REALTIME),
)

#: Anthropic; paths from ``/v1``.
ANTHROPIC: tuple[Endpoint, ...] = (
    Endpoint("POST",   "/v1/messages",                      "tokens",        "anthropic",     "messages"),
    Endpoint("POST",   "/v1/messages/count_tokens",         "free"),
    Endpoint("POST",   "/v1/messages/batches/{id}/cancel",  "free"),
    Endpoint("DELETE", "/v1/messages/batches/{id}",         "free"),
    Endpoint("DELETE", "/v1/files/{id}",                    "free"),
    Endpoint("POST",   "/v1/files",                         "free"),
    Endpoint("POST",   "/v1/messages/batches",              "unpriced",      why=_BATCH),
    Endpoint("POST",   "/v1/complete",                      "refused",       why=_LEGACY),
)

#: Gemini; ``{ver}`` is v1, v1beta or v1alpha.
GEMINI: tuple[Endpoint, ...] = (
    Endpoint("POST",   "/{ver}/models/{model}:generateContent",            "tokens",        "gemini",        "generateContent"),
    Endpoint("POST",   "/{ver}/models/{model}:streamGenerateContent",      "tokens",        "gemini",        "generateContent"),
    Endpoint("POST",   "/{ver}/tunedModels/{model}:generateContent",       "tokens",        "gemini",        "generateContent"),
    Endpoint("POST",   "/{ver}/tunedModels/{model}:streamGenerateContent", "tokens",        "gemini",        "generateContent"),
    Endpoint("POST",   "/{ver}/models/{model}:predict",                    "images",        "images",        "predict"),
    Endpoint("POST",   "/{ver}/models/{model}:countTokens",                "free"),
    Endpoint("POST",   "/upload/{ver}/files",                              "free"),
    Endpoint("DELETE", "/{ver}/files/{id}",                                "free"),
    Endpoint("POST",   "/{ver}/batches/{id}:cancel",                       "free"),
    Endpoint("POST",   "/{ver}/models/{model}:embedContent",               "unpriced",      why=_EMBED),
    Endpoint("POST",   "/{ver}/models/{model}:batchEmbedContents",         "unpriced",      why=_EMBED),
    Endpoint("POST",   "/{ver}/models/{model}:batchGenerateContent",       "unpriced",      why=_BATCH),
    Endpoint("POST",   "/{ver}/models/{model}:asyncBatchEmbedContent",     "unpriced",      why=_BATCH),
    Endpoint("POST",   "/{ver}/models/{model}:predictLongRunning",         "unpriced",      why=_VEO),
    Endpoint("POST",   "/{ver}/models/{model}:generateAnswer",             "unpriced",      why=_AQA),
    Endpoint("POST",   "/{ver}/cachedContents",                            "unpriced",      why=_CACHE),
    Endpoint("PATCH",  "/{ver}/cachedContents/{id}",                       "unpriced",      why=_CACHE),
    Endpoint("DELETE", "/{ver}/cachedContents/{id}",                       "free"),
)
# fmt: on

TABLES: dict[str, tuple[Endpoint, ...]] = {"openai": OPENAI, "anthropic": ANTHROPIC, "gemini": GEMINI}
READS = frozenset({"GET", "HEAD"})
_PIECES = {"{id}": r"[^/]+", "{model}": r"(?P<model>[^/:]+)", "{ver}": r"v1(?:beta|alpha)?"}


def _compile(path: str) -> re.Pattern[str]:
    out = re.escape(path)
    for name, rx in _PIECES.items():
        out = out.replace(re.escape(name), rx)
    return re.compile(out + "$")


# Exact paths are a dict hit (the hot path: chat, messages, responses); patterns are scanned.
_EXACT: dict[tuple[str, str, str], Endpoint] = {}
_PATTERNS: dict[str, list[tuple[str, re.Pattern[str], Endpoint]]] = {}
for _wire, _rows in TABLES.items():
    for _row in _rows:
        if "{" in _row.path:
            _PATTERNS.setdefault(_wire, []).append((_row.method, _compile(_row.path), _row))
        else:
            _EXACT[(_wire, _row.method, _row.path)] = _row


@dataclass(frozen=True, slots=True)
class Route:
    """A resolved provider request.

    ``wire`` is the error/auth format ("openai", "anthropic", "gemini"); ``meter`` how it is
    metered (a :data:`Meter`); ``api`` the usage format and ``endpoint`` the ledger name of a
    metered call ("" otherwise); ``upstream_path`` the canonical path to append to the provider's
    base URL, already percent-encoded; ``why`` the reason given when it is refused.
    """

    provider: str
    kind: str
    wire: str
    upstream_path: str
    endpoint: str = ""
    api: str = ""
    path_model: str | None = None  # Gemini names the model in the path
    stream_path: bool = False  # Gemini's :streamGenerateContent
    meter: Meter = "read"
    why: str = ""
    path: str = ""  # the canonical path as the caller named it (for messages)

    @property
    def metered(self) -> bool:
        return self.meter in METERED


class BadPath(ValueError):
    """A path that is not canonical: refused before any routing."""


_FORBIDDEN_ESCAPES = re.compile(rb"%(?:2[eEfF]|5[cC]|00)")


def canonical_path(path: str, raw_path: bytes | None) -> str:
    """``path`` if it is canonical, else :class:`BadPath` saying why.

    Refused: percent-encoded ``.``, ``/``, ``\\`` or NUL in the raw path; ``.``/``..``/empty
    segments; backslashes, control characters, ``?``/``#``/``%`` (from a decoded ``%3F``/``%23``/
    ``%25``: a double-encoded path is a path some server would decode twice) and anything outside
    printable ASCII. A trailing slash is an empty segment too.
    """
    if raw_path is not None and b"%" in raw_path and _FORBIDDEN_ESCAPES.search(raw_path):
        raise BadPath("it percent-encodes '.', '/', '\\' or NUL")
    if not path.isascii() or not path.isprintable() or any(c in path for c in "\\?#% "):
        raise BadPath("it contains a character no provider path has")
    for segment in path.split("/")[1:]:
        if segment in (".", ".."):
            raise BadPath("it has a '.' or '..' segment")
        if not segment:
            raise BadPath("it has an empty segment ('//' or a trailing '/': check your base URL)")
    return path


def wire_for_kind(kind: str) -> str:
    return kind if kind in ("anthropic", "gemini") else "openai"


def split_provider(path: str) -> tuple[str, str]:
    """``/openai/v1/models`` → (``openai``, ``/v1/models``)."""
    slash = path.find("/", 1)
    if slash < 0:
        return path[1:], ""
    return path[1:slash], path[slash:]


def _lookup(wire: str, method: str, path: str) -> tuple[Endpoint, str | None] | None:
    row = _EXACT.get((wire, method, path))
    if row is not None:
        return row, None
    for m, rx, row in _PATTERNS.get(wire, ()):
        if m == method:
            hit = rx.match(path)
            if hit is not None:
                return row, hit.groupdict().get("model")
    return None


def resolve(provider: str, kind: str, rest: str, method: str) -> Route:
    """The route for the canonical ``rest`` (the path after ``/<provider>``) on a provider of ``kind``.

    A path in no table is a read when ``method`` is GET/HEAD, else it is refused (meter "refused",
    ``why`` naming the path).
    """
    wire = wire_for_kind(kind)
    if wire == "openai":  # the base URL includes /v1
        path = rest[3:] if rest == "/v1" or rest.startswith("/v1/") else rest
    elif wire == "anthropic" and not rest.startswith("/v1/"):
        path = "/v1" + rest  # /anthropic/messages (the AI SDK) is /v1/messages
    else:
        path = rest
    upstream = quote(path, safe="/:@-._~!$&'()*+,;=")
    hit = _lookup(wire, method, path)
    if hit is None:
        if method in READS:
            return Route(provider, kind, wire, upstream, path=rest)
        return Route(provider, kind, wire, upstream, meter="refused", why="", path=rest)
    row, model = hit
    return Route(
        provider,
        kind,
        wire,
        upstream,
        row.endpoint,
        row.api,
        model,
        path.endswith(":streamGenerateContent"),
        row.meter,
        row.why,
        rest,
    )
