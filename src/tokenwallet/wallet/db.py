"""SQLite plumbing: opening and checking a wallet file, per-thread connections, time stamps."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import cast

from tokenwallet.wallet import backend, trouble
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.schema import APPLICATION_ID, CURRENT_VERSION

BUSY_TIMEOUT_S = 10.0
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
MAX_US = 2**62  # "never" for expiry columns: larger than any real time stamp
BACKSTOP_CHECKPOINT_PAGES = 20_000  # ~80 MB of WAL: only reached if the Checkpointer cannot keep up
WAL_SIZE_LIMIT = 16 << 20  # after a checkpoint, a WAL file bigger than this is truncated


def to_us(at: datetime) -> int:
    """Aware datetime → integer UTC microseconds (see schema.py for why)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise WalletError("naive datetime: pass a timezone-aware time")
    return (at - _EPOCH) // _US


def from_us(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def opt_from_us(us: int | None) -> datetime | None:
    return None if us is None else from_us(us)


def check_file(path: Path) -> None:
    """Refuse, without writing a byte, a file that is not a Token Wallet this code can open.

    The file is read through SQLite only, never with ``open()``: this process may already hold
    connections to it (the app's wallet and its meter's), and closing *any* descriptor of a file
    drops all of the process's POSIX advisory locks on it. Another process closing its connection
    then believes it is the last user and deletes the WAL under ours, and writes are lost
    (https://sqlite.org/howtocorrupt.html, section 2.2). SQLite's own unix layer shares one
    descriptor per file among a process's connections and defers closing it while locks are held.
    """
    if not path.exists():
        return
    if path.is_dir():
        raise WalletError(f"{path} is a directory, not a wallet file")
    if not os.access(path, os.R_OK):
        raise WalletError(f"cannot read {path}: permission denied (check the file's owner and mode)")
    try:
        # Read-only: nothing here can change the file. SQLite reads the header itself and says
        # "file is not a database" for anything that is not SQLite; an empty file is an empty
        # database (a wallet that was never written).
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            # One statement, one snapshot: read one by one, another process creating the wallet
            # could commit in between (tables without the application id: "not a wallet").
            app_id, version, tables = (
                int(v)
                for v in ro.execute(
                    "SELECT (SELECT application_id FROM pragma_application_id()),"
                    " (SELECT user_version FROM pragma_user_version()),"
                    " (SELECT count(*) FROM sqlite_master)"
                ).fetchone()
            )
        finally:
            ro.close()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise WalletError(
                f"{path} is not a Token Wallet file (not an SQLite database): move it aside, or use "
                "another data folder (--data-dir); it is left as it is"
            ) from exc
        if isinstance(exc, sqlite3.OperationalError):  # cannot open, I/O error, busy: not the file's fault
            raise WalletError(trouble.explain(path, exc)) from exc
        raise WalletError(trouble.damaged(path, " ".join(str(exc).split()))) from exc
    if app_id != APPLICATION_ID and (version or tables):
        raise WalletError(
            f"{path} is an SQLite database but not a Token Wallet file: move it aside, or use "
            "another data folder (--data-dir); it is left as it is"
        )
    if version > CURRENT_VERSION:
        raise WalletError(
            f"{path} was written by a newer Token Wallet"
            f" (schema v{version}; this one knows v{CURRENT_VERSION}): update Token Wallet to open it"
        )


class WalletConnection(sqlite3.Connection):
    """A connection that knows its file, so a write can first check the file is still the one opened.

    SQLite keeps writing into a wallet file whose folder was removed (an unplugged disk, a deleted
    folder): every commit succeeds into a file nobody will see again. :func:`begin` refuses instead.
    """

    wallet_path: Path
    file_id: tuple[int, int] | None

    def moved(self) -> str | None:
        """Why this connection's file is no longer the wallet at its path, or None when it is."""
        try:
            st = os.stat(self.wallet_path)
        except FileNotFoundError:
            return (
                trouble.gone(self.wallet_path)
                if not self.wallet_path.parent.is_dir()
                else (trouble.replaced(self.wallet_path))
            )
        except OSError:
            return None  # cannot tell (a permission change): SQLite itself reports real trouble
        if self.file_id is not None and (st.st_dev, st.st_ino) != self.file_id:
            return trouble.replaced(self.wallet_path)
        return None


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def path_of(conn: sqlite3.Connection) -> Path:
    """The file behind ``conn`` (for messages)."""
    if isinstance(conn, WalletConnection):
        return conn.wallet_path
    try:
        return Path(str(conn.execute("PRAGMA database_list").fetchone()[2]))
    except sqlite3.Error:
        return Path("wallet.db")


def used_elsewhere(path: Path) -> bool:
    """Does any other connection (another process) have the wallet at ``path`` open right now?

    Asked through SQLite: an exclusive-mode connection cannot take its lock while any other
    connection is open, even an idle one. Call it only when this process has the file closed.
    """
    try:
        conn = sqlite3.connect(str(path), timeout=0, isolation_level=None)
    except sqlite3.Error:
        return True  # cannot tell: assume it is
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        return True
    finally:
        conn.close()
    return False


def connect(path: Path) -> WalletConnection:
    """A connection in autocommit mode (we issue BEGIN IMMEDIATE ourselves) with our pragmas.

    ``check_same_thread=False`` only so ``Wallet.close()`` can close every thread's connection;
    each connection is still used by one thread at a time.

    When this process's wallet is in PostgreSQL (``backend.url_for``), the connection is a
    ``pgconn.PgConnection``: duck-typed, it offers what the wallet uses of a sqlite3 connection.
    """
    url = backend.url_for(path)
    if url is not None:
        from tokenwallet.wallet import pgconn  # psycopg only loads for a PostgreSQL wallet

        return cast(WalletConnection, pgconn.connect(url, backend.redact(url)))
    conn = sqlite3.connect(
        str(path),
        timeout=BUSY_TIMEOUT_S,
        isolation_level=None,
        check_same_thread=False,
        cached_statements=512,
        factory=WalletConnection,
    )
    conn.wallet_path = Path(path)
    conn.file_id = None
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    # WAL + NORMAL: a commit survives a crash of this process (the OS has the WAL pages); only a
    # power cut can lose the last transactions. That is the trade that makes ≤0.5 ms per call possible.
    conn.execute("PRAGMA synchronous = NORMAL")
    # Checkpoints (copying the WAL into the file, with an fsync) would otherwise run inside
    # whichever call's commit crosses the threshold, adding milliseconds to that call. The
    # Checkpointer thread does them in the background; this larger threshold is only a backstop.
    conn.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_CHECKPOINT_PAGES}")
    conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
    conn.file_id = _file_id(path)  # the pragmas above opened the file: this is the one we hold
    return conn


