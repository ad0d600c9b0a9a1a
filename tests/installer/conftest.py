"""The Linux bundle, unpacked from its tarball into a temporary folder once per test session."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from installer.bundle_cache import unpack_bundle

# The bundle's own copy of the test keyring (tokenwallet.secrets.memory is collected with the rest
# of the package); nothing here may reach a real keychain.
KEYRING = "tokenwallet.secrets.memory.MemoryKeyring"


@dataclass(frozen=True)
class Bundle:
    folder: Path  # the unpacked tokenwallet-VERSION-linux-ARCH/

    @property
    def exe(self) -> Path:
        return self.folder / "tokenwallet"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TOKENWALLET_", "PYTHON"))}
        env.pop("QT_QPA_PLATFORM", None)
        env.pop("DISPLAY", None)
        return {**env, "PYTHON_KEYRING_BACKEND": KEYRING, **extra}

    def run(
        self, *args: str, data_dir: Path, input: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.exe), "--data-dir", str(data_dir), *args],
            input=input,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env=env if env is not None else self.env(),
        )


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bundle]:
    yield Bundle(unpack_bundle(tmp_path_factory.mktemp("bundle")))
