"""Real agent CLIs through ``tokenwallet run`` and the real proxy, against the fake upstream.

Each tool is installed by the suite on first use, pinned, into a cache shared by test runs
(``~/.cache/tokenwallet-tests`` or ``$TOKENWALLET_TEST_CACHE``); a test skips only when npm or pip
cannot install it. The tools get a fresh HOME and nothing but what ``run`` sets, and must not
reach any host but loopback (see run_helpers.Trap).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Env
from .run_helpers import Trap, check_metered, npm_tool, pip_tool, point_wallet_at, tokenwallet_run, tool_env

CLAUDE_CODE = "@anthropic-ai/claude-code@2.1.332"
SUBSCRIPTION = {  # what `claude login` leaves in ~/.claude/.credentials.json
    "accessToken": "sk-ant-oat01-users-subscription",
    "refreshToken": "sk-ant-ort01-users-subscription",
    "expiresAt": 4102444800000,
    "scopes": ["user:inference", "user:profile"],
    "subscriptionType": "max",
}
LLM = "llm==0.36"
AIDER = "aider-chat==0.86.2"
GOOGLE_GENAI = "google-genai==3.6.1"
CODEX = "@openai/codex@0.171.0"  # the version w8ws tested (tests/proxy/test_codex_cli.py)
MODEL_INFO = {  # what aider needs to know of a model so that it fetches no model list
    "max_input_tokens": 128000,
    "max_output_tokens": 16384,
    "input_cost_per_token": 1e-06,
    "output_cost_per_token": 4e-06,
    "mode": "chat",
}

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]  # the first run downloads the tools


@pytest.fixture
def trap() -> Trap:
    t = Trap()
    yield t  # type: ignore[misc]
    t.close()


@pytest.fixture
def work(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


def test_claude_code_print_mode(env: Env, tmp_path: Path, work: Path, trap: Trap) -> None:
    claude = npm_tool("claude-code", CLAUDE_CODE, "@anthropic-ai/claude-code/bin/claude.exe")
    env.upstream.scenario(tool_call=False)  # the model answers in text: one turn, no tools run
    data = point_wallet_at(env)
    # A key of the user's own in the environment must not be used (nor Claude Code asked about it),
    # nor a subscription the user is logged in with.
    home = tmp_path / "home"
    (home / ".claude").mkdir(parents=True)
    (home / ".claude" / ".credentials.json").write_text(json.dumps({"claudeAiOauth": SUBSCRIPTION}))
    child = tool_env(home, trap, ANTHROPIC_API_KEY="sk-ant-users-own")
    ran = tokenwallet_run(data, [str(claude), "-p", "Say hello."], env=child, cwd=work)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "tok" in ran.stdout
    rows = check_metered(env, ran)
    assert {(r.provider, r.endpoint) for r in rows} == {("anthropic", "messages")}
    # Claude Code's own beta headers reach the provider; the wallet key does not.
    for rec in env.upstream.requests:
        assert "claude-code-20250219" in rec.headers.get("anthropic-beta", "")
        assert rec.headers["x-api-key"] == "sk-ant-real"
        assert not any("tw-" in v for v in rec.headers.values())
    assert trap.seen == []


def test_llm_cli(env: Env, tmp_path: Path, work: Path, trap: Trap) -> None:
    llm = pip_tool("llm", LLM, "llm")
    data = point_wallet_at(env)
    user_path = tmp_path / "llm-user"  # llm's keys, logs and models: none of the user's
    ran = tokenwallet_run(
        data,
        [str(llm), "-m", "gpt-4o-mini", "Say hello."],
        env=tool_env(tmp_path / "home", trap, LLM_USER_PATH=str(user_path)),
        cwd=work,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "tok" in ran.stdout
    rows = check_metered(env, ran, calls=1)
    assert (rows[0].provider, rows[0].model, rows[0].endpoint) == (
        "openai",
        "gpt-4o-mini",
        "chat/completions",
    )
    assert env.upstream.last.headers["authorization"] == "Bearer sk-real-openai"
    assert trap.seen == []


AIDER_MODELS = {  # aider's name for the model → what the meter records
    "gpt-4o-mini": ("openai", "gpt-4o-mini", "chat/completions"),
    "anthropic/claude-haiku-4-5": ("anthropic", "claude-haiku-4-5", "messages"),
}


@pytest.mark.parametrize("model", list(AIDER_MODELS))
def test_aider(env: Env, tmp_path: Path, work: Path, trap: Trap, model: str) -> None:
    aider = pip_tool("aider", AIDER, "aider")
    env.upstream.scenario(tool_call=False)
    data = point_wallet_at(env)
    (work / "hello.py").write_text("print('hello')\n")
    # aider fetches LiteLLM's model list from GitHub unless the model is described locally.
    metadata = tmp_path / "models.json"
    provider = AIDER_MODELS[model][0]
    metadata.write_text(json.dumps({model: {**MODEL_INFO, "litellm_provider": provider}}))
    child = tool_env(
        tmp_path / "home",
        trap,
        # LiteLLM (under aider) would fetch its model price list from GitHub at import.
        LITELLM_LOCAL_MODEL_COST_MAP="True",
    )
    ran = tokenwallet_run(
        data,
        [
            str(aider),
            "--model",
            model,
            "--message",
            "Say hello.",
            "--yes-always",
            "--no-git",
            "--no-check-update",
            "--analytics-disable",
            "--no-show-model-warnings",
            "--no-pretty",
            "--no-fancy-input",
            "--model-metadata-file",
            str(metadata),
            "hello.py",
        ],
        env=child,
        cwd=work,
    )
    assert ran.returncode == 0, ran.stderr[-3000:] + ran.stdout[-3000:]
    rows = check_metered(env, ran)
    assert {(r.provider, r.model, r.endpoint) for r in rows} == {AIDER_MODELS[model]}
    assert trap.seen == []
    assert (work / "hello.py").read_text() == "print('hello')\n"  # the fake's "tok tok" edits nothing


def test_codex_exec(env: Env, tmp_path: Path, work: Path, trap: Trap) -> None:
    codex = npm_tool("codex", CODEX, "@openai/codex/bin/codex.js")
    env.upstream.scenario(tool_call=False)  # the model answers in text: one turn, no shell commands
    data = point_wallet_at(env)
    home = tmp_path / "home"
    ran = tokenwallet_run(
        data,
        ["node", str(codex), "exec", "--skip-git-repo-check", "-m", "gpt-4o-mini", "Say hello."],
        env=tool_env(home, trap),
        cwd=work,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "tok" in ran.stdout
    rows = check_metered(env, ran, calls=1)
    assert (rows[0].provider, rows[0].model, rows[0].endpoint) == ("openai", "gpt-4o-mini", "responses")
    posts = [r for r in env.upstream.requests if r.method == "POST"]
    assert [r.path for r in posts] == ["/v1/responses"]
    assert posts[0].headers["authorization"] == "Bearer sk-real-openai"
    assert trap.seen == []
    # Codex's home was the session's own, and it is gone: nothing in the user's ~/.codex.
    assert not (home / ".codex").exists()
    assert not (data / "sessions" / ran.session).exists()


GENAI_SCRIPT = """
from google import genai
client = genai.Client()  # key and base URL from the environment tokenwallet run made
r = client.models.generate_content(model="gemini-2.5-flash", contents="Say hello.")
print("ANSWER", r.text)
for chunk in client.models.generate_content_stream(model="gemini-2.5-flash", contents="Stream."):
    print("CHUNK", chunk.text)
