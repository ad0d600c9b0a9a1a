"""``tokenwallet guard …``: add, list, lift, remove; bad input changes nothing."""

from __future__ import annotations

import json

import pytest
from cli_helpers import Run


def test_guard_lifecycle(tw: Run) -> None:
    assert tw("profile", "add", "bot").code == 0
    r = tw("guard", "add", "--profile", "bot", "loop", "6", "--window", "5m")
    assert r.code == 0, r.err
    assert "loop 6 repeats per 300 s on profile:bot, block" in r.out
    assert tw("guard", "add", "session-money", "$2.50", "--session", "s-abc", "--action", "warn").code == 0
    assert tw("guard", "add", "burn", "$1", "--window", "10m").code == 0
    listed = json.loads(tw("guard", "list", "--json").out)
    assert [(g["scope"], g["kind"], g["limit"]) for g in listed] == [
        ("profile:bot", "loop", 6),
        ("session:s-abc", "session_money", 2_500_000_000),
        ("wallet", "burn", 10**9),
    ]
    gid = listed[0]["id"]
    assert tw("guard", "lift", str(gid), "--session", "s-1").code == 0
    assert json.loads(tw("guard", "list", "--json").out)[0]["lifted_for"] == ["s-1"]
    table = tw("guard", "list").out
    assert "profile:bot" in table and "$1.00/min" in table
    assert tw("guard", "remove", str(gid)).code == 0
    assert len(json.loads(tw("guard", "list", "--json").out)) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["guard", "add", "rate", "ten"],
        ["guard", "add", "rate", "0"],
        ["guard", "add", "session-tokens", "$5"],
        ["guard", "add", "session-money", "5k tokens"],
        ["guard", "add", "loop", "3", "--window", "forever"],
        ["guard", "add", "--profile", "nobody", "rate", "3"],
        ["guard", "add", "--session", "bad id", "rate", "3"],
        ["guard", "lift", "99"],
        ["guard", "remove", "99"],
    ],
)
def test_bad_guard_input_is_one_line_and_changes_nothing(tw: Run, argv: list[str]) -> None:
    r = tw(*argv)
    assert r.code != 0 and r.err.strip().count("\n") == 0 and "Traceback" not in r.err, r.err
    assert json.loads(tw("guard", "list", "--json").out) == []
