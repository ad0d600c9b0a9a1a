"""The "For" choice of a budget for some models or one provider: a pattern, and optionally one profile.

``ScopeCombo`` (with ``models=True``) offers "Some models…" and "A provider…"; these fields say
which, with the same pattern syntax as ``tokenwallet budget set --model/--provider``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from tokenwallet.core.model_patterns import PatternError, scope_pattern
from tokenwallet.gui.i18n import tr

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.types import Scope

#: ScopeCombo data of the two entries that need these fields.
PER_MODEL = {"model:": "model", "provider:": "provider"}
_HINTS = {
    "model": "anthropic/claude-opus-*, gpt-4o*, openrouter/*/claude-*",
    "provider": "openrouter, anthropic, …",
}


class ModelScopeFields(QWidget):
    """A pattern (models or a provider) and who it counts for (every profile or one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pattern = QLineEdit()
        self.only_for = QComboBox()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.pattern, 1)
        row.addWidget(QLabel(tr("for")))
        row.addWidget(self.only_for)
        self.show_kind(None)

    def reload(self, wallet: Wallet) -> None:
        current = self.only_for.currentData()
        self.only_for.clear()
        self.only_for.addItem(tr("every profile"), "")
        for p in wallet.profiles():
            self.only_for.addItem(p.name, p.name)
        self.only_for.setCurrentIndex(max(0, self.only_for.findData(current)))

    def show_kind(self, kind: str | None) -> None:
        """Enable the fields for a ``model``/``provider`` choice (None: another scope was picked)."""
        self.setEnabled(kind is not None)
        self.pattern.setPlaceholderText(_HINTS.get(kind or "", ""))

    def scope(self, kind: str) -> Scope:
        """The scope typed in; ValueError (one sentence) when the pattern means nothing."""
        from tokenwallet.wallet.types import Scope

        text = self.pattern.text().strip()
        if not text:
            raise ValueError(
                tr("type which {what}, e.g. {example}").format(
                    what=tr("models") if kind == "model" else tr("provider"), example=_HINTS[kind]
                )
            )
        try:
            p = scope_pattern(kind, text)
        except PatternError as exc:
            raise ValueError(str(exc)) from None
        if p.tier is not None:
            raise ValueError(tr("a budget is for models by name or provider, not by tier"))
        return Scope("model" if kind == "model" else "provider", p.text, self.only_for.currentData() or None)

    def select(self, scope: Scope) -> None:
        self.pattern.setText(scope.name or "")
        self.only_for.setCurrentIndex(max(0, self.only_for.findData(scope.profile or "")))
