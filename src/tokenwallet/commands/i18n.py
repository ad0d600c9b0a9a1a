"""The CLI's language: its gettext catalog and Babel's dates and numbers for that language.

Which language is ``tokenwallet.core.language``'s rule (shared with the app); ``use`` loads it once
per command, before the parser is built, since help texts are translated when they are added.
Strings are marked ``_("…")`` (translated now) or ``N_("…")`` (only marked: a table of words
translated later with ``_``); ``tools/i18n_cli.py`` extracts them into ``resources/i18n``.

argparse's own words (``usage:``, ``options``, its error messages) come from the module globals
``argparse._`` and ``argparse.ngettext`` (``gettext.gettext``, which reads the process locale,
not our rule); ``use`` points them at our catalog, which carries argparse's messages too
(``commands/argparse_words.py``). JSON output never goes through here: it is for scripts.
"""

from __future__ import annotations

import argparse
import gettext
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from tokenwallet.core import language
from tokenwallet.resources import resource_path

DOMAIN = "tokenwallet"
# Babel's locale for each language we ship.
BABEL_LOCALES = {language.ENGLISH: "en_US", language.CHINESE: "zh_CN"}

_state: dict[str, gettext.NullTranslations | str] = {
    "translations": gettext.NullTranslations(),
    "language": language.ENGLISH,
}


def locale_dir() -> Path:
    return resource_path("i18n")


def catalog_file(lang: str) -> Path:
    return locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def load(lang: str) -> gettext.NullTranslations:
    """The compiled catalog for ``lang``; English is the sources themselves."""
    if lang == language.ENGLISH:
        return gettext.NullTranslations()
    with catalog_file(lang).open("rb") as fh:
        return gettext.GNUTranslations(fh)


def use(lang: str) -> None:
    """Speak ``lang`` (``en`` or ``zh_CN``) from now on, argparse included."""
    translations = load(lang)
    _state["translations"] = translations
    _state["language"] = lang
    # argparse looks these module globals up at call time (``from gettext import gettext as _``).
    setattr(argparse, "_", translations.gettext)  # noqa: B010 - no public hook for argparse's words
    setattr(argparse, "ngettext", translations.ngettext)  # noqa: B010


def current() -> str:
    lang = _state["language"]
    assert isinstance(lang, str)
    return lang


def _translations() -> gettext.NullTranslations:
    t = _state["translations"]
    assert isinstance(t, gettext.NullTranslations)
    return t


def _(message: str) -> str:
    """``message`` in the current language (the English source when there is no translation)."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet (tables built at import time)."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for the catalog (translated later with ``ngettext``)."""
    return singular, plural


# ------------------------------------------------------------------------------ Babel formats


def number(value: int | Decimal) -> str:
    """A count with the locale's grouping (``1,234,567``; the same digits in zh_CN)."""
    if current() == language.ENGLISH:
        return f"{value:,}"
    from babel.numbers import format_decimal

    return format_decimal(value, locale=BABEL_LOCALES[current()])


def day(value: date) -> str:
    """A day: ISO in English (``2026-11-29``, what scripts and tests read), ``2026年11月29日`` in Chinese."""
    if current() == language.ENGLISH:
        return value.isoformat()
    from babel.dates import format_date

    return format_date(value, format="long", locale=BABEL_LOCALES[current()])


def short_day(value: date) -> str:
    """A day in a table: ``Nov 01`` in English, ``11月1日`` in Chinese (Babel's ``MMMd`` skeleton)."""
    if current() == language.ENGLISH:
        return value.strftime("%b %d")
    from babel.dates import format_skeleton

    return format_skeleton("MMMd", value, locale=BABEL_LOCALES[current()])


def moment(value: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A local date and time: ``pattern`` in English, Babel's short zh_CN form (``2026/11/29 14:05``)."""
    if current() == language.ENGLISH:
        return value.strftime(pattern)
    from babel.dates import format_datetime

    return format_datetime(value, format="short", locale=BABEL_LOCALES[current()])
