"""The cost preview's prompt box: paste text, or drop a file on it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QPlainTextEdit


def _file_from(mime: QMimeData) -> Path | None:
    for url in mime.urls():
        if url.isLocalFile():
            return Path(url.toLocalFile())
    return None


class PromptEdit(QPlainTextEdit):
    """A text box that also takes a dropped file (handed to ``fileDropped``, not pasted as a path).

    Signals:
        fileDropped(str): a local file was dropped on the box.
    """

    fileDropped = Signal(str)

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if _file_from(e.mimeData()) is not None:
            e.acceptProposedAction()
        else:
            super().dragEnterEvent(e)

    def dropEvent(self, e: QDropEvent) -> None:
        path = _file_from(e.mimeData())
        if path is not None:
            e.acceptProposedAction()
            self.fileDropped.emit(str(path))
        else:
            super().dropEvent(e)
