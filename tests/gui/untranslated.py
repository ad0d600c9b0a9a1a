"""Is any visible text of the app left in English under zh_CN? Builds the window over the screenshot
tool's demo wallet in the language asked for, walks every page (and every tab of a page), the
welcome at each step, the tray menu and the dialogs that open without blocking, and lists each text
a user would read (labels, buttons, group titles, tab titles, combo items, placeholders, tool tips,
menu entries, table headers and cells, window titles) that is in the other language:

- ``--lang zh_CN``: text with Latin words and no Chinese character, once the names the app must
  not translate (models, providers, products, units, the demo's people and projects, URLs, paths,
  commands) are taken out;
- ``--lang en``: text with a Chinese character.

Run in its own process (translators and the default locale are process-wide):

    python tests/gui/untranslated.py --lang zh_CN

Prints one line per text and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tools")]

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, Qt  # noqa: E402 - after the sys.path lines above
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# What stays as it is in a Chinese interface. Names (products, providers, tools, formats, units),
# then shapes: URLs, paths and file names, model-like tokens (gpt-4o-mini, openai/gpt-4o,
# tier:small, *opus*), commands, keyboard shortcuts.
KEEP_WORDS = (
    "Token Wallet", "OpenAI", "Anthropic", "Gemini", "Google", "Ollama", "LM Studio", "DeepSeek",
    "OpenRouter", "Mistral", "Claude Code", "Claude", "Codex CLI", "Codex", "Gemini CLI", "aider",
    "llm", "Qwen", "Kimi", "Moonshot", "Zhipu", "GLM", "Doubao", "ecologits", "PostgreSQL", "ntfy",
    "Python", "Node", "SDK", "API", "CSV", "PDF", "USD", "CNY", "EUR", "UTC", "CO₂e", "CO₂", "kWh",
    "Wh", "PIN", "HTTP", "ms", "GPU", "ISO", "URL", "km", "EV", "Ctrl", "Shift", "Alt", "OK",
    "tokenwallet", "curl", "Bearer", "ID", "FRA", "USA", "WOR", "EEE", "openai", "anthropic",
    "gemini", "ollama", "lmstudio", "deepseek", "openrouter", "mistral", "Simon Willison", "English",
    "tokens", "Tokens", "token", "mWh", "json", "WLTP", "Base URL", "base URL",
)  # fmt: skip
KEEP_SHAPES = (
    r"\w+://\S+",  # URLs
    r"(?:~|\.{0,2}/)[\w.@~/-]+",  # paths
    r"[\w.-]+\.(?:csv|pdf|toml|db|sqlite|py|json|ts|qm|md)\b",  # file names
    r"[\w.*]+(?:[-/:*@_][\w.*]*)+",  # models, profiles and keys: gpt-4o-mini, openai/gpt-4o, tw-…
    r"\b[A-Z][A-Z_]{2,}\b",  # environment variables and codes: OPENAI_API_KEY, EUR
    r"tokenwallet\b[^\n]*",  # a command line
    r"\bF\d+\b",
)


def plain(text: str) -> str:
    """Text without HTML tags and entities."""
    if "<" in text and ">" in text:
        text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(text).replace("&", "")  # & marks a mnemonic in button texts


class Judge:
    """Decides whether a text is in the wrong language."""

    def __init__(self, lang: str, data_words: set[str]) -> None:
        self.lang = lang
        words = sorted(set(KEEP_WORDS) | data_words, key=len, reverse=True)
        self.keep = re.compile(
            "|".join([*(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])" for w in words), *KEEP_SHAPES])
        )

    def wrong(self, text: str) -> bool:
        text = plain(text)
        if self.lang != "zh_CN":
            return bool(CJK.search(text.replace("简体中文", "")))  # the language choice names itself
        if CJK.search(text):
            return False
        return bool(LATIN_WORD.search(self.keep.sub(" ", text)))


def model_texts(model: QAbstractItemModel | None, rows: int = 40) -> Iterator[tuple[str, str]]:
    if model is None:
        return
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
    for col in range(columns):
        yield "header", str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        for row in range(min(rows, model.rowCount())):
            index = model.index(row, col)
            for role, what in (
                (Qt.ItemDataRole.DisplayRole, "cell"),
                (Qt.ItemDataRole.ToolTipRole, "cell tip"),
            ):
                value = model.data(index, role)
                if isinstance(value, str):
                    yield what, value


def menu_texts(menu: QMenu | None) -> Iterator[tuple[str, str]]:
    if menu is None:
        return
    yield "menu title", menu.title()
    for action in menu.actions():
        yield "menu entry", action.text()
        yield from menu_texts(action.menu())


def widget_texts(w: QWidget) -> Iterator[tuple[str, str]]:
    """What a user can read on (or over) one widget."""
    yield "tool tip", w.toolTip()
    if w.isWindow():
        yield "window title", w.windowTitle()
    if isinstance(w, QLabel):
        yield "label", w.text()
    elif isinstance(w, QAbstractButton):
        yield "button", w.text()
        menu = getattr(w, "menu", lambda: None)()
        yield from menu_texts(menu)
    elif isinstance(w, QGroupBox):
        yield "group title", w.title()
    elif isinstance(w, QComboBox):
        for i in range(w.count()):
            yield "combo item", w.itemText(i)
        if w.isEditable() and w.lineEdit() is not None:
            yield "placeholder", w.lineEdit().placeholderText()
    elif isinstance(w, QLineEdit):
        yield "placeholder", w.placeholderText()
    elif isinstance(w, QPlainTextEdit | QTextEdit):
        yield "placeholder", w.placeholderText()  # the text itself is the user's (or code to copy)
    elif isinstance(w, QTabWidget):
        for i in range(w.count()):
            yield "tab", w.tabText(i)
            yield "tab tip", w.tabToolTip(i)
    elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):  # its table's model
        yield from model_texts(w.model())
    for action in w.actions():
        if isinstance(action, QAction):
            yield "action", action.text()


def walk(root: QWidget, where: str, judge: Judge) -> list[str]:
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisibleTo(root.window()) and w is not root:
            continue
        for what, text in widget_texts(w):
            if text and judge.wrong(text):
                out.append(f"{where}: {type(w).__name__} {what}: {text[:120]!r}")
    return out


def demo_projects() -> list[tuple[str, str]]:
    import screenshots

    return list(screenshots.PROJECTS)


def data_words(wallet: object) -> set[str]:
    """The demo's own names (people, projects, clients, plans): data, not interface."""
    from tokenwallet.wallet import Wallet

    assert isinstance(wallet, Wallet)
    words = {p.name for p in wallet.profiles()} | {p.name for p in wallet.projects()}
    words |= {"Alice Example", "ACME Ltd", "Blog & Co", "ACME Corp", "Northwind Traders", "mia", "leo"}
    words |= {"Harbour Lane", "Bristol", "example", "prepaid for the literature review"}
    words |= {c.name for c in wallet.providers()}  # provider names are names
    words |= {contact for _, contact in demo_projects()}
    return words


