"""Error messages written by the core (wallet, money, pricing), translated when the CLI shows them.

The core raises in English: the same errors reach the proxy's callers and logs, which stay
English. The CLI looks the text up here: first as a whole, then against these templates, which
copy the core's f-strings with ``{name}`` for each part that varies. A message not listed here is
shown as the core wrote it.
"""

from __future__ import annotations

import re
from functools import cache

from tokenwallet.commands.i18n import N_, _

TEMPLATES = (
    # tokenwallet.core.money
    N_("cannot read amount {text} (try '20', '$5.50' or '2M tokens')"),
    N_("token amounts are whole numbers: {text}"),
    N_("not a number: {text}"),
    # tokenwallet.pricing.model_price.UnknownModelError
    N_(
        "no price known for model {model} on provider {provider}: add your own price with "
        "`tokenwallet prices override set {p} {m} --input USD --output USD` "
        "(USD per 1M tokens), or set the unknown_model_policy setting to 'fallback'"
    ),
    # tokenwallet.pricing.fx
    N_("cannot read exchange rate {text} (e.g. 7.12)"),
    N_("no exchange rate is kept for {code}: prices are in USD or {known}"),
    # tokenwallet.wallet
    N_("a top-up must be more than zero"),
    N_("a transfer must be more than zero"),
    N_("a budget cannot be negative"),
    N_("source and destination are the same envelope"),
    N_("the top-up's expiry date is already past"),
    N_("thresholds are percentages from 1 to 100"),
    N_("no profile named {name}"),
    N_("no project named {name}"),
    N_("no active wallet key #{id}"),
    N_("a profile named {name} already exists"),
    N_("a project named {name} already exists"),
    N_("bad {what} name {name} (1-64 printable characters, no ':')"),
    N_("unknown setting {name} (known: {known})"),
    N_("setting {name}: {text} is not one of {choices}"),
    N_("{name}: not a number: {value}"),
    N_("{name}: must be a non-negative number, got {value}"),
    N_("unknown action {action} (one of {actions})"),
    N_("provider {name} is new: give its --base-url"),
    N_("no tier named {names} (tiers: {known})"),
    N_("{path} already exists: choose another name, or remove it first"),
    N_("no such file: {path}"),
    N_("no wallet at {path} to back up"),
    N_("{path} is not a file"),
)
_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled = []
    for template in TEMPLATES:
        parts = _FIELD.split(template)  # text, name, text, name, …
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        compiled.append((re.compile(regex + r"\Z", re.S), template))
    return tuple(compiled)


def translate(text: str) -> str:
    """``text`` in the CLI's language when it is one of the core's known messages, else as is."""
    whole = _(text)
    if whole != text:
        return whole
    for regex, template in _patterns():
        match = regex.match(text)
        if match:
            translated = _(template)
            return translated.format(**match.groupdict()) if translated != template else text
    return text
