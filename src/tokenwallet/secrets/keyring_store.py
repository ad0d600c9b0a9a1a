"""Provider keys in the OS keychain, through the ``keyring`` package.

keyring picks its backend from ``PYTHON_KEYRING_BACKEND``, then its own ``keyringrc.cfg``, then the
best backend it can find (Secret Service / KWallet on Linux, the macOS Keychain, Windows Credential
Locker). We honour that choice, with one rule: **never a silent plaintext fallback**. When keyring
found nothing better than its "fail" backend, an empty chainer or a backend it does not recommend
(priority below 1, like the plaintext file backends of keyrings.alt), we refuse with
:class:`NoKeychainError` and tell the user what to do — unless the user named that backend
explicitly in keyring's configuration, in which case it is their informed choice.
"""

from __future__ import annotations

import configparser
import os
from typing import Any

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors

from tokenwallet.secrets.base import KeyStoreError, NoKeychainError, check_key, check_provider

SERVICE = "tokenwallet"
ENV_BACKEND = "PYTHON_KEYRING_BACKEND"

NO_KEYCHAIN_HELP = (
    "no usable keychain to keep provider keys in ({why}). Start or unlock a Secret Service "
    "(gnome-keyring or KWallet) in your desktop session; on a machine without a desktop, install "
    "gnome-keyring and run Token Wallet under tools/with-keychain (docs/first-run.md, 'Headless "
    "keychain'); or set PYTHON_KEYRING_BACKEND to a keyring backend you trust. Token Wallet never "
    "stores provider keys in a plain file."
)


def _explicitly_configured() -> bool:
    """Did the user name a backend (environment variable or keyring's config file)?"""
    if os.environ.get(ENV_BACKEND, "").strip():
        return True
    try:
        # keyring's own config location, per platform (the helper is private and unannotated)
        path = keyring.core._config_path()  # type: ignore[no-untyped-call]
    except Exception:  # any platform quirk here just means "not configured"
        return False
    config = configparser.RawConfigParser()
    try:
        config.read(path, encoding="utf-8")
    except (OSError, configparser.Error):
        return False
    return config.has_option("backend", "default-keyring")


def _priority(backend: Any) -> float:
    try:
        return float(type(backend).priority)
    except Exception:  # a backend whose priority raises is not viable here
        return -1.0


def choose_backend(backend: Any, *, explicit: bool) -> Any:
    """Return the backend to use for ``backend`` as keyring chose it, or raise NoKeychainError.

    A chainer writes to its first backend, so we use its best recommended member directly: that
    way a set can never fall through to a plaintext member further down the chain.
    """
    if isinstance(backend, keyring.backends.fail.Keyring):
        raise NoKeychainError(NO_KEYCHAIN_HELP.format(why="keyring found no backend"))
    if isinstance(backend, keyring.backends.null.Keyring):
        # keyring's "disabled" backend accepts a key and forgets it: that would lose the key silently.
        raise NoKeychainError(NO_KEYCHAIN_HELP.format(why="keyring is disabled (null backend)"))
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        members = [b for b in backend.backends if explicit or _priority(b) >= 1]
        if not members:
            raise NoKeychainError(NO_KEYCHAIN_HELP.format(why="keyring found no recommended backend"))
        return choose_backend(members[0], explicit=explicit)
    if not explicit and _priority(backend) < 1:
        raise NoKeychainError(
            NO_KEYCHAIN_HELP.format(why=f"keyring's best backend, {_describe(backend)}, is not recommended")
        )
    return backend


def _describe(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"


class KeyringStore:
    """A :class:`~tokenwallet.secrets.KeyStore` in the OS keychain (service ``tokenwallet``).

    The backend is resolved on first use, not at construction, so merely creating a store (the
    proxy does at start-up) never touches D-Bus or fails on a machine without a keychain.
    """

    def __init__(self, backend: Any = None, *, explicit: bool | None = None, service: str = SERVICE) -> None:
        self._given = backend
        self._explicit = explicit
        self._service = service
        self._backend: Any = None

    def _resolve(self) -> Any:
        if self._backend is None:
            explicit = self._explicit
            if self._given is not None:
                backend = self._given
                explicit = True if explicit is None else explicit
            else:
                try:
                    backend = keyring.get_keyring()
                except Exception as exc:  # a misconfigured PYTHON_KEYRING_BACKEND, an import error …
                    raise NoKeychainError(
                        NO_KEYCHAIN_HELP.format(why=f"keyring could not load its backend: {_one_line(exc)}")
                    ) from None
                if explicit is None:
                    explicit = _explicitly_configured()
            self._backend = choose_backend(backend, explicit=bool(explicit))
        return self._backend

    def _call(self, what: str, fn: Any, *args: str, secret: str | None = None) -> Any:
        try:
            return fn(self._service, *args)
        except keyring.errors.KeyringLocked:
            raise KeyStoreError(f"the keychain is locked: unlock it and try again ({what})") from None
        except keyring.errors.NoKeyringError as exc:
            raise NoKeychainError(NO_KEYCHAIN_HELP.format(why=_one_line(exc, secret))) from None
        except Exception as exc:  # D-Bus and backend errors: surface one line, never the key
            raise KeyStoreError(
                f"the keychain ({self.backend_name()}) refused to {what}: {_one_line(exc, secret)}"
            ) from None

    def get(self, provider: str) -> str | None:
        backend = self._resolve()
        value = self._call("read a key", backend.get_password, check_provider(provider))
        return value if isinstance(value, str) and value else None

    def set(self, provider: str, key: str) -> None:
        backend = self._resolve()
        key = check_key(key)
        self._call("store a key", backend.set_password, check_provider(provider), key, secret=key)

    def delete(self, provider: str) -> None:
        backend = self._resolve()
        provider = check_provider(provider)
        if self._call("read a key", backend.get_password, provider) is None:
            return
        self._call("delete a key", backend.delete_password, provider)

    def backend_name(self) -> str:
        backend = self._backend if self._backend is not None else self._given
        if backend is None:
            try:
                backend = keyring.get_keyring()
            except Exception:
                return "unavailable"
        return str(getattr(type(backend), "name", _describe(backend)))

    def __repr__(self) -> str:
        return f"KeyringStore(service={self._service!r})"


def _one_line(exc: BaseException, secret: str | None = None) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if secret:
        text = text.replace(secret, "[key]")
    return text[:300]
