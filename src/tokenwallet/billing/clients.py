"""Clients: projects with billing terms, an optional budget cap, and keys that tag their calls.

A client *is* a wallet project (so the wallet's key→project binding and ``X-Tokenwallet-Project``
already land every call on it); this module adds the billing side in ``client_billing``: markup
and tax percent, invoice currency and its user-set rate, and the details printed on invoices.
The cap is an ordinary project envelope — per period, or for the whole engagement (period
``none``) — so the proxy enforces it like any budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tokenwallet.billing import store
from tokenwallet.billing.pin import require_owner
from tokenwallet.billing.rounding import Terms, check_currency, parse_decimal
from tokenwallet.wallet.errors import NotFound, WalletError
from tokenwallet.wallet.types import Envelope, Scope

if TYPE_CHECKING:
    from tokenwallet.core.money import Amount
    from tokenwallet.wallet import Wallet

#: ``--period engagement`` is a cap for the whole job: a wallet envelope that never resets.
ENGAGEMENT = "engagement"
CAP_PERIODS = ("day", "week", "month", "year", ENGAGEMENT)
DETAIL_FIELDS = ("legal_name", "address", "email", "tax_id")
ISSUER_FIELDS = ("name", "address", "email", "tax_id", "iban", "payment_terms", "prefix")


@dataclass(frozen=True, slots=True)
class Client:
    """A project billed to a client."""

    name: str  # the project name (what keys and X-Tokenwallet-Project use)
    terms: Terms
    legal_name: str = ""
    address: str = ""
    email: str = ""
    tax_id: str = ""
    cap: Envelope | None = None

    @property
    def display_name(self) -> str:
        return self.legal_name or self.name


@dataclass(frozen=True, slots=True)
class Issuer:
    """The freelancer's own details for invoices, and the invoice numbering."""

    name: str = ""
    address: str = ""
    email: str = ""
    tax_id: str = ""
    iban: str = ""
    payment_terms: str = ""
    prefix: str = "INV-"
    next_number: int = 1


def store_period(period: str) -> str:
    """A cap period as the wallet stores it (``engagement`` → ``none``)."""
    if period not in CAP_PERIODS and period != "none":
        raise WalletError(f"unknown cap period {period!r} (one of {', '.join(CAP_PERIODS)})")
    return "none" if period in (ENGAGEMENT, "none") else period


def _terms(markup: Any, tax: Any, currency: str, rate: Any) -> Terms:
    return Terms(
        markup_pct=parse_decimal(markup, "markup %", most=1000),
        tax_pct=parse_decimal(tax, "tax %", most=100),
        currency=check_currency(currency),
        rate=parse_decimal(rate, "exchange rate", positive=True),
    )


def add_client(
    wallet: Wallet,
    name: str,
    *,
    markup: Decimal | str | int = 0,
    tax: Decimal | str | int = 0,
    currency: str = "USD",
    rate: Decimal | str | int = 1,
    budget: Amount | None = None,
    period: str = "month",
    action: str = "block",
    pin: str | None = None,
    now: datetime | None = None,
    **details: str,
) -> Client:
    """Make ``name`` a client: creates the project if needed, sets terms and the optional cap.

    Validates everything (and the owner PIN when a household exists) before writing anything.
    """
    terms = _terms(markup, tax, currency, rate)
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise WalletError(f"unknown client field(s): {', '.join(sorted(unknown))}")
    per = store_period(period)
    with store.read(wallet) as conn:
        row = conn.execute(
            "SELECT 1 FROM client_billing b JOIN project p ON p.id = b.project_id WHERE p.name=?", (name,)
        ).fetchone()
    if row is not None:
        raise WalletError(f"{name!r} is already a client (change it with 'tokenwallet client set')")
    require_owner(wallet, pin, action=f"add client {name}", now=now)
    try:
        wallet.project(name)
    except NotFound:
        wallet.add_project(name, client=details.get("legal_name", "") or name)
    _save(wallet, name, terms, {f: details.get(f, "") for f in DETAIL_FIELDS}, now)
    if budget is not None:
        wallet.set_budget(Scope("project", name), budget, period=per, action=action)
    return client(wallet, name)


