"""What every sub-command shares: the parsed context, the wallet, output helpers, input parsing.

Commands validate everything the user typed *before* they open the wallet or change it, so bad
input ends with one line on stderr and leaves the wallet as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tokenwallet import paths
from tokenwallet.commands import core_messages
from tokenwallet.commands.columns import WideHelpFormatter, table
from tokenwallet.commands.i18n import N_, _
from tokenwallet.core import private

if TYPE_CHECKING:
    from tokenwallet.wallet import Scope, Wallet

    SubParsers: TypeAlias = argparse._SubParsersAction["Parser"]

EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the usage block is one ``--help`` away), and help
    texts in Chinese wrap at the terminal's width."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", WideHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_USAGE,
            _("{prog}: error: {message} (see '{prog} --help')").format(prog=self.prog, message=message)
            + "\n",
        )


class CliError(Exception):
    """A user-facing error: printed as one line, exit status ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Context:
    """Per-invocation state handed to every command."""

    data_dir: Path
    out: TextIO
    err: TextIO
    stdin: TextIO

    @property
    def wallet_path(self) -> Path:
        return paths.wallet_file(self.data_dir)

    # What this invocation created, so a failed command can leave no trace (see discard_new_wallet).
    created_dirs: list[Path] = field(default_factory=list)
    created_wallet: bool = False

    @contextmanager
    def wallet(self) -> Iterator[Wallet]:
        """Open (create on first use) the wallet of this data dir, and close it afterwards."""
        from tokenwallet.wallet import Wallet

        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise CliError(_("data dir {path} is not a directory").format(path=self.data_dir))
        if not self.data_dir.exists():
            missing = [p for p in (self.data_dir, *self.data_dir.parents) if not p.exists()]
            try:
                private.make_dir(self.data_dir)
            except OSError as exc:
                raise CliError(
                    _(
                        "cannot create the data folder {path}: {problem}; "
                        "pick a folder you can write to with --data-dir"
                    ).format(path=self.data_dir, problem=exc.strerror or exc)
                ) from None
            self.created_dirs.extend(missing)  # deepest first
        if not self.wallet_path.exists():
            self.created_wallet = True
        w = Wallet.open(self.wallet_path)
        for notice in w.notices:
            self.note(f"tokenwallet: {notice}")
        try:
            yield w
        finally:
            w.close()

    def discard_new_wallet(self) -> None:
        """After a failed command: remove the wallet file and directories this run created.

        "Bad input changes nothing" then holds on a fresh data dir too, where opening the wallet
        to look a name up would otherwise leave an empty wallet behind. It runs while an error is
        being reported, so it never raises (a read-only or vanished folder refuses the clean-up too).
        """
        if self.created_wallet and self.wallet_path.exists():
            from tokenwallet.wallet.db import used_elsewhere

            # Another process (the app starting at the same moment) may have opened the new wallet
            # meanwhile: deleting it under that process would lose everything it writes.
            if not used_elsewhere(self.wallet_path):
                for suffix in ("", "-wal", "-shm", "-journal"):
                    with contextlib.suppress(OSError):
                        self.wallet_path.with_name(self.wallet_path.name + suffix).unlink(missing_ok=True)
        self.created_wallet = False
        for directory in self.created_dirs:
            try:
                directory.rmdir()  # only if empty: never anything we did not create
            except OSError:
                break
        self.created_dirs.clear()

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def note(self, text: str) -> None:
        """A remark for a human (stderr), so stdout stays clean for pipes."""
        print(text, file=self.err)

    def json(self, data: Any) -> None:
        json.dump(data, self.out, indent=2, ensure_ascii=False, default=_json_default)
        self.out.write("\n")

    def listing(
        self,
        as_json: bool,
        rows: Sequence[dict[str, Any]],
        *,
        empty: str,
        headers: Sequence[str],
        cells: Callable[[dict[str, Any]], Sequence[str]],
        right: set[int] | None = None,
    ) -> None:
        """A list command's output: the rows as JSON for scripts, a hint when there are none, else
        a table of ``cells(row)`` under ``headers``."""
        if as_json:
            self.json(list(rows))
        elif not rows:
            self.print(empty)
        else:
            self.print(table([cells(r) for r in rows], headers, right=right))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return str(value)


# ---------------------------------------------------------------------------------------- parsing


