"""The key store interface, its error, and an in-memory store for tests.

Provider API keys (``sk-…``) are the most sensitive thing Token Wallet touches. They live only in
a key store — the OS keychain in the app, memory in tests — and never in the wallet file, logs,
exceptions or exports. Everything that needs a provider key asks a :class:`KeyStore`.
"""

from __future__ import annotations

import re
from typing import Protocol, runtime_checkable

# Provider names are short identifiers (``openai``, ``my-vllm``); anything else is a typo or an
# attempt to smuggle something into the keychain's account field.
_PROVIDER = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@runtime_checkable
class KeyStore(Protocol):
    """Where provider API keys are kept, one per provider name."""

    def get(self, provider: str) -> str | None:
        """The key stored for ``provider``, or ``None``."""
        ...

    def set(self, provider: str, key: str) -> None:
        """Store (or replace) the key for ``provider``."""
        ...

    def delete(self, provider: str) -> None:
        """Forget the key for ``provider``; nothing happens when there is none."""
        ...

    def backend_name(self) -> str:
        """A short, human name of where keys are kept (for ``key status`` and the GUI)."""
        ...


class NoKeychainError(RuntimeError):
    """No usable keychain: the message says what the user can do about it."""


class KeyStoreError(RuntimeError):
    """The keychain exists but an operation on it failed (locked, refused, D-Bus error …)."""


def check_provider(provider: str) -> str:
    """Validate a provider name used as the keychain account; returns it unchanged."""
    if not _PROVIDER.match(provider):
        raise ValueError(f"not a provider name: {provider!r} (use lowercase letters, digits, '-' or '_')")
    return provider


def check_key(key: str) -> str:
    """Normalise a pasted API key: surrounding whitespace goes, inner whitespace is refused.

    The error messages never repeat the key.
    """
    key = key.strip()
    if not key:
        raise ValueError("the key is empty")
    if any(ch.isspace() for ch in key):
        raise ValueError("the key contains whitespace (paste only the key itself)")
    if not key.isprintable():
        raise ValueError("the key contains unprintable characters")
    return key


class MemoryKeyStore:
    """A :class:`KeyStore` that lives in this object: for tests and for throwaway wallets."""

    def __init__(self, keys: dict[str, str] | None = None) -> None:
        self._keys: dict[str, str] = dict(keys or {})

    def get(self, provider: str) -> str | None:
        return self._keys.get(check_provider(provider))

    def set(self, provider: str, key: str) -> None:
        self._keys[check_provider(provider)] = check_key(key)

    def delete(self, provider: str) -> None:
        self._keys.pop(check_provider(provider), None)

    def backend_name(self) -> str:
        return "memory (not persisted)"

    def __repr__(self) -> str:  # never show the keys themselves
        return f"MemoryKeyStore(providers={sorted(self._keys)})"
