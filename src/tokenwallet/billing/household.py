"""A household: an owner and members sharing one wallet, each member on an allowance.

* The owner is a profile with role ``admin``; the household row holds the owner PIN (see
  :mod:`tokenwallet.billing.pin`).
* A member is a profile (role ``member``) with its own wallet keys and an allowance: an envelope
  on the member's profile in money or tokens per day/week/month, optionally with rollover.
  Children get a hard stop (action ``block``) unless told otherwise; adults a warning.
* Everything that changes money — adding a member, changing an allowance, top-ups and bonuses,
  transfers, pausing, new keys — asks for the owner PIN first and changes nothing without it.
  Reading balances and history needs no PIN.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from tokenwallet.billing import store
from tokenwallet.billing.pin import PinError, check_new_pin, hash_pin, household_exists, log, require_owner
from tokenwallet.core.money import Amount, format_amount
from tokenwallet.core.periods import PeriodError, check_period
from tokenwallet.wallet.errors import NotFound, WalletError
from tokenwallet.wallet.types import Envelope, Scope

if TYPE_CHECKING:
    from tokenwallet.wallet import Profile, Wallet

Kind = Literal["owner", "child", "adult"]
KINDS = ("child", "adult")
ALLOWANCE_PERIODS = ("day", "week", "month")


@dataclass(frozen=True, slots=True)
class Member:
    """One person in the household (the owner included, with kind ``owner``)."""

    name: str
    kind: Kind
    paused: bool
    allowance: Envelope | None  # the member's own envelope (None for an owner without one)

    @property
    def is_owner(self) -> bool:
        return self.kind == "owner"


def _now_us(wallet: Wallet, now: datetime | None) -> int:
    return store.stamp(store.now_utc(now, wallet))


def owner_name(wallet: Wallet) -> str | None:
    """The owner's profile name, or None without a household."""
    if not household_exists(wallet):
        return None
    with store.read(wallet) as conn:
        row = conn.execute("SELECT p.name FROM household h JOIN profile p ON p.id = h.owner_id").fetchone()
    return None if row is None else str(row[0])


def init_household(
    wallet: Wallet, owner: str, pin: str, *, now: datetime | None = None
) -> tuple[Profile, str | None]:
    """Make ``owner`` (created if needed, role admin) the owner, protected by ``pin``.

    Returns the owner profile and its new wallet key when the profile was created (else None).
    """
    check_new_pin(pin)
    if household_exists(wallet):
        raise WalletError(f"this wallet already has a household (owner: {owner_name(wallet)})")
    hashed = hash_pin(pin)
    key: str | None = None
    try:
        profile = wallet.profile(owner)
        if profile.role != "admin":
            wallet.set_profile_role(owner, "admin")
            profile = wallet.profile(owner)
    except NotFound:
        profile, key = wallet.add_profile(owner, role="admin")
    now_us = _now_us(wallet, now)
    with store.write(wallet) as conn:
        if conn.execute("SELECT 1 FROM household").fetchone():
            raise WalletError("this wallet already has a household")
        conn.execute(
            "INSERT INTO household (id, owner_id, pin_hash, failed, locked_until_us, created_us)"
            " VALUES (1, ?, ?, 0, 0, ?)",
            (profile.id, hashed, now_us),
        )
        log(conn, now_us, "init", f"household created, owner {profile.name}", True)
    return profile, key


def _allowance(wallet: Wallet, name: str) -> Envelope | None:
    own = [e for e in wallet.envelopes() if e.scope.kind == "profile" and e.scope.name == name]
    rank = {"day": 0, "week": 1, "month": 2, "year": 3, "none": 4}  # the allowance before a prepaid top-up
    own.sort(key=lambda e: rank.get(e.period, 9))
    return own[0] if own else None


def members(wallet: Wallet) -> list[Member]:
    """The owner first, then the members by name. Empty without a household."""
    if not household_exists(wallet):
        return []
    with store.read(wallet) as conn:
        owner_id = int(conn.execute("SELECT owner_id FROM household").fetchone()[0])
        kinds = {int(r[0]): str(r[1]) for r in conn.execute("SELECT profile_id, kind FROM household_member")}
    out: list[Member] = []
    for p in wallet.profiles():
        if p.id == owner_id:
            out.insert(0, Member(p.name, "owner", p.paused, _allowance(wallet, p.name)))
        elif p.id in kinds:
            kind: Kind = "adult" if kinds[p.id] == "adult" else "child"
            out.append(Member(p.name, kind, p.paused, _allowance(wallet, p.name)))
    return out