def _save(wallet: Wallet, name: str, terms: Terms, details: dict[str, str], now: datetime | None) -> None:
    now_us = store.stamp(store.now_utc(now, wallet))
    with store.write(wallet) as conn:
        row = conn.execute("SELECT id FROM project WHERE name=?", (name,)).fetchone()
        if row is None:
            raise NotFound(f"no project named {name!r}")
        conn.execute(
            "INSERT INTO client_billing (project_id, markup_pct, tax_pct, currency, rate, legal_name,"
            " address, email, tax_id, updated_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(project_id) DO UPDATE SET markup_pct=excluded.markup_pct, tax_pct=excluded.tax_pct,"
            " currency=excluded.currency, rate=excluded.rate, legal_name=excluded.legal_name,"
            " address=excluded.address, email=excluded.email, tax_id=excluded.tax_id,"
            " updated_us=excluded.updated_us",
            (
                int(row[0]),
                str(terms.markup_pct),
                str(terms.tax_pct),
                terms.currency,
                str(terms.rate),
                details["legal_name"],
                details["address"],
                details["email"],
                details["tax_id"],
                now_us,
            ),
        )


def set_client(
    wallet: Wallet,
    name: str,
    *,
    markup: Decimal | str | int | None = None,
    tax: Decimal | str | int | None = None,
    currency: str | None = None,
    rate: Decimal | str | int | None = None,
    budget: Amount | None = None,
    period: str | None = None,
    action: str | None = None,
    pin: str | None = None,
    now: datetime | None = None,
    **details: str | None,
) -> Client:
    """Change some of a client's terms, details or cap; other fields keep their values."""
    old = client(wallet, name)
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise WalletError(f"unknown client field(s): {', '.join(sorted(unknown))}")
    t = old.terms
    terms = _terms(
        t.markup_pct if markup is None else markup,
        t.tax_pct if tax is None else tax,
        t.currency if currency is None else currency,
        t.rate if rate is None else rate,
    )
    merged = {f: (getattr(old, f) if details.get(f) is None else str(details[f])) for f in DETAIL_FIELDS}
    cap_change = budget is not None or period is not None or action is not None
    if cap_change and budget is None and old.cap is None:
        raise WalletError(f"{name} has no budget cap yet: give the amount (--budget)")
    per = store_period(period) if period is not None else (old.cap.period if old.cap else "month")
    require_owner(wallet, pin, action=f"change client {name}", now=now)
    _save(wallet, name, terms, merged, now)
    if cap_change:
        if old.cap is not None and old.cap.period != per:
            wallet.remove_budget(old.cap.id)
        amount = budget if budget is not None else _amount_of(old.cap)
        wallet.set_budget(
            Scope("project", name),
            amount,
            period=per,
            action=action or (old.cap.action if old.cap else "block"),
        )
    if merged["legal_name"] != old.legal_name and merged["legal_name"]:
        wallet.update_project(name, client=merged["legal_name"])
    return client(wallet, name)


def _amount_of(env: Envelope | None) -> Amount:
    from tokenwallet.core.money import Amount

    assert env is not None
    return Amount(env.unit, env.amount)


def remove_cap(wallet: Wallet, name: str, *, pin: str | None = None, now: datetime | None = None) -> None:
    """Drop a client's budget cap (its calls are then limited only by other envelopes)."""
    cap = client(wallet, name).cap
    if cap is None:
        raise WalletError(f"{name} has no budget cap")
    require_owner(wallet, pin, action=f"remove the cap of {name}", now=now)
    wallet.remove_budget(cap.id)


def _from_row(wallet: Wallet, r: tuple[Any, ...], caps: dict[str, Envelope]) -> Client:
    terms = Terms(Decimal(r[1]), Decimal(r[2]), str(r[3]), Decimal(r[4]))
    return Client(str(r[0]), terms, str(r[5]), str(r[6]), str(r[7]), str(r[8]), caps.get(str(r[0])))


