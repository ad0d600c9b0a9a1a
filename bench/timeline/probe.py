"""`tokenwallet` with a timeline probe: each marked step of `serve` gets (wall ns, loop-thread CPU ns).

Run through ``tw`` (next to this file) as bench_cpu.py's ``--tokenwallet``; the marks go to the file
named by ``TWPROBE_OUT`` when serve exits. ``analyze.py`` lines them up with the client's own
timestamps (``client.py``). The probe wraps functions by name: a mark costs ~1 µs, so read the
figures as a shape (what waits for what, in which order), not as exact costs.
"""

import atexit
import functools
import os
import sys
import time
from typing import Any

EV: list[tuple[int, int, str]] = []
_ns = time.perf_counter_ns
_cpu = time.thread_time_ns


def _wrap(owner: Any, name: str, label: str) -> None:
    orig = getattr(owner, name)

    @functools.wraps(orig)
    def marked(*a: Any, **k: Any) -> Any:
        EV.append((_ns(), _cpu(), label + ">"))
        try:
            return orig(*a, **k)
        finally:
            EV.append((_ns(), _cpu(), label + "<"))

    setattr(owner, name, marked)


def install() -> None:
    import gc

    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    from tokenwallet.core import events
    from tokenwallet.proxy import app, calls, guarding, metering, model_policy, protocol, transport
    from tokenwallet.wallet import Wallet

    def collected(phase: str, info: dict[str, int]) -> None:
        EV.append((_ns(), _cpu(), f"gc{info['generation']}{'>' if phase == 'start' else '<'}"))

    gc.callbacks.append(collected)
    for owner, name, label in (
        (HttpToolsProtocol, "data_received", "req_in"),
        (calls.Planner, "plan", "plan"),
        (calls.Planner, "settle", "settle"),
        (Wallet, "reserve", "reserve"),
        (Wallet, "settle", "wsettle"),
        (transport._Conn, "data_received", "up_in"),
        (metering.Meter, "authenticate", "auth"),
        (guarding.Guarding, "facts", "gfacts"),
        (guarding.Guarding, "check", "gcheck"),
        (model_policy.ModelPolicy, "admit", "admit"),
        (metering.Meter, "price", "price"),
        (events.EventBus, "publish", "publish"),
        (app, "upstream_headers", "uphdrs"),
        (app, "response_headers", "resphdrs"),
        (guarding.Guarding, "started", "gstarted"),
        (guarding.Guarding, "settled", "gsettled"),
        (calls, "count_input", "count"),
        (calls, "worst_case", "worst"),
        (app, "charge_answer", "charge"),
        (app, "parse_request", "parse"),
    ):
        _wrap(owner, name, label)
    if hasattr(calls.Planner, "catch_up"):
        _wrap(calls.Planner, "catch_up", "catch_up")
    wait = transport._Conn.wait

    async def marked_wait(self: Any, fut: Any, timeout: Any, what: str) -> None:
        EV.append((_ns(), _cpu(), "up_wait:" + what))
        return await wait(self, fut, timeout, what)

    transport._Conn.wait = marked_wait  # type: ignore[method-assign]
    head = protocol._HeadFirst
    write, flush = head.write, head.flush

    def marked_write(self: Any, data: bytes) -> None:
        how = "held" if self._held is not None else ("first" if self._first else "direct")
        EV.append((_ns(), _cpu(), f"client_write:{len(data)}:{how}"))
        write(self, data)

    def marked_flush(self: Any) -> None:
        EV.append((_ns(), _cpu(), f"head_flush:{'held' if self._held is not None else 'none'}"))
        flush(self)

    head.write, head.flush = marked_write, marked_flush  # type: ignore[method-assign]


def _dump() -> None:
    with open(os.environ["TWPROBE_OUT"], "w") as f:
        for t, c, label in EV:
            f.write(f"{t} {c} {label}\n")


if __name__ == "__main__":
    from tokenwallet.cli import main

    if "serve" in sys.argv:
        install()
        atexit.register(_dump)
        if hasattr(os, "sched_setaffinity") and os.cpu_count() and os.cpu_count() > 1:  # type: ignore[operator]
            os.sched_setaffinity(0, {1})  # as the referee pins it
    sys.exit(main())
