"""Which database holds the wallet: the SQLite file in the data folder (the default), or PostgreSQL.

A PostgreSQL wallet is chosen per process with ``--wallet postgresql://…`` (the CLI puts it in the
environment, so a ``serve`` or ``run`` it starts uses the same wallet) or ``TOKENWALLET_WALLET_URL``.
The data folder still holds what belongs to the device: logs, the ``.inuse`` marker, exports.
The URL's password is never shown: :func:`redact` is what messages and logs print.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tokenwallet.wallet.errors import WalletError

ENV_URL = "TOKENWALLET_WALLET_URL"
SCHEMES = ("postgresql", "postgres")


def is_postgres_url(text: str) -> bool:
    return urlsplit(text).scheme in SCHEMES


def check_url(text: str) -> str:
    """A PostgreSQL URL the wallet can use, or a WalletError saying what is wrong (password hidden)."""
    if not is_postgres_url(text):
        raise WalletError(
            f"{redact(text)} is not a PostgreSQL URL: use postgresql://USER@HOST[:PORT]/DATABASE"
        )
    return text


_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def on_this_machine(url: str) -> bool:
    """Whether the server of ``url`` is on this machine: a Unix socket (no host, or a folder) or
    a loopback address. Unknown (a URL libpq cannot read): no."""
    from psycopg.conninfo import conninfo_to_dict  # psycopg only loads for a PostgreSQL wallet

    try:
        host = str(conninfo_to_dict(url).get("host") or os.environ.get("PGHOST") or "")
    except Exception:
        return False
    return all(h == "" or h.startswith("/") or h in _LOOPBACK for h in host.split(","))


#: In a data folder: the URL of the shared wallet this device uses (``tokenwallet wallet use``).
URL_FILE = "wallet-url"


def url_for(path: Path | None = None) -> str | None:
    """The PostgreSQL URL of the wallet, or None for the SQLite file at ``path``.

    ``--wallet URL`` / ``$TOKENWALLET_WALLET_URL`` first, then the ``wallet-url`` file beside
    ``path`` (written by ``tokenwallet wallet use``), else the file.
    """
    url = os.environ.get(ENV_URL, "").strip()
    if not url and path is not None:
        try:
            url = (Path(path).parent / URL_FILE).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeError):
            url = ""
    return check_url(url) if url else None


def storable_url(url: str) -> str:
    """A URL fit to be kept in a plain file: a PostgreSQL one without a password."""
    url = check_url(url)
    if has_password(url):
        raise WalletError(
            "leave the password out of the URL:"
            " `tokenwallet --wallet URL wallet password` keeps it in the keychain"
        )
    return url


def use(data_dir: Path, url: str | None) -> None:
    """Make ``data_dir``'s wallet the PostgreSQL one at ``url`` (None: its own file again).

    A URL with a password is refused: the file is plain text (``wallet password`` keeps the
    password in the keychain).
    """
    from tokenwallet.core import private

    target = data_dir / URL_FILE
    if url is None:
        target.unlink(missing_ok=True)
        return
    url = storable_url(url)
    private.make_dir(data_dir)
    private.write_text(target, url + "\n")


def redact(url: str) -> str:
    """The URL with its password (in the netloc or a ``password=`` parameter) replaced by ``***``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        if ":" in userinfo:
            netloc = f"{userinfo.split(':', 1)[0]}:***@{host}"
    query = "&".join(
        "password=***" if q.lower().startswith("password=") else q for q in parts.query.split("&") if q
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def refuse_file_only(path: Path, what: str) -> None:
    """Backups and restores copy the SQLite file; a PostgreSQL wallet is backed up by its server."""
    url = url_for(path)
    if url is not None:
        raise WalletError(
            f"{what} works on the SQLite wallet file; this wallet is the PostgreSQL database"
            f" {redact(url)}: back it up with the database's own tools (pg_dump), or copy it to a"
            " file with `tokenwallet wallet migrate --to sqlite:PATH`"
        )


#: The keychain service holding database passwords (provider keys are under "tokenwallet").
PASSWORD_SERVICE = "tokenwallet-database"


def password_entry(url: str) -> str:
    """The keychain entry of the password for this URL's user, host, port and database."""
    parts = urlsplit(url)
    user = parts.username or ""
    where = f"{user}@{parts.hostname or ''}:{parts.port or 5432}{parts.path}"
    return "db-" + hashlib.sha256(where.encode()).hexdigest()[:24]


def has_password(url: str) -> bool:
    parts = urlsplit(url)
    return parts.password is not None or "password=" in parts.query.lower()


def keychain_password(url: str) -> str | None:
    """The password ``tokenwallet wallet password`` stored for this URL, when the URL has none."""
    if has_password(url):
        return None
    from tokenwallet.secrets import KeyringStore, KeyStoreError, NoKeychainError

    try:
        return KeyringStore(service=PASSWORD_SERVICE).get(password_entry(url))
    except (KeyStoreError, NoKeychainError):
        return None  # no keychain here: ~/.pgpass or the server's own rules decide
