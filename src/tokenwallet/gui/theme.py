"""The window's look in one place: a spacing scale, a type scale, light and dark palettes.

Widgets do not pick colours: they name a *role* (``set_role(label, "muted")``) and the one
application style sheet built here colours every role for the current palette, so switching
between light and dark restyles every open page at once. ``"system"`` follows the desktop's
colour scheme (Qt 6.5+ ``QStyleHints.colorScheme``) and changes with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleFactory, QWidget

from tokenwallet.resources import resource_path

CHOICES = ("system", "light", "dark")

# spacing scale (px at 100 %): every margin and gap in the pages is one of these
SPACE_XS, SPACE_S, SPACE_M, SPACE_L, SPACE_XL = 4, 8, 12, 16, 24
# type scale, as a factor of the desktop's body font: caption < body < title < headline
TYPE_SCALE = {"caption": 0.9, "body": 1.0, "title": 1.15, "headline": 1.45}
FORM_WIDTH = 420  # a form's fields never grow wider than this: names and amounts are short


@dataclass(frozen=True)
class Palette:
    name: str
    window: str
    surface: str  # cards, tables, fields
    raised: str  # the top bar, buttons, alternate rows
    border: str
    text: str
    muted: str
    accent: str
    on_accent: str
    ok: str
    warn: str
    danger: str
    info_bg: str
    warn_bg: str
    danger_bg: str
    chart: tuple[str, ...]


LIGHT = Palette(
    "light", window="#f6f8fa", surface="#ffffff", raised="#eef1f4", border="#d0d7de", text="#1f2328",
    muted="#57606a", accent="#0969da", on_accent="#ffffff", ok="#1a7f37", warn="#9a6700",
    danger="#cf222e", info_bg="#ddf4ff", warn_bg="#fff8c5", danger_bg="#ffebe9",
    chart=("#1f6feb", "#2da44e", "#d4a72c", "#cf222e", "#8250df", "#1b7c83", "#8c959f"),
)  # fmt: skip
DARK = Palette(
    "dark", window="#1c2128", surface="#22272e", raised="#2d333b", border="#444c56", text="#e6edf3",
    muted="#9ea7b3", accent="#4493f8", on_accent="#ffffff", ok="#3fb950", warn="#d29922",
    danger="#f85149", info_bg="#1d3047", warn_bg="#3b2e14", danger_bg="#3d1d20",
    chart=("#4493f8", "#3fb950", "#d29922", "#f85149", "#a371f7", "#39c5cf", "#9ea7b3"),
)  # fmt: skip


class _State(QObject):
    """Signals: changed(): the palette was switched (charts and icons redraw themselves)."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.choice = "system"
        self.palette = LIGHT
        self.hooked = False
        self.style: QStyle | None = None


_STATE: list[_State] = []  # created with the first call, after the QApplication


def state() -> _State:
    if not _STATE:
        _STATE.append(_State())
    return _STATE[0]


def current() -> Palette:
    return state().palette


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def resolve(choice: str) -> Palette:
    if choice == "dark":
        return DARK
    if choice == "light":
        return LIGHT
    return DARK if system_is_dark() else LIGHT


def qpalette(p: Palette) -> QPalette:
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, value in (
        (roles.Window, p.window), (roles.WindowText, p.text), (roles.Base, p.surface),
        (roles.AlternateBase, p.raised), (roles.Text, p.text), (roles.Button, p.raised),
        (roles.ButtonText, p.text), (roles.ToolTipBase, p.surface), (roles.ToolTipText, p.text),
        (roles.PlaceholderText, p.muted), (roles.Highlight, p.accent), (roles.HighlightedText, p.on_accent),
        (roles.Link, p.accent), (roles.Mid, p.border), (roles.Midlight, p.raised), (roles.Dark, p.border),
        (roles.Light, p.surface), (roles.Shadow, p.border), (roles.BrightText, p.danger),
    ):  # fmt: skip
        pal.setColor(role, QColor(value))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(p.muted))
    return pal


def font_px(level: str) -> int:
    """The type scale in pixels for the app's current body font."""
    base = QApplication.font()
    size = base.pixelSize() if base.pixelSize() > 0 else round(base.pointSizeF() * 96 / 72)
    return round(size * TYPE_SCALE[level])


