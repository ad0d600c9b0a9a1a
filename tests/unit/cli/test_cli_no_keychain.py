"""With no usable keychain, ``key set`` says what to do in one line, and stores the key nowhere."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import Run

SECRET = "sk-nokeychain-5566778899"


def test_key_set_without_keychain(shell: Run, data_dir: Path, tmp_path: Path) -> None:
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "KEY": SECRET}
    r = shell('echo "$KEY" | tokenwallet key set openai', env=env)
    assert r.code == 1
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert "gnome-keyring" in r.err and "PYTHON_KEYRING_BACKEND" in r.err and "plain file" in r.err
    assert SECRET not in r.out + r.err
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert SECRET.encode() not in stored


def test_keyring_disabled_is_refused(shell: Run) -> None:
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    r = shell("echo sk-x | tokenwallet key set openai", env=env)
    assert r.code == 1 and "disabled" in r.err and len(r.err.strip().splitlines()) == 1


def test_key_status_without_keychain_is_one_line(shell: Run) -> None:
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    r = shell("tokenwallet key status", env=env)
    assert r.code == 1 and len(r.err.strip().splitlines()) == 1
