"""Start metering at login: an XDG autostart entry on Linux, plain instructions elsewhere.

The entry runs ``tokenwallet serve`` (headless metering) for this wallet, so calls are metered even
before the window is opened; the window attaches to it when opened.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from tokenwallet.gui.i18n import tr

ENTRY_NAME = "tokenwallet-serve.desktop"


def autostart_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart"


def supported() -> bool:
    return sys.platform.startswith("linux")


def explanation() -> str:
    """What 'start at login' does on this platform, in one paragraph."""
    if supported():
        return tr(
            "Writes {value}: your desktop runs 'tokenwallet serve' at login, so calls are metered "
            "even before this window opens. Untick to remove it."
        ).format(value=autostart_dir() / ENTRY_NAME)
    if sys.platform == "darwin":
        return tr(
            "On macOS add 'tokenwallet serve' as a Login Item (System Settings → General → Login Items) "
            "or a launchd agent; Token Wallet does not change your login items itself."
        )
    return tr(
        "On Windows put a shortcut to 'tokenwallet serve' in shell:startup (Win+R, type shell:startup); "
        "Token Wallet does not change your startup folder itself."
    )


def command(data_dir: Path) -> str:
    exe = shlex.quote(sys.executable)
    # In the PyInstaller bundle sys.executable is the tokenwallet executable itself, not Python.
    run = exe if getattr(sys, "frozen", False) else f"{exe} -m tokenwallet"
    return f"{run} serve --data-dir {shlex.quote(str(data_dir))}"


def is_enabled(directory: Path | None = None) -> bool:
    return ((directory or autostart_dir()) / ENTRY_NAME).exists()


def set_enabled(enabled: bool, data_dir: Path, directory: Path | None = None) -> Path:
    """Write or remove the autostart entry; returns its path."""
    folder = directory or autostart_dir()
    path = folder / ENTRY_NAME
    if not enabled:
        path.unlink(missing_ok=True)
        return path
    folder.mkdir(parents=True, exist_ok=True)
    text = (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Token Wallet meter\n"
        "Comment=Meter AI token spend (local proxy)\n"
        f"Exec={command(data_dir)}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # never a half-written entry
    return path
