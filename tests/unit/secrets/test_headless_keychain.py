"""The headless keychain recipe (tools/with-keychain): a key stored in one run is read in the next,
kept encrypted, and a wrong password leaves the keychain locked. Real processes, a temporary HOME."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SECRET = "sk-headless-5566778899"

pytestmark = pytest.mark.skipif(
    not (shutil.which("gnome-keyring-daemon") and shutil.which("dbus-run-session")),
    reason="the recipe needs the Debian packages gnome-keyring and dbus-daemon",
)


def with_keychain(
    home: Path, password: str, command: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    password_file = home / "password"
    password_file.write_text(password)
    password_file.chmod(0o600)
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS")
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_RUNTIME_DIR=str(home / "run"),
        TOKENWALLET_HOME=str(home / "wallet"),
        TOKENWALLET_KEYRING_PASSWORD_FILE=str(password_file),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    (home / "run").mkdir(mode=0o700, exist_ok=True)
    return subprocess.run(
        [str(ROOT / "tools" / "with-keychain"), "bash", "-c", command],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_key_survives_between_runs_encrypted(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    stored = with_keychain(home, "pw-1", "tokenwallet key set openai", stdin=SECRET + "\n")
    assert stored.returncode == 0, stored.stderr
    assert "SecretService" in stored.stdout
    status = with_keychain(home, "pw-1", "tokenwallet key status")
    assert status.returncode == 0, status.stderr
    assert any(line.split()[:2] == ["openai", "stored"] for line in status.stdout.splitlines())
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.name == "login.keyring" for p in files)
    assert not any(SECRET.encode() in p.read_bytes() for p in files)  # encrypted at rest
    locked = with_keychain(home, "not-the-password", "tokenwallet key status")
    assert locked.returncode == 1 and "locked" in locked.stderr
