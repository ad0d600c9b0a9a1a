"""The app's icons from resources/icons (SVG, rendered by Qt's svg image plugin).

The sidebar uses Lucide icons (ISC license, resources/icons/lucide/LICENSE): line drawings whose
stroke is ``currentColor``, so one file serves both palettes, tinted here when drawn.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap

from tokenwallet.resources import resource_path

# sidebar page key -> Lucide icon name
PAGE_ICONS = {
    "dashboard": "layout-dashboard",
    "meter": "activity",
    "preview": "calculator",
    "wallet": "wallet",
    "connect": "plug",
    "history": "history",
    "reconcile": "scale",
    "household": "house",
    "clients": "briefcase",
    "settings": "settings",
}


def app_icon(*, paused: bool = False) -> QIcon:
    name = "tokenwallet-paused.svg" if paused else "tokenwallet.svg"
    path = resource_path("icons", name)
    return QIcon(str(path)) if path.exists() else QIcon()


@cache
def _svg(name: str) -> str:
    path = resource_path("icons", "lucide", f"{name}.svg")
    return path.read_text(encoding="utf-8") if path.exists() else ""


def tinted(name: str, color: str, size: int = 20, selected: str | None = None) -> QIcon:
    """A Lucide icon drawn in ``color`` (and ``selected`` for the highlighted row), crisp at 2x."""
    from PySide6.QtSvg import QSvgRenderer  # loaded after the window's first paint (see MainWindow)

    icon = QIcon()
    for mode, tint in ((QIcon.Mode.Normal, color), (QIcon.Mode.Selected, selected or color)):
        text = _svg(name)
        if not text:
            return QIcon()
        renderer = QSvgRenderer(QByteArray(text.replace("currentColor", tint).encode()))
        for scale in (1, 2):
            pixmap = QPixmap(size * scale, size * scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter)
            painter.end()
            pixmap.setDevicePixelRatio(scale)
            icon.addPixmap(pixmap, mode)
    return icon


def page_icon(key: str, color: str, selected: str) -> QIcon:
    name = PAGE_ICONS.get(key)
    return tinted(name, color, selected=selected) if name else QIcon()
