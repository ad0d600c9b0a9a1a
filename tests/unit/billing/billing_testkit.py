"""Shared helpers for the billing tests: a wallet with the billing tables, a hand-moved clock,
and calls recorded straight into the ledger (the same settle path the proxy uses)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tokenwallet.billing import pin as pin_mod
from tokenwallet.core.usage import Usage
from tokenwallet.wallet import CallRecord, HoldRequest, KeyBinding, Wallet
from tokenwallet.wallet.db import connect
from tokenwallet.wallet.schema_billing import has_billing_tables

USD = 1_000_000_000
PIN = "4821"
_ids = itertools.count(1)


class Clock:
    """A clock tests move by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> datetime:
        self.at = at.astimezone(UTC)
        return self.at

    def advance(self, **kw: float) -> datetime:
        self.at += timedelta(**kw)
        return self.at


def open_wallet(path: Path, clock: Clock | None = None, tz: str = "UTC") -> Wallet:
    """A wallet file (schema v3 includes the billing tables) in time zone ``tz``."""
    w = Wallet.open(path, clock=clock)
    conn = connect(path)
    try:
        assert has_billing_tables(conn)
    finally:
        conn.close()
    w.set_setting("timezone", tz)
    return w


def binding(w: Wallet, key: str, project: str | None = None) -> KeyBinding:
    b = w.resolve_key(key)
    assert b is not None
    return w.bind_project(b, project) if project else b


def record(
    w: Wallet,
    b: KeyBinding,
    cost_nano: int,
    *,
    model: str = "gpt-4o",
    provider: str = "openai",
    usage: Usage | None = None,
) -> None:
    """One settled call of exactly ``cost_nano`` at the wallet clock's time."""
    w.record(
        CallRecord(
            call_id=f"bill-{next(_ids)}",
            binding=b,
            provider=provider,
            model=model,
            endpoint="chat/completions",
            status=200,
            stream=False,
            usage=usage or Usage(input_tokens=1000, output_tokens=200),
            cost_nano=cost_nano,
            price_json=f'{{"model": "{model}"}}',
            price_source="test",
            estimated=False,
            unpriced=False,
            duration_ms=3,
        )
    )


def try_reserve(w: Wallet, b: KeyBinding, cost_nano: int, tokens: int = 1200) -> bool:
    """Would the proxy let a call of this worst-case cost through? (releases the hold again)"""
    r = w.reserve(
        HoldRequest(
            call_id=f"hold-{next(_ids)}",
            binding=b,
            provider="openai",
            model="gpt-4o",
            endpoint="chat/completions",
            stream=False,
            input_tokens=1000,
            cost_nano=cost_nano,
            tokens=tokens,
        )
    )
    if r.hold_id is None:
        return False
    w.release(r.hold_id)
    return True


def fast_pins(monkeypatch: object) -> None:
    """Cheaper scrypt for tests that hash many PINs (the stored parameters keep verification exact)."""
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(pin_mod, "SCRYPT_N", 2**10)


# ---------------------------------------------------------------------------------------- the CLI


class Tty:
    """A stdin that says it is a terminal (for the getpass path of the PIN prompt)."""

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        raise AssertionError("a terminal PIN must be read with getpass, not from stdin")

    def read(self) -> str:
        raise AssertionError("a terminal PIN must be read with getpass, not from stdin")


def run_cli(argv: list[str], stdin: object | None = None) -> tuple[int, str, str]:
    """Run ``tokenwallet ARGV`` in-process; returns (exit status, stdout, stderr)."""
    import io

    from tokenwallet import cli

    out, err = io.StringIO(), io.StringIO()
    if stdin is None:
        stdin = io.StringIO("")
    elif isinstance(stdin, str):
        stdin = io.StringIO(stdin)
    code = cli.main(argv, stdin=stdin, stdout=out, stderr=err)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def prepare_data_dir(data_dir: Path) -> None:
    """Create the data dir's wallet, in a fixed zone (Europe/London) so tests know its days."""
    data_dir.mkdir(parents=True, exist_ok=True)
    open_wallet(data_dir / "wallet.db", tz="Europe/London").close()
