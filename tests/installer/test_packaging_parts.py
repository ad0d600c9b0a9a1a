"""Parts of the installer that do not need a built bundle: the Windows and macOS icons drawn from
the SVG, the rules that keep the bundle lean, and the login entry as the bundle writes it."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

from bundle_rules import keep_binary, keep_data  # noqa: E402 - packaging/ is not a package


def test_icons_for_windows_and_macos_are_drawn_from_the_svg(tmp_path: Path) -> None:
    # in a child process, as in the build: make_icons creates a QGuiApplication when there is none
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); from make_icons import make_icons; "
        "print(json.dumps(make_icons(*map(__import__('pathlib').Path, sys.argv[2:4]), tuple(sys.argv[4:]))))"
    )
    svg = ROOT / "resources" / "icons" / "tokenwallet.svg"

    def run(out: Path, *platforms: str) -> dict[str, str]:
        args = [sys.executable, "-c", script, str(ROOT / "packaging"), str(svg), str(out), *platforms]
        done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
        return dict(json.loads(done.stdout))

    from PySide6.QtGui import QImage

    made = run(tmp_path, "win32", "darwin", "linux")
    assert set(made) == {"win32", "darwin"}  # Linux uses the SVG itself
    for path in made.values():
        image = QImage(path)
        assert not image.isNull() and image.width() == 256
        assert image.pixelColor(128, 128).alpha() > 0  # the coin is drawn, not a transparent square
    assert run(tmp_path / "l", "linux") == {}


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/lib/libQt6Charts.so.6", True),
        ("PySide6/Qt/lib/libQt6OpenGLWidgets.so.6", True),  # QtCharts links it
        ("libQt6Svg.so.6", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/lib/libQt6QmlModels.so.6", False),
        ("libQt6Quick.so.6", False),  # PyInstaller's top-level symlink for a dropped library
        ("PySide6/Qt/lib/libQt6Network.so.6", False),
    ],
)
def test_bundle_rules(dest: str, kept: bool) -> None:
    assert keep_binary(dest) is kept


def test_only_qtbase_translations_are_kept() -> None:
    assert keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert not keep_data("PySide6/Qt/translations/qt_de.qm")
    assert keep_data("resources/tokenizers/o200k_base.tiktoken")


def test_only_the_babel_locales_the_cli_speaks_are_kept() -> None:
    assert keep_data("babel/locale-data/zh_Hans_CN.dat")
    assert keep_data("babel/locale-data/en_US.dat")
    assert keep_data("babel/locale-data/root.dat")
    assert not keep_data("babel/locale-data/de_DE.dat")
    assert keep_data("babel/global.dat")
    assert keep_data("resources/i18n/zh_CN/LC_MESSAGES/tokenwallet.mo")


def test_the_kept_babel_locales_are_enough(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The CLI's Chinese dates and numbers from the bundle's few locale files alone."""
    import shutil
    from datetime import date

    import babel.localedata
    from bundle_rules import KEPT_BABEL_LOCALES

    from tokenwallet.commands import i18n

    for name in KEPT_BABEL_LOCALES:
        shutil.copy(Path(babel.localedata._dirname) / f"{name}.dat", tmp_path)
    monkeypatch.setattr(babel.localedata, "_dirname", str(tmp_path))
    monkeypatch.setattr(babel.localedata, "_cache", {})
    i18n.use("zh_CN")
    try:
        assert i18n.day(date(2026, 11, 29)) == "2026年11月29日"
        assert i18n.short_day(date(2026, 11, 1)) == "11月1日"
        assert i18n.number(1234567) == "1,234,567"
    finally:
        i18n.use("en")


def test_login_entry_runs_the_bundle_itself(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tokenwallet.gui import autostart

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/Token Wallet/tokenwallet")
    assert shlex.split(autostart.command(tmp_path)) == [
        "/opt/Token Wallet/tokenwallet",
        "serve",
        "--data-dir",
        str(tmp_path),
    ]


def test_start_probe_reports_the_first_paint_and_the_meter(tmp_path: Path) -> None:
    """What bench/bench_gui.py --bundle reads: the real app, started as a user starts it."""
    import os
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = tmp_path / "wallet"
    cli = [sys.executable, "-m", "tokenwallet", "--data-dir", str(home)]
    subprocess.run([*cli, "settings", "set", "proxy_port", str(port)], check=True, capture_output=True)
    report = tmp_path / "start.json"
    started = time.time()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TOKENWALLET_BENCH_START": str(report)}
    done = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    marks = json.loads(report.read_text())
    assert marks["mode"] == "hosted"
    assert started < marks["paint"] <= marks["mode_at"] < time.time()
