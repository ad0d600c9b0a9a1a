"""The window in Simplified Chinese: translations complete and current, installed and removed at will,
the language choice kept, and no English left on any page (nor Chinese under English)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from tokenwallet.core import language
from tokenwallet.gui import i18n
from tokenwallet.gui.app import ensure_app
from tokenwallet.gui.display import day_words, month_name
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.words import word

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "tokenwallet_zh_CN.ts"
GUI = ROOT / "src" / "tokenwallet" / "gui"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}|(%n)")
MNEMONIC = re.compile(r"&(?!&|amp;|nbsp;)\w")


@pytest.fixture
def chinese(qtbot: QtBot) -> Iterator[None]:
    ensure_app()
    assert i18n.install(language.CHINESE)
    try:
        yield
    finally:
        i18n.uninstall()


def names(text: str) -> set[str]:
    """The placeholders' names ({amount:,} and {amount} are one), and %n."""
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def messages() -> list[tuple[str, ET.Element]]:
    return [(m.findtext("source") or "", m) for m in ET.parse(TS).iter("message")]


def test_the_checked_in_translations_are_those_of_the_sources() -> None:
    """lupdate over today's sources gives the .ts as checked in; lrelease of it gives the .qm."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n_update.py"), "--check"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_every_message_is_translated_with_its_placeholders_and_shortcut() -> None:
    problems = []
    for source, m in messages():
        node = m.find("translation")
        assert node is not None
        forms = [f.text or "" for f in node.findall("numerusform")] or [node.text or ""]
        if node.get("type") or not all(forms):
            problems.append(f"untranslated: {source!r}")
            continue
        # a translation may instead use what its comment offers ("or {day}: the plain number")
        offered = names(m.findtext("comment") or "")
        for text in forms:
            if names(text) != names(source) and not (offered and names(text) <= names(source) | offered):
                problems.append(f"placeholders differ: {source!r} → {text!r}")
            if bool(MNEMONIC.search(source)) != bool(MNEMONIC.search(text)):
                problems.append(f"keyboard shortcut (&) lost or added: {source!r} → {text!r}")
            if text.count("<") != source.count("<"):
                problems.append(f"markup differs: {source!r} → {text!r}")
    assert not problems, "\n".join(problems)


def test_translated_text_is_whole_sentences() -> None:
    """tr() gets a literal (or a marked constant), never an f-string or a concatenation: lupdate
    would extract the unformatted template or nothing, and the translation would never match."""
    bad = []
    for path in sorted(GUI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                continue
            if node.func.id in ("tr", "QT_TR_NOOP") and isinstance(node.args[0], ast.JoinedStr | ast.BinOp):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, bad


def test_the_texts_copied_from_the_core_for_translation_are_still_the_cores() -> None:
    from tokenwallet.billing.pin import NEW_PIN_HINT, WEAK_PIN_NOTE
    from tokenwallet.core.energy_text import ESTIMATE_TIP, EV_SOURCE
    from tokenwallet.gui.views.energy_text import ESTIMATE_TIP_TEXT, EV_SOURCE_TEXT
    from tokenwallet.gui.words import PIN_TEXTS

    assert PIN_TEXTS == {"new": NEW_PIN_HINT, "weak": WEAK_PIN_NOTE}
    assert EV_SOURCE_TEXT == EV_SOURCE
    assert ESTIMATE_TIP_TEXT == ESTIMATE_TIP


def test_chinese_installs_the_apps_and_qts_translations_and_the_locale(chinese: None) -> None:
    assert tr("Dashboard") == "仪表盘"
    assert tr("Pause metering") == "暂停计量"
    assert word("month") == "月"
    assert QLocale().language() == QLocale.Language.Chinese
    assert QLocale().toString(1234567) == "1,234,567"
    assert day_words(date(2026, 11, 24), date(2026, 11, 3)) == "24日"
    assert day_words(date(2026, 12, 3), date(2026, 11, 3)) == "12月3日"
    assert day_words(date(2027, 1, 5), date(2026, 11, 3)) == "2027年1月5日"
    assert month_name(date(2026, 11, 1)) == "2026年11月"
    # Qt's own buttons (standard dialogs) come from qtbase_zh_CN.qm
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def test_english_comes_back_when_the_translations_are_removed(qtbot: QtBot) -> None:
    ensure_app()
    assert i18n.install(language.CHINESE)
    i18n.uninstall()
    assert i18n.current() == language.ENGLISH
    assert tr("Dashboard") == "Dashboard"
    assert word("month") == "month"
    assert day_words(date(2026, 11, 24), date(2026, 11, 3)) == "the 24th"
    assert day_words(date(2026, 12, 3), date(2026, 11, 3)) == "3 Dec"
    assert month_name(date(2026, 11, 1)) == "November 2026"


def test_the_settings_language_choice_is_kept_for_the_next_start(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tokenwallet.gui.views.settings_language import LanguageBox

    monkeypatch.delenv(language.ENV)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")

    box = LanguageBox(tmp_path)
    qtbot.addWidget(box)
    said: list[str] = []
    box.saved.connect(said.append)
    assert box.currentData() == language.AUTO
    box.setCurrentIndex(box.findData(language.CHINESE))
    assert (tmp_path / language.FILE).read_text(encoding="utf-8").strip() == "zh_CN"
    assert language.current(tmp_path, environ={}) == "zh_CN"
    assert "重启 Token Wallet 后界面切换为简体中文" in said[-1]  # said in the language chosen too
    box.setCurrentIndex(box.findData(language.AUTO))
    assert not (tmp_path / language.FILE).exists()
    language.choose(tmp_path, "en")
    again = LanguageBox(tmp_path)
    qtbot.addWidget(again)
    assert again.currentData() == language.ENGLISH
    # the environment's override wins, and the page says so rather than promising a restart
    again.saved.connect(said.append)
    monkeypatch.setenv(language.ENV, "en")
    again.setCurrentIndex(again.findData(language.CHINESE))
    assert "TOKENWALLET_LANG=en is set here" in said[-1]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_no_page_shows_text_in_the_other_language(lang: str, tmp_path: Path) -> None:
    """Every page, tab, the welcome's steps, the tray menu and the dialogs, over the demo wallet:
    under zh_CN no text is English (names, units and commands aside), under en none is Chinese."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    env["TOKENWALLET_HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("untranslated.py")), "--lang", lang,
         "--home", str(tmp_path / "home")],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    found = [line for line in result.stdout.splitlines() if line.strip()]
    assert result.returncode == 0 and not found, "\n".join(found) or result.stderr[-3000:]


