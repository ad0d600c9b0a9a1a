"""Profiles & budgets page: tabs for profiles, projects/clients, budgets and money movements."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from tokenwallet.gui.i18n import tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.views.manage_budgets import BudgetsTab, MoneyTab
from tokenwallet.gui.views.manage_people import ProfilesTab, ProjectsTab


class ManagePage(QWidget):
    """Wallet management: every edit validated, saved whole or not at all."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.profiles = ProfilesTab(session)
        self.projects = ProjectsTab(session)
        self.budgets = BudgetsTab(session)
        self.money = MoneyTab(session)
        self.tabs.addTab(self.profiles, tr("Profiles"))
        self.tabs.addTab(self.projects, tr("Projects && clients"))
        self.tabs.addTab(self.budgets, tr("Budgets"))
        self.tabs.addTab(self.money, tr("Top-ups && transfers"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