def style_sheet(p: Palette) -> str:
    check = resource_path("icons", "lucide", "check-white.svg").as_posix()
    title, headline, caption = font_px("title"), font_px("headline"), font_px("caption")
    return f"""
QWidget#topbar {{ background:{p.raised}; border-bottom:1px solid {p.border}; }}
QLabel#apptitle {{ font-size:{headline}px; font-weight:600; }}
QListWidget#nav {{ background:{p.surface}; border:1px solid {p.border}; border-radius:6px;
  padding:{SPACE_XS}px; }}
QListWidget#nav::item {{ padding:{SPACE_S}px {SPACE_S}px; border-radius:4px; }}
QListWidget#nav::item:selected {{ background:{p.accent}; color:{p.on_accent}; }}
QWidget#chartcard {{ background:{p.surface}; border:1px solid {p.border}; border-radius:6px; }}
QFrame#card, QFrame#plancard {{ background:{p.surface}; border:1px solid {p.border}; border-radius:8px; }}
QLabel[tw="title"] {{ font-size:{title}px; font-weight:600; }}
QLabel[tw="headline"] {{ font-size:{headline}px; font-weight:600; }}
QLabel[tw="lead"] {{ font-size:{title}px; }}
QLabel[tw="muted"] {{ color:{p.muted}; }}
QLabel[tw="caption"] {{ color:{p.muted}; font-size:{caption}px; }}
QLabel[tw="ok"] {{ color:{p.ok}; }}
QLabel[tw="warn"] {{ color:{p.warn}; font-weight:600; }}
QLabel[tw="danger"] {{ color:{p.danger}; font-weight:600; }}
QLabel[tw="empty"] {{ color:{p.muted}; padding:{SPACE_L}px; }}
QFrame[notice="warn"] {{ background:{p.warn_bg}; border:1px solid {p.warn}; border-radius:6px; }}
QFrame[notice="refused"] {{ background:{p.danger_bg}; border:1px solid {p.danger}; border-radius:6px; }}
QFrame[notice="info"] {{ background:{p.info_bg}; border:1px solid {p.accent}; border-radius:6px; }}
QProgressBar {{ border:1px solid {p.border}; border-radius:4px; background:{p.raised}; text-align:center; }}
QProgressBar::chunk {{ background:{p.ok}; border-radius:3px; }}
QProgressBar[level="warn"]::chunk {{ background:{p.warn}; }}
QProgressBar[level="danger"]::chunk {{ background:{p.danger}; }}
QGroupBox {{ font-weight:600; border:1px solid {p.border}; border-radius:6px; margin-top:{SPACE_M}px;
  padding-top:{SPACE_S}px; }}
QGroupBox::title {{ subcontrol-origin:margin; left:{SPACE_S}px; padding:0 {SPACE_XS}px; }}
QHeaderView::section {{ background:{p.raised}; color:{p.text}; border:none;
  border-right:1px solid {p.border}; border-bottom:1px solid {p.border}; padding:{SPACE_XS}px {SPACE_S}px; }}
QTableView {{ gridline-color:{p.border}; }}
QCheckBox::indicator {{ width:14px; height:14px; border:1px solid {p.muted}; border-radius:3px;
  background:{p.surface}; }}
QCheckBox::indicator:checked {{ background:{p.accent}; border-color:{p.accent}; image:url({check}); }}
QCheckBox::indicator:disabled {{ border-color:{p.border}; background:{p.raised}; }}
QToolTip {{ background:{p.surface}; color:{p.text}; border:1px solid {p.border}; }}
"""


def set_role(widget: QWidget, role: str) -> None:
    """Give a label a role of the type scale or a colour (``muted``, ``danger`` …), restyled live."""
    widget.setProperty("tw", role)
    repolish(widget)


def set_level(widget: QWidget, name: str, value: str) -> None:
    """Set a styled dynamic property (a gauge's ``level``, a notice's kind) and restyle the widget."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        repolish(widget)


def repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def apply(app: QApplication, choice: str = "system") -> Palette:
    """Style the application for ``choice`` (system, light or dark); returns the palette used."""
    s = state()
    s.choice = choice if choice in CHOICES else "system"
    if not s.hooked:  # "system" follows the desktop when it switches between light and dark
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: _follow(app))
        s.hooked = True
    p = resolve(s.choice)
    if s.style is None:  # Fusion draws with our palettes the same on every desktop
        s.style = QStyleFactory.create("Fusion")
        if s.style is not None:
            app.setStyle(s.style)
    app.setPalette(qpalette(p))
    app.setStyleSheet(style_sheet(p))
    changed = p is not s.palette
    s.palette = p
    if changed:
        s.changed.emit()
    return p


def _follow(app: QApplication) -> None:
    if state().choice == "system":
        apply(app, "system")
