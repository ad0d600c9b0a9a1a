"""Where a wallet lives: ``--data-dir``, else ``$TOKENWALLET_HOME``, else the platform's data dir."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

ENV_HOME = "TOKENWALLET_HOME"
WALLET_FILE = "wallet.db"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("tokenwallet", appauthor=False))


def wallet_file(directory: Path) -> Path:
    return directory / WALLET_FILE


_WALLET_NAMES = tuple(WALLET_FILE + suffix for suffix in ("", "-wal", "-shm", "-journal"))


def is_wallet_file(path: str | os.PathLike[str], data_dir: Path | None = None) -> bool:
    """Is ``path`` a wallet file or one of SQLite's companions of it (``-wal``, ``-shm``)?

    Such files are only ever opened through SQLite: writing an export over one destroys the
    wallet, and even reading one with a plain ``open()`` is harmful in a process that has the wallet
    open — closing that descriptor drops all of the process's locks on the file (see
    ``wallet.db.check_file``). Exports and prompt files refuse them. Only names and ``stat`` are
    used here, never a descriptor.
    """
    target = Path(path).expanduser()
    with contextlib.suppress(OSError, RuntimeError):
        target = target.resolve()
    if target.name in _WALLET_NAMES:
        return True
    if data_dir is not None:  # a hard link to the wallet under another name
        for name in _WALLET_NAMES:
            try:
                if os.path.samefile(target, Path(data_dir) / name):
                    return True
            except OSError:
                continue
    return False
