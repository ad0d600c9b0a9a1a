"""The desktop app's translations: Qt's own system (``.ts`` → ``.qm`` in resources/i18n).

Every visible string goes through :func:`tr` (one context for the whole app, so a phrase is
translated once however many pages show it; ``pyside6-lupdate`` extracts bare ``tr("…")`` calls).
Text that is made before the application exists (module constants, tables) is marked with
:func:`QT_TR_NOOP` and passed through :func:`tr` where it is shown. Placeholders are ``{name}``
(``str.format`` after translation) so a translator sees whole sentences; ``%n`` is Qt's plural count.

Which language is :func:`tokenwallet.core.language.current`'s rule; :func:`install` loads it
before any widget exists, and :func:`uninstall` puts English back (the tests switch both ways).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from tokenwallet.core import language
from tokenwallet.resources import resource_path

CONTEXT = ""  # what lupdate gives a bare tr() call
LOCALES = {language.ENGLISH: QLocale.Language.English, language.CHINESE: QLocale.Language.Chinese}
COUNTRIES = {language.ENGLISH: QLocale.Country.UnitedStates, language.CHINESE: QLocale.Country.China}

_installed: list[QTranslator] = []
_state = {"current": language.ENGLISH}  # what install() loaded last


def tr(text: str, comment: str | None = None, n: int = -1) -> str:
    """``text`` in the app's language; ``%n`` in it becomes ``n`` (and picks the plural form)."""
    return QCoreApplication.translate(CONTEXT, text, comment, n)


def QT_TR_NOOP(text: str) -> str:  # the name lupdate looks for
    """Mark ``text`` for extraction only: translated later, by :func:`tr`, where it is shown."""
    return text


def qm_file(lang: str) -> Path:
    return resource_path("i18n", f"tokenwallet_{lang}.qm")


def current() -> str:
    """The language installed now (``en`` or ``zh_CN``)."""
    return _state["current"]


def install(lang: str) -> bool:
    """Load ``lang``'s translations into the running application (English needs none).

    Also Qt's own (the standard dialogs' buttons) and the default QLocale, for numbers and dates.
    Returns False when the app's .qm cannot be loaded (the app then stays in English).
    """
    uninstall()
    if lang == language.ENGLISH:
        return True
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install translations after the QApplication exists")
    mine = QTranslator(app)
    if not mine.load(str(qm_file(lang))):
        return False
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        QCoreApplication.installTranslator(qt_own)
        _installed.append(qt_own)
    QCoreApplication.installTranslator(mine)
    _installed.append(mine)
    QLocale.setDefault(QLocale(LOCALES[lang], COUNTRIES[lang]))
    _state["current"] = lang
    return True


def uninstall() -> None:
    """Back to English: remove what :func:`install` loaded."""
    while _installed:
        QCoreApplication.removeTranslator(_installed.pop())
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    _state["current"] = language.ENGLISH
