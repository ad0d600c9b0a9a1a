"""Helpers for the CLI tests: run ``tokenwallet`` in-process (fast) or as a real subprocess."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import Result, Run

from tokenwallet.cli import main
from tokenwallet.secrets.memory import MemoryKeyring

VENV_BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI follows the locale (issue 12): these tests read its English, whatever the machine's
    LANG. The language tests (test_cli_language.py) set their own environment."""
    monkeypatch.setenv("TOKENWALLET_LANG", "en")


@pytest.fixture(autouse=True)
def _fresh_memory_keyring() -> Iterator[None]:
    MemoryKeyring.clear()
    yield
    MemoryKeyring.clear()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "wallet"


@pytest.fixture
def tw(data_dir: Path) -> Run:
    """``tw("status", "--json")`` runs ``tokenwallet --data-dir DATA status --json`` in-process."""

    def run(*args: str, stdin: str = "") -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = main(["--data-dir", str(data_dir), *args], stdin=io.StringIO(stdin), stdout=out, stderr=err)
        return Result(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def shell(tmp_path: Path, data_dir: Path) -> Run:
    """Run a shell command line exactly as a user types it, with ``tokenwallet`` on PATH and
    ``TOKENWALLET_HOME`` pointing at this test's wallet."""

    def run(command: str, *, env: dict[str, str] | None = None) -> Result:
        full_env = dict(os.environ)
        full_env.update(
            {
                "PATH": f"{VENV_BIN}{os.pathsep}{full_env.get('PATH', '')}",
                "TOKENWALLET_HOME": str(data_dir),
                "PYTHONWARNINGS": "error",
            }
        )
        full_env.update(env or {})
        proc = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run