"""


def test_google_genai_program(env: Env, tmp_path: Path, work: Path, trap: Trap) -> None:
    python = pip_tool("google-genai", GOOGLE_GENAI, "python")
    data = point_wallet_at(env)
    script = work / "gemini.py"
    script.write_text(GENAI_SCRIPT)
    ran = tokenwallet_run(data, [str(python), str(script)], env=tool_env(tmp_path / "home", trap), cwd=work)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "ANSWER tok" in ran.stdout and "CHUNK tok" in ran.stdout
    rows = check_metered(env, ran, calls=2)
    assert {(r.provider, r.model) for r in rows} == {("gemini", "gemini-2.5-flash")}
    assert {r.headers["x-goog-api-key"] for r in env.upstream.requests} == {"AIza-real"}
    assert trap.seen == []


def test_claude_code_agent_turns(env: Env, tmp_path: Path, work: Path, trap: Trap) -> None:
    """An agent session of several calls: Claude Code's first answer calls a tool (its first one,
    Agent: a sub-agent that makes calls of its own), then it answers; every call is in the session."""
    claude = npm_tool("claude-code", CLAUDE_CODE, "@anthropic-ai/claude-code/bin/claude.exe")
    env.upstream.scenario(tool_call=False)
    env.upstream.once(tool_call=True)
    data = point_wallet_at(env)
    child = tool_env(tmp_path / "home", trap)
    ran = tokenwallet_run(data, [str(claude), "-p", "Look around.", "--max-turns", "3"], env=child, cwd=work)
    assert ran.returncode == 0, ran.stderr[-3000:]
    seen = env.upstream.requests
    assert len(seen) >= 3 and any(r.json and r.json.get("tools") for r in seen)
    rows = check_metered(env, ran, calls=len(seen))
    assert {(r.provider, r.endpoint) for r in rows} == {("anthropic", "messages")}
    assert trap.seen == []
