"""docs/cli.md is generated from the real argparse parser and must match it, help texts included."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
REGENERATE = "run .venv/bin/python tools/cli_reference.py"


@pytest.fixture(scope="module")
def reference() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "tools" / "cli_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_docs_cli_md_is_what_the_parser_says(reference: ModuleType) -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == reference.render(), f"docs/cli.md is out of date with the argparse parser: {REGENERATE}"


def test_every_command_and_argument_has_help(reference: ModuleType) -> None:
    gaps = reference.missing_help()
    assert not gaps, f"add help= to these, then {REGENERATE}:\n" + "\n".join(gaps)


def test_the_reference_reaches_every_level(reference: ModuleType) -> None:
    text = reference.render()
    for needle in (
        "### tokenwallet prices override set",  # a third-level command
        "| `--cache-write USD` |",  # its options
        "## tokenwallet run",
        "| `-- COMMAND …` |",  # a REMAINDER positional
        "| `--pin-stdin` |",  # an option added by a shared helper
        "Use at most one of `--wallet`, `--profile`, `--project`.",  # a mutually exclusive group
    ):
        assert needle in text, needle
    top, commands = text.split("## tokenwallet status", 1)
    assert "`--data-dir DIR`" in top  # the shared option is documented once, at the top
    assert "`--data-dir DIR`" not in commands


def test_check_mode_names_the_command_to_run(
    reference: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(reference, "OUTPUT", stale)
    assert reference.main(["--check"]) == 1
    assert REGENERATE in capsys.readouterr().err
    assert stale.read_text(encoding="utf-8") == "# old\n"  # --check writes nothing
    assert reference.main([]) == 0
    assert stale.read_text(encoding="utf-8") == reference.render()
    assert reference.main(["--check"]) == 0
