"""CPU time per call of `tokenwallet serve`, metering on, ten guards: a figure a shared machine can't blur.

Wall-clock latency on a busy machine measures the neighbours; the CPU time the serve process spends
per call (utime + stime from /proc, all threads) does not move with them. This sets up the same
throw-away wallet as bench_proxy.sh (profile, wallet key, blocking and warning budgets, ten guards),
starts the referee's fake upstream and `tokenwallet serve` on free loopback ports, warms up, then
runs N sequential plain calls and N sequential streams and prints the CPU milliseconds per call and
the serve process's RSS. With --py-spy it also records a profile of the plain calls.

Run with the harness's python (it needs aiohttp):
    /tmp/.venv-bench/bin/python bench/bench_cpu.py --n 2000
"""

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

REPO = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
KEYRING = """
import json, os
import keyring.backend, keyring.errors

class FileKeyring(keyring.backend.KeyringBackend):
    priority = 0
    def _path(self):
        return os.environ["TW_BENCH_KEYRING_FILE"]
    def _load(self):
        try:
            with open(self._path()) as f:
                return json.load(f)
        except FileNotFoundError:
            return {}
    def get_password(self, service, username):
        return self._load().get(service + "/" + username)
    def set_password(self, service, username, password):
        d = self._load()
        d[service + "/" + username] = password
        with open(self._path(), "w") as f:
            json.dump(d, f)
    def delete_password(self, service, username):
        d = self._load()
        if d.pop(service + "/" + username, None) is None:
            raise keyring.errors.PasswordDeleteError("no such key")
        with open(self._path(), "w") as f:
            json.dump(d, f)
"""
GUARDS_PROFILE = [
    "rate 100000000",
    "loop 100000000",
    "request-money $100",
    "session-money $1000000",
    "session-tokens 1000000000000",
    "burn $1000000",
]
GUARDS_WALLET = ["rate 100000000", "loop 100000000", "request-money $100", "burn $1000000"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds of the process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / CLK_TCK, int(fields[12]) / CLK_TCK


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as s:
        for _ in range(6000):
            if proc.poll() is not None:
                raise SystemExit(f"process exited early: {proc.args}")
            try:
                async with s.get(url) as r:
                    await r.read()
                    return
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
    raise SystemExit(f"{url} never answered")


async def calls(url: str, key: str, n: int, stream: bool, concurrency: int = 1) -> None:
    body: dict[str, Any] = {
        "model": "gpt-4o-mini",
        "max_tokens": 64,
        "messages": [{"role": "user", "content": "Say hello in one short sentence."}],
    }
    if stream:
        body |= {"stream": True, "stream_options": {"include_usage": True}}
    data = json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    left = [n]

    async def worker(s: aiohttp.ClientSession) -> None:
        while left[0] > 0:
            left[0] -= 1
            async with s.post(url + "/chat/completions", data=data, headers=headers) as r:
                got = await r.read()
                if r.status != 200 or b'"usage"' not in got:
                    raise SystemExit(f"bad answer {r.status}: {got[:200]!r}")

    conn = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=conn) as s:
        await asyncio.gather(*(worker(s) for _ in range(concurrency)))


def instructions(pid: int, url: str, key: str, a: argparse.Namespace, out: str) -> None:
    """Instructions per call of each workload, from callgrind dumps taken around it."""

    def ctl(*args: str) -> None:
        subprocess.run(["callgrind_control", *args, str(pid)], check=True, capture_output=True)

    ctl("-i", "on")
    asyncio.run(calls(url, key, 20, False))
    asyncio.run(calls(url, key, 20, True))
    for label, stream, conc in (("plain", False, 1), ("stream", True, 1), ("conc32", False, 32)):
        ctl("-z")
        asyncio.run(calls(url, key, a.n, stream, conc))
        before = set(Path(out).glob("callgrind.out.*"))
        ctl("--dump=" + label)
        totals = {}  # one dump per thread
        for dump in set(Path(out).glob("callgrind.out.*")) - before:
            totals[dump] = next(
                int(line.split()[1])
                for line in dump.read_text().splitlines()
                if line.startswith(("summary:", "totals:"))
            )
        loop = max(totals, key=lambda d: totals[d])  # the event loop's thread does the calls
        print(
            f"{label:6}: {totals[loop] / a.n / 1e6:.3f} M instructions/call on the loop thread, "
            f"{sum(totals.values()) / a.n / 1e6:.3f} M in all threads (n={a.n}, concurrency {conc}; "
            f"profile: callgrind_annotate {loop})",
            flush=True,
        )


async def spaced_calls(url: str, key: str) -> None:
    """5 plain calls then 5 streams on one keep-alive connection, 50 ms apart."""
    body: dict[str, Any] = {
        "model": "gpt-4o-mini",
        "max_tokens": 64,
        "messages": [{"role": "user", "content": "Say hello in one short sentence."}],
    }
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as s:
        for stream in (False, False, False, False, False, False, True, True, True, True, True, True):
            b = body | {"stream": True, "stream_options": {"include_usage": True}} if stream else body
            async with s.post(url + "/chat/completions", data=json.dumps(b).encode(), headers=headers) as r:
                await r.read()
            await asyncio.sleep(0.05)