_SELECT = (
    "SELECT p.name, b.markup_pct, b.tax_pct, b.currency, b.rate, b.legal_name, b.address, b.email, b.tax_id"
    " FROM client_billing b JOIN project p ON p.id = b.project_id"
)


def _caps(wallet: Wallet) -> dict[str, Envelope]:
    out: dict[str, Envelope] = {}
    for e in wallet.envelopes():
        if e.scope.kind == "project" and e.scope.name is not None:
            known = out.get(e.scope.name)
            # several caps on one project: show the longest-lived (the engagement cap first)
            rank = {"none": 0, "year": 1, "month": 2, "week": 3, "day": 4}
            if known is None or rank.get(e.period, 9) < rank.get(known.period, 9):
                out[e.scope.name] = e
    return out


def client(wallet: Wallet, name: str) -> Client:
    """One client by its project name (NotFound if the project is not a client)."""
    with store.read(wallet) as conn:
        row = conn.execute(_SELECT + " WHERE p.name=?", (name,)).fetchone()
    if row is None:
        raise NotFound(f"no client named {name!r} (add it with 'tokenwallet client add {name}')")
    return _from_row(wallet, row, _caps(wallet))


def clients(wallet: Wallet) -> list[Client]:
    """Every client, by name."""
    with store.read(wallet) as conn:
        rows = conn.execute(_SELECT + " ORDER BY p.name").fetchall()
    caps = _caps(wallet)
    return [_from_row(wallet, r, caps) for r in rows]


def key_profile(wallet: Wallet, profile: str | None) -> str:
    """Whose spending a client key records: the given profile, else the only (or the admin) one.

    On a fresh wallet with no profile yet, creates ``me`` (role admin) — the freelancer.
    """
    if profile is not None:
        return wallet.profile(profile).name
    profiles = wallet.profiles()
    if not profiles:
        wallet.add_profile("me", role="admin")
        return "me"
    if len(profiles) == 1:
        return profiles[0].name
    admins = [p for p in profiles if p.role in ("admin", "owner")]
    if len(admins) == 1:
        return admins[0].name
    names = ", ".join(p.name for p in profiles)
    raise WalletError(f"several profiles ({names}): say whose key it is with --profile NAME")


def client_key(
    wallet: Wallet, name: str, *, profile: str | None = None, label: str = "", pin: str | None = None
) -> tuple[str, str]:
    """A new wallet key whose calls land on client ``name``: ``(profile, key)``; shown once.

    Keys spend money, so in a household the owner PIN is required.
    """
    client(wallet, name)
    require_owner(wallet, pin, action=f"make a key for client {name}")
    who = key_profile(wallet, profile)
    return who, wallet.new_key(who, project=name, label=label or f"client {name}")


def issuer(wallet: Wallet) -> Issuer:
    """The freelancer's details and the next invoice number."""
    with store.read(wallet) as conn:
        values = {f: store.setting_get(conn, f"issuer.{f}") for f in ISSUER_FIELDS}
        nxt = int(store.setting_get(conn, "invoice.next", "1"))
    values["prefix"] = values["prefix"] or "INV-"
    return Issuer(**values, next_number=nxt)


def set_issuer(wallet: Wallet, *, next_number: int | None = None, **fields: str | None) -> Issuer:
    """Change the freelancer's details (``name``, ``address`` …) and optionally the next number."""
    unknown = set(fields) - set(ISSUER_FIELDS)
    if unknown:
        raise WalletError(f"unknown field(s): {', '.join(sorted(unknown))}")
    if next_number is not None and next_number < 1:
        raise WalletError("invoice numbers start at 1")
    with store.write(wallet) as conn:
        for f, v in fields.items():
            if v is not None:
                store.setting_put(conn, f"issuer.{f}", v.strip() if f != "address" else v.strip("\n"))
        if next_number is not None:
            used = conn.execute("SELECT MAX(seq) FROM invoice").fetchone()[0]
            if used is not None and next_number <= int(used):
                raise WalletError(f"invoice number {next_number} is already used (last issued: {used})")
            store.setting_put(conn, "invoice.next", str(next_number))
    return issuer(wallet)
