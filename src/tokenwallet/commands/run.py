"""``tokenwallet run [--profile P] [--project X] -- COMMAND …``: a tool's session through the meter.

The tool gets a wallet key of its own (one session: every call it makes is tagged with it in the
ledger) and every base URL and key variable pointed at the meter (commands/toolenv.py). When it
exits, the key is revoked — on Ctrl+C and SIGTERM too — and the session's calls, tokens, cost and
time are printed on stderr; ``run`` exits with the tool's exit status.

Signals: SIGTERM and SIGHUP are passed on to the tool. A Ctrl+C in the terminal reaches the tool
by itself (it is in the terminal's foreground process group), so SIGINT is passed on only when it
did not come from the terminal — a tool must not see one Ctrl+C as two.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.common import CliError, Context, add_pin, check_name, parse_amount_arg, require_pin
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers
    from tokenwallet.core.money import Amount

OWNER_FILE = "owner.json"  # in the session's directory: which process runs it
EXIT_NOT_FOUND = 127
EXIT_NOT_EXECUTABLE = 126
SETTLE_TIMEOUT_S = 10.0  # a stream's last call is recorded just after its last byte went out
# SIGHUP does not exist on Windows (nor do process groups: there the checks below say "no").
FORWARDED = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser(
        "run",
        help=_("run a tool (Claude Code, Codex, aider, llm, any SDK program) through the meter"),
        description=_(
            "Runs COMMAND with OpenAI, Anthropic, Gemini and Codex settings pointed at the "
            "meter and a wallet key of its own; prints the session's calls, tokens, cost and time when "
            "it exits, and exits with its status. Starts 'tokenwallet serve' for the session when no "
            "meter is running."
        ),
        parents=[common],
    )
    p.add_argument(
        "--profile", metavar="NAME", help=_("who spends (default: the only profile, or 'default')")
    )
    p.add_argument("--project", metavar="NAME", help=_("for whom: the project the calls are billed to"))
    p.add_argument("--label", metavar="TEXT", help=_("what the session is (default: the command line)"))
    p.add_argument(
        "--session-budget",
        metavar="AMOUNT",
        help=_("refuse the session's calls past this much money ($2) or tokens (500k): a session guard"),
    )
    add_pin(p)  # a household's owner PIN: run makes a wallet key, as 'profile new-key' does
    p.add_argument(
        "command", nargs=argparse.REMAINDER, metavar="-- COMMAND …", help=_("the tool and its arguments")
    )
    p.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    from tokenwallet.commands import meter as meters

    command = list(args.command)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        raise CliError(_("which command? usage: tokenwallet run [--profile NAME] -- COMMAND …"))
    project = check_name(args.project, "project") if args.project else None
    budget = parse_amount_arg(args.session_budget) if args.session_budget else None
    if budget is not None and budget.value <= 0:
        raise CliError(_("--session-budget must be more than nothing"))
    if shutil.which(command[0]) is None:
        raise CliError(_("command not found: {value}").format(value=command[0]), EXIT_NOT_FOUND)
    with ctx.wallet() as w:
        profile = _profile(w, args.profile)
        if project is not None:
            w.project(project)  # NotFound → one line, before anything starts
        require_pin(ctx, w, args, f"start a session for {profile}")
        host, port = meters.address(w)
    meter = meters.find_or_start(ctx, host, port)
    try:
        return _session(
            ctx, command, profile, project=project, label=args.label, url=meter.url, budget=budget
        )
    finally:
        meter.stop()


def _profile(w: Any, name: str | None) -> str:
    if name:
        return str(w.profile(check_name(name, "profile")).name)
    names = [str(p.name) for p in w.profiles()]
    if len(names) == 1:
        return names[0]
    if "default" in names:
        return "default"
    if not names:
        raise CliError(_("no profile yet: add one with 'tokenwallet profile add NAME'"))
    raise CliError(
        _("which profile? add --profile NAME (one of: {value})").format(value=", ".join(sorted(names)))
    )


def _session(
    ctx: Context,
    command: list[str],
    profile: str,
    *,
    project: str | None,
    label: str | None,
    url: str,
    budget: Amount | None,
) -> int:
    from tokenwallet.commands.sessions import summary_line
    from tokenwallet.commands.toolenv import make_codex_home, tool_env

    with ctx.wallet() as w:
        end_abandoned(ctx, w)
        sid, key = w.start_session(
            profile, project=project, source="run", label=(label or shlex.join(command))[:500]
        )
        assert key is not None  # with_key=True
        if budget is not None:  # enforced by the meter like any guard (core/guards.py), at once
            kind = "session_money" if budget.unit == "usd" else "session_tokens"
            w.add_guard(f"session:{sid}", kind, budget.value, action="block")
        home = Path(ctx.data_dir) / "sessions" / sid  # not under /tmp: Codex refuses helpers there
        code = 1
        try:
            _claim(home)
            make_codex_home(home / "codex", url=url, key=key)
            env = tool_env(
                os.environ, url=url, key=key, session=sid, codex_home=home / "codex", program=command[0]
            )
            who = profile + ("/" + project if project else "")
            ctx.note(_("tokenwallet: session {id} ({who}) via {url}").format(id=sid, who=who, url=url))
            ctx.err.flush()
            code = supervise(command, env)
        finally:
            w.end_session(sid)  # revokes the key: nothing more can be spent with it
            shutil.rmtree(home, ignore_errors=True)
            _settle(w, sid)
            found = w.sessions(session_id=sid)
            if found:
                ctx.note(_("tokenwallet: session {summary}").format(summary=summary_line(found[0])))
    return code


def _claim(home: Path) -> None:
    """Note this process as the session's owner, so a later run can tell when it is gone."""
    from tokenwallet.wallet import procs

    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    (home / OWNER_FILE).write_text(json.dumps({"pid": os.getpid(), "token": procs.my_token()}))


