"""Key stores: the in-memory one, and the keyring-backed one's refusal to fall back to plaintext."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from tokenwallet.secrets import (
    SERVICE,
    KeyringStore,
    KeyStore,
    KeyStoreError,
    MemoryKeyStore,
    NoKeychainError,
    default_keystore,
)
from tokenwallet.secrets.keyring_store import choose_backend
from tokenwallet.secrets.memory import MemoryKeyring

SECRET = "sk-test-DO-NOT-LEAK-0123456789abcdef"


@pytest.fixture(autouse=True)
def _clean_memory() -> Iterator[None]:
    MemoryKeyring.clear()
    yield
    MemoryKeyring.clear()


class PlaintextLike:
    """Stands in for keyrings.alt's plaintext file backend: viable, but not recommended.

    Duck-typed on purpose: a KeyringBackend subclass would register itself with keyring for the
    rest of the test process and could be picked by keyring's own auto-detection.
    """

    priority: ClassVar[float] = 0.5
    stored: ClassVar[dict[tuple[str, str], str]] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.stored.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.stored[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.stored.pop((service, username), None)


class Recommended(PlaintextLike):
    priority: ClassVar[float] = 5
    stored: ClassVar[dict[tuple[str, str], str]] = {}


class Locked(PlaintextLike):
    priority: ClassVar[float] = 5

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("collection is locked")


class Leaky(PlaintextLike):
    """A backend whose error message repeats the password (we must not pass it on)."""

    priority: ClassVar[float] = 5

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError(f"D-Bus said no to {password}")


def test_memory_keystore_round_trip() -> None:
    store = MemoryKeyStore()
    assert isinstance(store, KeyStore)
    assert store.get("openai") is None
    store.set("openai", f"  {SECRET}\n")
    assert store.get("openai") == SECRET
    assert SECRET not in repr(store)
    store.delete("openai")
    store.delete("openai")  # deleting twice is fine
    assert store.get("openai") is None


@pytest.mark.parametrize("bad", ["", "   \n", "sk-abc def", "sk-\x00abc"])
def test_bad_keys_are_refused_without_echoing_them(bad: str) -> None:
    with pytest.raises(ValueError) as info:
        MemoryKeyStore().set("openai", bad)
    if bad.strip():
        assert bad.strip() not in str(info.value)


@pytest.mark.parametrize("bad", ["", "OpenAI", "open ai", "../etc", "a" * 80])
def test_bad_provider_names_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        MemoryKeyStore().get(bad)


def test_default_keystore_uses_the_configured_backend() -> None:
    # conftest sets PYTHON_KEYRING_BACKEND to the memory backend: the store must honour it.
    store = default_keystore()
    store.set("openai", SECRET)
    assert MemoryKeyring._store[(SERVICE, "openai")] == SECRET
    assert store.get("openai") == SECRET
    assert "MemoryKeyring" in store.backend_name()
    store.delete("openai")
    assert store.get("openai") is None
    store.delete("openai")  # nothing stored: no error


def test_fail_backend_gives_clear_advice() -> None:
    store = KeyringStore(keyring.backends.fail.Keyring(), explicit=False)
    with pytest.raises(NoKeychainError) as info:
        store.set("openai", SECRET)
    message = str(info.value)
    assert "gnome-keyring" in message
    assert "PYTHON_KEYRING_BACKEND" in message
    assert "\n" not in message
    assert SECRET not in message


def test_null_backend_is_refused_even_when_configured() -> None:
    # keyring's "disabled" backend would accept the key and forget it: that is a silent loss.
    store = KeyringStore(keyring.backends.null.Keyring(), explicit=True)
    with pytest.raises(NoKeychainError, match="disabled"):
        store.set("openai", SECRET)


def test_low_priority_backend_is_refused_unless_configured() -> None:
    PlaintextLike.stored.clear()
    with pytest.raises(NoKeychainError, match="not recommended"):
        KeyringStore(PlaintextLike(), explicit=False).set("openai", SECRET)
    assert PlaintextLike.stored == {}  # nothing written anywhere
    KeyringStore(PlaintextLike(), explicit=True).set("openai", SECRET)
    assert PlaintextLike.stored[(SERVICE, "openai")] == SECRET
    PlaintextLike.stored.clear()


def test_chainer_uses_only_recommended_members(monkeypatch: pytest.MonkeyPatch) -> None:
    chainer = keyring.backends.chainer.ChainerBackend()
    monkeypatch.setattr(
        keyring.backends.chainer.ChainerBackend, "backends", [PlaintextLike(), Recommended()], raising=False
    )
    chosen = choose_backend(chainer, explicit=False)
    assert isinstance(chosen, Recommended)
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", [PlaintextLike()], raising=False)
    with pytest.raises(NoKeychainError):
        choose_backend(chainer, explicit=False)
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", [], raising=False)
    with pytest.raises(NoKeychainError):
        choose_backend(chainer, explicit=True)


def test_config_file_counts_as_explicit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setattr(keyring.core, "_keyring_backend", PlaintextLike())
    PlaintextLike.stored.clear()
    with pytest.raises(NoKeychainError):
        KeyringStore().set("openai", SECRET)
    (tmp_path / "python_keyring").mkdir()
    (tmp_path / "python_keyring" / "keyringrc.cfg").write_text(
        "[backend]\ndefault-keyring=some.plaintext.Backend\n"
    )
    KeyringStore().set("openai", SECRET)
    assert PlaintextLike.stored[(SERVICE, "openai")] == SECRET
    PlaintextLike.stored.clear()


def test_backend_errors_are_one_line_and_never_carry_the_key() -> None:
    with pytest.raises(KeyStoreError, match="locked"):
        KeyringStore(Locked()).set("openai", SECRET)
    with pytest.raises(KeyStoreError) as info:
        KeyringStore(Leaky()).set("openai", SECRET)
    assert SECRET not in str(info.value)
    assert "[key]" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_unloadable_backend_name_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no.such.Backend")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    with pytest.raises(NoKeychainError, match="could not load"):
        KeyringStore().get("openai")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)  # let keyring re-detect later


def test_memory_keyring_is_never_chosen_automatically() -> None:
    assert MemoryKeyring.priority < 1
    with pytest.raises(NoKeychainError):
        choose_backend(MemoryKeyring(), explicit=False)


def test_the_app_never_loads_the_memory_backend() -> None:
    """Importing the key stores must not register MemoryKeyring with keyring (tests name it explicitly)."""
    code = (
        "import sys, tokenwallet.secrets, tokenwallet.cli; print('tokenwallet.secrets.memory' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"
