"""The app's icons from resources/icons (SVG, rendered by Qt's svg image plugin)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from tokenwallet.resources import resource_path


def app_icon(*, paused: bool = False) -> QIcon:
    name = "tokenwallet-paused.svg" if paused else "tokenwallet.svg"
    path = resource_path("icons", name)
    return QIcon(str(path)) if path.exists() else QIcon()