class Checkpointer:
    """A background thread that checkpoints the WAL after writes, off the call path."""

    def __init__(self, path: Path, *, every_s: float = 0.25) -> None:
        self.path = path
        self.wal = Path(f"{path}-wal")
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tokenwallet-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        seen = 0
        try:
            while not self._stop.wait(self.every_s):
                try:
                    mtime = self.wal.stat().st_mtime_ns
                except OSError:
                    continue
                if mtime == seen:
                    continue  # nothing written since the last checkpoint
                seen = mtime
                if conn is None:
                    conn = sqlite3.connect(str(self.path), timeout=0, isolation_level=None)
                    conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
                # PASSIVE never waits for readers or writers; an unfinished one is retried later.
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            if conn is not None:
                conn.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)


def explain(conn: sqlite3.Connection, exc: sqlite3.Error) -> str:
    """One line for a failed wallet statement: about the file, or about the PostgreSQL database."""
    display = getattr(conn, "display", None)  # a PostgreSQL connection (pgconn) names its URL
    if display is None:
        return trouble.explain(path_of(conn), exc)
    return f"the wallet database {display} refused: {exc}; {trouble.KEPT}"


def begin(conn: sqlite3.Connection) -> None:
    """Take the write lock up front (no lock-upgrade deadlocks between processes), then make sure
    the file is still the wallet (one stat: a write into a vanished file would be lost)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise WalletError(explain(conn, exc)) from exc
    moved = conn.moved() if isinstance(conn, WalletConnection) else None
    if moved is not None:
        conn.execute("ROLLBACK")
        raise WalletError(moved)


def rollback(conn: sqlite3.Connection) -> None:
    # SQLite rolls back by itself on some errors (disk full, I/O): only roll back what is open.
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def commit(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        rollback(conn)
        raise WalletError(explain(conn, exc)) from exc


class immediate:
    """A write transaction; SQLite errors surface as one-line WalletErrors, the file unchanged.

    A class, not a @contextmanager generator: it runs twice per metered call, and the generator
    machinery cost more than the BEGIN itself.
    """

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        begin(self.conn)
        return self.conn

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        conn = self.conn
        if kind is None:
            commit(conn)
            return
        rollback(conn)
        if isinstance(exc, sqlite3.Error):
            raise WalletError(explain(conn, exc)) from exc


class ConnectionPool:
    """One connection per thread, all closed together.

    Worker pools (Qt's, asyncio's executor) retire idle threads and start new ones, so whenever a
    thread opens its connection, the connections of threads that have ended are closed: a
    long-running app never piles up file handles.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self.closed = False
        self._pid = os.getpid()

    def get(self) -> sqlite3.Connection:
        if self._pid != os.getpid():  # a forked child must not touch its parent's connections
            self._pid, self._local, self._all = os.getpid(), threading.local(), []
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self.closed:
                raise WalletError("the wallet is closed")
            conn = connect(self.path)
            self._local.conn = conn
            with self._lock:
                alive = []
                for thread, other in self._all:
                    if thread.is_alive():
                        alive.append((thread, other))
                    else:
                        other.close()
                alive.append((threading.current_thread(), conn))
                self._all = alive
        return conn

    def open_connections(self) -> int:
        with self._lock:
            return len(self._all)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            for _, conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
