"""The app icon for Windows (.ico) and macOS (.icns), drawn from resources/icons/tokenwallet.svg
with Qt at build time, so no bitmap icon is kept in the repository."""

from __future__ import annotations

from pathlib import Path

FORMATS = {"win32": "ico", "darwin": "icns"}
SIZE = 256


def make_icons(svg: Path, out_dir: Path, platforms: tuple[str, ...] = tuple(FORMATS)) -> dict[str, str]:
    """``{sys.platform: icon path}`` for those of ``platforms`` whose icon Qt could write (Linux
    needs none: the desktop entry names the SVG)."""
    if not any(p in FORMATS for p in platforms):
        return {}
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    del app  # only needed alive while painting; Qt keeps the instance
    out_dir.mkdir(parents=True, exist_ok=True)
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    made: dict[str, str] = {}
    supported = {bytes(f.data()).decode() for f in QImageWriter.supportedImageFormats()}
    for platform, fmt in FORMATS.items():
        if platform not in platforms or fmt not in supported:
            continue
        path = out_dir / f"tokenwallet.{fmt}"
        if image.save(str(path), fmt):
            made[platform] = str(path)
    return made
