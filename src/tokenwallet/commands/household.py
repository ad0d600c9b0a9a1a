"""``tokenwallet household …`` (a family on one wallet) and ``tokenwallet statement`` (a member's month).

Every command that changes money asks for the owner PIN: on a terminal with a hidden prompt,
in scripts from the first line of stdin with ``--pin-stdin``. A wrong PIN changes nothing.

Hooks for other commands (``budget``, ``topup``, ``transfer``, ``profile``, ``settings`` …):
``add_pin_option(parser)`` when registering, then ``owner_pin(ctx, wallet, args, "what")`` before
changing anything — it does nothing on a wallet without a household.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet import paths
from tokenwallet.commands.columns import table
from tokenwallet.commands.common import (
    ACTION_WORDS,
    PERIOD_WORDS,
    CliError,
    Context,
    check_name,
    local_zone,
    parse_amount_arg,
    parse_when,
    word,
)
from tokenwallet.commands.i18n import _
from tokenwallet.core import private

if TYPE_CHECKING:
    from tokenwallet.billing.overview import MemberSummary
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.wallet import Wallet


# ---------------------------------------------------------------------------------------- the PIN


def add_pin_option(parser: argparse.ArgumentParser) -> None:
    """``--pin-stdin``: read the owner PIN from the first line of stdin (for scripts)."""
    parser.add_argument(
        "--pin-stdin",
        action="store_true",
        help=_("read the household owner's PIN from the first line of stdin (default: ask on the terminal)"),
    )


def read_pin(ctx: Context, args: argparse.Namespace, prompt: str | None = None) -> str:
    """The PIN from stdin (``--pin-stdin``) or a hidden terminal prompt; never from argv."""
    if getattr(args, "pin_stdin", False):
        line = ctx.stdin.readline()
        if not line:
            raise CliError(_("--pin-stdin: stdin is empty (pipe the PIN in: printf '%s\\n' \"$PIN\" | …)"))
        return line.rstrip("\r\n")
    if ctx.stdin.isatty():
        import getpass

        return getpass.getpass(prompt or _("Owner PIN or passphrase: "))
    raise CliError(_("the owner PIN is needed: run this in a terminal, or pass --pin-stdin and pipe it in"))


def owner_pin(ctx: Context, wallet: Wallet, args: argparse.Namespace, action: str) -> str | None:
    """Check the owner PIN before ``action`` when the wallet has a household; returns the PIN used.

    A no-op (returns None) on a wallet without a household.
    """
    from tokenwallet.billing.pin import household_exists, require_owner

    if not household_exists(wallet):
        return None
    pin = read_pin(ctx, args)
    require_owner(wallet, pin, action=action)
    return pin


def pin_if_household(ctx: Context, wallet: Wallet, args: argparse.Namespace) -> str | None:
    """Read the owner PIN only when the wallet has a household (the billing call checks it)."""
    from tokenwallet.billing.pin import household_exists

    return read_pin(ctx, args) if household_exists(wallet) else None


def _new_pin(ctx: Context, args: argparse.Namespace, label: str = "PIN") -> str:
    """A new owner PIN or passphrase (checked, not yet stored)."""
    from tokenwallet.billing.pin import NEW_PIN_HINT, check_new_pin

    if getattr(args, "pin_stdin", False):
        pin = check_new_pin(read_pin(ctx, args))
    elif not ctx.stdin.isatty():
        raise CliError(
            _("choose the {label}: run this in a terminal, or pass --pin-stdin and pipe it in").format(
                label=label
            )
        )
    else:
        import getpass

        ctx.note(
            _("Choose the owner {label} or a passphrase: {NEW_PIN_HINT}.").format(
                label=label, NEW_PIN_HINT=NEW_PIN_HINT
            )
        )
        pin = check_new_pin(getpass.getpass(_("New owner {label} or passphrase: ").format(label=label)))
        if getpass.getpass(_("Repeat it: ")) != pin:
            raise CliError(_("the two PINs differ; nothing changed"))
    return pin


def _note_if_weak(ctx: Context, pin: str) -> None:
    """After a new PIN is stored: a short or all-digit one works, but say what a passphrase adds."""
    from tokenwallet.billing.pin import WEAK_PIN_NOTE, is_weak

    if is_weak(pin):
        ctx.note(_("tokenwallet: note: {WEAK_PIN_NOTE}").format(WEAK_PIN_NOTE=WEAK_PIN_NOTE))


# ---------------------------------------------------------------------------------------- parser


def register(sub: SubParsers, common: Parser) -> None:
    h = sub.add_parser(
        "household", help=_("a family on one wallet: owner, members, allowances"), parents=[common]
    )
    hs = h.add_subparsers(dest="action", metavar="ACTION")

    i = hs.add_parser("init", help=_("start a household: the owner and their PIN"), parents=[common])
    i.add_argument(
        "--owner", required=True, metavar="NAME", help=_("the owner's profile (created if needed)")
    )
    add_pin_option(i)
    i.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    i.set_defaults(handler=household_init)

    a = hs.add_parser(
        "add", help=_("add a member with an allowance; prints their wallet key"), parents=[common]
    )
    a.add_argument("name", help=_("the member's profile (created)"))
    a.add_argument(
        "--allowance", required=True, metavar="AMOUNT", help=_("money ('5', '$2.50') or '2M tokens'")
    )
    a.add_argument("--period", choices=("day", "week", "month"), default="week", help=_("default week"))
    a.add_argument("--adult", action="store_true", help=_("an adult: warned at the limit unless --hard"))
    stop = a.add_mutually_exclusive_group()
    stop.add_argument(
        "--hard", action="store_true", default=None, help=_("refuse calls beyond the allowance")
    )
    stop.add_argument("--soft", dest="hard", action="store_false", help=_("only warn at the limit"))
    a.add_argument("--rollover", action="store_true", help=_("carry what is left into the next period"))
    add_pin_option(a)
    a.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    a.set_defaults(handler=household_add)

    al = hs.add_parser("allowance", help=_("change a member's allowance (owner PIN)"), parents=[common])
    al.add_argument("name", help=_("the member"))
    al.add_argument("amount", nargs="?", help=_("the new allowance: money or tokens (default: unchanged)"))
    al.add_argument("--period", choices=("day", "week", "month"), help=_("a new period (default: unchanged)"))
    stop = al.add_mutually_exclusive_group()
    stop.add_argument(
        "--hard", action="store_true", default=None, help=_("refuse calls beyond the allowance")
    )
    stop.add_argument("--soft", dest="hard", action="store_false", help=_("only warn at the limit"))
    al.add_argument(
        "--rollover",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_("carry what is left into the next period, or stop doing so"),
    )
    add_pin_option(al)
    al.set_defaults(handler=household_allowance)

    t = hs.add_parser(
        "topup", help=_("give a member extra; with --expires it is a one-off bonus"), parents=[common]
    )
    t.add_argument("name", help=_("the member"))
    t.add_argument("amount", help=_("money or tokens"))
    t.add_argument("--expires", metavar="DATE", help=_("the bonus lapses after this day (YYYY-MM-DD)"))
    t.add_argument("--note", default="", help=_("a note kept with the movement (e.g. 'birthday')"))
    add_pin_option(t)
    t.set_defaults(handler=household_topup)

    tr = hs.add_parser("transfer", help=_("move allowance between members (owner PIN)"), parents=[common])
    tr.add_argument("--from", dest="src", required=True, metavar="NAME", help=_("the member who gives"))
    tr.add_argument("--to", dest="dst", required=True, metavar="NAME", help=_("the member who receives"))
    tr.add_argument("amount", help=_("money or tokens; refused whole when the giver cannot cover it"))
    add_pin_option(tr)
    tr.set_defaults(handler=household_transfer)

    for verb, paused, text in (
        ("pause", True, _("pause a member's calls (owner PIN)")),
        ("resume", False, _("resume a member's calls (owner PIN)")),
    ):
        p = hs.add_parser(verb, help=text, parents=[common])
        p.add_argument("name", help=_("the member"))
        add_pin_option(p)
        p.set_defaults(handler=household_pause, paused=paused)

    k = hs.add_parser("key", help=_("another wallet key for a member's device (owner PIN)"), parents=[common])
    k.add_argument("name", help=_("the member"))
    k.add_argument("--label", default="", help=_("e.g. 'tablet'"))
    add_pin_option(k)
    k.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    k.set_defaults(handler=household_key)

    pn = hs.add_parser(
        "pin", help=_("change the owner PIN (with --pin-stdin: old, then new line)"), parents=[common]
    )
    add_pin_option(pn)
    pn.set_defaults(handler=household_pin)

    s = hs.add_parser("show", help=_("every member: balance, burn rate, forecast"), parents=[common])
    s.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    s.set_defaults(handler=household_show)

    b = hs.add_parser("balance", help=_("one member's balance and recent calls (no PIN)"), parents=[common])
    b.add_argument("name", help=_("the member"))
    b.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    b.set_defaults(handler=household_balance)

    lg = hs.add_parser("log", help=_("what the owner changed, and wrong PIN tries"), parents=[common])
    lg.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    lg.set_defaults(handler=household_log)

    st = sub.add_parser(
        "statement", help=_("a member's monthly statement (CSV, PDF, JSON)"), parents=[common]
    )
    st.add_argument("name", help=_("the member (any profile)"))
    st.add_argument("--month", metavar="YYYY-MM", help=_("default: this month"))
    st.add_argument("--csv", metavar="FILE", help=_("write CSV ('-' for stdout)"))
    st.add_argument("--pdf", metavar="FILE", help=_("write a PDF"))
    st.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    st.set_defaults(handler=statement)


# ---------------------------------------------------------------------------------------- handlers


def _expiry(ctx: Context, w: Wallet, text: str | None) -> Any:
    if text is None:
        return None
    zone = local_zone(str(w.get_setting("timezone") or "") or None)
    return parse_when(text, zone, end_of_day=True)


def household_init(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import household as hh

    owner = check_name(args.owner, "profile")
    with ctx.wallet() as w:
        if hh.owner_name(w) is not None:
            raise CliError(
                _("this wallet already has a household (owner: {value})").format(value=hh.owner_name(w))
            )
        pin = _new_pin(ctx, args)
        profile, key = hh.init_household(w, owner, pin)
        warnings = hh.loopholes(w)
    _note_if_weak(ctx, pin)
    if args.json:
        ctx.json({"owner": profile.name, "key": key})
        return 0
    ctx.print(
        _("Household created; {name} is the owner. Money changes now need the owner PIN.").format(
            name=profile.name
        )
    )
    for text in warnings:
        ctx.note(_("warning: {text}").format(text=text))
    if key:
        ctx.print(_("The owner's wallet key (shown only this once — keep it somewhere safe):"))
        ctx.print(key)
    return 0


def household_add(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import household as hh

    name = check_name(args.name, "profile")
    amount = parse_amount_arg(args.allowance)
    with ctx.wallet() as w:
        _need_household(w)
        pin = read_pin(ctx, args)
        m, key = hh.add_member(
            w,
            name,
            amount,
            pin=pin,
            period=args.period,
            kind="adult" if args.adult else "child",
            hard=args.hard,
            rollover=args.rollover,
        )
    if args.json:
        ctx.json({"member": m.name, "kind": m.kind, "key": key, "allowance": _env_dict(m.allowance)})
        return 0
    env = m.allowance
    assert env is not None
    rule = _("hard stop") if env.action == "block" else _("warning only")
    roll = _(", rollover on") if env.rollover else ""
    added = _("Added {name} ({kind}): {amount} per {period}, {rule}{roll}.")
    ctx.print(
        added.format(
            name=m.name,
            kind=m.kind,
            amount=_amount(env.unit, env.amount),
            period=word(PERIOD_WORDS, env.period),
            rule=rule,
            roll=roll,
        )
    )
    if m.kind == "child":
        ctx.print(
            _(
                "{name} may call tier:small models only (change it: tokenwallet "
                "model-rules allow --profile {name} PATTERN…, or 'tokenwallet "
                "model-rules show')."
            ).format(name=m.name)
        )
    ctx.print(_("{name}'s wallet key (shown only this once — put it in their tools):").format(name=m.name))
    ctx.print(key)
    return 0


def _need_household(w: Wallet) -> None:
    from tokenwallet.billing.pin import household_exists

    if not household_exists(w):
        raise CliError(_("this wallet has no household yet: tokenwallet household init --owner NAME"))


def household_allowance(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import household as hh

    name = check_name(args.name, "profile")
    amount = parse_amount_arg(args.amount) if args.amount else None
    with ctx.wallet() as w:
        hh.member(w, name)
        pin = read_pin(ctx, args)
        m = hh.set_allowance(
            w, name, amount, pin=pin, period=args.period, hard=args.hard, rollover=args.rollover
        )
    env = m.allowance
    assert env is not None
    ctx.print(
        _("{name}: {value} per {period}, {action} at the limit.").format(
            name=m.name,
            value=_amount(env.unit, env.amount),
            period=word(PERIOD_WORDS, env.period),
            action=word(ACTION_WORDS, env.action),
        )
    )
    return 0


def household_topup(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import household as hh

    name = check_name(args.name, "profile")
    amount = parse_amount_arg(args.amount)
    with ctx.wallet() as w:
        hh.member(w, name)
        expires = _expiry(ctx, w, args.expires)
        pin = read_pin(ctx, args)
        hh.topup_member(w, name, amount, pin=pin, expires_at=expires, note=args.note)
    if args.expires:
        bonus = _("Gave {name} a bonus of {amount} (lapses after {day}).")
        ctx.print(bonus.format(name=name, amount=amount, day=args.expires))
    else:
        ctx.print(_("Gave {name} {amount}.").format(name=name, amount=amount))
    return 0


def household_transfer(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import household as hh

    src, dst = check_name(args.src, "profile"), check_name(args.dst, "profile")
    amount = parse_amount_arg(args.amount)
    with ctx.wallet() as w:
        hh.member(w, src)
        hh.member(w, dst)
        pin = read_pin(ctx, args)
        hh.transfer(w, src, dst, amount, pin=pin)
    ctx.print(_("Moved {amount} from {src} to {dst}.").format(amount=amount, src=src, dst=dst))
    return 0


def household_pause(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import household as hh

    name = check_name(args.name, "profile")
    with ctx.wallet() as w:
        hh.member(w, name)
        pin = read_pin(ctx, args)
        hh.pause_member(w, name, args.paused, pin=pin)
    if args.paused:
        ctx.print(_("{name} is paused: their calls are refused.").format(name=name))
    else:
        ctx.print(_("{name} is active again.").format(name=name))
    return 0


def household_key(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import household as hh

    name = check_name(args.name, "profile")
    with ctx.wallet() as w:
        hh.member(w, name)
        pin = read_pin(ctx, args)
        key = hh.new_member_key(w, name, pin=pin, label=args.label)
    if args.json:
        ctx.json({"member": name, "key": key})
    else:
        ctx.print(_("A new wallet key for {name} (shown only this once):").format(name=name))
        ctx.print(key)
    return 0


def household_pin(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing.pin import change_pin

    with ctx.wallet() as w:
        _need_household(w)
        old = read_pin(ctx, args, _("Current owner PIN or passphrase: "))
        new = _new_pin(ctx, args)
        change_pin(w, old, new)
    ctx.print(_("The owner PIN is changed."))
    _note_if_weak(ctx, new)
    return 0


def _amount(unit: str, value: int) -> str:
    from tokenwallet.core.money import format_amount

    return format_amount("tokens" if unit == "tokens" else "usd", value)


def _env_dict(env: Any) -> dict[str, Any] | None:
    if env is None:
        return None
    return {
        "id": env.id,
        "unit": env.unit,
        "amount": env.amount,
        "period": env.period,
        "action": env.action,
        "rollover": env.rollover,
    }


def _summary_dict(r: MemberSummary) -> dict[str, Any]:
    st = r.status
    d: dict[str, Any] = {
        "member": r.member.name,
        "kind": r.member.kind,
        "paused": r.member.paused,
        "allowance": _env_dict(r.member.allowance),
        "burn_per_day": r.burn_per_day,
        "runs_out": r.runs_out.isoformat() if r.runs_out else None,
        "forecast": r.forecast,
        "suggestion": None,
    }
    if st is not None:
        d.update(
            {
                "available": st.available,
                "spent": st.spent,
                "held": st.held,
                "used_pct": st.used_pct,
                "projected": st.projected,
                "period_start": st.period_start.isoformat(),
                "period_end": st.period_end.isoformat() if st.period_end else None,
            }
        )
    if r.suggestion is not None:
        s = r.suggestion
        d["suggestion"] = {"provider": s.provider, "model": s.model, "saving_pct": s.saving_pct}
    return d


def household_show(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import household as hh
    from tokenwallet.billing.overview import household_overview

    with ctx.wallet() as w:
        _need_household(w)
        rows = household_overview(w, data_dir=ctx.data_dir)
        warnings = hh.loopholes(w)
    if args.json:
        ctx.json([_summary_dict(r) for r in rows])
        return 0
    for text in warnings:
        ctx.note(_("warning: {text}").format(text=text))
    table_rows = []
    for r in rows:
        st = r.status
        state = "paused" if r.member.paused else r.member.kind
        if st is None:
            table_rows.append([r.member.name, state, "—", "—", "—", r.forecast])
            continue
        e = st.envelope
        table_rows.append(
            [
                r.member.name,
                state,
                f"{_amount(e.unit, e.amount)}/{e.period}" + (" hard" if e.action == "block" else ""),
                _amount(e.unit, st.spent),
                _amount(e.unit, st.available),
                r.forecast,
            ]
        )
    ctx.print(
        table(
            table_rows,
            [_("member"), _("kind"), _("allowance"), _("spent"), _("left"), _("forecast")],
            right={3, 4},
        )
    )
    for r in rows:
        if r.suggestion is not None:
            s = r.suggestion
            ctx.print(
                _(
                    "{name} is near the limit: {model} ({provider}) would do the same for "
                    "{saving_pct} % less."
                ).format(name=r.member.name, model=s.model, provider=s.provider, saving_pct=s.saving_pct)
            )
    return 0


def household_balance(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import household as hh
    from tokenwallet.billing.overview import household_overview
    from tokenwallet.wallet import HistoryFilter

    name = check_name(args.name, "profile")
    with ctx.wallet() as w:
        hh.member(w, name)
        row = next(r for r in household_overview(w, data_dir=ctx.data_dir) if r.member.name == name)
        recent = w.history(HistoryFilter(profile=name), limit=10)
    if args.json:
        d = _summary_dict(row)
        d["recent"] = [
            {"at": c.at.isoformat(), "model": c.model, "provider": c.provider, "cost_nano": c.cost_nano}
            for c in recent
        ]
        ctx.json(d)
        return 0
    st = row.status
    if st is None:
        ctx.print(_("{name} has no allowance.").format(name=name))
    else:
        e = st.envelope
        ctx.print(
            _("{name}: {value} left of {value2} this {period} — {forecast}.").format(
                name=name,
                value=_amount(e.unit, st.available),
                value2=_amount(e.unit, st.carried + st.assigned + st.topups),
                period=word(PERIOD_WORDS, e.period),
                forecast=row.forecast,
            )
        )
    if row.suggestion is not None:
        s = row.suggestion
        ctx.print(
            _("Near the limit: {model} ({provider}) does the same work for {saving_pct} % less.").format(
                model=s.model, provider=s.provider, saving_pct=s.saving_pct
            )
        )
    for c in recent:
        ctx.print(f"  {c.at:%Y-%m-%d %H:%M}  {c.model:<28} {_amount('usd', c.cost_nano)}")
    return 0


def household_log(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing import household as hh

    with ctx.wallet() as w:
        _need_household(w)
        entries = hh.history(w)
    if args.json:
        ctx.json([{"at": e.at, "action": e.action, "detail": e.detail, "ok": e.ok} for e in entries])
        return 0
    ctx.print(
        table(
            [[f"{e.at:%Y-%m-%d %H:%M}", e.action, e.detail] for e in entries],
            [_("when"), _("what"), _("detail")],
        )
    )
    return 0


def statement(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.billing.statement import member_statement, parse_month, statement_csv, statement_dict

    name = check_name(args.name, "profile")
    month = parse_month(args.month) if args.month else None
    for target in (args.csv, args.pdf):
        if target and target != "-" and not Path(target).parent.exists():
            raise CliError(_("no such directory: {parent}").format(parent=Path(target).parent))
        if target and target != "-" and paths.is_wallet_file(target, ctx.data_dir):
            raise CliError(
                _("{target} is the wallet's own file: write the export somewhere else").format(target=target)
            )
    with ctx.wallet() as w:
        if month is None:
            from datetime import datetime

            today = datetime.now(local_zone(str(w.get_setting("timezone") or "") or None))
            month = (today.year, today.month)
        st = member_statement(w, name, *month, data_dir=ctx.data_dir)
    wrote = []
    if args.csv:
        text = statement_csv(st)
        if args.csv == "-":
            ctx.out.write(text)
        else:
            private.write_text(Path(args.csv), text)  # owner-only: it names spending
            wrote.append(args.csv)
    if args.pdf:
        write_pdf_or_fail(_statement_html(st), Path(args.pdf), title=f"Statement {name} {st.first:%Y-%m}")
        wrote.append(args.pdf)
    if args.json:
        ctx.json(statement_dict(st))
    elif args.csv != "-":
        ctx.print(
            _(
                "{name}, {first}: spent {value} on {calls} calls; cheaper models could have saved {value2}."
            ).format(
                name=name,
                first=format(st.first, "%B %Y"),
                value=st.money(st.total_nano),
                calls=st.calls,
                value2=st.money(st.saving_nano),
            )
        )
        if st.energy is not None:
            from tokenwallet.billing.html import energy_line

            ctx.print(
                _("  Energy: {value} ({calls} calls with a figure)").format(
                    value=energy_line(st.energy, short=True), calls=st.energy.calls
                )
            )
        for r in st.lines:
            better = f" → {r.cheaper.model} would save {st.money(r.saving_nano)}" if r.cheaper else ""
            ctx.print(
                f"  {r.line.model} ({r.line.provider}): {r.line.calls} calls,"
                f" {st.money(r.line.cost_nano)}{better}"
            )
        for f in wrote:
            ctx.note(_("wrote {path}").format(path=f))
    return 0


def _statement_html(st: Any) -> str:
    from tokenwallet.billing.html import statement_html

    return statement_html(st)


def write_pdf_or_fail(html: str, path: Path, *, title: str) -> None:
    """Render a PDF with Qt; a missing Qt becomes one line instead of a traceback."""
    try:
        from tokenwallet.gui.pdf import write_pdf
    except ImportError as exc:
        raise CliError(
            _("PDF export needs the desktop app's Qt libraries ({exc}); use --csv instead").format(exc=exc)
        ) from None
    write_pdf(html, path, title=title)
