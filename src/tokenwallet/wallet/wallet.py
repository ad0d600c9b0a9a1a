"""The Wallet: one object for everything a wallet file holds, safe to share between threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from tokenwallet.core.events import EventBus
from tokenwallet.wallet import trouble
from tokenwallet.wallet.admin import AdminMixin
from tokenwallet.wallet.base import Clock
from tokenwallet.wallet.calls import CallsMixin
from tokenwallet.wallet.catalog import CatalogMixin
from tokenwallet.wallet.db import check_file, connect
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.reads import ReadsMixin
from tokenwallet.wallet.schema import CURRENT_VERSION, migrate
from tokenwallet.wallet.types import KeyBinding


class Wallet(AdminMixin, CatalogMixin, CallsMixin, ReadsMixin):
    """A Token Wallet file: profiles, keys, envelopes, holds and the ledger.

    Each thread gets its own SQLite connection; several processes may open the same file (WAL,
    busy timeout, write transactions taken with BEGIN IMMEDIATE).
    """

    def __init__(self, path: Path, bus: EventBus, clock: Clock | None = None) -> None:
        super().__init__(path, bus, clock)
        self._key_cache: dict[str, tuple[float, KeyBinding | None]] = {}
        self._key_seen = threading.local()

    @classmethod
    def open(cls, path: Path, *, bus: EventBus | None = None, clock: Clock | None = None) -> Wallet:
        """Open (creating if needed) and migrate the wallet at ``path``.

        A file that is not a wallet, is damaged, or was written by a newer version raises
        :class:`WalletError` with a one-line message and is left untouched. Before upgrading an
        older wallet, a copy is saved next to it as ``<name>.v<old>.bak``. ``clock`` (returning an
        aware datetime) exists for tests and tools that replay time.
        """
        path = Path(path)
        check_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise WalletError(trouble.explain(path, exc)) from exc
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if 0 < version < CURRENT_VERSION:
                backup = sqlite3.connect(str(path.with_name(f"{path.name}.v{version}.bak")))
                try:
                    conn.backup(backup)
                finally:
                    backup.close()
            migrate(conn)
        except sqlite3.Error as exc:
            raise WalletError(trouble.explain(path, exc)) from exc
        finally:
            conn.close()
        return cls(path, bus or EventBus(), clock)
