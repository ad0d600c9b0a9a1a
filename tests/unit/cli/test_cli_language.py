"""The CLI in Simplified Chinese (issue 12): which language, the catalog, argparse, output, JSON.

Real ``tokenwallet`` processes with the locale a user would have; the catalog checked against a
fresh extraction of the sources, so a new English message cannot ship untranslated.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tokenwallet.commands import argparse_words, i18n
from tokenwallet.commands.columns import display_width, table, wrap_columns

ROOT = Path(__file__).resolve().parents[3]
TOKENWALLET = Path(sys.executable).parent / "tokenwallet"
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{\w*\}|%\(\w+\)[sr]|%[sr]")
LOCALE_VARS = ("TOKENWALLET_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG")


def _load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return _load_tool("i18n_cli")


@pytest.fixture
def chinese() -> Iterator[None]:
    """The CLI's translations switched to zh_CN in this process, and back to English after."""
    i18n.use("zh_CN")
    try:
        yield
    finally:
        i18n.use("en")


def tokenwallet(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A real ``tokenwallet`` process with exactly the locale variables given."""
    full = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    full.update({"TOKENWALLET_HOME": str(home), "COLUMNS": "100", "PYTHONWARNINGS": "error", **env})
    return subprocess.run(
        [str(TOKENWALLET), *args], env=full, capture_output=True, text=True, timeout=60, check=False
    )


# ------------------------------------------------------------------------------------ the catalog


def _key(value: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(value)


def _ids(catalog: object) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}  # type: ignore[attr-defined]


def test_the_template_has_every_marked_string(tool: ModuleType) -> None:
    fresh = _ids(tool.extract())
    with tool.POT.open("rb") as fh:
        shipped = _ids(read_po(fh))
    assert fresh - shipped == set(), "run .venv/bin/python tools/i18n_cli.py: new strings not in the .pot"
    assert shipped - fresh == set(), (
        "run .venv/bin/python tools/i18n_cli.py: the .pot has strings gone from the code"
    )


def test_every_message_has_a_chinese_translation(tool: ModuleType) -> None:
    catalog = tool.read(tool.po_file("zh_CN"), "zh_CN")
    assert _ids(catalog) == _ids(tool.extract())
    problems = []
    for m in catalog:
        if not m.id:
            continue
        source = m.id if isinstance(m.id, str) else m.id[0]
        text = m.string if isinstance(m.string, str) else m.string[0]
        if m.fuzzy or not text:
            problems.append(f"untranslated or fuzzy: {source!r}")
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"placeholders differ: {source!r} → {text!r}")
    assert not catalog.obsolete, f"obsolete entries: {list(catalog.obsolete)}"
    assert not problems, "\n".join(problems)


def test_the_compiled_catalog_is_the_po_file(tool: ModuleType) -> None:
    po = tool.read(tool.po_file("zh_CN"), "zh_CN")
    with i18n.catalog_file("zh_CN").open("rb") as fh:
        mo = read_mo(fh)

    def pairs(catalog: object) -> dict[object, object]:
        return {_key(m.id): _key(m.string) for m in catalog if m.id}  # type: ignore[attr-defined]

    assert pairs(mo) == pairs(po), "run .venv/bin/python tools/i18n_cli.py to compile the .mo"
    assert tool.main(["--check"]) == 0


def test_argparse_words_are_argparse_own() -> None:
    """Our catalog answers argparse only if its msgids are argparse's exactly (this Python's)."""
    found = {
        msg if isinstance(msg, str) else msg[0]
        for _line, msg, _comments, _context in extract_from_file(
            "python", argparse.__file__, keywords={"_": None, "ngettext": (1, 2)}
        )
    }
    ours = set(argparse_words.WORDS) | {singular for singular, _plural in argparse_words.PLURALS}
    assert ours - found == set()


# ----------------------------------------------------------------------------- translated parser


def _helps(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    if parser.description:
        yield " ".join(words) + " (description)", parser.description
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield " ".join((*words, choice.dest)) + " (summary)", choice.help or ""
            for name, child in action.choices.items():
                yield from _helps(child, (*words, name))
        elif action.help and action.help != argparse.SUPPRESS:
            yield " ".join((*words, *action.option_strings, action.dest)), action.help


@pytest.mark.usefixtures("chinese")
def test_every_help_text_in_the_parser_tree_is_chinese() -> None:
    from tokenwallet.cli import build_parser

    helps = list(_helps(build_parser()))
    assert len(helps) > 400  # the whole tree was walked
    english = [f"{where}: {text!r}" for where, text in helps if not CJK.search(text)]
    assert not english, "help texts left in English:\n" + "\n".join(english)


@pytest.mark.usefixtures("chinese")
def test_dates_and_numbers_follow_the_locale() -> None:
    assert i18n.day(date(2026, 11, 29)) == "2026年11月29日"
    assert i18n.short_day(date(2026, 11, 1)) == "11月1日"
    assert i18n.number(1234567) == "1,234,567"


def test_english_dates_and_numbers_are_unchanged() -> None:
    assert i18n.day(date(2026, 11, 29)) == "2026-11-29"
    assert i18n.short_day(date(2026, 11, 1)) == "Nov 01"
    assert i18n.number(1234567) == "1,234,567"


# ------------------------------------------------------------------------------ wide characters


def test_tables_line_up_by_terminal_columns() -> None:
    rows = [["钱包", "$1.00", "月"], ["alice", "$22.00", "week"], ["小明的项目", "$3.00", "周"]]
    lines = table(rows, ["信封", "余额", "周期"], right={1}).splitlines()
    head = lines[0]
    # the right-aligned money ends, and the last column starts, in one terminal column on every line
    ends = {
        display_width(line[: line.index(r[1]) + len(r[1])]) for line, r in zip(lines[2:], rows, strict=True)
    }
    starts = {display_width(line[: line.rindex(r[2])]) for line, r in zip(lines[2:], rows, strict=True)}
    assert ends == {display_width(head[: head.index("余额") + 2])}
    assert starts == {display_width(head[: head.index("周期")])}
    assert display_width("信封") == 4 and display_width("alice") == 5 and display_width("é") == 1


def test_chinese_help_wraps_at_the_terminal_width() -> None:
    text = "从标准输入的第一行读取户主 PIN（默认：在终端询问），再用 --pin-stdin 读取新 PIN。"
    lines = wrap_columns(text, 20)
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line[0] in "，。：）" for line in lines)  # no line starts with closing punctuation


# ---------------------------------------------------------------------------- real processes


def test_help_follows_lang(tmp_path: Path) -> None:
    zh = tokenwallet(tmp_path, "--help", LANG="zh_CN.UTF-8")
    assert zh.returncode == 0, zh.stderr
    assert zh.stdout.startswith("用法：tokenwallet")
    assert "显示此帮助信息并退出" in zh.stdout and "预算" in zh.stdout
    assert all(display_width(line) <= 98 for line in zh.stdout.splitlines())  # COLUMNS=100

    budget = tokenwallet(tmp_path, "budget", "set", "--help", LANG="zh_CN.UTF-8")
    assert "重置周期" in budget.stdout and "选项" in budget.stdout

    en = tokenwallet(tmp_path, "--help", LANG="en_US.UTF-8")
    assert en.stdout.startswith("usage: tokenwallet")
    assert "show this help message and exit" in en.stdout
    assert not CJK.search(en.stdout)


def test_status_errors_and_json_in_chinese(tmp_path: Path) -> None:
    zh = {"LANG": "zh_CN.UTF-8"}
    assert tokenwallet(tmp_path, "budget", "set", "--wallet", "20", **zh).stdout.startswith("预算 #1 已设置")
    status = tokenwallet(tmp_path, "status", **zh)
    assert status.returncode == 0, status.stderr
    assert status.stdout.splitlines()[0].split() == [
        "信封", "周期", "动作", "预算", "已花费", "预扣", "可用", "已用", "预计"
    ]  # fmt: skip
    assert "$20.00" in status.stdout  # money stays exact, in its own currency sign

    # --json is for scripts: the same bytes whatever the language
    as_json = tokenwallet(tmp_path, "status", "--json", **zh)
    assert as_json.stdout == tokenwallet(tmp_path, "status", "--json", LANG="en_US.UTF-8").stdout
    assert not CJK.search(as_json.stdout)
    assert json.loads(as_json.stdout)[0]["period"] == "month"

    # a core error, an argparse error and a CLI error: one line each, in Chinese
    core = tokenwallet(tmp_path, "topup", "--profile", "nobody", "5", **zh)
    assert (core.returncode, core.stderr) == (1, "tokenwallet：错误：没有名为 'nobody' 的账户\n")
    usage = tokenwallet(tmp_path, "budget", "set", **zh)
    assert usage.returncode == 2 and "缺少必需的参数：amount" in usage.stderr
    amount = tokenwallet(tmp_path, "topup", "--wallet", "abc", **zh)
    assert "无法识别金额 'abc'" in amount.stderr


def test_the_override_and_the_users_choice(tmp_path: Path) -> None:
    # $TOKENWALLET_LANG wins over the locale
    forced = tokenwallet(tmp_path, "language", LANG="zh_CN.UTF-8", TOKENWALLET_LANG="en")
    assert forced.stdout.startswith("Language: English (en), from $TOKENWALLET_LANG")

    # the choice in the data dir wins over the locale, and is said in the language chosen
    chosen = tokenwallet(tmp_path, "language", "set", "zh_CN", LANG="en_US.UTF-8")
    assert chosen.stdout == "语言已设为简体中文（zh_CN）。\n"
    assert (tmp_path / "language").read_text(encoding="utf-8") == "zh_CN\n"
    shown = tokenwallet(tmp_path, "language", "show", "--json", LANG="en_US.UTF-8")
    assert json.loads(shown.stdout) == {"language": "zh_CN", "source": "choice", "chosen": "zh_CN"}
    assert tokenwallet(tmp_path, "sessions", LANG="en_US.UTF-8").stdout.startswith("还没有会话")

    # auto forgets the choice: the locale speaks again
    auto = tokenwallet(tmp_path, "language", "set", "auto", LANG="en_US.UTF-8")
    assert auto.stdout == "Language: auto, following the system locale (now en).\n"
    assert not (tmp_path / "language").exists()


def test_the_data_dir_is_read_before_the_parser(tmp_path: Path) -> None:
    """``--data-dir`` after the command still picks that wallet's language for the help texts."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "language").write_text("zh_CN\n", encoding="utf-8")
    out = tokenwallet(tmp_path, "status", "--data-dir", str(other), "--help", LANG="en_US.UTF-8")
    assert out.stdout.startswith("用法：")
    out = tokenwallet(tmp_path, f"--data-dir={other}", "--help", LANG="C")
    assert out.stdout.startswith("用法：")


