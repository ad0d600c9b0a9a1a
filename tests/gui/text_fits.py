"""Does every text in the window fit its widget? Walks every page (and every tab of a page) of a
window over the screenshot tool's demo wallet, in light and dark, and lists each label, button,
check box, combo box, group title and table header whose text is wider than the room it has.

Run in its own process (the scale factor is fixed when Qt starts):

    QT_SCALE_FACTOR=1.5 python tests/gui/text_fits.py --width 1024 --height 768

Prints one line per clipped text and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tools")]

from PySide6.QtCore import Qt  # noqa: E402 - after the sys.path lines above
from PySide6.QtGui import Qt as GuiQt  # noqa: E402 - mightBeRichText lives in QtGui
from PySide6.QtGui import QTextDocument  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QTabWidget,
    QWidget,
)

SLACK = 1  # px: rounding at fractional scale factors


def label_problem(label: QLabel) -> str | None:
    text = label.text()
    room = label.contentsRect()
    if not text or room.width() <= 0:
        return None
    if label.wordWrap():  # heightForWidth takes and gives the whole widget's size, padding included
        need = label.heightForWidth(label.width())
        return f"needs {need} px of height, has {label.height()}" if need > label.height() + SLACK else None
    if GuiQt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        width = int(doc.idealWidth() + 0.999)
    else:
        width = max(label.fontMetrics().horizontalAdvance(line) for line in text.splitlines())
    return f"needs {width} px, has {room.width()}" if width > room.width() + SLACK else None


def button_problem(button: QAbstractButton) -> str | None:
    # a button or check box squeezed below its size hint clips its text
    if not button.text():
        return None
    need = button.sizeHint().width()
    return f"needs {need} px, has {button.width()}" if need > button.width() + SLACK else None


def combo_problem(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text:
        return None
    opt = QStyleOptionComboBox()
    combo.initStyleOption(opt)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    need = combo.fontMetrics().horizontalAdvance(text)
    return f"needs {need} px, has {field.width()}" if need > field.width() + SLACK else None


def header_problems(table: QTableView) -> list[str]:
    header = table.horizontalHeader()
    model = table.model()
    if model is None or not header.isVisible():
        return []
    out = []
    for col in range(header.count()):
        if header.isSectionHidden(col):
            continue
        title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        need = header.fontMetrics().horizontalAdvance(title) + 8  # the style's padding, both sides
        if title and need > header.sectionSize(col) + SLACK:
            out.append(f"header {title!r} needs {need} px, has {header.sectionSize(col)}")
    return out


def scrolled(w: QWidget) -> bool:
    """Inside a scroll area's viewport: out of view there is scrolled to, not cut off."""
    parent = w.parentWidget()
    while parent is not None:
        if (
            isinstance(parent.parentWidget(), QAbstractScrollArea)
            and parent.objectName() == "qt_scrollarea_viewport"
        ):
            return True
        parent = parent.parentWidget()
    return False


def problems(root: QWidget, where: str) -> list[str]:
    out: list[str] = []
    window = root.window()
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or w.width() <= 0:
            continue
        right = w.mapTo(window, w.rect().topRight()).x()
        if right > window.width() + SLACK and not scrolled(w) and not w.isWindow():
            out.append(
                f"{where}: {type(w).__name__} {w.objectName()!r} ends at x={right}, past the window's edge"
            )
            continue
        what: str | None = None
        if isinstance(w, QLabel):
            what = label_problem(w)
        elif isinstance(w, QAbstractButton) and (isinstance(w, QCheckBox) or w.text()):
            what = button_problem(w)
        elif isinstance(w, QComboBox) and not w.isEditable():
            what = combo_problem(w)
        elif isinstance(w, QGroupBox) and w.title():
            need = w.fontMetrics().horizontalAdvance(w.title()) + 16
            what = f"title {w.title()!r} needs {need} px, has {w.width()}" if need > w.width() else None
        elif isinstance(w, QTableView):
            out += [f"{where}: {type(w).__name__} {p}" for p in header_problems(w)]
        if what:
            text = w.text() if isinstance(w, QLabel | QAbstractButton) else getattr(w, "currentText", str)()
            out.append(f"{where}: {type(w).__name__} {text[:60]!r} {what}")
    return out


def settle(app: QApplication, ms: int = 300) -> None:
    from tokenwallet.gui.workers import pending_tasks

    end = time.monotonic() + 15
    while pending_tasks() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    stop = time.monotonic() + ms / 1000
    while time.monotonic() < stop:
        app.processEvents()
        time.sleep(0.01)


def check(
    home: Path, width: int, height: int, themes: list[str], font_scale: float = 1.0, *, lang: str = "en"
) -> list[str]:
    import screenshots as demo

    from tokenwallet.gui import i18n, theme
    from tokenwallet.gui.app import build, ensure_app
    from tokenwallet.gui.mainwindow import PAGES
    from tokenwallet.secrets import MemoryKeyStore

    demo.build_demo(home)
    app = ensure_app([])
    i18n.install(lang)
    if font_scale != 1.0:  # large text: the desktop's font setting rather than the whole screen's scale
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * font_scale)
        app.setFont(font)
    session, window = build(home, keystore=MemoryKeyStore({"openai": "sk-demo"}), use_tray=False, port=0)
    found: list[str] = []
    try:
        demo.add_billing_demo(session.wallet, home)
        session.notify_changed()
        window.resize(width, height)
        window.show()
        settle(app, 500)
        for name in themes:
            theme.apply(app, name)
            for key, _title in PAGES:
                page = window.show_page(key)
                window.resize(width, height)
                settle(app)
                if window.width() > width:
                    found.append(
                        f"{name} {key}: the window cannot be {width} px wide (it is {window.width()})"
                    )
                found += problems(window, f"{name} {key}")
                for tabs in page.findChildren(QTabWidget):
                    for i in range(tabs.count()):
                        tabs.setCurrentIndex(i)
                        settle(app, 150)
                        found += problems(tabs.widget(i), f"{name} {key} / {tabs.tabText(i)}")
                    tabs.setCurrentIndex(0)
    finally:
        window.hide()
        session.close()
    return sorted(set(found))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--height", type=int, default=768)
    parser.add_argument("--themes", default="light,dark")
    parser.add_argument("--font-scale", type=float, default=1.0)
    parser.add_argument("--lang", default="en", choices=("en", "zh_CN"))
    parser.add_argument(
        "--home", type=Path, help="the demo wallet's directory (default: a new temporary one)"
    )
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="tw-fits-"))
    found = check(home, args.width, args.height, args.themes.split(","), args.font_scale, lang=args.lang)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
