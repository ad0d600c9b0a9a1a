"""A backup taken while the real proxy meters calls, restored: the ledger, envelopes and keys come
back exactly, and a restored key still authenticates through a real proxy (the openai SDK)."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import openai
import pytest

from tokenwallet.cli import main
from tokenwallet.core.money import Amount
from tokenwallet.proxy import ProxyServer
from tokenwallet.secrets import MemoryKeyStore
from tokenwallet.wallet import HistoryFilter, Scope

from .conftest import PROVIDER_KEYS, Env

MODEL = "gpt-4o-mini"


def cli(data_dir: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--data-dir", str(data_dir), *args], stdin=io.StringIO(), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        conn.close()


def chat(env: Env, key: str | None = None) -> None:
    env.openai(key=key).chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}])


def test_restore_brings_back_ledger_envelopes_and_working_keys(env: Env) -> None:
    data_dir = env.path.parent
    alice = Scope("profile", "alice")
    env.wallet.set_budget(alice, Amount("usd", 2_000_000_000), period="month", action="block")
    env.wallet.topup(alice, Amount("usd", 500_000_000), note="birthday")
    for _ in range(4):
        chat(env)
    env.settled()

    code, out, err = cli(data_dir, "backup", "--json")  # while the meter runs
    assert code == 0, err
    made = Path(json.loads(out)["path"])
    snapshot = dump(made)
    rows = env.rows()
    envelopes = env.wallet.envelopes()
    keys = env.wallet.keys()
    assert len(rows) == 4 and snapshot["ledger"] == dump(env.path)["ledger"]

    # Life goes on after the backup: another call, a new profile with its key.
    chat(env)
    _, bob_key = env.wallet.add_profile("bob")
    chat(env, bob_key)
    env.settled()

    code, _out, err = cli(data_dir, "restore", str(made))
    assert code == 1 and "in use by a running meter" in err  # not under a running meter

    env.proxy.stop(timeout=5)
    code, out, err = cli(data_dir, "restore", str(made))
    assert code == 0, err
    assert dump(env.path) == snapshot

    # The test's own wallet handle stayed open through the restore: it reads the restored file.
    assert env.wallet.history(HistoryFilter(), limit=1000) == rows
    assert env.wallet.envelopes() == envelopes and env.wallet.keys() == keys
    (st,) = env.wallet.status(profile="alice")
    assert st.spent == sum(r.cost_nano for r in rows)

    proxy = ProxyServer(env.path, port=0, keystore=MemoryKeyStore(PROVIDER_KEYS), upstream_timeout=1.5)
    proxy.start()
    try:
        env.proxy = proxy  # the Env's clients and settled() follow the new proxy
        chat(env)  # alice's key from before the backup authenticates and is charged
        env.settled()
        assert env.wallet.history_count(HistoryFilter()) == 5
        with pytest.raises(openai.AuthenticationError):
            chat(env, bob_key)  # a key made after the backup is gone with it
    finally:
        proxy.stop(timeout=5)
