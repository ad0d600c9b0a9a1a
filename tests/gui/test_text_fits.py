"""No text is cut off: every label, button, check box, combo box, group title and table header of
every page (and every tab) fits its widget at 1024x768, at 100 %, at 150 % (QT_SCALE_FACTOR) and
with the desktop's text at 125 % and 150 %, light and dark, in English and in Chinese (100 % and 150 %),
over the screenshot tool's demo wallet; and the window can be 1024 px wide on every page. Each run is
its own process: Qt fixes the scale factor when it starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECKER = Path(__file__).with_name("text_fits.py")


@pytest.mark.parametrize(
    ("scale", "font_scale", "lang"),
    [
        ("1", "1", "en"),
        ("1.5", "1", "en"),
        ("1", "1.25", "en"),
        ("1", "1.5", "en"),
        ("1", "1", "zh_CN"),
        ("1.5", "1", "zh_CN"),
    ],
    ids=["100%", "150%-screen", "125%-text", "150%-text", "zh_CN-100%", "zh_CN-150%-screen"],
)
def test_no_text_is_clipped_on_any_page(scale: str, font_scale: str, lang: str, tmp_path: Path) -> None:
    env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    env["TOKENWALLET_HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [sys.executable, str(CHECKER), "--width", "1024", "--height", "768", "--themes", "light,dark",
         "--font-scale", font_scale, "--lang", lang, "--home", str(tmp_path / "home")],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    clipped = [line for line in result.stdout.splitlines() if line.strip()]
    assert result.returncode == 0 and not clipped, "\n".join(clipped) or result.stderr[-3000:]