def add_scope_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """``--wallet`` | ``--profile NAME`` | ``--project NAME`` | ``--model PATTERN`` |
    ``--provider NAME``: which envelope an amount is for (a model/provider one may add ``--profile``)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--wallet", action="store_true", help=_("the whole wallet"))
    group.add_argument("--profile", metavar="NAME", help=_("a profile (who spends)"))
    group.add_argument("--project", metavar="NAME", help=_("a project (for whom: a client)"))
    models = parser.add_mutually_exclusive_group()
    models.add_argument(
        "--model",
        metavar="PATTERN",
        help=_(
            "calls to matching models: PROVIDER/MODEL or MODEL, * and ? as wildcards "
            "(e.g. 'anthropic/claude-opus-*'); with --profile, only that profile's calls"
        ),
    )
    models.add_argument("--provider", metavar="NAME", help=_("every call to one provider (e.g. openrouter)"))
    parser.set_defaults(scope_required=required)


def scope_from_args(args: argparse.Namespace) -> Scope:
    from tokenwallet.core.model_patterns import ModelPattern, PatternError, provider_pattern
    from tokenwallet.wallet import Scope

    model, provider = getattr(args, "model", None), getattr(args, "provider", None)
    if model is not None or provider is not None:
        if getattr(args, "wallet", False) or getattr(args, "project", None):
            raise CliError(_("a --model or --provider budget can be narrowed with --profile only"))
        try:
            p = ModelPattern.parse(model) if model is not None else provider_pattern(provider or "")
        except PatternError as exc:
            raise CliError(str(exc)) from None
        if p.tier is not None:
            raise CliError(
                _("a budget is for models by name or provider, not by tier (e.g. --model 'gpt-4o*')")
            )
        who = check_name(args.profile, "profile") if getattr(args, "profile", None) else None
        return Scope("model" if model is not None else "provider", p.text, who)
    if getattr(args, "profile", None):
        return Scope("profile", check_name(args.profile, "profile"))
    if getattr(args, "project", None):
        return Scope("project", check_name(args.project, "project"))
    if not getattr(args, "wallet", False) and getattr(args, "scope_required", False):
        raise CliError(
            _(
                "say which budget: --wallet, --profile NAME, --project NAME, "
                "--model PATTERN or --provider NAME"
            ),
            EXIT_USAGE,
        )
    return Scope("wallet")


def parse_scope(text: str) -> Scope:
    """``alice`` (a profile), ``profile:alice``, ``project:acme`` or ``wallet``."""
    from tokenwallet.wallet import Scope

    text = text.strip()
    if text == "wallet":
        return Scope("wallet")
    if ":" in text:
        kind, _sep, name = text.partition(":")
        if kind not in ("profile", "project"):
            raise CliError(
                _("cannot read {text}: use NAME, profile:NAME, project:NAME or wallet").format(
                    text=repr(text)
                )
            )
        return Scope("profile" if kind == "profile" else "project", check_name(name, kind))
    return Scope("profile", check_name(text, "profile"))


# Words the tables show for a budget's period and action (the values themselves stay English in
# --json and on the command line).
PERIOD_WORDS = {
    "day": N_("day"),
    "week": N_("week"),
    "month": N_("month"),
    "year": N_("year"),
    "none": N_("none"),
}
ACTION_WORDS = {"warn": N_("warn"), "downgrade": N_("downgrade"), "block": N_("block")}


def word(table_: dict[str, str], value: str) -> str:
    """A period or action as the tables show it (the value itself when it is not in ``table_``)."""
    return _(table_[value]) if value in table_ else value


# The kinds of name check_name is asked about, as its message says them.
NAME_KINDS = {
    "profile": N_("profile"),
    "project": N_("project"),
    "provider": N_("provider"),
    "client": N_("client"),
}


def check_name(name: str, what: str) -> str:
    name = name.strip()
    if not name or any(ch.isspace() for ch in name) or not name.isprintable() or ":" in name:
        raise CliError(
            _("not a {what} name: {name} (no spaces or ':')").format(
                what=_(NAME_KINDS.get(what, what)), name=repr(name)
            )
        )
    return name


def parse_amount_arg(text: str) -> Any:
    """An amount the user typed (``20``, ``$5.50``, ``2M tokens``); AmountError becomes one line."""
    from tokenwallet.core.money import AmountError, parse_amount

    try:
        amount = parse_amount(text)
    except AmountError as exc:
        raise CliError(core_messages.translate(str(exc))) from None
    if amount.value <= 0:
        raise CliError(_("the amount must be more than zero: {text}").format(text=repr(text)))
    return amount


def local_zone(name: str | None) -> tzinfo:
    """The wallet's time zone setting; empty means the computer's own zone."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise CliError(
                _("unknown time zone in the wallet settings: {name}").format(name=repr(name))
            ) from None
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None  # astimezone() always sets one
    return zone


def parse_when(text: str, zone: tzinfo, *, end_of_day: bool = False) -> datetime:
    """``2027-01-31`` (a day in the wallet's zone) or an ISO date-time; tz-aware result.

    With ``end_of_day`` a bare date means the end of that day (the start of the next), which is
    what a user means by "expires 2027-01-31" or "--until 2026-11-30".
    """
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            if end_of_day:
                day += timedelta(days=1)
            return datetime.combine(day, time(0), tzinfo=zone)
        when = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(
            _("cannot read date {text} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)").format(text=repr(text))
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=zone)


# ---------------------------------------------------------------------------------------- output


def read_stdin_secret(stdin: TextIO, prompt: str) -> str:
    """Read a secret from stdin: a pipe (``echo "$KEY" | …``) or, on a terminal, a hidden prompt."""
    if stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    return stdin.read()


# ---------------------------------------------------------------------------------------- owner PIN


def add_pin(parser: argparse.ArgumentParser) -> None:
    """``--pin-stdin`` on a command that changes money (households guard those with the owner PIN)."""
    from tokenwallet.commands.household import add_pin_option

    add_pin_option(parser)


def require_pin(ctx: Context, wallet: Wallet, args: argparse.Namespace, action: str) -> None:
    """Before changing money: the owner PIN when the wallet has a household (a no-op otherwise).

    A wrong PIN raises (one line) before anything changes.
    """
    from tokenwallet.commands.household import owner_pin

    owner_pin(ctx, wallet, args, action)
