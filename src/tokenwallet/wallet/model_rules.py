"""Which models a profile may use: its allow/deny patterns, stored in ``model_rules`` (schema v6).

A profile without a row has the default: a household child may use ``tier:small`` only, everyone
else any model. The first change to a profile's rules starts from that default (so allowing one
more model for a child keeps ``tier:small``); clearing them returns to it. The proxy reads every
profile's rules at once (:meth:`ModelRulesMixin.model_rules_all`) into a cache refreshed once a
second, and matches in memory (``proxy/model_policy.py``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from tokenwallet.core.events import WalletChanged
from tokenwallet.core.model_patterns import (
    RULE_ACTIONS,
    Action,
    ModelPattern,
    PatternError,
    RuleSet,
    parse_patterns,
)
from tokenwallet.wallet.base import WalletBase
from tokenwallet.wallet.db import immediate
from tokenwallet.wallet.errors import WalletError

#: What a household child may use until the owner says otherwise.
CHILD_DEFAULT = ("tier:small",)


def _stored(text: str) -> tuple[ModelPattern, ...]:
    try:
        return parse_patterns(json.loads(text))
    except (PatternError, ValueError, TypeError):
        # A row we cannot read must not open every model: allow nothing (the error names the rule).
        return (ModelPattern("(unreadable rules: set them again)", "", ""),)


def _default(kind: str | None) -> RuleSet:
    if kind == "child":
        return RuleSet(parse_patterns(CHILD_DEFAULT), (), "block", "household")
    return RuleSet()


def _own(row: tuple[str, str, str]) -> RuleSet:
    action: Action = "downgrade" if row[2] == "downgrade" else "block"
    return RuleSet(_stored(row[0]), _stored(row[1]), action, "own")


class ModelRulesMixin(WalletBase):
    def model_rules(self, profile: str) -> RuleSet:
        """The rules in force for ``profile`` (its own, or the default)."""
        conn = self._conn()
        pid = self._profile_id(conn, profile)
        return self._rules_of(conn, pid)

    def _rules_of(self, conn: sqlite3.Connection, pid: int) -> RuleSet:
        row = conn.execute(
            "SELECT allow, deny, action FROM model_rules WHERE profile_id=?", (pid,)
        ).fetchone()
        if row is not None:
            return _own(row)
        kind = conn.execute("SELECT kind FROM household_member WHERE profile_id=?", (pid,)).fetchone()
        return _default(None if kind is None else str(kind[0]))

    def model_rules_all(self) -> dict[int, RuleSet]:
        """Every profile's rules that are not "any model", by profile id (one read, for the proxy)."""
        conn = self._conn()
        out: dict[int, RuleSet] = {}
        for pid, kind in conn.execute("SELECT profile_id, kind FROM household_member"):
            rules = _default(str(kind))
            if not rules.open:
                out[int(pid)] = rules
        rows = conn.execute("SELECT profile_id, allow, deny, action FROM model_rules")
        for pid, allow, deny, action in rows:
            rules = _own((allow, deny, action))
            if rules.open:
                out.pop(int(pid), None)
            else:
                out[int(pid)] = rules
        return out

    def change_model_rules(
        self,
        profile: str,
        *,
        allow: Sequence[str] = (),
        deny: Sequence[str] = (),
        remove: Sequence[str] = (),
        action: str | None = None,
    ) -> RuleSet:
        """Add ``allow``/``deny`` patterns, drop the ``remove`` ones, set the ``action``; all or nothing.

        Starts from the rules in force (the household default included). Unknown tier names and bad
        patterns raise WalletError before anything changes.
        """
        try:
            add_allow, add_deny, drop = parse_patterns(allow), parse_patterns(deny), parse_patterns(remove)
        except PatternError as exc:
            raise WalletError(str(exc)) from None
        if action is not None and action not in RULE_ACTIONS:
            raise WalletError(f"unknown action {action!r} (block or downgrade)")
        self._check_tiers([*add_allow, *add_deny])
        conn = self._conn()
        with immediate(conn):
            pid = self._profile_id(conn, profile)
            cur = self._rules_of(conn, pid)
            gone = {p.text for p in drop}
            missing = gone - {p.text for p in (*cur.allow, *cur.deny)}
            if missing:
                raise WalletError(f"{profile} has no rule {', '.join(sorted(missing))} to remove")
            new_allow = [p.text for p in (*cur.allow, *add_allow) if p.text not in gone]
            new_deny = [p.text for p in (*cur.deny, *add_deny) if p.text not in gone]
            rules = self._write(conn, pid, new_allow, new_deny, action or cur.action)
        self._publish([WalletChanged("model_rules")])
        return rules

    def set_model_rules(
        self, profile: str, *, allow: Sequence[str], deny: Sequence[str] = (), action: str = "block"
    ) -> RuleSet:
        """Replace ``profile``'s rules with exactly these (an empty ``allow``: any model)."""
        try:
            new_allow, new_deny = parse_patterns(allow), parse_patterns(deny)
        except PatternError as exc:
            raise WalletError(str(exc)) from None
        if action not in RULE_ACTIONS:
            raise WalletError(f"unknown action {action!r} (block or downgrade)")
        self._check_tiers([*new_allow, *new_deny])
        conn = self._conn()
        with immediate(conn):
            pid = self._profile_id(conn, profile)
            rules = self._write(conn, pid, [p.text for p in new_allow], [p.text for p in new_deny], action)
        self._publish([WalletChanged("model_rules")])
        return rules

    def _write(
        self, conn: sqlite3.Connection, pid: int, allow: list[str], deny: list[str], action: str
    ) -> RuleSet:
        both = set(allow) & set(deny)
        if both:
            raise WalletError(f"{', '.join(sorted(both))} cannot be both allowed and denied")
        conn.execute(
            "INSERT INTO model_rules (profile_id, allow, deny, action, updated_us) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (profile_id) DO UPDATE SET allow=excluded.allow, deny=excluded.deny,"
            " action=excluded.action, updated_us=excluded.updated_us",
            (pid, json.dumps(list(dict.fromkeys(allow))), json.dumps(list(dict.fromkeys(deny))), action,
             self._now_us()),
        )  # fmt: skip
        return self._rules_of(conn, pid)

    def clear_model_rules(self, profile: str) -> RuleSet:
        """Drop ``profile``'s own rules: the default applies again (``tier:small`` for a child)."""
        conn = self._conn()
        with immediate(conn):
            pid = self._profile_id(conn, profile)
            conn.execute("DELETE FROM model_rules WHERE profile_id=?", (pid,))
            rules = self._rules_of(conn, pid)
        self._publish([WalletChanged("model_rules")])
        return rules

    def _check_tiers(self, patterns: Sequence[ModelPattern]) -> None:
        tiers = {p.tier for p in patterns if p.tier is not None}
        if not tiers:
            return
        from tokenwallet.pricing.suggest import Tiers

        known = Tiers.load(self.path.parent).order
        unknown = sorted(tiers - set(known))
        if unknown:
            raise WalletError(f"no tier named {', '.join(unknown)} (tiers: {', '.join(known)})")