def trace(pid: int, url: str, key: str, out: str) -> None:
    """strace of serve's threads during a few sequential calls, spaced so each stands alone."""
    st = subprocess.Popen(["strace", "-f", "-tt", "-T", "-o", out, "-p", str(pid)], stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # strace attaches to every thread
    try:
        asyncio.run(spaced_calls(url, key))
    finally:
        st.send_signal(2)
        st.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="calls per workload (default 2000)")
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--no-guards", action="store_true")
    ap.add_argument("--py-spy", metavar="FILE", help="record a py-spy profile of the plain calls")
    ap.add_argument("--tokenwallet", default=str(REPO / ".venv/bin/tokenwallet"))
    ap.add_argument(
        "--callgrind",
        metavar="DIR",
        help="run serve under valgrind's callgrind and "
        "count the instructions per call instead (deterministic, slow: use --n 200)",
    )
    ap.add_argument(
        "--strace",
        metavar="FILE",
        help="after the warm-up, trace serve's syscalls (strace -f -tt -T) during 5 sequential plain "
        "calls then 5 sequential streams, 50 ms apart, into FILE; then stop",
    )
    ap.add_argument(
        "--then",
        metavar="CMD",
        help="after the warm-up, run this shell command (TW_URL, TW_KEY, TW_PID in its environment: "
        "the proxy's OpenAI base URL, the wallet key, serve's pid) instead of the workloads, then stop",
    )
    ap.add_argument("--log", help="write serve's output here")
    ap.add_argument("--src", help="measure this source tree (e.g. an older commit's git archive) instead")
    ap.add_argument("--shared-bench", default=str(REPO.parent.parent / "shared/bench"))
    ap.add_argument("--wallet", metavar="URL", help="meter into this PostgreSQL database (an empty one)")
    a = ap.parse_args()

    home = Path(tempfile.mkdtemp(prefix="tw-cpu-"))
    procs: list[subprocess.Popen[bytes]] = []
    log = None
    try:
        (home / "tw_cpu_keyring.py").write_text(KEYRING)
        path = f"{a.src}:{home}" if a.src else str(home)
        env = dict(
            os.environ,
            PYTHONPATH=path,
            PYTHON_KEYRING_BACKEND="tw_cpu_keyring.FileKeyring",
            TW_BENCH_KEYRING_FILE=str(home / "keys.json"),
        )
        env.pop("TOKENWALLET_HOME", None)
        env.pop("TOKENWALLET_WALLET_URL", None)
        if a.wallet:
            env["TOKENWALLET_WALLET_URL"] = a.wallet
        tw = [a.tokenwallet, "--data-dir", str(home / "w")]

        def run(*args: str, stdin: str | None = None) -> str:
            return subprocess.run(
                [*tw, *args], env=env, input=stdin, text=True, check=True, capture_output=True
            ).stdout

        key = json.loads(run("profile", "add", "bench", "--json"))["key"]
        run("budget", "set", "--wallet", "$1000000", "--period", "month", "--action", "block")
        run("budget", "set", "--profile", "bench", "$1000000", "--period", "month", "--action", "warn")
        if not a.no_guards:
            for g in GUARDS_PROFILE:
                run("guard", "add", "--profile", "bench", *g.split())
            for g in GUARDS_WALLET:
                run("guard", "add", *g.split())
        up_port, port = free_port(), free_port()
        run("provider", "set", "openai", "--base-url", f"http://127.0.0.1:{up_port}/v1")
        run("key", "set", "openai", stdin="sk-fake-upstream-key\n")

        procs.append(
            subprocess.Popen(
                [sys.executable, f"{a.shared_bench}/fake_upstream.py", "--port", str(up_port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        log = open(a.log or os.devnull, "wb")  # noqa: SIM115 - closed in finally
        grind: list[str] = []
        if a.callgrind:
            Path(a.callgrind).mkdir(parents=True, exist_ok=True)
            grind = [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                "--separate-threads=yes",
                f"--callgrind-out-file={a.callgrind}/callgrind.out.%p",
            ]
        serve = subprocess.Popen([*grind, *tw, "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
        procs.append(serve)
        url = f"http://127.0.0.1:{port}/openai/v1"
        asyncio.run(wait_up(f"http://127.0.0.1:{up_port}/health", procs[0]))
        asyncio.run(wait_up(f"http://127.0.0.1:{port}/tokenwallet/health", serve))
        rss_start = rss_mib(serve.pid)
        asyncio.run(calls(url, key, a.warmup, False))
        asyncio.run(calls(url, key, a.warmup // 3, True))
        spy = None
        if a.py_spy:
            spy = subprocess.Popen(
                [
                    shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"),
                    "record",
                    "--format",
                    "raw",
                    "-r",
                    "300",
                    "-p",
                    str(serve.pid),
                    "-o",
                    a.py_spy,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1.0)
        if a.callgrind:
            instructions(serve.pid, url, key, a, a.callgrind)
            return
        if a.strace:
            trace(serve.pid, url, key, a.strace)
            return
        if a.then:
            then_env = dict(env, TW_URL=url, TW_KEY=key, TW_PID=str(serve.pid))
            subprocess.run(a.then, shell=True, check=False, env=then_env)
            return
        for label, stream, conc in (("plain", False, 1), ("stream", True, 1), ("conc32", False, 32)):
            (u0, s0), t0 = cpu_seconds(serve.pid), time.perf_counter()
            asyncio.run(calls(url, key, a.n, stream, conc))
            (u1, s1), t1 = cpu_seconds(serve.pid), time.perf_counter()
            cpu = (u1 - u0 + s1 - s0) / a.n * 1000
            print(
                f"{label:6}: {cpu:.3f} ms CPU/call in serve (user {(u1 - u0) / a.n * 1000:.3f}, "
                f"sys {(s1 - s0) / a.n * 1000:.3f}), {(t1 - t0) / a.n * 1000:.3f} ms wall/call "
                f"(n={a.n}, concurrency {conc}); RSS {rss_mib(serve.pid):.1f} MiB",
                flush=True,
            )
            if spy is not None:
                spy.send_signal(2)
                spy.wait(60)
                spy = None
        print(f"RSS: {rss_start:.1f} MiB at start, {rss_mib(serve.pid):.1f} MiB after")
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if log is not None:
            log.close()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
