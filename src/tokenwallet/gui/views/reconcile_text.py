"""A reconciliation in the window's language: its summary from the figures, and the reconcile
layer's causes and notes (English sentences built in ``tokenwallet.reconcile``) matched against a
table of their shapes and rewritten from the translation. A sentence of a shape not in the table
stays as it is; tests/gui/test_i18n.py feeds every shape through the table."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from tokenwallet.gui.i18n import QT_TR_NOOP, tr

MORE = r"(?: \((?P<extra>[\d,]+) more requests?\))?"
# (the reconcile layer's sentence, its template for the translators); named groups fill the template
CAUSES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?P<n>[\d,]+) request\(s\) still in flight, held at (?P<money>\S+)"),
     QT_TR_NOOP("{n} request(s) still in flight, held at {money}")),
    (re.compile(r"no cost from the provider for this day and model \(usage only\)"),
     QT_TR_NOOP("no cost from the provider for this day and model (usage only)")),
    (re.compile(r"the provider has not reported this day yet \(figures settle about a day after it ends\)"),
     QT_TR_NOOP("the provider has not reported this day yet (figures settle about a day after it ends)")),
    (re.compile(r"the provider has not closed this day yet \(figures settle about a day after it ends\)"),
     QT_TR_NOOP("the provider has not closed this day yet (figures settle about a day after it ends)")),
    (re.compile(r"matches \(within half a cent\)"), QT_TR_NOOP("matches (within half a cent)")),
    (re.compile(r"calls that bypassed the meter" + MORE
                + r" \(the provider sent no token counts to tell a price difference\)"),
     QT_TR_NOOP("calls that bypassed the meter{more} (the provider sent no token counts to tell a price "
                "difference)")),
    (re.compile(r"the wallet charged more than the provider billed"),
     QT_TR_NOOP("the wallet charged more than the provider billed")),
    (re.compile(r"(?P<n>[\d,]+) call\(s\) charged an estimate \(the answer carried no usage\)"),
     QT_TR_NOOP("{n} call(s) charged an estimate (the answer carried no usage)")),
    (re.compile(r"calls that bypassed the meter: (?P<tokens>[\d,]+) more tokens" + MORE
                + r" than the wallet saw, (?P<money>\S+) at the meter's price"),
     QT_TR_NOOP("calls that bypassed the meter: {tokens} more tokens{more} than the wallet saw, {money} "
                "at the meter's price")),
    (re.compile(r"the wallet counted (?P<tokens>[\d,]+) tokens the provider did not bill "
                r"\((?P<money>\S+) at the meter's price: failed or refunded calls\?\)"),
     QT_TR_NOOP("the wallet counted {tokens} tokens the provider did not bill ({money} at the meter's "
                "price: failed or refunded calls?)")),
    (re.compile(r"price difference: the provider charged (?P<money>\S+) more for the same tokens "
                r"\((?P<theirs>\S+) vs the meter's (?P<ours>\S+) per 1M tokens on average; "
                r"the meter uses (?P<price>.+)\)"),
     QT_TR_NOOP("price difference: the provider charged {money} more for the same tokens ({theirs} vs "
                "the meter's {ours} per 1M tokens on average; the meter uses {price})")),
    (re.compile(r"price difference: the provider charged (?P<money>\S+) less for the same tokens "
                r"\((?P<theirs>\S+) vs the meter's (?P<ours>\S+) per 1M tokens on average; "
                r"the meter uses (?P<price>.+)\)"),
     QT_TR_NOOP("price difference: the provider charged {money} less for the same tokens ({theirs} vs "
                "the meter's {ours} per 1M tokens on average; the meter uses {price})")),
    (re.compile(r"calls that bypassed the meter \(or a price difference: "
                r"OpenRouter gives no breakdown here\)"),
     QT_TR_NOOP("calls that bypassed the meter (or a price difference: OpenRouter gives no breakdown here)")),
    # the providers' notes
    (re.compile(r"Anthropic's cost report leaves out Priority Tier costs"),
     QT_TR_NOOP("Anthropic's cost report leaves out Priority Tier costs")),
    (re.compile(r"OpenRouter reports a key's spend only for today, this week and this month"),
     QT_TR_NOOP("OpenRouter reports a key's spend only for today, this week and this month")),
    (re.compile(r"credits skipped: store a management key as 'openrouter-admin' to see them"),
     QT_TR_NOOP("credits skipped: store a management key as 'openrouter-admin' to see them")),
    (re.compile(r"credits: (?P<bought>\S+) bought, (?P<used>\S+) used, (?P<left>\S+) left"),
     QT_TR_NOOP("credits: {bought} bought, {used} used, {left} left")),
]  # fmt: skip


def sentence(text: str) -> str:
    """One cause or note of the reconcile layer in the window's language (as it is if unknown)."""
    for pattern, template in CAUSES:
        found = pattern.fullmatch(text)
        if found is None:
            continue
        values = {k: v for k, v in found.groupdict().items() if k != "extra"}
        extra = found.groupdict().get("extra")
        more = tr(" ({n} more request)") if extra == "1" else tr(" ({n} more requests)")
        values["more"] = more.format(n=extra) if extra else ""
        return tr(template).format(**values)
    return text


def summary(rec: Any, money: Callable[..., str]) -> str:
    """``openai (api): 2026-11-01 … 2026-11-29 (UTC days) — provider $20.80, wallet $8.65, …``."""
    last = date.fromordinal(rec.end.toordinal() - 1)
    text = tr(
        "{provider} ({source}): {start} … {last} (UTC days) — provider {theirs}, wallet {ours}, "
        "difference {difference}"
    ).format(
        provider=rec.provider,
        source=rec.source,
        start=rec.start,
        last=last,
        theirs=money(rec.provider_nano),
        ours=money(rec.wallet_nano),
        difference=money(rec.difference_nano, signed=True),
    )
    if rec.pending_nano:
        text += tr("; {money} in the wallet on days the provider has not reported yet").format(
            money=money(rec.pending_nano)
        )
    return text
