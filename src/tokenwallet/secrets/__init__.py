"""Where provider API keys are kept: the OS keychain (via keyring) or memory (tests).

Provider keys never go into the wallet file, logs, exceptions or exports; everything that needs
one asks a :class:`KeyStore`.
"""

from __future__ import annotations

from tokenwallet.secrets.base import (
    KeyStore,
    KeyStoreError,
    MemoryKeyStore,
    NoKeychainError,
    check_key,
    check_provider,
)
from tokenwallet.secrets.keyring_store import SERVICE, KeyringStore

__all__ = [
    "SERVICE",
    "KeyStore",
    "KeyStoreError",
    "KeyringStore",
    "MemoryKeyStore",
    "NoKeychainError",
    "check_key",
    "check_provider",
    "default_keystore",
]


def default_keystore() -> KeyStore:
    """The app's key store: the OS keychain as keyring is configured (resolved on first use)."""
    return KeyringStore()
