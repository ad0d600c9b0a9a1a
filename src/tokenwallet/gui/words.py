"""The wallet's own words, as the window shows them: periods, roles, actions, states, movements.

The wallet stores and compares these as English keys (``month``, ``block``, ``topup``); the window
turns a key into the user's language only where it shows it, with :func:`word`. Keys stay keys:
combo boxes carry them as item data, never as their text.
"""

from __future__ import annotations

import re
from typing import Any

from tokenwallet.gui.i18n import QT_TR_NOOP, tr

WORDS = {
    # budget and allowance periods
    "day": QT_TR_NOOP("day"),
    "week": QT_TR_NOOP("week"),
    "month": QT_TR_NOOP("month"),
    "year": QT_TR_NOOP("year"),
    "none": QT_TR_NOOP("prepaid"),
    "prepaid": QT_TR_NOOP("prepaid"),
    "engagement": QT_TR_NOOP("engagement"),
    # what a budget does when it is used up
    "warn": QT_TR_NOOP("warn"),
    "block": QT_TR_NOOP("block"),
    "downgrade": QT_TR_NOOP("downgrade"),
    # profile roles and household kinds
    "member": QT_TR_NOOP("member"),
    "agent": QT_TR_NOOP("agent"),
    "admin": QT_TR_NOOP("admin"),
    "owner": QT_TR_NOOP("owner"),
    "child": QT_TR_NOOP("child"),
    "adult": QT_TR_NOOP("adult"),
    # states
    "active": QT_TR_NOOP("active"),
    "paused": QT_TR_NOOP("paused"),
    "revoked": QT_TR_NOOP("revoked"),
    "ok": QT_TR_NOOP("ok"),
    "yes": QT_TR_NOOP("yes"),
    "no": QT_TR_NOOP("no"),
    "stored": QT_TR_NOOP("stored"),
    # budget movements
    "assign": QT_TR_NOOP("assign"),
    "topup": QT_TR_NOOP("top-up"),
    "transfer": QT_TR_NOOP("transfer"),
    "transfer_in": QT_TR_NOOP("transfer in"),
    "transfer_out": QT_TR_NOOP("transfer out"),
    "rollover": QT_TR_NOOP("rollover"),
    "expiry": QT_TR_NOOP("expiry"),
    "expire": QT_TR_NOOP("expiry"),
    "bonus": QT_TR_NOOP("bonus"),
    "budget set": QT_TR_NOOP("budget set"),
    "any model": QT_TR_NOOP("any model"),
    "budget": QT_TR_NOOP("budget"),
    "other": QT_TR_NOOP("other"),  # the charts' last slice: every smaller key together
    # model tiers (resources/model_tiers.toml)
    "frontier": QT_TR_NOOP("frontier"),
    "high": QT_TR_NOOP("high"),
    "mid": QT_TR_NOOP("mid"),
    "small": QT_TR_NOOP("small"),
    # scope kinds
    "wallet": QT_TR_NOOP("wallet"),
    "profile": QT_TR_NOOP("profile"),
    "project": QT_TR_NOOP("project"),
    "model": QT_TR_NOOP("model"),
    "provider": QT_TR_NOOP("provider"),
    # alert topics
    "thresholds": QT_TR_NOOP("budget warnings"),
    "refusals": QT_TR_NOOP("refused calls"),
    "guards": QT_TR_NOOP("guard trips"),
    # notes the wallet writes on movements
    "unused allowance carried over": QT_TR_NOOP("unused allowance carried over"),
    "overspend carried over as debt": QT_TR_NOOP("overspend carried over as debt"),
    # themes
    "system": QT_TR_NOOP("follow the system"),
    "light": QT_TR_NOOP("light"),
    "dark": QT_TR_NOOP("dark"),
}


def word(key: str | None) -> str:
    """``key`` in the user's language when it is one of the wallet's words, else as it is."""
    if key is None:
        return ""
    found = WORDS.get(key)
    return tr(found) if found else key


def scope_text(kind: str, name: str | None) -> str:
    """``profile alice``, ``project acme-site``, ``whole wallet``."""
    if kind == "wallet" or not name:
        return tr("whole wallet")
    return tr("{kind} {name}").format(kind=word(kind), name=name)


def envelope_label(env: Any) -> str:
    """``profile:alice (month)``: the wallet's ``Envelope.label``, in the window's words."""
    return tr("{scope} ({period})").format(scope=scope_key_text(env.scope), period=word(env.period or "none"))


# The billing layer's advice on PINs (tokenwallet.billing.pin), as the window shows it: the same
# sentences, marked here for the translators (the test of untranslated text notices a drift).
PIN_TEXTS = {
    "new": QT_TR_NOOP(
        "4 characters or more; letters and spaces are allowed, and a passphrase of a few words "
        "is much harder to guess than a 4-digit PIN"
    ),
    "weak": QT_TR_NOOP(
        "a short or all-digit PIN keeps members out of the app, but anyone who copies the wallet file "
        "can find it in minutes; a passphrase of a few words is safer (change it any time)"
    ),
}


def pin_hint() -> str:
    """The advice for a new owner PIN, as a sentence."""
    text = tr(PIN_TEXTS["new"])
    return tr("{sentence}.").format(sentence=text[:1].upper() + text[1:])


def weak_pin_note() -> str:
    return tr(PIN_TEXTS["weak"])


LABEL = re.compile(r"(?:(?P<kind>[a-z]+):(?P<name>.*)|wallet) \((?P<period>\w+)\)")


def label_text(label: str) -> str:
    """An envelope's label as events carry it (``profile:alice (month)``) in the window's words."""
    found = LABEL.fullmatch(label)
    if found is None:
        return label
    kind, name = found["kind"] or "wallet", found["name"]
    text = word(kind) if name is None else tr("{kind}:{name}").format(kind=word(kind), name=name)
    return tr("{scope} ({period})").format(scope=text, period=word(found["period"]))


def scope_key_text(scope: Any) -> str:
    """``profile:alice``, ``model:gpt-4o* for alice`` (the wallet's ``str(scope)``) in the window's words."""
    text = (
        word(scope.kind)
        if scope.name is None
        else tr("{kind}:{name}").format(kind=word(scope.kind), name=scope.name)
    )
    if getattr(scope, "profile", None):
        text += tr(" for {profile}").format(profile=scope.profile)
    return text