def check(home: Path, lang: str) -> list[str]:
    import screenshots as demo
    from text_fits import settle

    from tokenwallet.gui import i18n
    from tokenwallet.gui.app import build, ensure_app
    from tokenwallet.gui.firstrun import STEPS
    from tokenwallet.gui.mainwindow import PAGES
    from tokenwallet.gui.tray import Tray
    from tokenwallet.gui.views.billing_pin import PinDialog
    from tokenwallet.gui.views.widgets import KeyDialog
    from tokenwallet.secrets import MemoryKeyStore

    demo.build_demo(home)
    app = ensure_app([])
    if not i18n.install(lang):
        return [f"the {lang} translations cannot be loaded"]
    session, window = build(home, keystore=MemoryKeyStore({"openai": "sk-demo"}), use_tray=False, port=0)
    found: list[str] = []
    try:
        demo.add_billing_demo(session.wallet, home)
        session.notify_changed()
        judge = Judge(lang, data_words(session.wallet))
        window.resize(1280, 800)
        window.show()
        settle(app, 500)
        for key, _title in PAGES:
            page = window.show_page(key)
            if key == "preview":  # a prompt: the token count, the budgets' verdict, the comparison
                page.editor.setPlainText("Summarise the release notes in three sentences.")
                settle(app, 1500)
            settle(app)
            found += walk(window, key, judge)
            for tabs in page.findChildren(QTabWidget):
                for i in range(tabs.count()):
                    tabs.setCurrentIndex(i)
                    settle(app, 150)
                    found += walk(tabs.widget(i), f"{key} / {tabs.tabText(i)}", judge)
                tabs.setCurrentIndex(0)
        # one profile's dashboard: its subscription plans (sam has two in the demo)
        window.profile_box.setCurrentIndex(window.profile_box.findData("sam"))
        window.show_page("dashboard")
        settle(app, 900)
        found += walk(window, "dashboard of sam", judge)
        window.profile_box.setCurrentIndex(0)
        welcome = window.open_welcome("")
        for step in (*STEPS, "done"):
            welcome.go(step)
            settle(app, 150)
            found += walk(welcome, f"welcome {step}", judge)
        welcome.reject()
        tray = Tray(lambda: None, lambda _p: None, lambda: None)
        found += [f"tray: {what}: {text!r}" for what, text in menu_texts(tray.menu) if judge.wrong(text)]
        if judge.wrong(tray.toolTip()):
            found.append(f"tray: tool tip {tray.toolTip()!r}")
        for name, dialog in (
            ("key dialog", KeyDialog("alice", "tw-demo-key", window)),
            ("PIN dialog", PinDialog("change the owner PIN", confirm=True, parent=window)),
        ):
            dialog.show()
            settle(app, 100)
            found += walk(dialog, name, judge)
            dialog.reject()
    finally:
        window.hide()
        session.close()
        i18n.uninstall()
    return sorted(set(found))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    parser.add_argument(
        "--home", type=Path, help="the demo wallet's directory (default: a new temporary one)"
    )
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="tw-lang-"))
    found = check(home, args.lang)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