def end_abandoned(ctx: Context, w: Any) -> None:
    """End the sessions of runs that are gone without ending them (SIGKILL, a crash, a power cut):
    their keys would otherwise stay valid."""
    from tokenwallet.wallet import procs

    for home in sorted((Path(ctx.data_dir) / "sessions").glob("s-*")):
        try:
            owner = json.loads((home / OWNER_FILE).read_text())
            pid, token = int(owner["pid"]), str(owner["token"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # being written this moment, or not ours
        if procs.alive(pid, token):
            continue
        w.end_session(home.name)
        shutil.rmtree(home, ignore_errors=True)
        ctx.note(
            _("tokenwallet: ended session {id}: its run is gone (its key is revoked now)").format(
                id=home.name
            )
        )


def _settle(w: Any, sid: str) -> None:
    """Wait (briefly) until the meter has recorded the session's last calls."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while w.session_in_flight(sid) and time.monotonic() < deadline:
        time.sleep(0.05)


def supervise(command: list[str], env: dict[str, str]) -> int:
    """Run ``command`` to its end, passing signals on; its exit status (128+N when killed by N)."""
    try:
        proc = subprocess.Popen(command, env=env)
    except FileNotFoundError:
        raise CliError(_("command not found: {value}").format(value=command[0]), EXIT_NOT_FOUND) from None
    except PermissionError:
        raise CliError(
            _("cannot run {value}: permission denied").format(value=command[0]), EXIT_NOT_EXECUTABLE
        ) from None

    def forward(signum: int, frame: object) -> None:
        if signum == signal.SIGINT and _terminal_sent_it():
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in FORWARDED}
    try:
        status = proc.wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return status if status >= 0 else 128 - status


def _terminal_sent_it() -> bool:
    """Whether a SIGINT came from the terminal (Ctrl+C): we are its foreground process group,
    which the tool shares, so the tool has it already."""
    try:
        fd = os.open("/dev/tty", os.O_RDONLY | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return False  # no terminal: the signal came from a process
    try:
        return bool(os.tcgetpgrp(fd) == os.getpgrp())
    except (OSError, AttributeError):
        return False
    finally:
        os.close(fd)
