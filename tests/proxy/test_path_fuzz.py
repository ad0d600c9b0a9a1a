"""Issue 8: no spelling of a path reaches the provider as a billable call without the hold.

The model of "the provider" here is generous to an attacker: it decodes every percent-escape,
treats backslashes as slashes, collapses empty segments and resolves ``.``/``..`` — whatever a
path becomes after that, the meter must have routed the spelling to the same row of its table (or
refused it).
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fakes._common import Recorded
from tokenwallet.core.money import Amount
from tokenwallet.proxy.routes import METERED, BadPath, canonical_path, resolve, split_provider
from tokenwallet.wallet.types import Scope

from .conftest import Env
from .test_fail_closed import auth, body_for, raw_post

KINDS = {"openai": "openai", "anthropic": "anthropic", "gemini": "gemini", "openrouter": "openai-compatible"}
TARGETS = [
    "/openai/v1/chat/completions",
    "/openai/v1/responses",
    "/openai/v1/completions",
    "/openai/v1/embeddings",
    "/openai/v1/images/generations",
    "/openai/v1/audio/speech",
    "/openai/v1/batches",
    "/openai/v1/models",
    "/openrouter/v1/chat/completions",
    "/anthropic/v1/messages",
    "/anthropic/v1/messages/count_tokens",
    "/anthropic/v1/messages/batches",
    "/gemini/v1beta/models/gemini-2.5-pro:generateContent",
    "/gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent",
]
NOISE = [
    ".",
    "..",
    "",
    "x/..",
    "%2e",
    "%2E",
    "%2e%2e",
    ".%2e",
    "%2f",
    "%2F",
    "%5c",
    "\\",
    "%00",
    "%20",
    "%41",
    ";",
]


def spell(draw: st.DrawFn) -> str:
    target = draw(st.sampled_from(TARGETS))
    parts = target.split("/")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(1, len(parts)))
        parts.insert(at, draw(st.sampled_from(NOISE)))
    if draw(st.booleans()):  # or mangle a character of a real segment
        i = draw(st.integers(1, len(parts) - 1))
        if parts[i]:
            j = draw(st.integers(0, len(parts[i]) - 1))
            parts[i] = parts[i][:j] + "%" + format(ord(parts[i][j]), "02x") + parts[i][j + 1 :]
    return "/".join(parts)


spellings = st.composite(spell)


def provider_view(path: str) -> str:
    """What a lenient server would make of ``path``."""
    p = unquote(unquote(path)).replace("\\", "/")
    return posixpath.normpath("/" + p.lstrip("/"))


def row_of(path: str) -> tuple[str, str]:
    provider, rest = split_provider(path)
    route = resolve(provider, KINDS.get(provider, "openai"), rest, "POST")
    return route.meter, route.endpoint


@settings(max_examples=600, deadline=None)
@given(spellings())
def test_every_accepted_spelling_routes_to_the_row_the_provider_would_bill(raw: str) -> None:
    decoded = unquote(raw)  # what the ASGI server hands the app as scope["path"]
    try:
        canonical_path(decoded, raw.encode())
    except BadPath:
        return  # refused before any routing
    provider, rest = split_provider(decoded)
    route = resolve(provider, KINDS.get(provider, "openai"), rest, "POST")
    sent = httpx.URL("https://api.example" + route.upstream_path).path  # after the HTTP client
    seen = provider_view(f"/{provider}" + ("/v1" if route.wire == "openai" else "") + sent)
    if route.wire == "openai":
        seen = seen.replace(f"/{provider}/v1/v1", f"/{provider}/v1", 1)
    meter, endpoint = row_of(seen)
    if meter in METERED:
        assert route.metered and route.endpoint == endpoint, (raw, seen)
    assert route.meter == meter or (route.meter, meter) in {("refused", "read")}, (raw, seen)


def billable(r: Recorded) -> bool:
    """A request the provider would bill: every POST but those the meter's table calls free
    (``count_tokens``, updating a stored chat completion's metadata …)."""
    if r.method != "POST":
        return False
    rest = r.path.removeprefix("/api")  # OpenRouter's base URL is /api/v1
    return resolve(r.provider or "openai", KINDS.get(r.provider, "openai"), rest, "POST").meter != "free"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spellings())
@example("/openrouter/v1/chat/completions/%41")  # POST /chat/completions/{id}: free (stored metadata)
def test_the_real_server_sends_no_spelling_upstream_past_a_spent_budget(env: Env, raw: str) -> None:
    if not env.wallet.status(profile="alice") or len(env.wallet.status(profile="alice")) == 0:
        env.wallet.set_budget(Scope("profile", "alice"), Amount("usd", 1), period="month", action="block")
    status, _ = raw_post(env, raw, body_for(raw), auth(env, raw))
    sent = [r for r in env.upstream.requests if billable(r)]
    assert sent == [], (raw, status, [r.path for r in sent])
    assert env.holds() == []