def test_the_reconcile_layers_sentences_are_rewritten_in_chinese(chinese: None) -> None:
    from tokenwallet.core.usage import Usage
    from tokenwallet.gui.views.reconcile_text import CAUSES, sentence
    from tokenwallet.reconcile.compare import Row, _usage_cause

    def row(provider_tokens: int, bypassed: int, requests: int) -> Row:
        return Row(
            date(2026, 11, 1), "gpt-4o", 20_000_000_000, 40_000_000, 0,
            Usage(input_tokens=provider_tokens), Usage(input_tokens=66_000), requests, 1, (), bypassed, 0,
        )  # fmt: skip

    made_by_the_core = [
        _usage_cause(row(1_300_000, 12_340_000_000, 3)),  # more than the wallet saw, 2 more requests
        _usage_cause(row(10_000, -50_000_000, 1)),  # less: failed or refunded calls
    ]
    samples = [
        *made_by_the_core,
        "2 request(s) still in flight, held at $0.01",
        "no cost from the provider for this day and model (usage only)",
        "the provider has not reported this day yet (figures settle about a day after it ends)",
        "the provider has not closed this day yet (figures settle about a day after it ends)",
        "matches (within half a cent)",
        "calls that bypassed the meter (3 more requests) (the provider sent no token counts to tell a "
        "price difference)",
        "the wallet charged more than the provider billed",
        "4 call(s) charged an estimate (the answer carried no usage)",
        "price difference: the provider charged $1.20 more for the same tokens ($2.60 vs the meter's $2.50 "
        "per 1M tokens on average; the meter uses $2.50 / $10.00 per 1M in/out)",
        "price difference: the provider charged $1.20 less for the same tokens ($2.40 vs the meter's $2.50 "
        "per 1M tokens on average; the meter uses $2.50 / $10.00 per 1M in/out)",
        "calls that bypassed the meter (or a price difference: OpenRouter gives no breakdown here)",
        "Anthropic's cost report leaves out Priority Tier costs",
        "OpenRouter reports a key's spend only for today, this week and this month",
        "credits skipped: store a management key as 'openrouter-admin' to see them",
        "credits: $10.00 bought, $4.00 used, $6.00 left",
    ]
    matched = set()
    for text in samples:
        out = sentence(text)
        assert re.search(r"[\u4e00-\u9fff]", out), (text, out)
        assert "{" not in out, out
        matched |= {i for i, (pattern, _) in enumerate(CAUSES) if pattern.fullmatch(text)}
    assert matched == set(range(len(CAUSES)))  # a sample for every shape in the table
    assert "3 more tokens" not in sentence(made_by_the_core[0])
    assert "多 2 个请求" in sentence(made_by_the_core[0])
    assert sentence("something new from the reconcile layer") == "something new from the reconcile layer"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_plan_times_are_written_like_the_cli_in_english_and_in_chinese(qtbot: QtBot, lang: str) -> None:
    from datetime import UTC, datetime

    from tokenwallet.billing import plan_text
    from tokenwallet.gui.views import plan_words
    from tokenwallet.wallet.db import to_us

    ensure_app()
    assert i18n.install(lang)
    try:
        now = to_us(datetime(2026, 11, 29, 19, 30, tzinfo=UTC))
        cases = [
            (to_us(datetime(2026, 11, 29, 22, 0, tzinfo=UTC)), "22:00", "22:00"),
            (to_us(datetime(2026, 12, 3, 20, 0, tzinfo=UTC)), "Thu 20:00", "周四 20:00"),
            (to_us(datetime(2026, 12, 24, 8, 5, tzinfo=UTC)), "Dec 24 08:05", "12月24日 08:05"),
        ]
        for at, english, chinese in cases:
            assert plan_words.clock(at, now, UTC) == (english if lang == "en" else chinese)
            if lang == "en":
                assert plan_words.clock(at, now, UTC) == plan_text.clock(at, now, UTC)
        for us in (40 * 60_000_000, 125 * 60_000_000, (3 * 24 + 4) * 3_600_000_000):
            if lang == "en":
                assert plan_words.duration(us) == plan_text.duration(us)
            else:
                assert re.search(r"[\u4e00-\u9fff]", plan_words.duration(us))
    finally:
        i18n.uninstall()


def test_the_app_installs_the_users_language_before_it_builds_the_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tokenwallet.gui import app as app_module

    seen: list[str] = []

    def build(data_dir: Path, **_kw: object) -> None:
        seen.append(i18n.current())
        raise RuntimeError("stop here: the language is what this test is about")

    monkeypatch.setattr(app_module, "build", build)
    monkeypatch.setenv(language.ENV, "zh_CN")
    try:
        with pytest.raises(RuntimeError, match="stop here"):
            app_module.main([], tmp_path)
    finally:
        i18n.uninstall()
    assert seen == ["zh_CN"]
    monkeypatch.setenv(language.ENV, "en")
    with pytest.raises(RuntimeError, match="stop here"):
        app_module.main([], tmp_path)
    assert seen == ["zh_CN", "en"]
