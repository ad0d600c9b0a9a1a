"""The real Codex CLI (npm ``@openai/codex``) through the real meter: metered, and no retry delay.

Codex opens a Responses WebSocket (``GET …/responses``, ``Upgrade: websocket``) before anything
else. The meter answers 426, which Codex takes as "no WebSocket here" and switches to HTTP at
once; any other answer costs five retries with backoff (~7 s) first. So the claim "costs no retry
delay" is asserted as a count, not a time: exactly one upgrade refused, one POST to the provider.

The CLI is installed by this module on first use into a cache shared by test runs (about 150 MB
download, 420 MB on disk), pinned to one version; the test skips only when node or npm is absent.
Codex is told to stay on loopback: no analytics, no plugin catalogue, no update check.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tokenwallet.core.usage import Usage

from .conftest import Env

CODEX_VERSION = "0.171.0"
MODEL = "gpt-4o-mini"
# Everything Codex would otherwise reach beyond the base URL (checked with strace: analytics go
# to ab.chatgpt.com, the plugin catalogue to chatgpt.com and api.github.com).
LOOPBACK_ONLY = [
    "analytics.enabled=false",
    "features.plugins=false",
    "check_for_update_on_startup=false",
]


def _cache() -> Path:
    if os.environ.get("TOKENWALLET_TEST_CACHE"):
        return Path(os.environ["TOKENWALLET_TEST_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tokenwallet-tests"


@pytest.fixture(scope="session")
def codex() -> list[str]:
    """The command that runs the pinned Codex CLI, installing it with npm on first use."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("the Codex CLI test needs Node.js and npm on PATH to install @openai/codex")
    home = _cache() / f"codex-{CODEX_VERSION}"
    entry = home / "node_modules" / "@openai" / "codex" / "bin" / "codex.js"
    if not entry.exists():
        home.parent.mkdir(parents=True, exist_ok=True)
        # Install beside the final place and rename: a run that is stopped half-way, or two runs
        # at once, never leave a half-installed CLI where the next run would take it as done.
        staging = Path(tempfile.mkdtemp(prefix=".codex-install-", dir=home.parent))
        try:
            done = subprocess.run(
                [
                    npm,
                    "install",
                    "--prefix",
                    str(staging),
                    "--no-audit",
                    "--no-fund",
                    f"@openai/codex@{CODEX_VERSION}",
                ],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if done.returncode != 0:
                pytest.fail(f"npm install @openai/codex@{CODEX_VERSION} failed:\n{done.stderr[-3000:]}")
            try:
                staging.rename(home)
            except OSError:  # another run installed it meanwhile
                assert entry.exists()
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return [node, str(entry)]


@pytest.mark.slow
@pytest.mark.timeout(900)  # the first run downloads the CLI; a cached run takes a few seconds
def test_codex_exec_is_metered_over_http_without_websocket_retries(
    env: Env, codex: list[str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="tokenwallet.proxy.upgrade")
    env.upstream.scenario(tool_call=False)  # the model answers in text: one turn, no shell commands
    home, work = tmp_path / "codex-home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    # Nothing from the user's own setup: a fresh CODEX_HOME and HOME, the wallet key as the API key.
    child_env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "CODEX_HOME": str(home),
        "CODEX_API_KEY": env.key,
    }
    overrides = [f'openai_base_url="{env.url}/openai/v1"', *LOOPBACK_ONLY]
    args = [*codex, "exec", "--skip-git-repo-check", "-m", MODEL]
    for item in overrides:
        args += ["-c", item]
    done = subprocess.run(
        [*args, "Say hello."],
        cwd=work,
        env=child_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    # The provider saw one HTTP call and no trace of the WebSocket attempt.
    seen = env.upstream.requests
    assert [(r.method, r.path) for r in seen] == [("POST", "/v1/responses")], seen
    rec = seen[0]
    assert "upgrade" not in rec.headers and rec.json["stream"] is True
    assert rec.headers["authorization"] == "Bearer sk-real-openai"
    assert rec.usage is not None

    # Codex tried the WebSocket exactly once (its pre-warm), took the 426 and never retried.
    refused = [r for r in caplog.records if r.name == "tokenwallet.proxy.upgrade"]
    assert len(refused) == 1, [r.getMessage() for r in refused]
    assert "/openai/v1/responses" in refused[0].getMessage()
    assert "Reconnecting" not in done.stderr

    # Metered: one ledger row with the fake's usage, priced as the price book says.
    row = env.last_row()
    assert len(env.rows()) == 1
    assert (row.provider, row.model, row.endpoint, row.status) == ("openai", MODEL, "responses", 200)
    usage: Usage = rec.usage
    assert row.usage == usage
    assert row.cost_nano == env.expected_cost("openai", MODEL, usage) > 0
    assert not row.estimated
    assert env.holds() == []
    # And Codex got the model's answer.
    assert "tok" in done.stdout
