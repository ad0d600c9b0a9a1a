"""The owner PIN may be a passphrase; the prompts say so; old 4-digit PINs keep working."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import Run

from tokenwallet.billing.pin import PinError, check_new_pin, hash_pin, is_weak, pin_matches

PHRASE = "Otter kettle Dunedin 42"


def test_a_passphrase_guards_money_like_a_pin(tw: Run) -> None:
    r = tw("household", "init", "--owner", "mum", "--pin-stdin", stdin=f"{PHRASE}\n")
    assert r.code == 0, r.err
    assert "passphrase" not in r.err  # a strong one gets no advice
    r = tw("budget", "set", "--profile", "mum", "5", "--pin-stdin", stdin="otter kettle dunedin 42\n")
    assert r.code == 1 and "wrong PIN" in r.err  # case counts
    r = tw("budget", "set", "--profile", "mum", "5", "--pin-stdin", stdin=f"{PHRASE}\n")
    assert r.code == 0, r.err


def test_a_four_digit_pin_still_works_and_gets_a_note(tw: Run) -> None:
    r = tw("household", "init", "--owner", "mum", "--pin-stdin", stdin="4821\n")
    assert r.code == 0, r.err
    assert "tokenwallet: note:" in r.err and "passphrase" in r.err and "copies the wallet file" in r.err
    assert tw("topup", "--profile", "mum", "1", "--pin-stdin", stdin="4821\n").code == 0
    # …and can be changed to a passphrase (old PIN on the first line, the new one on the second)
    r = tw("household", "pin", "--pin-stdin", stdin=f"4821\n{PHRASE}\n")
    assert r.code == 0, r.err
    assert "note:" not in r.err
    assert tw("topup", "--profile", "mum", "1", "--pin-stdin", stdin="4821\n").code == 1
    assert tw("topup", "--profile", "mum", "1", "--pin-stdin", stdin=f"{PHRASE}\n").code == 0


def test_new_pin_rules() -> None:
    assert check_new_pin("1234") == "1234"
    assert check_new_pin("x" * 500) == "x" * 500
    for bad, why in [
        ("abc", "at least 4"),
        (" 1234", "spaces"),
        ("12\t34", "control"),
        ("x" * 1025, "too long"),
    ]:
        with pytest.raises(PinError, match=why):
            check_new_pin(bad)
    assert is_weak("1234") and is_weak("98765432109876") and is_weak("short pw")
    assert not is_weak(PHRASE)
    stored = hash_pin(PHRASE)
    assert pin_matches(PHRASE, stored) and not pin_matches(PHRASE.lower(), stored)


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX terminal")
def test_the_terminal_prompt_offers_a_passphrase(data_dir: Path) -> None:
    """On a real terminal (a pty), choosing the PIN says a passphrase is allowed, and accepts one."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tokenwallet",
            "--data-dir",
            str(data_dir),
            "household",
            "init",
            "--owner",
            "mum",
        ],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        start_new_session=True,  # the pty becomes its controlling terminal: getpass reads it
        env=dict(os.environ, TERM="dumb"),
    )
    os.close(follower)
    seen = b""

    def read_until(text: bytes) -> None:
        nonlocal seen
        while text not in seen:
            ready, _, _ = select.select([leader], [], [], 30)
            assert ready, f"no {text!r} on the terminal; saw {seen!r}"
            seen += os.read(leader, 4096)

    try:
        read_until(b"New owner PIN or passphrase: ")
        os.write(leader, PHRASE.encode() + b"\n")
        read_until(b"Repeat it: ")
        os.write(leader, PHRASE.encode() + b"\n")
        assert proc.wait(timeout=60) == 0, seen
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)
    assert b"letters and spaces are allowed" in seen and b"passphrase of a few words" in seen
