"""Desktop app benchmarks: cold start, dashboard refresh over a million ledger rows, event-loop stalls
while 50 streams run through the proxy the window hosts.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python bench/bench_gui.py      # all three
    .venv/bin/python bench/bench_gui.py --only start|dashboard|stall [--rows 1000000]
    .venv/bin/python bench/bench_gui.py --only start --bundle dist/tokenwallet/tokenwallet
    .venv/bin/python bench/bench_gui.py --only start --via-cli   # the checkout, as the bundle runs

Targets (issue 4): painted window ≤ 1.5 s with the proxy accepting calls within that time;
dashboard refresh ≤ 100 ms with 1,000,000 ledger rows; no GUI stall > 50 ms while 50 streams run.
Without $DISPLAY it uses Qt's offscreen platform. Every process it starts is stopped by PID.

How each figure is taken:
- start: the parent notes the time, spawns ``bench_gui.py --child-start`` (a real ``build()`` of the
  app on a demo wallet with a month of history) and polls ``/tokenwallet/health``; the child prints
  when the window's first paint event arrives. Figures are from spawn, so they include Python and
  Qt start-up. Median of 5 runs. Also the CPU seconds the process (and its main thread) spent
  until that paint: on a machine shared with other jobs the wall time stretches, the CPU does not.
  With ``--bundle PATH`` (the PyInstaller executable, packaging/build-linux.sh) or ``--via-cli``
  (``python -m tokenwallet``) the child is the real app started as a user starts it: no bench code
  runs in it, the app's own probe (``$TOKENWALLET_BENCH_START``, tokenwallet/gui/startprobe.py)
  reports the first paint and the meter's start.
- dashboard: a wallet with 1,000,000 calls over 30 days (written in bulk with the wallet's own SQL,
  see tests/gui/bulk.py), then ``DashboardPage.refresh()`` → ``refreshed`` signal (worker read +
  drawing the cards and both charts), 20 times, whole wallet and one profile. Also the history
  model: row count plus the first page, and a page 500,000 rows deep (keyset, as the model pages;
  plain OFFSET paging at that depth for comparison).
- stall: the window hosts the proxy; a fake upstream and 50 concurrent streaming clients run in two
  other processes (as the user's tools would); a 5 ms QTimer measures the largest gap between ticks
  while the live meter is on screen.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))
PY = sys.executable


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHON_KEYRING_BACKEND"] = "tokenwallet.secrets.memory.MemoryKeyring"
    return env


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---- cold start -----------------------------------------------------------------------------------
def child_start(data_dir: Path, port: int, t0: float) -> None:
    """Runs in a fresh process: build and show the window, report the first paint, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    from tokenwallet.gui.app import build, ensure_app

    app = ensure_app([])
    session, window = build(data_dir, port=port, use_tray=False)
    marks: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
            if ev.type() == QEvent.Type.Paint and "paint" not in marks:
                marks["paint"] = time.time() - t0
                # CPU seconds until the paint: what a busy shared machine does not inflate
                marks["cpu_main"] = time.thread_time()
                marks["cpu_process"] = time.process_time()
            return False

    spy = FirstPaint()
    window.installEventFilter(spy)
    window.show()

    def check() -> None:
        if "paint" in marks and session.mode in ("hosted", "attached", "off"):
            marks.setdefault("proxy_mode_s", time.time() - t0)
            print(json.dumps({**marks, "mode": session.mode}), flush=True)
            QTimer.singleShot(1000, app.quit)  # stay up a moment so the parent's poll sees the proxy
        else:
            QTimer.singleShot(2, check)

    QTimer.singleShot(0, check)
    app.exec()
    session.close()


