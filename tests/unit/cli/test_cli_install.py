"""``tokenwallet install-cli``: a command on PATH after asking, never over someone else's file.

Real processes with a temporary HOME: the shim is run as a user would run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cli_helpers import Result

VENV_BIN = Path(sys.executable).parent


def run(home: Path, *args: str, answer: str = "", path: str = "/usr/bin:/bin") -> Result:
    env = {**os.environ, "HOME": str(home), "PATH": path, "PYTHONWARNINGS": "error"}
    proc = subprocess.run(
        [str(VENV_BIN / "tokenwallet"), *args],
        input=answer,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def test_asks_installs_and_the_shim_runs(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    shim = home / ".local" / "bin" / "tokenwallet"
    no = run(home, "install-cli", answer="n\n")
    assert no.code == 1 and "[y/N]" in no.out and "Nothing installed" in no.out and not shim.exists()
    yes = run(home, "install-cli", answer="y\n")
    assert yes.code == 0, yes.err
    assert f"Installed {shim}" in yes.out
    assert 'export PATH="$HOME/.local/bin:$PATH"' in yes.out  # said once: the folder is not on PATH
    assert os.access(shim, os.X_OK)
    env = {**os.environ, "HOME": str(home), "PATH": f"{shim.parent}:/usr/bin:/bin"}
    version = subprocess.run(
        ["tokenwallet", "--version"], env=env, capture_output=True, text=True, check=False
    )
    assert version.returncode == 0 and version.stdout.startswith("tokenwallet ")
    again = run(home, "install-cli", path=f"{shim.parent}:/usr/bin:/bin")
    assert again.code == 0 and "already installed" in again.out and "PATH" not in again.out


def test_never_replaces_a_file_it_did_not_write(tmp_path: Path) -> None:
    home = tmp_path / "home"
    shim = home / ".local" / "bin" / "tokenwallet"
    shim.parent.mkdir(parents=True)
    shim.write_text("#!/bin/sh\necho mine\n")
    r = run(home, "install-cli", "--yes")
    assert r.code == 1 and "was not written by Token Wallet" in r.err
    assert shim.read_text() == "#!/bin/sh\necho mine\n"
