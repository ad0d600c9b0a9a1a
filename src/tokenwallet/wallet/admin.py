"""Profiles, projects, wallet keys and settings."""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from dataclasses import replace
from typing import Any

from tokenwallet.core.events import WalletChanged
from tokenwallet.wallet.base import WalletBase, check_name
from tokenwallet.wallet.db import from_us, immediate, opt_from_us
from tokenwallet.wallet.errors import NotFound, WalletError
from tokenwallet.wallet.settings import setting
from tokenwallet.wallet.types import KeyBinding, KeyInfo, Profile, Project

KEY_PREFIX = "tw-"
#: How long a resolved key is trusted before re-reading it. Changes made through this Wallet clear
#: the cache, and so does a commit by any other connection (another process, another window), seen
#: through SQLite's ``PRAGMA data_version``: a pause or revocation applies to the very next call.
KEY_CACHE_S = 2.0
#: How often a shared (PostgreSQL) wallet asks whether another connection committed before it
#: trusts its cached keys; a key revoked elsewhere stops working within this (docs promise 2 s).
KEY_RECHECK_S = 0.05
PROJECT_FIELDS = ("client", "contact", "notes")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _profile(row: tuple[Any, ...]) -> Profile:
    return Profile(row[0], row[1], row[2], bool(row[3]), from_us(row[4]))


def _project(row: tuple[Any, ...]) -> Project:
    return Project(row[0], row[1], from_us(row[6]), row[2], row[3], row[4], bool(row[5]))


