"""The PostgreSQL wallet (issue 14): races across devices, least privilege, a database restart,
the password from the keychain.

In the race, two wallet handles stand for two devices; each reserves from several threads at
once, so up to eight PostgreSQL sessions run reserve → settle concurrently against one blocking
envelope. The advisory lock taken by every write transaction must keep the envelope exact: never
more held and spent than its limit, nothing left held at the end.
"""

from __future__ import annotations

import io
import sqlite3
import threading
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

import pgserver
from pgserver import PgServer
from tokenwallet.cli import main
from tokenwallet.core.money import Amount
from tokenwallet.wallet import HistoryFilter, KeyBinding, Scope, Wallet, WalletError, backend
from tokenwallet.wallet.backend import ENV_URL

from .conftest import rec, req, spend

USD = 1_000_000_000
THREADS_PER_DEVICE = 4
TRIES = 15


def test_concurrent_reserves_from_two_devices_never_overspend(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_URL, pg_url)
    devices = [Wallet.open(tmp_path / name / "wallet.db") for name in ("laptop", "desktop")]
    try:
        w = devices[0]
        w.set_setting("timezone", "UTC")
        _, key = w.add_profile("alice")
        b = w.resolve_key(key)
        assert b is not None
        limit = 20 * USD + USD // 2  # room for 20 calls of 1 USD
        w.set_budget(Scope("profile", "alice"), Amount("usd", limit), period="none", action="block")
        admitted: list[str] = []
        start = threading.Barrier(2 * THREADS_PER_DEVICE)

        def worker(device: Wallet, binding: KeyBinding) -> None:
            start.wait(timeout=30)
            for _ in range(TRIES):
                r = device.reserve(req(binding, USD))
                if r.hold_id is None:
                    continue
                call_id = next(h.call_id for h in device.holds() if h.hold_id == r.hold_id)
                admitted.append(call_id)
                device.settle(r.hold_id, rec(binding, call_id, USD))

        threads = [
            threading.Thread(target=worker, args=(d, b)) for d in devices for _ in range(THREADS_PER_DEVICE)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
        (st,) = w.status()
        assert len(admitted) == 20
        assert st.held == 0 and w.holds() == []
        assert st.spent == 20 * USD <= limit
    finally:
        for d in devices:
            d.close()


def test_a_role_with_only_select_insert_update_delete_runs_the_wallet(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Least privilege: the owner creates the wallet; a meter's role needs no DDL right at all."""
    monkeypatch.setenv(ENV_URL, pg_url)
    Wallet.open(tmp_path / "owner" / "wallet.db").close()
    with psycopg.connect(pg_url, autocommit=True) as owner:
        owner.execute("CREATE ROLE meter LOGIN")
        owner.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        owner.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO meter")
        owner.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO meter")
    monkeypatch.setenv(ENV_URL, pg_url.replace("//tw@", "//meter@"))
    with Wallet.open(tmp_path / "device" / "wallet.db") as w:
        _, key = w.add_profile("alice")
        b = w.resolve_key(key)
        assert b is not None
        w.set_budget(Scope("profile", "alice"), Amount("usd", 2 * USD), action="block")
        r = w.reserve(req(b, USD))
        assert r.hold_id is not None
        call_id = next(h.call_id for h in w.holds())
        w.settle(r.hold_id, rec(b, call_id, USD))
        assert w.status()[0].spent == USD
        with pytest.raises(sqlite3.DatabaseError, match="permission denied"):
            w._conn().execute("CREATE TABLE intruder (x BIGINT)")


def test_a_database_restart_refuses_calls_meanwhile_and_loses_or_doubles_no_row(tmp_path: Path) -> None:
    """Stopped: a call is refused (fail closed, nothing held). Back: the same wallet handle goes on
    with new server connections, and the ledger has every settled call exactly once."""
    bindir = pgserver.binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (tools/bootstrap.sh installs Debian's postgresql)")
    server = PgServer(bindir)
    server.start()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(ENV_URL, server.new_database())
            with Wallet.open(tmp_path / "wallet.db") as w:
                _, key = w.add_profile("alice")
                b = w.resolve_key(key)
                assert b is not None
                w.set_budget(Scope("profile", "alice"), Amount("usd", 100 * USD), action="block")
                for _ in range(5):
                    spend(w, b, USD)
                server.halt()
                with pytest.raises(WalletError):
                    w.reserve(req(b, USD))
                server.start()
                for _ in range(5):
                    spend(w, b, USD)
                rows = w.history(HistoryFilter(), limit=100)
                assert len(rows) == len({r.call_id for r in rows}) == 10
                (st,) = w.status()
                assert st.spent == 10 * USD and st.held == 0 and w.holds() == []
    finally:
        server.stop()


def test_the_database_password_comes_from_the_keychain_and_is_never_shown(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "s3cret-Pw-42"
    with psycopg.connect(pg_url, autocommit=True) as owner:
        owner.execute(f"CREATE ROLE {pgserver.PASSWORD_USER} LOGIN PASSWORD '{secret}'")
        database = urlsplit(pg_url).path.lstrip("/")
        owner.execute(f"ALTER DATABASE {database} OWNER TO {pgserver.PASSWORD_USER}")
    url = pg_url.replace(f"//{pgserver.USER}@", f"//{pgserver.PASSWORD_USER}@")
    monkeypatch.setenv(ENV_URL, "")  # unset again after the test (--wallet sets it)
    home = str(tmp_path / "home")

    def cli(*args: str, stdin: str = "") -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(
            ["--wallet", url, "--data-dir", home, *args], stdin=io.StringIO(stdin), stdout=out, stderr=err
        )
        return code, out.getvalue() + err.getvalue()

    code, text = cli("status")
    assert code == 1 and "password" in text
    code, text = cli("wallet", "password", stdin=secret + "\n")
    assert code == 0, text
    code, text = cli("status")
    assert code == 0, text
    code, text = cli("wallet", "password", "--forget")
    assert code == 0
    code, text = cli("status")
    assert code == 1
    assert secret not in text


def test_a_data_dir_points_at_the_shared_wallet_with_wallet_use(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two devices run ``wallet use URL`` once; from then on plain commands share one wallet."""
    monkeypatch.setenv(ENV_URL, "")

    def cli(home: Path, *args: str) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(["--data-dir", str(home), *args], stdin=io.StringIO(""), stdout=out, stderr=err)
        return code, out.getvalue() + err.getvalue()

    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    for home in (laptop, desktop):
        code, text = cli(home, "wallet", "use", pg_url)
        assert code == 0, text
        assert (home / "wallet-url").read_text().strip() == pg_url
        assert (home / "wallet-url").stat().st_mode & 0o077 == 0
    assert cli(laptop, "profile", "add", "alice")[0] == 0
    code, text = cli(desktop, "profile", "list")
    assert code == 0 and "alice" in text
    assert not (laptop / "wallet.db").exists() and not (desktop / "wallet.db").exists()

    code, text = cli(desktop, "wallet", "use", "postgresql://tw:hunter2@/elsewhere")
    assert code == 1 and "password" in text and "hunter2" not in text
    assert (desktop / "wallet-url").read_text().strip() == pg_url

    assert cli(desktop, "wallet", "use", "--file")[0] == 0
    code, text = cli(desktop, "profile", "list")
    assert code == 0 and "alice" not in text and (desktop / "wallet.db").exists()


def test_a_stalled_device_cannot_hold_the_wallet_lock_for_long(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every session waits for the lock no longer than SQLite's busy timeout and loses a
    transaction left idle (a laptop closed mid-write), so one device cannot block the others."""
    monkeypatch.setenv(ENV_URL, pg_url)
    with Wallet.open(tmp_path / "wallet.db") as w:
        conn = w._conn()
        assert conn.execute("SHOW lock_timeout").fetchone()[0] == "10s"
        assert conn.execute("SHOW idle_in_transaction_session_timeout").fetchone()[0] == "1min"


@pytest.mark.parametrize(
    ("url", "here"),
    [
        ("postgresql://tw@/wallet?host=/tmp/tw-pg-x", True),  # a Unix socket
        ("postgresql://tw@localhost/wallet", True),
        ("postgresql://tw@127.0.0.1:5433/wallet", True),
        ("postgresql://tw@[::1]/wallet", True),
        ("postgresql://tw@db.home.arpa/wallet", False),
        ("postgresql://tw@localhost,db.home.arpa/wallet", False),  # may fail over to another machine
        ("postgresql://tw@192.168.1.20/wallet", False),
    ],
)
def test_a_wallet_server_on_this_machine_is_told_from_one_across_the_network(
    url: str, here: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether the meter writes on its loop or in a worker thread (proxy/settling.off_loop)."""
    monkeypatch.delenv("PGHOST", raising=False)
    assert backend.on_this_machine(url) is here
