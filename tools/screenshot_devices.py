"""Render the live meter of one device on a shared PostgreSQL wallet (docs/postgresql.md).

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshot_devices.py --out /tmp/shots

A throwaway PostgreSQL server (tests/pgserver.py) holds the wallet; the window hosts its meter on
one data folder, and two other data folders stand for two other devices metering calls (settled
and in flight), which the window follows through LISTEN/NOTIFY. Prints the file it wrote.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the throwaway server and the fake upstream live with the tests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    import pgserver
    from fakes.upstream import FakeUpstream
    from tokenwallet.gui.app import build, ensure_app
    from tokenwallet.gui.workers import pending_tasks
    from tokenwallet.secrets import MemoryKeyStore
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.backend import ENV_URL

    bindir = pgserver.binaries()
    if bindir is None:
        print("PostgreSQL is not installed (tools/bootstrap.sh installs Debian's postgresql)")
        return 1
    server = pgserver.PgServer(bindir)
    server.start()
    try:
        os.environ[ENV_URL] = server.new_database()
        root = Path(tempfile.mkdtemp(prefix="tw-devices-"))
        with FakeUpstream() as upstream:
            home = root / "home"
            w = Wallet.open(home / "wallet.db")
            w.set_provider("openai", base_url=upstream.openai_base_url)
            w.set_setting("setup_checklist", False)
            w.add_profile("alice")
            w.add_profile("sam")
            w.close()
            app = ensure_app([])
            session, window = build(
                home, keystore=MemoryKeyStore({"openai": "sk-demo"}), use_tray=False, port=0
            )
            window.resize(1280, 800)
            window.show()

            def settle(seconds: float) -> None:
                end = time.monotonic() + seconds
                while time.monotonic() < end or pending_tasks():
                    app.processEvents()
                    time.sleep(0.01)

            settle(2)
            while session.feed is None or not session.feed.listening.is_set():
                settle(0.2)
            window.show_page("meter")
            for name, folder, profile, calls in (
                ("desktop", "b", "alice", 3),
                ("kids-laptop", "c", "sam", 1),
            ):
                another_device(root / folder, name, profile, calls, settle)
            settle(2.5)
            path = args.out / "live-meter-devices.png"
            window.grab().toImage().save(str(path), "PNG", 0)
            print(path)
            session.close()
    finally:
        server.stop()
    return 0


def another_device(
    data_dir: Path, name: str, profile: str, calls: int, settle: Callable[[float], None]
) -> None:
    """Calls metered by another device (its own data folder): settled ones, and one in flight."""
    from tokenwallet.core.usage import Usage
    from tokenwallet.wallet import CallRecord, HoldRequest, Wallet

    other = Wallet.open(data_dir / "wallet.db")
    other.register_device(serving=True)
    other.rename_device(other.device_id, name)
    binding = other.binding_for(profile)
    model, endpoint = "gpt-4o-mini", "chat/completions"
    for i in range(calls):
        call = f"{name}-{i}"
        r = other.reserve(HoldRequest(call, binding, "openai", model, endpoint, False, 1200, 40_000_000, 0))
        settle(0.3)
        usage = Usage(input_tokens=1200, output_tokens=300)
        cost = 12_000_000 + i * 1_000_000
        price = '{"model": "gpt-4o-mini"}'
        rec = CallRecord(
            call,
            binding,
            "openai",
            model,
            endpoint,
            200,
            False,
            usage,
            cost,
            price,
            "demo",
            False,
            False,
            900,
        )
        other.settle(r.hold_id, rec)
    if calls == 1:  # a stream still running on this one
        other.reserve(
            HoldRequest(f"{name}-live", binding, "openai", "gpt-4o", endpoint, True, 3000, 90_000_000, 0)
        )
    other.close()


if __name__ == "__main__":
    sys.exit(main())