class AdminMixin(WalletBase):
    _key_cache: dict[str, tuple[float, KeyBinding | None]]
    _key_seen: threading.local  # this thread's connection and the data_version it last saw

    # -- settings -------------------------------------------------------------------------------
    def get_setting(self, name: str, *, profile: str | None = None) -> Any:
        """A setting's value (its default when never set). ``profile`` reads a profile's override."""
        conn = self._conn()
        scope = "wallet" if profile is None else f"profile:{self._profile_id(conn, profile)}"
        return self._raw_setting(conn, name, scope)

    def set_setting(self, name: str, value: Any, *, profile: str | None = None) -> None:
        """Check and store a setting; ``value=None`` with a profile removes that profile's override."""
        s = setting(name)
        conn = self._conn()
        if profile is not None and s.scope != "profile":
            raise WalletError(f"setting {name} applies to the whole wallet, not to one profile")
        scope = "wallet" if profile is None else f"profile:{self._profile_id(conn, profile)}"
        with immediate(conn):
            if profile is not None and value is None:
                conn.execute("DELETE FROM setting WHERE name=? AND scope=?", (name, scope))
            else:
                parsed = s.parse(value)
                conn.execute(
                    "INSERT OR REPLACE INTO setting (name, scope, value) VALUES (?, ?, ?)",
                    (name, scope, json.dumps(s.to_json(parsed))),
                )
        if name == "timezone":
            self._day = (0, 0, "")
        self._publish([WalletChanged(f"setting:{name}")])

    def settings(self) -> dict[str, Any]:
        """Every wallet-level setting with its current value."""
        from tokenwallet.wallet.settings import SETTINGS

        conn = self._conn()
        return {name: self._raw_setting(conn, name) for name in SETTINGS}

    # -- profiles -------------------------------------------------------------------------------
    def add_profile(self, name: str, *, role: str = "member") -> tuple[Profile, str]:
        """Create a profile and its first wallet key; the key is returned once and never stored."""
        name = check_name("profile", name)
        conn = self._conn()
        now = self._now_us()
        with immediate(conn):
            if conn.execute("SELECT 1 FROM profile WHERE name=?", (name,)).fetchone():
                raise WalletError(f"a profile named {name!r} already exists")
            cur = conn.execute(
                "INSERT INTO profile (name, role, paused, created_us) VALUES (?, ?, 0, ?)", (name, role, now)
            )
            pid = int(cur.lastrowid or 0)
            key = self._insert_key(conn, pid, None, "", now)
        self._publish([WalletChanged("profiles")])
        return Profile(pid, name, role, False, from_us(now)), key

    def profiles(self) -> list[Profile]:
        rows = self._conn().execute("SELECT id, name, role, paused, created_us FROM profile ORDER BY name")
        return [_profile(r) for r in rows]

    def profile(self, name: str) -> Profile:
        row = (
            self._conn()
            .execute("SELECT id, name, role, paused, created_us FROM profile WHERE name=?", (name,))
            .fetchone()
        )
        if row is None:
            raise NotFound(f"no profile named {name!r}")
        return _profile(row)

    def rename_profile(self, name: str, new_name: str) -> None:
        new_name = check_name("profile", new_name)
        conn = self._conn()
        with immediate(conn):
            pid = self._profile_id(conn, name)
            if conn.execute("SELECT 1 FROM profile WHERE name=? AND id<>?", (new_name, pid)).fetchone():
                raise WalletError(f"a profile named {new_name!r} already exists")
            conn.execute("UPDATE profile SET name=? WHERE id=?", (new_name, pid))
        self._key_cache.clear()
        self._publish([WalletChanged("profiles")])

    def set_profile_role(self, name: str, role: str) -> None:
        conn = self._conn()
        with immediate(conn):
            conn.execute("UPDATE profile SET role=? WHERE id=?", (role, self._profile_id(conn, name)))
        self._publish([WalletChanged("profiles")])

    def set_profile_paused(self, name: str, paused: bool) -> None:
        conn = self._conn()
        with immediate(conn):
            conn.execute(
                "UPDATE profile SET paused=? WHERE id=?", (int(paused), self._profile_id(conn, name))
            )
        self._key_cache.clear()
        self._publish([WalletChanged("profiles")])

    # -- keys -----------------------------------------------------------------------------------
    def _insert_key(
        self,
        conn: sqlite3.Connection,
        pid: int,
        project_id: int | None,
        label: str,
        now: int,
        *,
        session: str = "",
    ) -> str:
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        conn.execute(
            "INSERT INTO wallet_key (key_hash, prefix, profile_id, project_id, label, created_us, session)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (hash_key(key), key[:10], pid, project_id, label, now, session),
        )
        return key

    def new_key(self, profile: str, *, project: str | None = None, label: str = "") -> str:
        """A new wallet key for ``profile`` (optionally tagging ``project``); shown once."""
        conn = self._conn()
        with immediate(conn):
            pid = self._profile_id(conn, profile)
            proj = None if project is None else self._project_id(conn, project)
            key = self._insert_key(conn, pid, proj, label, self._now_us())
        self._publish([WalletChanged("keys")])
        return key

    def rotate_key(self, profile: str, *, project: str | None = None) -> str:
        """Revoke every key of ``profile`` and return one new key (bound to ``project`` if given)."""
        conn = self._conn()
        now = self._now_us()
        with immediate(conn):
            pid = self._profile_id(conn, profile)
            proj = None if project is None else self._project_id(conn, project)
            conn.execute(
                "UPDATE wallet_key SET revoked_us=? WHERE profile_id=? AND revoked_us IS NULL", (now, pid)
            )
            key = self._insert_key(conn, pid, proj, "", now)
        self._key_cache.clear()
        self._publish([WalletChanged("keys")])
        return key

    def revoke_key(self, key_id: int) -> None:
        conn = self._conn()
        with immediate(conn):
            cur = conn.execute(
                "UPDATE wallet_key SET revoked_us=? WHERE id=? AND revoked_us IS NULL",
                (self._now_us(), key_id),
            )
            if cur.rowcount == 0:
                raise NotFound(f"no active wallet key #{key_id}")
        self._key_cache.clear()
        self._publish([WalletChanged("keys")])

    def keys(self, profile: str | None = None) -> list[KeyInfo]:
        """Wallet keys (their first characters only), newest first."""
        conn = self._conn()
        sql = (
            "SELECT k.id, k.prefix, p.name, j.name, k.label, k.created_us, k.revoked_us FROM wallet_key k"
            " JOIN profile p ON p.id = k.profile_id LEFT JOIN project j ON j.id = k.project_id"
        )
        args: tuple[Any, ...] = ()
        if profile is not None:
            sql += " WHERE k.profile_id = ?"
            args = (self._profile_id(conn, profile),)
        rows = conn.execute(sql + " ORDER BY k.id DESC", args)
        return [KeyInfo(r[0], r[1], r[2], r[3], r[4], from_us(r[5]), opt_from_us(r[6])) for r in rows]

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version`` for this thread's connection: it changes when another
        connection (another process, another thread) commits."""
        return int(self._conn().execute("PRAGMA data_version").fetchone()[0])

    def resolve_key(self, key: str) -> KeyBinding | None:
        """The profile (and project) a wallet key stands for; None for unknown or revoked keys.

        Hot path: one dict lookup when cached, one indexed query otherwise.
        """
        conn = self._conn()
        seen = self._key_seen
        now = time.monotonic()
        if self._shared and getattr(seen, "conn", None) is conn and now - seen.checked < KEY_RECHECK_S:
            # on a shared wallet the version is a round trip to the server, which every call made
            # (half the meter's loop under load): asked at most every KEY_RECHECK_S
            version = seen.version
        else:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
            seen.checked = now
        if getattr(seen, "conn", None) is not conn or seen.version != version:
            self._key_cache.clear()  # someone else committed: what was cached may be stale
            seen.conn, seen.version = conn, version
        digest = hash_key(key)
        hit = self._key_cache.get(digest)
        if hit is not None and now - hit[0] < KEY_CACHE_S:
            return hit[1]
        row = conn.execute(
            "SELECT k.id, k.profile_id, p.name, k.project_id, j.name, p.paused, k.session"
            " FROM wallet_key k JOIN profile p ON p.id = k.profile_id"
            " LEFT JOIN project j ON j.id = k.project_id"
            " WHERE k.key_hash = ? AND k.revoked_us IS NULL",
            (digest,),
        ).fetchone()
        binding = (
            None if row is None else KeyBinding(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6])
        )
        if len(self._key_cache) > 10_000:  # unknown keys must not grow the cache without bound
            self._key_cache.clear()
        self._key_cache[digest] = (now, binding)
        return binding

    def bind_project(self, binding: KeyBinding, project: str) -> KeyBinding:
        """The same key tagged with another project (the proxy's X-Tokenwallet-Project header)."""
        pid = self._project_id(self._conn(), project)
        return replace(binding, project_id=pid, project=project)

    # -- projects -------------------------------------------------------------------------------
    def add_project(self, name: str, **client_fields: str) -> Project:
        """A project (for whom the work is done); ``client``, ``contact``, ``notes`` are free text."""
        name = check_name("project", name)
        unknown = set(client_fields) - set(PROJECT_FIELDS)
        if unknown:
            raise WalletError(f"unknown project field(s): {', '.join(sorted(unknown))}")
        fields = {f: str(client_fields.get(f, "")) for f in PROJECT_FIELDS}
        conn = self._conn()
        now = self._now_us()
        with immediate(conn):
            if conn.execute("SELECT 1 FROM project WHERE name=?", (name,)).fetchone():
                raise WalletError(f"a project named {name!r} already exists")
            cur = conn.execute(
                "INSERT INTO project (name, client, contact, notes, archived, created_us)"
                " VALUES (?, ?, ?, ?, 0, ?)",
                (name, fields["client"], fields["contact"], fields["notes"], now),
            )
        self._publish([WalletChanged("projects")])
        return Project(
            int(cur.lastrowid or 0), name, from_us(now), fields["client"], fields["contact"], fields["notes"]
        )

    def update_project(self, name: str, *, archived: bool | None = None, **client_fields: str) -> Project:
        unknown = set(client_fields) - set(PROJECT_FIELDS)
        if unknown:
            raise WalletError(f"unknown project field(s): {', '.join(sorted(unknown))}")
        conn = self._conn()
        with immediate(conn):
            pid = self._project_id(conn, name)
            for f, v in client_fields.items():
                conn.execute(f"UPDATE project SET {f}=? WHERE id=?", (str(v), pid))  # f is whitelisted
            if archived is not None:
                conn.execute("UPDATE project SET archived=? WHERE id=?", (int(archived), pid))
        self._publish([WalletChanged("projects")])
        return self.project(name)

    def projects(self) -> list[Project]:
        rows = self._conn().execute(
            "SELECT id, name, client, contact, notes, archived, created_us FROM project ORDER BY name"
        )
        return [_project(r) for r in rows]

    def project(self, name: str) -> Project:
        row = (
            self._conn()
            .execute(
                "SELECT id, name, client, contact, notes, archived, created_us FROM project WHERE name=?",
                (name,),
            )
            .fetchone()
        )
        if row is None:
            raise NotFound(f"no project named {name!r}")
        return _project(row)