def member(wallet: Wallet, name: str) -> Member:
    for m in members(wallet):
        if m.name == name:
            return m
    if not household_exists(wallet):
        raise WalletError("this wallet has no household yet (tokenwallet household init --owner NAME)")
    raise NotFound(f"{name!r} is not in the household")


def _period(period: str) -> str:
    try:
        per = check_period(period)
    except PeriodError as exc:
        raise WalletError(str(exc)) from None
    if per not in ALLOWANCE_PERIODS:
        raise WalletError(f"an allowance is per {', '.join(ALLOWANCE_PERIODS)}, not {period!r}")
    return per


def add_member(
    wallet: Wallet,
    name: str,
    allowance: Amount,
    *,
    pin: str | None,
    period: str = "week",
    kind: str = "child",
    hard: bool | None = None,
    rollover: bool = False,
    now: datetime | None = None,
) -> tuple[Member, str]:
    """Add ``name`` with an allowance; returns the member and their first wallet key (shown once).

    ``hard`` defaults to True for children (calls beyond the allowance are refused) and False for
    adults (a warning only).
    """
    if not household_exists(wallet):
        raise WalletError("this wallet has no household yet (tokenwallet household init --owner NAME)")
    per = _period(period)
    if kind not in KINDS:
        raise WalletError(f"unknown member kind {kind!r} (child or adult)")
    if allowance.value <= 0:
        raise WalletError("an allowance must be more than zero")
    stop = (kind == "child") if hard is None else hard
    if any(p.name == name for p in wallet.profiles()):
        raise WalletError(f"a profile named {name!r} already exists")
    require_owner(wallet, pin, action=f"add {name} to the household", now=now)
    profile, key = wallet.add_profile(name, role="member")
    wallet.set_budget(
        Scope("profile", name), allowance, period=per, action="block" if stop else "warn", rollover=rollover
    )
    now_us = _now_us(wallet, now)
    with store.write(wallet) as conn:
        conn.execute(
            "INSERT INTO household_member (profile_id, kind, added_us) VALUES (?, ?, ?)",
            (profile.id, kind, now_us),
        )
        rule = (
            f"{format_amount(allowance.unit, allowance.value)} per {per}, {'hard stop' if stop else 'warn'}"
        )
        log(conn, now_us, "add", f"{name} ({kind}): {rule}", True)
    return member(wallet, name), key


def _require_member(wallet: Wallet, name: str) -> Member:
    return member(wallet, name)


def _same_unit(m: Member, amount: Amount) -> None:
    """Money into a token allowance (or the reverse) would open a second, blocking envelope."""
    if m.allowance is not None and m.allowance.unit != amount.unit:
        example = "'500k tokens'" if m.allowance.unit == "tokens" else "'2' or '$2.50'"
        raise WalletError(
            f"{m.name}'s allowance is in {m.allowance.unit}: give {m.allowance.unit} (e.g. {example})"
        )


def set_allowance(
    wallet: Wallet,
    name: str,
    allowance: Amount | None = None,
    *,
    pin: str | None,
    period: str | None = None,
    hard: bool | None = None,
    rollover: bool | None = None,
    now: datetime | None = None,
) -> Member:
    """Change a member's allowance (amount, period, hard stop, rollover); the owner PIN is required."""
    m = _require_member(wallet, name)
    old = m.allowance
    if old is None and allowance is None:
        raise WalletError(f"{name} has no allowance yet: give the amount")
    per = _period(period) if period is not None else (old.period if old else "week")
    amount = allowance if allowance is not None else Amount(old.unit, old.amount)  # type: ignore[union-attr]
    if amount.value <= 0:
        raise WalletError("an allowance must be more than zero")
    action = ("block" if hard else "warn") if hard is not None else (old.action if old else "block")
    roll = rollover if rollover is not None else (old.rollover if old else False)
    require_owner(wallet, pin, action=f"change the allowance of {name}", now=now)
    if old is not None and (old.period != per or old.unit != amount.unit):
        wallet.remove_budget(old.id)
    wallet.set_budget(Scope("profile", name), amount, period=per, action=action, rollover=roll)
    now_us = _now_us(wallet, now)
    with store.write(wallet) as conn:
        log(conn, now_us, "allowance", f"{name}: {format_amount(amount.unit, amount.value)} per {per}", True)
    return member(wallet, name)