def bench_start(runs: int = 5, app_command: list[str] | None = None) -> dict[str, float]:
    """Cold start, ``runs`` times; ``app_command`` starts the real app (bundle or CLI) instead of
    :func:`child_start`."""
    import httpx
    from screenshots import build_demo

    home = Path(tempfile.mkdtemp(prefix="tw-bench-start-"))
    build_demo(home)
    paints, accepts, cpu_main, cpu_process = [], [], [], []
    for run in range(runs):
        port = _free_port()
        report = home / f"start-{run}.json"
        env = _env()
        if app_command:
            subprocess.run(
                [*app_command, "--data-dir", str(home), "settings", "set", "proxy_port", str(port)],
                check=True,
                capture_output=True,
                env=env,
            )
            argv = [*app_command, "--data-dir", str(home)]
            env["TOKENWALLET_BENCH_START"] = str(report)
        else:
            argv = [PY, __file__, "--child-start", str(home), str(port)]
        t0 = time.time()
        if not app_command:
            argv.append(repr(t0))
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
        accepted = None
        try:
            while accepted is None and time.time() - t0 < 20:
                try:
                    if (
                        httpx.get(f"http://127.0.0.1:{port}/tokenwallet/health", timeout=0.2).status_code
                        == 200
                    ):
                        accepted = time.time() - t0
                except httpx.HTTPError:
                    time.sleep(0.02)  # a gentle poll: the machine has few cores, the child needs them
            out, _ = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        if app_command:
            marks = json.loads(report.read_text())
            marks["paint"] -= t0
        else:
            marks = json.loads(out.strip().splitlines()[-1])
        paints.append(marks["paint"])
        if "cpu_main" in marks:  # a bundle built before the probe noted CPU has only the times
            cpu_main.append(marks["cpu_main"])
            cpu_process.append(marks["cpu_process"])
        accepts.append(accepted if accepted is not None else float("inf"))
    return {
        "paint_median_s": statistics.median(paints),
        "paint_max_s": max(paints),
        "proxy_accepts_median_s": statistics.median(accepts),
        "proxy_accepts_max_s": max(accepts),
        "cpu_main_thread_to_paint_median_s": statistics.median(cpu_main) if cpu_main else None,
        "cpu_process_to_paint_median_s": statistics.median(cpu_process) if cpu_process else None,
    }


# ---- dashboard over a million rows ------------------------------------------------------------------
def bench_dashboard(rows: int, repeats: int = 20) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from gui.bulk import fill
    from tokenwallet.core.money import parse_amount
    from tokenwallet.gui.app import build, ensure_app
    from tokenwallet.gui.display import Display
    from tokenwallet.gui.views.dashboard import DashboardPage
    from tokenwallet.gui.views.history_model import HistoryModel, next_page
    from tokenwallet.paths import wallet_file
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.types import HistoryFilter, Scope

    home = Path(tempfile.mkdtemp(prefix="tw-bench-dash-"))
    started = time.perf_counter()
    fill(wallet_file(home), rows)
    fill_s = time.perf_counter() - started
    w = Wallet.open(wallet_file(home))
    w.set_budget(Scope("wallet"), parse_amount("$5000"), period="month")
    for name in ("alice", "bob", "ci-agent"):
        w.set_budget(Scope("profile", name), parse_amount("$2000"), period="month", action="block")
    w.close()
    app = ensure_app([])
    session, window = build(home, start_metering=False, use_tray=False)
    window.resize(1360, 860)
    window.show()
    dash = window.page("dashboard")
    assert isinstance(dash, DashboardPage)

    def timed(profile: str | None) -> list[float]:
        session.set_profile(profile)
        _wait(app, lambda: not dash._loading)
        out = []
        done: list[float] = []
        dash.refreshed.connect(lambda: done.append(time.perf_counter()))
        for _ in range(repeats):
            done.clear()
            t = time.perf_counter()
            dash.refresh()
            _wait(app, lambda: bool(done))
            out.append((done[0] - t) * 1000)
        dash.refreshed.disconnect()
        return out

    whole, alice = timed(None), timed("alice")
    model = HistoryModel(session.wallet, Display(), page_size=500)
    t = time.perf_counter()
    model.set_filter(HistoryFilter())
    model.fetchMore()
    first_page_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    anchor = session.wallet.history(HistoryFilter(), limit=1, offset=500_000)  # what OFFSET paging would cost
    offset_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    deep = next_page(session.wallet, HistoryFilter(), anchor, 500)  # the model's keyset page at that depth
    deep_ms = (time.perf_counter() - t) * 1000
    assert len(deep) == 500
    window.hide()
    session.close()
    QApplication.processEvents()
    return {
        "rows": rows,
        "bulk_fill_s": fill_s,
        "refresh_whole_median_ms": statistics.median(whole),
        "refresh_whole_max_ms": max(whole),
        "refresh_profile_median_ms": statistics.median(alice),
        "refresh_profile_max_ms": max(alice),
        "history_count_and_first_page_ms": first_page_ms,
        "history_page_at_500k_ms": deep_ms,
        "offset_paging_at_500k_ms": offset_ms,
    }


