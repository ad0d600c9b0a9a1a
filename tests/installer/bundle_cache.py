"""The Linux bundle for the smoke tests: built by packaging/build-linux.sh once per source state.

A build takes about two minutes on two cores, so the tarball is kept in
``$XDG_CACHE_HOME/tokenwallet-tests`` (``~/.cache/…``, or ``$TOKENWALLET_TEST_CACHE``) under a
hash of everything that goes into it: the sources, resources, the packaging files, the dependency
pins. A changed file means a new build; the cache keeps the three newest. A file
lock keeps two test runs on the same machine from building the same thing at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ("src", "resources", "packaging", "pyproject.toml", "tools/requirements.lock", "tools/bootstrap.sh")
BUILD_TIMEOUT_S = 900
KEPT_BUILDS = 3


def cache_root() -> Path:
    """The test cache shared with tests/proxy/test_codex_cli.py (``$TOKENWALLET_TEST_CACHE`` overrides)."""
    if os.environ.get("TOKENWALLET_TEST_CACHE"):
        return Path(os.environ["TOKENWALLET_TEST_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tokenwallet-tests"


def source_hash() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".md":  # docs are not in the bundle
                continue
            digest.update(file.relative_to(ROOT).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()[:16]


def unpack_bundle(where: Path) -> Path:
    """Unpack the tarball for the current sources (built first if needed) into ``where``; returns
    the unpacked folder. Under the lock, so another run cannot replace the tarball meanwhile."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    with (root / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        with tarfile.open(_tarball(root)) as tar:
            tar.extractall(where, filter="tar")
    (folder,) = where.iterdir()
    return folder


def _tarball(root: Path) -> Path:
    """The tarball build-linux.sh made for the current sources, built now if there is none."""
    key = source_hash()
    done = root / f"bundle-{key}"
    tarballs = sorted(done.glob("tokenwallet-*-linux-*.tar.gz")) if done.is_dir() else []
    if tarballs:
        return tarballs[0]
    # keep the two newest other builds (another checkout or branch on this machine), ~75 MB each
    older = sorted(root.glob("bundle-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in older[KEPT_BUILDS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    staging = root / f"building-{key}"
    shutil.rmtree(staging, ignore_errors=True)
    result = subprocess.run(
        [
            str(ROOT / "packaging" / "build-linux.sh"),
            "--dist",
            str(staging / "dist"),
            "--work",
            str(staging / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"packaging/build-linux.sh failed ({result.returncode}):\n{result.stderr[-4000:]}")
    exe = Path(result.stdout.strip().splitlines()[-1])
    if exe != staging / "dist" / "tokenwallet" / "tokenwallet" or not exe.is_file():
        raise RuntimeError(f"build-linux.sh's last line is not the built executable: {exe}")
    (tarball,) = (staging / "dist").glob("tokenwallet-*-linux-*.tar.gz")
    done.mkdir()
    kept = tarball.rename(done / tarball.name)
    shutil.rmtree(staging, ignore_errors=True)  # the unpacked folder and PyInstaller's work files
    return kept
