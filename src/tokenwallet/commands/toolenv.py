"""What ``tokenwallet run`` puts in a tool's environment so that every call it makes is metered.

One table of variables (scan it to see who reads what), the few variables that would send calls
around the meter (removed), and Codex CLI's own home: Codex ignores ``OPENAI_BASE_URL`` and reads
its base URL from ``config.toml``, so the run gives it a fresh ``CODEX_HOME`` that copies nothing
from the user's ``~/.codex`` and is deleted when the run ends.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

# (variable, value, who reads it). ``{url}`` is the meter's address, ``{key}`` the session's key.
SET: tuple[tuple[str, str, str], ...] = (
    ("OPENAI_BASE_URL", "{url}/openai/v1", "OpenAI SDKs (Python, Node), llm, LangChain, the AI SDK"),
    ("OPENAI_API_BASE", "{url}/openai/v1", "aider and LiteLLM, older OpenAI SDKs"),
    ("OPENAI_API_KEY", "{key}", "OpenAI SDKs and most tools built on them"),
    ("ANTHROPIC_BASE_URL", "{url}/anthropic", "Anthropic SDKs, Claude Code, aider (LiteLLM)"),
    ("ANTHROPIC_API_KEY", "{key}", "Anthropic SDKs (x-api-key)"),
    # Claude Code takes this before an API key, apiKeyHelper or a logged-in subscription, and
    # does not ask to approve it as it does a new ANTHROPIC_API_KEY.
    ("ANTHROPIC_AUTH_TOKEN", "{key}", "Claude Code, Anthropic SDKs (Authorization: Bearer)"),
    ("GEMINI_API_KEY", "{key}", "google-genai, Gemini CLI"),
    ("GOOGLE_API_KEY", "{key}", "google-genai, LangChain's Google integration"),
    ("GOOGLE_GEMINI_BASE_URL", "{url}/gemini", "google-genai, Gemini CLI"),
    ("CODEX_API_KEY", "{key}", "Codex CLI (codex exec)"),
    ("CODEX_HOME", "{codex_home}", "Codex CLI: its config.toml names the meter as base URL"),
    # Claude Code's telemetry, error reports and update checks go to other hosts, never metered.
    ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "Claude Code"),
    ("TOKENWALLET_URL", "{url}", "scripts that want the meter's address"),
    ("TOKENWALLET_SESSION", "{session}", "scripts that want the session's id"),
)

# Variables that would take a tool's calls somewhere the meter never sees, or use a credential
# other than the session key.
REMOVE: tuple[str, ...] = (
    "CLAUDE_CODE_USE_BEDROCK",  # Claude Code through AWS Bedrock
    "CLAUDE_CODE_USE_VERTEX",  # … through Google Vertex
    "CLAUDE_CODE_OAUTH_TOKEN",  # a subscription's token
    "GOOGLE_GENAI_USE_VERTEXAI",  # google-genai through Vertex
)

# Per program (the command's file name): variables of SET it must not get.
LEAVE_OUT: dict[str, tuple[str, ...]] = {
    # Interactive Claude Code asks whether to use an ANTHROPIC_API_KEY it has not seen before,
    # and a session key is always new; ANTHROPIC_AUTH_TOKEN carries the key without asking.
    "claude": ("ANTHROPIC_API_KEY",),
}

CODEX_CONFIG = """\
# Written by `tokenwallet run` for one session; removed when the session ends.
openai_base_url = {base_url}
check_for_update_on_startup = false

[analytics]
enabled = false

[features]
plugins = false
"""


def tool_env(
    base: Mapping[str, str], *, url: str, key: str, session: str, codex_home: Path, program: str = ""
) -> dict[str, str]:
    """``base`` (the caller's environment) pointed at the meter for one session of ``program``."""
    values = {"url": url.rstrip("/"), "key": key, "session": session, "codex_home": str(codex_home)}
    leave_out = LEAVE_OUT.get(Path(program).name.removesuffix(".exe"), ())
    env = {k: v for k, v in base.items() if k not in REMOVE and k not in leave_out}
    for name, template, _ in SET:
        if name not in leave_out:
            env[name] = template.format(**values)
    # A proxy for outgoing HTTP (HTTPS_PROXY …) must not take the calls to the meter away.
    host = values["url"].split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
    for name in ("NO_PROXY", "no_proxy"):
        present = [h for h in env.get(name, "").split(",") if h.strip()]
        env[name] = ",".join(dict.fromkeys([*present, host, "127.0.0.1", "localhost"]))
    return env


def make_codex_home(path: Path, *, url: str, key: str) -> None:
    """A Codex home with the meter as base URL and the session key as the API key (for the TUI,
    which does not read CODEX_API_KEY); nothing else, so nothing of the user's ``~/.codex``."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    base_url = json.dumps(url.rstrip("/") + "/openai/v1")  # a TOML basic string is a JSON string
    (path / "config.toml").write_text(CODEX_CONFIG.format(base_url=base_url), encoding="utf-8")
    auth = path / "auth.json"
    fd = os.open(auth, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"auth_mode": "apikey", "OPENAI_API_KEY": key}, fh)
