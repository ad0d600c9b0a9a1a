"""Refresh the desktop app's translations: ``pyside6-lupdate`` then ``pyside6-lrelease``.

    .venv/bin/python tools/i18n_update.py          # after changing visible text in src/tokenwallet/gui
    .venv/bin/python tools/i18n_update.py --check  # exit 1 if the .ts or .qm is behind the sources

lupdate collects every ``tr("…")``/``QT_TR_NOOP("…")`` of src/tokenwallet/gui into
resources/i18n/tokenwallet_zh_CN.ts (new strings arrive unfinished: translate them in Qt Linguist,
``pyside6-linguist``, or in the XML), dropping the ones the code no longer has; lrelease compiles
the .ts into the .qm the app loads. Both files are checked in, so the app runs without these tools.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "src" / "tokenwallet" / "gui"
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)


def tool(name: str) -> str:
    """The PySide6 tool next to this interpreter (the venv's), else on PATH."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (tools/bootstrap.sh does)")
    return found


def lupdate(ts: Path, lang: str) -> None:
    files = sorted(str(p) for p in SOURCES.rglob("*.py"))
    cmd = [tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none"]
    cmd += ["-target-language", lang, *files, "-ts", str(ts)]
    subprocess.run(cmd, check=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the files are up to date")
    args = parser.parse_args(argv)
    stale = []
    for lang in LANGUAGES:
        ts, qm = I18N / f"tokenwallet_{lang}.ts", I18N / f"tokenwallet_{lang}.qm"
        if not args.check:
            lupdate(ts, lang)
            lrelease(ts, qm)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            fresh_ts, fresh_qm = Path(tmp) / ts.name, Path(tmp) / qm.name
            shutil.copy(ts, fresh_ts)
            lupdate(fresh_ts, lang)
            lrelease(ts, fresh_qm)
            if not filecmp.cmp(ts, fresh_ts, shallow=False):
                stale.append(f"{ts.name} is behind the sources: run tools/i18n_update.py")
            if not qm.exists() or not filecmp.cmp(qm, fresh_qm, shallow=False):
                stale.append(f"{qm.name} is behind {ts.name}: run tools/i18n_update.py")
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