def topup_member(
    wallet: Wallet,
    name: str,
    amount: Amount,
    *,
    pin: str | None,
    expires_at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Envelope:
    """Give ``name`` extra money or tokens; with ``expires_at`` it is a one-off bonus that lapses."""
    _same_unit(_require_member(wallet, name), amount)
    if amount.value <= 0:
        raise WalletError("a top-up must be more than zero")
    at = store.now_utc(now, wallet)
    if expires_at is not None and expires_at <= at:
        raise WalletError("the bonus's expiry date is already past")
    require_owner(wallet, pin, action=f"top up {name}", now=now)
    what = "bonus" if expires_at is not None else "top-up"
    env = wallet.topup(
        Scope("profile", name), amount, expires_at=expires_at, note=note or f"{what} from the owner"
    )
    with store.write(wallet) as conn:
        until = f", lapses {expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else ""
        log(conn, store.stamp(at), what, f"{name}: {format_amount(amount.unit, amount.value)}{until}", True)
    return env


def transfer(
    wallet: Wallet, src: str, dst: str, amount: Amount, *, pin: str | None, now: datetime | None = None
) -> None:
    """Move allowance from one member to another (refused if ``src`` cannot cover it)."""
    if src == dst:
        raise WalletError("cannot transfer from a member to themselves")
    _same_unit(_require_member(wallet, src), amount)
    _same_unit(_require_member(wallet, dst), amount)
    require_owner(wallet, pin, action=f"move money from {src} to {dst}", now=now)
    wallet.transfer(Scope("profile", src), Scope("profile", dst), amount)
    with store.write(wallet) as conn:
        log(
            conn,
            _now_us(wallet, now),
            "transfer",
            f"{format_amount(amount.unit, amount.value)} {src} → {dst}",
            True,
        )


def pause_member(
    wallet: Wallet, name: str, paused: bool, *, pin: str | None, now: datetime | None = None
) -> None:
    """Stop (or restart) a member's calls: the proxy refuses a paused profile's keys."""
    m = _require_member(wallet, name)
    if m.is_owner and paused:
        raise WalletError("the owner cannot be paused (pause metering instead)")
    require_owner(wallet, pin, action=f"{'pause' if paused else 'resume'} {name}", now=now)
    wallet.set_profile_paused(name, paused)
    with store.write(wallet) as conn:
        log(conn, _now_us(wallet, now), "pause" if paused else "resume", name, True)


def new_member_key(
    wallet: Wallet, name: str, *, pin: str | None, label: str = "", now: datetime | None = None
) -> str:
    """Another wallet key for a member's device (keys spend money, so the PIN is required)."""
    _require_member(wallet, name)
    require_owner(wallet, pin, action=f"make a new key for {name}", now=now)
    key = wallet.new_key(name, label=label)
    with store.write(wallet) as conn:
        log(conn, _now_us(wallet, now), "key", f"new key for {name} {label}".strip(), True)
    return key


def loopholes(wallet: Wallet) -> list[str]:
    """Settings that would let a member spend outside their allowance (shown to the owner)."""
    out = []
    try:
        passthrough = wallet.get_setting("passthrough_profile")
    except WalletError:
        passthrough = None
    if passthrough:
        out.append(
            f"Calls sent without a wallet key are charged to {passthrough!r} (setting passthrough_profile):"
            " a member could skip their own key. Turn it off with:"
            " tokenwallet settings set passthrough_profile none"
        )
    return out


@dataclass(frozen=True, slots=True)
class LogEntry:
    at: datetime
    action: str
    detail: str
    ok: bool


def history(wallet: Wallet, *, limit: int = 100) -> list[LogEntry]:
    """What happened in the household (owner actions, wrong PINs), newest first."""
    with store.read(wallet) as conn:
        rows = conn.execute(
            "SELECT at_us, action, detail, ok FROM household_log ORDER BY at_us DESC, id DESC LIMIT ?",
            (limit,),
        ).fetchall()
    return [LogEntry(store.from_us(r[0]), str(r[1]), str(r[2]), bool(r[3])) for r in rows]


__all__ = [
    "KINDS",
    "LogEntry",
    "Member",
    "PinError",
    "add_member",
    "history",
    "init_household",
    "loopholes",
    "member",
    "members",
    "new_member_key",
    "owner_name",
    "pause_member",
    "set_allowance",
    "topup_member",
    "transfer",
]