@pytest.mark.usefixtures("chinese")
def test_core_errors_are_translated_from_their_real_text(tmp_path: Path) -> None:
    """The templates in core_messages still match what the core raises."""
    from tokenwallet.commands import core_messages
    from tokenwallet.core.money import AmountError, parse_amount
    from tokenwallet.pricing import UnknownModelError
    from tokenwallet.wallet import Wallet, WalletError

    with pytest.raises(AmountError) as amount:
        parse_amount("abc")
    said = core_messages.translate(str(amount.value))
    assert said == "无法识别金额 'abc'（可以试试“20”、“$5.50”或“2M tokens”）"

    unknown = core_messages.translate(str(UnknownModelError("qwen-cn", "qwen-max")))
    assert unknown.startswith("服务商 'qwen-cn' 上的模型 'qwen-max' 没有已知价格")
    assert "tokenwallet prices override set qwen-cn qwen-max --input USD --output USD" in unknown

    w = Wallet.open(tmp_path / "wallet.db")
    try:
        w.add_profile("alice")
        with pytest.raises(WalletError) as missing:
            w.profile("nobody")
        with pytest.raises(WalletError) as taken:
            w.add_profile("alice")
    finally:
        w.close()
    assert core_messages.translate(str(missing.value)) == "没有名为 'nobody' 的账户"
    assert core_messages.translate(str(taken.value)) == "名为 'alice' 的账户已存在"
    assert core_messages.translate("something new went wrong") == "something new went wrong"


def test_core_errors_stay_english_in_english() -> None:
    from tokenwallet.commands import core_messages

    assert core_messages.translate("no profile named 'nobody'") == "no profile named 'nobody'"


def test_setting_descriptions_are_the_cores_own() -> None:
    """``settings list`` translates the core's texts by their English: they must match exactly."""
    from tokenwallet.commands.settings_words import DOCS
    from tokenwallet.wallet.settings import SETTINGS

    assert {name: s.doc for name, s in SETTINGS.items()} == DOCS


def test_a_damaged_catalog_leaves_the_cli_in_english(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data_dir: Path
) -> None:
    import io

    from tokenwallet.cli import main

    broken = tmp_path / "tokenwallet.mo"
    broken.write_bytes(b"not a catalog at all")
    monkeypatch.setattr(i18n, "catalog_file", lambda lang: broken)
    monkeypatch.setenv("TOKENWALLET_LANG", "zh_CN")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--data-dir", str(data_dir), "sessions"], stdout=out, stderr=err) == 0
    assert out.getvalue().startswith("No sessions yet.")
    assert err.getvalue().startswith("tokenwallet: note: the zh_CN translation cannot be loaded")
