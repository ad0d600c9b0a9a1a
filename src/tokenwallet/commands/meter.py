"""Find the meter on the wallet's configured address, or start ``tokenwallet serve`` for a while.

``tokenwallet run`` needs a meter that writes to *this* wallet: the app, or a ``serve`` the user
started, answers ``/tokenwallet/health`` with the wallet file it meters. When nothing listens on
the address, a ``serve`` is started in the background for the session and stopped after it.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tokenwallet.commands.common import CliError, Context
from tokenwallet.commands.i18n import _
from tokenwallet.commands.serve import DEFAULT_HOST, DEFAULT_PORT

START_TIMEOUT_S = 20.0  # a cold start imports the proxy stack and opens the wallet
STOP_TIMEOUT_S = 10.0  # serve's own graceful stop waits for streams in flight


@dataclass
class Meter:
    """A meter to send calls to; ``process`` is set when this run started it."""

    url: str
    process: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        """Stop a meter this run started (SIGTERM, then SIGKILL if it will not go)."""
        proc = self.process
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def address(w: Any) -> tuple[str, int]:
    """The wallet's proxy address (the settings the app and ``serve`` listen on)."""
    host, port = DEFAULT_HOST, DEFAULT_PORT
    with contextlib.suppress(Exception):  # an older wallet without these settings: the defaults
        host = str(w.get_setting("proxy_host") or DEFAULT_HOST)
    with contextlib.suppress(Exception):
        value = w.get_setting("proxy_port")
        port = DEFAULT_PORT if value is None else int(value)
    return host, port


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def find_or_start(ctx: Context, host: str, port: int) -> Meter:
    """The meter on ``host:port`` if it meters this wallet, else a ``serve`` started for the run."""
    from tokenwallet.gui.attach import probe  # no Qt: the app's probe, shared with the CLI

    url = url_for(host, port)
    health = probe(url)
    if health is not None and health.is_tokenwallet:
        if health.same_wallet(ctx.wallet_path):
            return Meter(url)
        raise CliError(
            _(
                "the Token Wallet meter on {url} meters another wallet ({wallet}); "
                "stop it, or give this wallet another port (tokenwallet settings set "
                "proxy_port N)"
            ).format(url=url, wallet=health.wallet)
        )
    if _port_taken(host, port):
        raise CliError(
            _(
                "{url} is taken by something that is not a Token Wallet meter: free the port, or "
                "give the wallet another one (tokenwallet settings set proxy_port N)"
            ).format(url=url)
        )
    starting = _("tokenwallet: no meter is running on {url}; starting 'tokenwallet serve' for this session")
    ctx.note(starting.format(url=url))
    return Meter(url, _start_serve(ctx, url, host, port))


def _port_taken(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _start_serve(ctx: Context, url: str, host: str, port: int) -> subprocess.Popen[bytes]:
    from tokenwallet.gui.attach import probe

    log = Path(ctx.data_dir) / "run-serve.log"
    cmd = [sys.executable, "-m", "tokenwallet", "--data-dir", str(ctx.data_dir), "serve"]
    cmd += ["--host", host, "--port", str(port)]
    with log.open("wb") as out:
        # Its own session: a Ctrl+C in the terminal reaches the tool, and the meter stays up
        # until the tool's last call is recorded; the run stops it afterwards.
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
            raise CliError(
                _("'tokenwallet serve' could not start: {value}").format(value=" ".join(tail) or "no output")
            )
        health = probe(url, timeout=0.5)
        if health is not None and health.is_tokenwallet:
            return proc
        time.sleep(0.1)
    proc.kill()
    proc.wait()
    raise CliError(
        _("'tokenwallet serve' did not answer on {url} within {START_TIMEOUT_S} s (see {log})").format(
            url=url, START_TIMEOUT_S=format(START_TIMEOUT_S, ".0f"), log=log
        )
    )
