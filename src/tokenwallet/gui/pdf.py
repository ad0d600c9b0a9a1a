"""PDF files from the billing HTML, with Qt's own writer (QPdfWriter + QTextDocument).

Used by the GUI (export buttons) and by the CLI (``--pdf``): without a running Qt application
one is created on the ``offscreen`` platform when there is no display, so ``tokenwallet invoice
… --pdf`` works over SSH and in CI. Fonts come from the system (fontconfig); A4 with 18 mm
margins, text laid out at 10 pt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from tokenwallet.core import private
from tokenwallet.gui.i18n import tr

RESOLUTION = 300  # dots per inch of the PDF's layout grid (text stays vector)
_apps: list[QApplication] = []  # the application we had to create, kept alive for the process


def ensure_app() -> None:
    """A Qt application for font and layout services (created once, headless when needed)."""
    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # A full QApplication (not only QGuiApplication) so widgets can still be created later in this
    # process, e.g. when the app or a test harness starts after a PDF was written.
    app = QApplication(["tokenwallet"])
    app.setApplicationName("Token Wallet")  # as gui.app.ensure_app names it
    app.setOrganizationName("tokenwallet")
    _apps.append(app)


def write_pdf(html: str, path: Path, *, title: str = "", author: str = "Token Wallet") -> Path:
    """Render ``html`` (the QTextDocument subset) to an A4 PDF at ``path``; returns the path."""
    ensure_app()
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise FileNotFoundError(2, tr("No such directory"), str(path.parent))
    private.prepare(path)  # Qt's writer keeps the mode of the file it overwrites: owner-only
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator(author)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(18, 18, 18, 18),
            QPageLayout.Unit.Millimeter,
        )
    )
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    # Lay the text out on the page's printable width in points, so "10pt" means 10 points on paper.
    rect = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)
    del writer  # finishes and closes the file
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(tr("Qt could not write {path}").format(path=path))
    private.tighten(path)
    return path