def _wait(app: object, cond: object, timeout: float = 30.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not cond():  # type: ignore[operator]
        if time.monotonic() > end:
            raise TimeoutError("benchmark step timed out")
        QApplication.processEvents()
        time.sleep(0.0005)


# ---- event-loop stalls under 50 streams --------------------------------------------------------------
def child_upstream() -> None:
    """A fake upstream in its own process; prints its base URL, runs until stdin closes."""
    from fakes.upstream import FakeUpstream

    with FakeUpstream() as fake:
        fake.scenario(chunks=200, chunk_delay=0.01)
        print(fake.openai_base_url, flush=True)
        sys.stdin.read()


def child_clients(base_url: str, key: str, n: int) -> None:
    """n concurrent streaming chat completions through the proxy; prints timings as JSON."""
    import asyncio

    import httpx

    async def one(client: httpx.AsyncClient) -> tuple[float, int]:
        t = time.perf_counter()
        chunks = 0
        body = {
            "model": "gpt-4o-mini",
            "stream": True,
            "messages": [{"role": "user", "content": "go " * 200}],
        }
        async with client.stream(
            "POST",
            base_url + "/openai/v1/chat/completions",
            json=body,
            headers={"authorization": f"Bearer {key}"},
        ) as r:
            r.raise_for_status()
            async for _ in r.aiter_lines():
                chunks += 1
        return time.perf_counter() - t, chunks

    async def main() -> None:
        limits = httpx.Limits(max_connections=n + 5)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            results = await asyncio.gather(*(one(client) for _ in range(n)))
        print(
            json.dumps({"durations": [r[0] for r in results], "lines": [r[1] for r in results]}), flush=True
        )

    asyncio.run(main())


def child_serve(wallet_path: Path, port: int) -> None:
    """A headless meter (what `tokenwallet serve` runs), for the attached comparison; ends with stdin."""
    from tokenwallet.proxy import ProxyServer
    from tokenwallet.secrets import MemoryKeyStore

    server = ProxyServer(wallet_path, port=port, keystore=MemoryKeyStore({"openai": "sk-x"}))
    server.start()
    print("ready", flush=True)
    sys.stdin.read()
    server.stop()


def bench_stall(streams: int = 50, attached: bool = False, page: str = "meter") -> dict[str, float]:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from tokenwallet.gui.app import build, ensure_app
    from tokenwallet.paths import wallet_file
    from tokenwallet.secrets import MemoryKeyStore
    from tokenwallet.wallet import Wallet

    up = subprocess.Popen(
        [PY, __file__, "--child-upstream"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert up.stdout is not None
        upstream_url = up.stdout.readline().strip()
        home = Path(tempfile.mkdtemp(prefix="tw-bench-stall-"))
        w = Wallet.open(wallet_file(home))
        w.set_provider("openai", base_url=upstream_url)
        _, key = w.add_profile("load")
        w.close()
        serve = None
        port = 0
        if attached:
            port = _free_port()
            serve = subprocess.Popen(
                [PY, __file__, "--child-serve", str(wallet_file(home)), str(port)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=_env(),
            )
            assert serve.stdout is not None
            serve.stdout.readline()
        app = ensure_app([])
        session, window = build(home, keystore=MemoryKeyStore({"openai": "sk-x"}), use_tray=False, port=port)
        window.resize(1360, 860)
        window.show()
        _wait(app, lambda: session.mode == ("attached" if attached else "hosted"))
        if attached:
            _wait(app, lambda: time.monotonic() < 0 or session.follower is not None)
            time.sleep(0.3)
        meter = window.page("meter")
        window.show_page(page)
        gaps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.nsecsElapsed()]

        def tick() -> None:
            now = clock.nsecsElapsed()
            gaps.append((now - last[0]) / 1e6)
            last[0] = now

        probe = QTimer()
        probe.setInterval(5)
        probe.timeout.connect(tick)
        probe.start()
        _wait(app, lambda: len(gaps) > 40)  # settle
        gaps.clear()
        idle_until = time.monotonic() + 3  # baseline: the same probe with no calls at all
        _wait(app, lambda: time.monotonic() > idle_until)
        idle_gaps = sorted(gaps)
        gaps.clear()
        last[0] = clock.nsecsElapsed()
        clients = subprocess.Popen(
            [PY, __file__, "--child-clients", session.proxy_url, key, str(streams)],
            stdout=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        try:
            _wait(app, lambda: clients.poll() is not None, timeout=120)
            out = clients.stdout.read() if clients.stdout else ""
        finally:
            if clients.poll() is None:
                clients.kill()
        _wait(app, lambda: len(meter.model.running()) == 0, timeout=30)  # type: ignore[attr-defined]
        probe.stop()
        result = json.loads(out.strip().splitlines()[-1])
        rows = meter.model.rowCount()  # type: ignore[attr-defined]
        repaints = meter.throttle.calls  # type: ignore[attr-defined]
        window.hide()
        session.close()
        if serve is not None and serve.stdin is not None:
            serve.stdin.close()
            serve.wait(timeout=15)
        durations = result["durations"]
        gaps_sorted = sorted(gaps)
        return {
            "mode": "attached" if attached else "hosted",
            "page": page,
            "streams": streams,
            "meter_rows": rows,
            "meter_repaints": repaints,
            "stream_wall_median_s": statistics.median(durations),
            "stream_wall_max_s": max(durations),
            "idle_max_gap_ms": idle_gaps[-1],
            "idle_p99_gap_ms": idle_gaps[int(len(idle_gaps) * 0.99) - 1],
            "probe_ticks": len(gaps),
            "max_gap_ms": max(gaps),
            "p99_gap_ms": gaps_sorted[int(len(gaps_sorted) * 0.99) - 1],
        }
    finally:
        if up.stdin is not None:
            up.stdin.close()
        try:
            up.wait(timeout=10)
        except subprocess.TimeoutExpired:
            up.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description="Token Wallet desktop app benchmarks")
    parser.add_argument("--only", choices=["start", "dashboard", "stall"])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--streams", type=int, default=50)
    parser.add_argument(
        "--bundle", metavar="PATH", help="cold start of this PyInstaller executable instead of the checkout"
    )
    parser.add_argument(
        "--via-cli", action="store_true", help="cold start of the checkout as `python -m tokenwallet`"
    )
    parser.add_argument("--child-start", nargs=3)
    parser.add_argument("--child-upstream", action="store_true")
    parser.add_argument("--child-clients", nargs=3)
    parser.add_argument("--child-serve", nargs=2)
    parser.add_argument(
        "--attached", action="store_true", help="stall probe with the meter in another process"
    )
    parser.add_argument(
        "--page", default="meter", help="page on screen during the stall probe (meter, dashboard)"
    )
    args = parser.parse_args()
    if args.child_start:
        child_start(Path(args.child_start[0]), int(args.child_start[1]), float(args.child_start[2]))
        return 0
    if args.child_upstream:
        child_upstream()
        return 0
    if args.child_serve:
        child_serve(Path(args.child_serve[0]), int(args.child_serve[1]))
        return 0
    if args.child_clients:
        child_clients(args.child_clients[0], args.child_clients[1], int(args.child_clients[2]))
        return 0
    os.environ.update({k: v for k, v in _env().items() if k in ("QT_QPA_PLATFORM", "PYTHON_KEYRING_BACKEND")})
    results: dict[str, object] = {}
    print(
        "load average before:",
        " ".join(f"{x:.2f}" for x in os.getloadavg()),
        f"on {os.cpu_count()} cores",
        flush=True,
    )
    if args.only in (None, "start"):
        app_command = [str(Path(args.bundle).resolve())] if args.bundle else None
        if args.via_cli:
            app_command = [PY, "-m", "tokenwallet"]
        results["start"] = bench_start(app_command=app_command)
        print("start", json.dumps(results["start"]), flush=True)
    if args.only in (None, "dashboard"):
        results["dashboard"] = bench_dashboard(args.rows)
        print("dashboard", json.dumps(results["dashboard"]), flush=True)
    if args.only in (None, "stall"):
        results["stall"] = bench_stall(args.streams, attached=args.attached, page=args.page)
        print("stall", json.dumps(results["stall"]), flush=True)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # skip interpreter finalization: PySide6 6.12 can abort while collecting Qt wrappers at exit
    # ("bool_dealloc"), after every figure has been printed
    os._exit(code)
