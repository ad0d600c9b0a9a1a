"""Where a wallet lives: ``--data-dir``, else ``$TOKENWALLET_HOME``, else the platform's data dir."""

from __future__ import annotations

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
