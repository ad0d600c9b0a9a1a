"""A keyring backend that keeps passwords in process memory: for tests only.

Select it with ``PYTHON_KEYRING_BACKEND=tokenwallet.secrets.memory.MemoryKeyring`` (the test suite's
conftest does). Each process has its own memory, so a key stored by a CLI subprocess is gone when
that process exits.

The priority is 0 so that keyring never picks it by itself — and nothing in the app imports this
module, so it is not even registered unless someone names it.
"""

from __future__ import annotations

from typing import ClassVar

import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    """``keyring`` backend over a class-level dict shared by every instance in the process."""

    priority: ClassVar[float] = 0  # never chosen automatically
    _store: ClassVar[dict[tuple[str, str], str]] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self._store[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("no such password") from None

    @classmethod
    def clear(cls) -> None:
        """Forget everything (tests call this between cases)."""
        cls._store.clear()
