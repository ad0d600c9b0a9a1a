"""What ``tokenwallet run`` puts in a tool's environment (the processes are tested in tests/proxy)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from tokenwallet.commands.toolenv import make_codex_home, tool_env

URL = "http://127.0.0.1:8787"


def _env(base: dict[str, str], program: str = "python") -> dict[str, str]:
    return tool_env(
        base, url=URL + "/", key="tw-k", session="s-1", codex_home=Path("/h/codex"), program=program
    )


def test_every_provider_points_at_the_meter_and_nothing_goes_around_it() -> None:
    base = {
        "OPENAI_API_KEY": "sk-own",
        "ANTHROPIC_AUTH_TOKEN": "own",
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "CLAUDE_CODE_OAUTH_TOKEN": "oauth",
        "HOME": "/home/me",
        "NO_PROXY": "corp.example",
    }
    env = _env(base)
    assert env["OPENAI_BASE_URL"] == env["OPENAI_API_BASE"] == URL + "/openai/v1"
    assert env["ANTHROPIC_BASE_URL"] == URL + "/anthropic"
    assert env["GOOGLE_GEMINI_BASE_URL"] == URL + "/gemini"
    keys = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "GEMINI_API_KEY", "GOOGLE_API_KEY")
    assert {env[k] for k in (*keys, "CODEX_API_KEY")} == {"tw-k"}
    assert "CLAUDE_CODE_USE_BEDROCK" not in env and "CLAUDE_CODE_OAUTH_TOKEN" not in env
    assert env["HOME"] == "/home/me" and env["TOKENWALLET_SESSION"] == "s-1"
    assert env["NO_PROXY"].split(",") == ["corp.example", "127.0.0.1", "localhost"]
    assert base["OPENAI_API_KEY"] == "sk-own"  # the caller's mapping is not changed


def test_claude_code_gets_the_key_as_auth_token_only() -> None:
    for program in ("claude", "/usr/local/bin/claude", "claude.exe"):
        env = _env({"ANTHROPIC_API_KEY": "sk-ant-own"}, program)
        assert "ANTHROPIC_API_KEY" not in env and env["ANTHROPIC_AUTH_TOKEN"] == "tw-k"
    assert _env({}, "claudette")["ANTHROPIC_API_KEY"] == "tw-k"


def test_codex_home_has_the_meter_and_the_key_and_nothing_else(tmp_path: Path) -> None:
    home = tmp_path / "codex"
    make_codex_home(home, url=URL, key="tw-k")
    config = tomllib.loads((home / "config.toml").read_text())
    assert config["openai_base_url"] == URL + "/openai/v1"
    assert config["analytics"] == {"enabled": False} and config["features"] == {"plugins": False}
    assert json.loads((home / "auth.json").read_text()) == {"auth_mode": "apikey", "OPENAI_API_KEY": "tw-k"}
    assert (home / "auth.json").stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in home.iterdir()) == ["auth.json", "config.toml"]
