"""Which language the app and the CLI speak: English or Simplified Chinese.

One rule for both, so the app and the CLI never disagree: ``$TOKENWALLET_LANG`` first, then the
``language`` file in the data directory (written by ``tokenwallet language set`` and the app's
Settings page; a file, not a wallet setting, because the CLI needs the language before it opens a
wallet, to print its help), then the POSIX locale variables in their order of precedence
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``, and GNU's ``LANGUAGE`` list before them when it is set).
Anything else, or a language we do not ship, is English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV = "TOKENWALLET_LANG"
FILE = "language"
ENGLISH = "en"
CHINESE = "zh_CN"
SHIPPED = (ENGLISH, CHINESE)
AUTO = "auto"


def normalise(text: str) -> str | None:
    """``zh_CN.UTF-8``, ``zh-Hans``, ``zh_SG``, ``zh`` → ``zh_CN``; ``en_GB``, ``C`` → ``en``.

    None for a language we do not ship (the caller goes on to the next source), and for ``auto``.
    Traditional Chinese (``zh_TW``, ``zh_HK``, ``zh-Hant``) is not Simplified: None.
    """
    tag = text.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    if not tag or tag == AUTO:
        return None
    if tag in ("c", "posix") or tag == "en" or tag.startswith("en_"):
        return ENGLISH
    if tag == "zh" or tag in ("zh_cn", "zh_sg", "zh_hans", "zh_hans_cn", "zh_my"):
        return CHINESE
    return None


def from_locale(environ: Mapping[str, str]) -> str:
    """The language the POSIX locale variables ask for (English when none we ship)."""
    # LC_ALL overrides everything. GNU gettext then reads LANGUAGE (a colon list, in order of
    # preference) before LC_MESSAGES/LANG, except under the C locale.
    if environ.get("LC_ALL", "").strip():
        return normalise(environ["LC_ALL"]) or ENGLISH
    messages = environ.get("LC_MESSAGES", "").strip() or environ.get("LANG", "").strip()
    if messages.split(".")[0] not in ("C", "POSIX"):
        for item in environ.get("LANGUAGE", "").split(":"):
            found = normalise(item)
            if found:
                return found
    return normalise(messages) or ENGLISH


def chosen(data_dir: Path | None) -> str:
    """The user's own choice (``auto`` when none): what ``language show`` and Settings display."""
    if data_dir is None:
        return AUTO
    try:
        text = (data_dir / FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeError):
        return AUTO
    return normalise(text) or AUTO


def current(data_dir: Path | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``en`` or ``zh_CN``: the environment override, the user's choice, else the locale."""
    env = os.environ if environ is None else environ
    forced = normalise(env.get(ENV, ""))
    if forced:
        return forced
    choice = chosen(data_dir)
    if choice != AUTO:
        return choice
    return from_locale(env)


def choose(data_dir: Path, language: str) -> str:
    """Keep ``language`` (``en``, ``zh_CN`` or ``auto``) as the user's choice; returns it."""
    from tokenwallet.core import private

    value = AUTO if language.strip().lower() == AUTO else normalise(language)
    if value is None:
        raise ValueError(f"unknown language {language!r}: use one of en, zh_CN, auto")
    target = data_dir / FILE
    if value == AUTO:
        target.unlink(missing_ok=True)
        return AUTO
    private.make_dir(data_dir)
    private.write_text(target, value + "\n")
    return value
