"""Guards in the wallet file: stored, replaced, checked, household defaults, the saved counters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tokenwallet.billing import household
from tokenwallet.core.money import Amount
from tokenwallet.wallet import Wallet
from tokenwallet.wallet.errors import NotFound, WalletError

from .conftest import BOTH_BACKENDS

backend = BOTH_BACKENDS


def test_guards_are_stored_replaced_and_removed(tmp_path: Path) -> None:
    w = Wallet.open(tmp_path / "w.db")
    w.add_profile("bot")
    g = w.add_guard("profile:bot", "rate", 30)
    assert (g.window_s, g.action) == (60, "block")
    g2 = w.add_guard("profile:bot", "rate", 10, action="warn", window_s=30)
    assert [(x.id, x.limit, x.window_s) for x in w.guards()] == [(g2.id, 10, 30)]
    w.remove_guard(g2.id)
    assert w.guards() == []
    with pytest.raises(NotFound):
        w.remove_guard(g2.id)
    w.close()


@pytest.mark.parametrize(
    "spec",
    [
        ("everyone", "rate", 1, "block", 0),
        ("profile:", "rate", 1, "block", 0),
        ("wallet", "speed", 1, "block", 0),
        ("wallet", "rate", 0, "block", 0),
        ("wallet", "rate", -5, "block", 0),
        ("wallet", "rate", 1, "explode", 0),
        ("wallet", "loop", 3, "block", 10**9),
    ],
)
def test_bad_guards_are_refused_and_nothing_is_written(
    tmp_path: Path, spec: tuple[str, str, int, str, int]
) -> None:
    scope, kind, limit, action, window = spec
    w = Wallet.open(tmp_path / "w.db")
    with pytest.raises(WalletError):
        w.add_guard(scope, kind, limit, action=action, window_s=window)
    assert w.guards() == []
    w.close()


def test_household_members_get_default_guards_until_told_otherwise(tmp_path: Path) -> None:
    w = Wallet.open(tmp_path / "w.db")
    household.init_household(w, "parent", "4826")
    household.add_member(w, "kid", Amount("usd", 10**9), pin="4826")
    kinds = {(g.scope, g.kind, g.source) for g in w.guards()}
    assert kinds == {("profile:kid", k, "default") for k in ("rate", "request_money", "loop")}
    assert all(g.id < 0 for g in w.guards())
    w.add_guard("profile:kid", "rate", 5)
    assert sorted((g.kind, g.source) for g in w.guards()) == [
        ("loop", "default"), ("rate", "user"), ("request_money", "default")
    ]  # fmt: skip
    w.close()


def test_the_counters_snapshot_round_trips_and_a_damaged_one_is_empty(tmp_path: Path) -> None:
    w = Wallet.open(tmp_path / "w.db")
    assert w.guard_state() == {}
    w.save_guard_state({"counters": {"1": {"events": [[1.0, 1, "ab"]], "total": 0}}, "lifted": []})
    assert w.guard_state()["counters"]["1"]["events"] == [[1.0, 1, "ab"]]
    w._conn().execute("UPDATE guard_state SET state_json = '{nope'")
    assert w.guard_state() == {}
    w.close()


def test_lifts_are_kept_per_session_and_go_with_their_guard(tmp_path: Path) -> None:
    w = Wallet.open(tmp_path / "w.db")
    g = w.add_guard("wallet", "loop", 3)
    w.lift_guard(g.id, "s-1")
    w.lift_guard(g.id)
    assert w.guard_lifts() == {f"{g.id}|s-1", f"{g.id}|*"}
    with pytest.raises(NotFound):
        w.lift_guard(g.id + 100)
    w.add_guard("wallet", "loop", 4)  # replaced: the old lifts go with it
    assert w.guard_lifts() == set()
    w.close()
