"""Opening wallets, profiles, keys, projects, providers, price overrides and settings."""

from __future__ import annotations

import hashlib
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from tokenwallet.wallet import NotFound, Wallet, WalletError
from tokenwallet.wallet.schema import CURRENT_VERSION

from .conftest import BOTH_BACKENDS, Clock

backend = BOTH_BACKENDS


def test_open_creates_a_wal_wallet_with_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "wallet.db"
    w = Wallet.open(path)
    conn = w._conn()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    w.close()
    Wallet.open(path).close()  # reopening is a no-op


@pytest.mark.parametrize(
    "content",
    [b"hello, this is not a database at all" * 10, b"SQLite format 3\x00" + b"\x07" * 200],
    ids=["text", "damaged-sqlite"],
)
def test_a_non_wallet_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "wallet.db"
    path.write_bytes(content)
    with pytest.raises(WalletError) as exc:
        Wallet.open(path)
    assert "\n" not in str(exc.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wallet.db"]


def test_another_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    c = sqlite3.connect(path)
    c.execute("CREATE TABLE notes (x TEXT)")
    c.commit()
    c.close()
    before = path.read_bytes()
    with pytest.raises(WalletError, match="not a Token Wallet"):
        Wallet.open(path)
    assert path.read_bytes() == before


def test_a_wallet_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wallet.db"
    Wallet.open(path).close()
    c = sqlite3.connect(path)
    c.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    c.close()
    with pytest.raises(WalletError, match="newer"):
        Wallet.open(path)


@pytest.mark.parametrize("backend", ["sqlite"])  # reads the file's SQL dump
def test_profiles_and_keys(wallet: Wallet) -> None:
    alice, key = wallet.add_profile("alice")
    assert key.startswith("tw-") and len(key) > 40
    assert wallet.profile("alice") == alice
    assert [p.name for p in wallet.profiles()] == ["alice"]
    # the key itself is never stored, only its sha256
    dump = "\n".join(wallet._conn().iterdump())
    assert key not in dump
    assert hashlib.sha256(key.encode()).hexdigest() in dump
    b = wallet.resolve_key(key)
    assert b is not None and b.profile == "alice" and b.project is None and not b.paused
    assert wallet.resolve_key("tw-nope") is None
    with pytest.raises(WalletError, match="already exists"):
        wallet.add_profile("alice")
    with pytest.raises(WalletError):
        wallet.add_profile("a:b")
    with pytest.raises(NotFound):
        wallet.profile("bob")


def test_rename_pause_rotate_revoke(wallet: Wallet) -> None:
    _, key = wallet.add_profile("alice")
    wallet.add_project("acme", client="ACME Ltd")
    k2 = wallet.new_key("alice", project="acme", label="laptop")
    b2 = wallet.resolve_key(k2)
    assert b2 is not None and b2.project == "acme"
    wallet.rename_profile("alice", "alicia")
    b = wallet.resolve_key(key)
    assert b is not None and b.profile == "alicia"
    wallet.set_profile_paused("alicia", True)
    b = wallet.resolve_key(key)
    assert b is not None and b.paused
    new = wallet.rotate_key("alicia")
    assert wallet.resolve_key(key) is None and wallet.resolve_key(k2) is None
    assert wallet.resolve_key(new) is not None
    infos = wallet.keys("alicia")
    assert len(infos) == 3 and sum(i.revoked_at is None for i in infos) == 1
    wallet.revoke_key(infos[0].id)
    assert wallet.resolve_key(new) is None
    with pytest.raises(NotFound):
        wallet.revoke_key(infos[0].id)


def test_key_cache_sees_revocations_from_another_process_soon(tmp_path: Path, clock: Clock) -> None:
    a = Wallet.open(tmp_path / "w.db", clock=clock)
    b = Wallet.open(tmp_path / "w.db", clock=clock)
    _, key = a.add_profile("alice")
    assert b.resolve_key(key) is not None
    a.rotate_key("alice")
    b._key_cache.clear()  # as if KEY_CACHE_S had passed
    assert b.resolve_key(key) is None
    a.close()
    b.close()


def test_projects(wallet: Wallet) -> None:
    p = wallet.add_project("acme", client="ACME Ltd", contact="bob@acme.test")
    assert wallet.project("acme") == p
    assert p.client == "ACME Ltd"
    wallet.update_project("acme", archived=True, notes="done")
    assert wallet.project("acme").archived and wallet.project("acme").notes == "done"
    with pytest.raises(WalletError, match="unknown project field"):
        wallet.add_project("x", colour="red")
    assert [x.name for x in wallet.projects()] == ["acme"]


def test_providers(wallet: Wallet) -> None:
    names = {p.name for p in wallet.providers()}
    assert {"openai", "anthropic", "gemini", "ollama", "lmstudio", "deepseek"} <= names
    cfg = wallet.provider_config("ollama")
    assert cfg is not None and cfg.local and cfg.base_url == "http://127.0.0.1:11434/v1"
    wallet.set_provider("openai", base_url="http://127.0.0.1:9999/v1/")
    cfg = wallet.provider_config("openai")
    assert cfg is not None and cfg.base_url == "http://127.0.0.1:9999/v1" and cfg.kind == "openai"
    mine = wallet.set_provider("myllm", base_url="https://llm.example/v1")
    assert mine.kind == "openai-compatible" and not mine.local
    with pytest.raises(WalletError, match="base-url"):
        wallet.set_provider("other")
    with pytest.raises(WalletError, match="kind"):
        wallet.set_provider("openai", kind="nope")
    wallet.reset_provider("openai")
    cfg = wallet.provider_config("openai")
    assert cfg is not None and cfg.base_url == "https://api.openai.com/v1"
    assert wallet.provider_config("unknown") is None


def test_price_overrides(wallet: Wallet) -> None:
    o = wallet.set_price_override("openai", "my-ft", input_mtok="1.25", output_mtok=Decimal(5))
    assert o.input_mtok == Decimal("1.25") and o.cache_read_mtok is None
    wallet.set_price_override("openai", "my-ft", input_mtok="2", output_mtok="6", cache_read_mtok="0.5")
    (got,) = wallet.price_overrides()
    assert got.input_mtok == Decimal(2) and got.cache_read_mtok == Decimal("0.5")
    with pytest.raises(WalletError):
        wallet.set_price_override("openai", "x", input_mtok="-1", output_mtok="1")
    wallet.remove_price_override("openai", "my-ft")
    assert wallet.price_overrides() == []
    with pytest.raises(NotFound):
        wallet.remove_price_override("openai", "my-ft")


def test_settings_defaults_and_validation(wallet: Wallet) -> None:
    s = wallet.settings()
    assert s["week_start"] == "monday"
    assert s["default_thresholds"] == (50, 80, 95)
    assert s["unknown_model_policy"] == "block"
    assert s["store_prompts"] is False and s["price_updates"] is False and s["paused"] is False
    assert s["proxy_host"] == "127.0.0.1" and s["proxy_port"] == 8787
    assert s["passthrough_profile"] is None
    assert s["max_body_bytes"] == 32 * 1024 * 1024
    assert isinstance(s["currency_rate"], Decimal)
    wallet.set_setting("proxy_port", "9000")
    assert wallet.get_setting("proxy_port") == 9000
    wallet.set_setting("paused", "on")
    assert wallet.get_setting("paused") is True
    wallet.set_setting("currency_rate", "0.92")
    assert wallet.get_setting("currency_rate") == Decimal("0.92")
    wallet.set_setting("default_thresholds", "90, 60")
    assert wallet.get_setting("default_thresholds") == (60, 90)
    wallet.set_setting("week_start", "sun")
    assert wallet.get_setting("week_start") == "sunday"
    for name, bad in [
        ("timezone", "Mars/Olympus"),
        ("unknown_model_policy", "maybe"),
        ("proxy_port", "-1"),
        ("paused", "perhaps"),
        ("default_thresholds", "0 150"),
        ("nonexistent", 1),
    ]:
        with pytest.raises(WalletError) as exc:
            wallet.set_setting(name, bad)
        assert "\n" not in str(exc.value)


def test_profile_scoped_setting(wallet: Wallet) -> None:
    wallet.add_profile("alice")
    assert wallet.get_setting("store_prompts", profile="alice") is False
    wallet.set_setting("store_prompts", True, profile="alice")
    assert wallet.get_setting("store_prompts", profile="alice") is True
    assert wallet.get_setting("store_prompts") is False
    wallet.set_setting("store_prompts", None, profile="alice")
    assert wallet.get_setting("store_prompts", profile="alice") is False
    with pytest.raises(WalletError, match="whole wallet"):
        wallet.set_setting("proxy_port", 1, profile="alice")


def test_default_timezone_comes_from_the_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    w = Wallet.open(tmp_path / "w.db")
    assert w.get_setting("timezone") == "Europe/Berlin"
    w.close()


def test_a_closed_wallet_says_so(tmp_path: Path) -> None:
    w = Wallet.open(tmp_path / "w.db")
    w.close()
    with pytest.raises(WalletError, match="closed"):
        w.profiles()


def test_busy_wallet_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tokenwallet.wallet import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.05)
    w = Wallet.open(tmp_path / "w.db")
    blocker = sqlite3.connect(tmp_path / "w.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(WalletError, match="busy") as exc:
            w.add_profile("alice")
        assert "\n" not in str(exc.value)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    w.add_profile("alice")
    w.close()


def test_allowed_hosts_and_origins(wallet: Wallet) -> None:
    s = wallet.settings()
    assert s["allowed_hosts"] == () and s["allowed_origins"] == ()
    assert s["max_local_body_bytes"] == 4 * 1024 * 1024
    assert s["header_timeout_s"] == 10 and s["max_connections"] == 1000
    wallet.set_setting("allowed_hosts", "Tools.LAN, box:8787 tools.lan")
    assert wallet.get_setting("allowed_hosts") == ("box:8787", "tools.lan")
    wallet.set_setting("allowed_origins", ["https://App.example/", "vscode-file://vscode-app"])
    assert wallet.get_setting("allowed_origins") == ("https://app.example", "vscode-file://vscode-app")
    wallet.set_setting("allowed_hosts", "none")
    assert wallet.get_setting("allowed_hosts") == ()
    for name, bad in [
        ("allowed_hosts", "evil.example/path"),
        ("allowed_hosts", "user@host"),
        ("allowed_origins", "app.example"),
        ("allowed_origins", "https://app.example/path"),
    ]:
        with pytest.raises(WalletError):
            wallet.set_setting(name, bad)
