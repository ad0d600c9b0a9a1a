"""The reserve of a PostgreSQL wallet on another machine, off the meter's loop.

A reserve on such a wallet is round trips across a network: made on the loop, every other call
would stand still meanwhile. So the reserve runs on the settle worker, the loop serving other
calls while it waits: one thread, one connection, reserves and settles in the order they were
handed to it, so they never wait on each other for the wallet's lock. (A server on this machine
is written on the loop, like the SQLite file: ``settling.off_loop``.)

The guards stay atomic. On the loop, a call is checked *and counted* by the guards in one step,
before the reserve's await, so a call waiting for its hold counts against the next ones; a call
that gets no hold (an envelope refuses it, an error, a cancellation) is taken back. So two calls
can never both pass a guard only one of them fits, as on SQLite, where check, reserve and count
happen in one step.

A refused reserve is tried once more when settles were on their way (as ``Planner.plan`` waits
for them on SQLite): handed to the same worker, it runs after every one of them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import sqlite3
from typing import TYPE_CHECKING, Any

from tokenwallet.proxy.offline import unreachable
from tokenwallet.wallet.errors import WalletError

if TYPE_CHECKING:
    from tokenwallet.proxy.call import Call
    from tokenwallet.proxy.calls import Asked, Planner
    from tokenwallet.proxy.routes import Route
    from tokenwallet.tokens.counting import TokenCount
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.types import HoldRequest, KeyBinding, ReserveResult


async def plan(
    planner: Planner,
    route: Route,
    binding: KeyBinding,
    body: dict[str, Any],
    raw: bytes,
    *,
    count: TokenCount | None = None,
) -> Call:
    """``Planner.plan`` with the reserve on the settle worker (module doc)."""
    p = planner._ask(route, binding, body, count)
    guards = planner.meter.guarding
    guards.started(p.facts)  # counted before the await: the next call's check sees this one
    try:
        res = await _reserve(planner, p)
        if res.hold_id is None and planner.retry.on_way and not planner._wallet_down():
            res = await _reserve(planner, p)  # after the settles on their way (one worker, in order)
        if planner._downgraded(p, res):
            res = await _reserve(planner, p)
        planner._refuse_unheld(p, res)
    except BaseException:
        guards.unstarted(p.facts)
        raise
    return planner._call(p, res, raw)


async def _reserve(planner: Planner, p: Asked) -> ReserveResult:
    """The wallet's reserve on the worker; the offline journal's while the database is out of
    reach (as ``Planner._reserve``)."""
    req, off = p.req, planner.meter.offline
    if off is not None and off.down:
        return off.reserve(req, p.price_json)
    try:
        res = await _on_worker(planner, req)
    except WalletError as exc:
        if off is None or not unreachable(exc):
            raise
        off.went_down(exc)
        return off.reserve(req, p.price_json)
    if off is not None:
        off.saw(req, res)
    return res


async def _on_worker(planner: Planner, req: HoldRequest) -> ReserveResult:
    wallet = planner.meter.wallet
    fut = planner.retry.submit(_reserve_now, wallet, req)
    try:
        return await asyncio.wrap_future(fut)
    except asyncio.CancelledError:
        # the worker may be writing the hold right now: once it has, it comes off again
        fut.add_done_callback(lambda f: _release(wallet, f))
        raise


def _reserve_now(wallet: Wallet, req: HoldRequest) -> ReserveResult:
    """On the worker: its first connection to a database that went away is an sqlite3 error, not
    yet a WalletError (the loop's connection is older): one, so the call is refused as on the loop."""
    try:
        return wallet.reserve(req)
    except WalletError:
        raise
    except sqlite3.Error as exc:
        raise WalletError(str(exc)) from exc


def _release(wallet: Wallet, fut: concurrent.futures.Future[ReserveResult]) -> None:
    if fut.cancelled() or fut.exception() is not None:
        return
    hold_id = fut.result().hold_id
    if hold_id is not None:
        # if the wallet cannot take the release now, the hold stays until the next start
        # recovers it: held money shows as used meanwhile, never the other way round
        with contextlib.suppress(Exception):
            wallet.release(hold_id)
