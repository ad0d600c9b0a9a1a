"""Which language the app and the CLI speak (tokenwallet.core.language)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tokenwallet.core import language


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_SG.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_TW.UTF-8"}, "en"),  # Traditional Chinese is not what we ship
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "de_DE.UTF-8", "LANGUAGE": "fr:zh_CN:en"}, "zh_CN"),
        ({"LANG": "C", "LANGUAGE": "zh_CN"}, "en"),  # gettext ignores LANGUAGE under C
        ({"LANG": "zh_CN.UTF-8", "TOKENWALLET_LANG": "en"}, "en"),
        ({"TOKENWALLET_LANG": "zh-Hans"}, "zh_CN"),
        ({"TOKENWALLET_LANG": "klingon", "LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ],
)
def test_language_from_the_environment(environ: dict[str, str], expected: str) -> None:
    assert language.current(None, environ) == expected


def test_the_users_choice_beats_the_locale_and_auto_forgets_it(tmp_path: Path) -> None:
    env = {"LANG": "en_US.UTF-8"}
    assert language.chosen(tmp_path) == "auto"
    assert language.choose(tmp_path, "zh_CN") == "zh_CN"
    assert language.current(tmp_path, env) == "zh_CN"
    assert language.current(tmp_path, {**env, "TOKENWALLET_LANG": "en"}) == "en"
    assert language.choose(tmp_path, "auto") == "auto"
    assert not (tmp_path / "language").exists()
    assert language.current(tmp_path, env) == "en"


def test_an_unknown_language_is_refused_and_a_broken_file_ignored(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown language"):
        language.choose(tmp_path, "fr")
    (tmp_path / "language").write_bytes(b"\xff\xfe garbage")
    assert language.current(tmp_path, {"LANG": "zh_CN.UTF-8"}) == "zh_CN"
