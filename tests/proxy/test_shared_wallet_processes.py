"""A long-lived ``tokenwallet serve`` process, a wallet handle in this process, and 50 CLI commands
from other processes, all on one wallet file: the meter sees every change at once and no write is
lost (issue 9)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest

import shared_wallet
from fakes.upstream import FakeUpstream
from tokenwallet.paths import wallet_file
from tokenwallet.wallet import Wallet

from .conftest import PROVIDER_KEYS

# ``tokenwallet serve`` itself; the provider key goes into this process's (in-memory) keychain first,
# as ``tokenwallet key set`` would put it into the real one.
_SERVE = textwrap.dedent(
    """
    import sys
    from tokenwallet.secrets import default_keystore
    from tokenwallet.cli import main
    default_keystore().set("openai", sys.argv[2])
    sys.exit(main(["--data-dir", sys.argv[1], "serve", "--port", "0"]))
    """
)


@pytest.mark.slow  # 50 real CLI processes: ~13 s on an idle 2-core machine
def test_serve_the_cli_and_a_second_handle_share_one_wallet(tmp_path: Path, upstream: FakeUpstream) -> None:
    upstream.reset()
    home = tmp_path / "home"
    path = wallet_file(home)
    mine = Wallet.open(path)  # this process's handles, open all along
    mine.set_provider("openai", base_url=upstream.openai_base_url)
    other = Wallet.open(path)  # opened while the first holds connections
    serve = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(home), PROVIDER_KEYS["openai"]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert serve.stdout is not None
        first = serve.stdout.readline()
        assert first.startswith("Token Wallet proxy listening on http://127.0.0.1:"), first
        url = first.split()[5]
        with urllib.request.urlopen(f"{url}/tokenwallet/health", timeout=10) as resp:
            health = json.loads(resp.read())
        assert health["host"] == "serve" and health["pid"] == serve.pid
        written = shared_wallet.run(home, url, [mine, other], serve.pid)
        assert not shared_wallet.deleted_journals(serve.pid)
        serve.send_signal(signal.SIGINT)
        _out, err = serve.communicate(timeout=30)
        assert serve.returncode == 0, err
        assert "Traceback" not in err
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate()
    assert not shared_wallet.deleted_journals()
    mine.close()
    other.close()
    shared_wallet.check_file(path, written)
