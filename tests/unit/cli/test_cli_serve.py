"""``tokenwallet serve``: the headless proxy starts, answers, and stops cleanly on SIGINT."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path


def test_serve_starts_answers_and_stops(tmp_path: Path) -> None:
    env = dict(os.environ)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tokenwallet", "--data-dir", str(tmp_path / "w"), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("Token Wallet proxy listening on http://127.0.0.1:"), first
        url = first.split()[5]
        with urllib.request.urlopen(f"{url}/tokenwallet/health", timeout=10) as resp:
            assert json.loads(resp.read())["status"] == "ok"
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "tokenwallet",
                "--data-dir",
                str(tmp_path / "w"),
                "serve",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "already in use" in r.stderr


def test_serve_without_a_keychain_says_so_at_start(tmp_path: Path) -> None:
    # keyring's "fail" backend is what a machine without any keychain ends up with
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tokenwallet", "--data-dir", str(tmp_path / "w"), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stderr is not None
        warning = proc.stderr.readline()
        assert warning.startswith("tokenwallet: warning: no usable keychain"), warning
        assert "PYTHON_KEYRING_BACKEND" in warning and "will be refused" in warning
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
