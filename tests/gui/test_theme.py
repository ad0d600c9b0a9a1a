"""The theme: light and dark palettes on the whole application, roles restyled live, the Settings
choice stored in the wallet, and one money rule in every view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tokenwallet.gui import theme

from .conftest import App


@pytest.fixture
def qapp_theme(qtbot: QtBot) -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        yield app
    finally:
        theme.apply(app, "system")  # the other tests see the default again


def window_color(app: QApplication) -> str:
    return str(app.palette().color(QPalette.ColorRole.Window).name())


def test_light_and_dark_palettes_apply_to_the_application(qapp_theme: QApplication) -> None:
    assert theme.apply(qapp_theme, "dark") is theme.DARK
    assert window_color(qapp_theme) == theme.DARK.window
    fusion = theme.state().style
    assert fusion is not None and fusion.name().lower() == "fusion"
    assert theme.apply(qapp_theme, "light") is theme.LIGHT
    assert window_color(qapp_theme) == theme.LIGHT.window
    # "system" follows the desktop's colour scheme (Qt 6.5+ QStyleHints.colorScheme)
    assert theme.apply(qapp_theme, "system") is (theme.DARK if theme.system_is_dark() else theme.LIGHT)
    assert theme.apply(qapp_theme, "nonsense") is theme.resolve("system")


def test_a_role_is_restyled_when_the_theme_switches(qtbot: QtBot, qapp_theme: QApplication) -> None:
    label = QLabel("projected month spend $6.56")
    qtbot.addWidget(label)
    theme.apply(qapp_theme, "light")
    theme.set_role(label, "muted")
    label.show()
    assert label.palette().color(QPalette.ColorRole.WindowText).name() == theme.LIGHT.muted
    changed: list[bool] = []
    theme.state().changed.connect(lambda: changed.append(True))
    theme.apply(qapp_theme, "dark")
    qtbot.waitUntil(lambda: label.palette().color(QPalette.ColorRole.WindowText).name() == theme.DARK.muted)
    assert changed  # charts and sidebar icons redraw on this signal


def test_settings_choice_switches_at_once_and_is_kept_in_the_wallet(
    app: App, qapp_theme: QApplication
) -> None:
    page = app.page("settings")
    page.theme_box.setCurrentIndex(page.theme_box.findData("dark"))
    assert window_color(qapp_theme) == theme.DARK.window
    assert app.wallet.get_setting("theme") == "dark"
    page.theme_box.setCurrentIndex(page.theme_box.findData("light"))
    assert window_color(qapp_theme) == theme.LIGHT.window
    assert app.wallet.get_setting("theme") == "light"
    nav_icon = app.window.nav.item(0).icon()
    assert not nav_icon.isNull()  # the Lucide icons ship in resources/ and are drawn


def test_views_show_money_by_the_one_rule(app: App) -> None:
    """The dashboard headline, a budget card and the live meter all format through format_usd."""
    from tokenwallet.core.money import format_usd, parse_amount
    from tokenwallet.wallet.types import Scope

    app.wallet.set_budget(Scope("wallet"), parse_amount("$0.50"), period="month", action="warn")
    app.session.notify_changed()
    dash = app.page("dashboard")
    app.qtbot.waitUntil(lambda: bool(dash.cards) and dash.cards[0].isVisible(), timeout=5000)
    assert "$0.50" in dash.cards[0].amounts.text()
    assert format_usd(500_000_000) == app.session.display.money(500_000_000) == "$0.50"
    assert app.session.display.money(5_500_000) == "$0.0055"
