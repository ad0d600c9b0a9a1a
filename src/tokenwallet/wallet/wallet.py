"""The Wallet: one object for everything a wallet file holds, safe to share between threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from tokenwallet.core import private
from tokenwallet.core.events import EventBus
from tokenwallet.wallet import backend, trouble
from tokenwallet.wallet.alerts import AlertsMixin
from tokenwallet.wallet.base import Clock
from tokenwallet.wallet.catalog import CatalogMixin
from tokenwallet.wallet.db import check_file, connect
from tokenwallet.wallet.devicebook import DevicesMixin
from tokenwallet.wallet.energy import EnergyMixin
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.gates import GatesMixin
from tokenwallet.wallet.guards import GuardsMixin
from tokenwallet.wallet.imports import ImportsMixin
from tokenwallet.wallet.model_rules import ModelRulesMixin
from tokenwallet.wallet.plans import PlansMixin
from tokenwallet.wallet.reads import ReadsMixin
from tokenwallet.wallet.schema import CURRENT_VERSION, migrate
from tokenwallet.wallet.sessions import SessionsMixin
from tokenwallet.wallet.types import KeyBinding


class Wallet(
    SessionsMixin,
    CatalogMixin,
    ImportsMixin,
    GatesMixin,
    GuardsMixin,
    AlertsMixin,
    ModelRulesMixin,
    PlansMixin,
    ReadsMixin,
    EnergyMixin,
    DevicesMixin,
):
    """A Token Wallet file: profiles, keys, envelopes, holds and the ledger.

    Each thread gets its own SQLite connection; several processes may open the same file (WAL,
    busy timeout, write transactions taken with BEGIN IMMEDIATE).
    """

    def __init__(self, path: Path, bus: EventBus, clock: Clock | None = None) -> None:
        super().__init__(path, bus, clock)
        self._key_cache: dict[str, tuple[float, KeyBinding | None]] = {}
        self.notices: list[str] = []  # one line each, for the user: what opening the wallet fixed
        self._key_seen = threading.local()

    @classmethod
    def open(cls, path: Path, *, bus: EventBus | None = None, clock: Clock | None = None) -> Wallet:
        """Open (creating if needed) and migrate the wallet at ``path``.

        A file that is not a wallet, is damaged, or was written by a newer version raises
        :class:`WalletError` with a one-line message and is left untouched. Before upgrading an
        older wallet, a copy is saved next to it as ``<name>.v<old>.bak``. ``clock`` (returning an
        aware datetime) exists for tests and tools that replay time. The directory, the file and
        its journals are made owner-only (see :mod:`tokenwallet.core.private`); what was tightened
        is in ``notices``.
        """
        path = Path(path)
        if backend.url_for(path) is not None:
            from tokenwallet.wallet.pgwallet import open_database

            open_database(path)
            return cls(path, bus or EventBus(), clock)
        # Before any connection: SQLite gives the -wal and -shm it creates the main file's mode.
        notice = private.tighten_all(wallet_files(path))
        check_file(path)
        try:
            private.make_dir(path.parent)
            private.create_file(path)  # a new wallet: empty, 0600, before SQLite opens it
            conn = connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise WalletError(trouble.explain(path, exc)) from exc
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if 0 < version < CURRENT_VERSION:
                saved = path.with_name(f"{path.name}.v{version}.bak")
                private.prepare(saved)
                backup = sqlite3.connect(str(saved))
                try:
                    conn.backup(backup)
                finally:
                    backup.close()
            migrate(conn)
        except sqlite3.Error as exc:
            raise WalletError(trouble.explain(path, exc)) from exc
        finally:
            conn.close()
        wallet = cls(path, bus or EventBus(), clock)
        wallet.notices = [notice] if notice else []
        return wallet


def wallet_files(path: Path) -> list[Path]:
    """The wallet's directory, the file and the journals SQLite keeps beside it."""
    return [path.parent, path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))]
