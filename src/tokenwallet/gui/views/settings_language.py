"""The language choice on the Settings page: follow the system, English or 简体中文.

Kept with :func:`tokenwallet.core.language.choose` in the data folder (where the CLI reads it too);
the window is built in one language, so the choice applies from the next start.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from tokenwallet.core import language
from tokenwallet.gui import i18n
from tokenwallet.gui.i18n import tr

# Each language by its own name, so a user who cannot read the current one still finds theirs.
CHOICES = ((language.ENGLISH, "English"), (language.CHINESE, "简体中文"))
# Said in the language just chosen, as well as in the current one: that is the one the user reads.
RESTART_IN = {
    language.ENGLISH: "Restart Token Wallet to see it in English.",
    language.CHINESE: "重启 Token Wallet 后界面切换为简体中文。",
}


class LanguageBox(QComboBox):
    """``auto`` / ``en`` / ``zh_CN`` as item data; emits ``saved(message)`` or ``failed(message)``."""

    saved = Signal(str)
    failed = Signal(str)

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.addItem(tr("follow the system"), language.AUTO)
        for key, name in CHOICES:
            self.addItem(name, key)
        self.setToolTip(
            tr(
                "The language of this window and of the tokenwallet command; the environment "
                "variable {env} overrides it."
            ).format(env=language.ENV)
        )
        self.setCurrentIndex(max(0, self.findData(language.chosen(data_dir))))
        self.currentIndexChanged.connect(lambda _i: self.choose())

    def choose(self) -> None:
        key = str(self.currentData())
        try:
            language.choose(self.data_dir, key)
        except (OSError, ValueError) as exc:
            self.failed.emit(tr("Not saved: {exc}").format(exc=exc))
            return
        target = language.current(self.data_dir)
        forced = os.environ.get(language.ENV, "")
        if language.normalise(forced) and key not in (language.AUTO, target):
            self.saved.emit(
                tr("Saved, but {env}={value} is set here: it decides the language while it is set.").format(
                    env=language.ENV, value=forced
                )
            )
            return
        if target == i18n.current():
            self.saved.emit(tr("Saved."))
            return
        message = tr("Saved: the new language applies when Token Wallet restarts.")
        self.saved.emit(f"{message} {RESTART_IN[target]}")
