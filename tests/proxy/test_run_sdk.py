"""``tokenwallet run`` with OpenAI and Anthropic SDK programs: real processes, the real proxy.

The programs set nothing themselves: ``openai.OpenAI()`` and ``anthropic.Anthropic()`` read the
base URL and key ``run`` put in their environment.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openai
import pytest

from fakes.upstream import FakeUpstream
from tokenwallet.wallet.admin import KEY_CACHE_S

from .conftest import Env
from .run_helpers import SUMMARY, Trap, check_metered, point_wallet_at, tokenwallet_run, tool_env

OPENAI_SCRIPT = """
import os, openai
client = openai.OpenAI(max_retries=0)
print("KEY", os.environ["OPENAI_API_KEY"])
r = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hello there"}])
print("ANSWER", r.choices[0].message.content)
stream = client.chat.completions.create(
    model="gpt-4o-mini", messages=[{"role": "user", "content": "stream please"}], stream=True
)
print("STREAMED", "".join(c.choices[0].delta.content or "" for c in stream if c.choices))
r = client.responses.create(model="gpt-4o-mini", input="and a response")
print("RESPONSE", r.output_text)
raise SystemExit(3)
"""

ANTHROPIC_SCRIPT = """
import anthropic
client = anthropic.Anthropic(max_retries=0)
hi = [{"role": "user", "content": "hi"}]
m = client.messages.create(model="claude-haiku-4-5", max_tokens=50, messages=hi)
print("ANSWER", m.content[0].text)
with client.messages.stream(
    model="claude-haiku-4-5", max_tokens=50, messages=[{"role": "user", "content": "stream"}]
) as s:
    print("STREAMED", s.get_final_text())
"""


@pytest.fixture
def trap() -> Trap:
    t = Trap()
    yield t  # type: ignore[misc]
    t.close()


def _script(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "script.py"
    path.write_text(text, encoding="utf-8")
    return path


def test_openai_sdk_program_is_metered_in_its_session(env: Env, tmp_path: Path, trap: Trap) -> None:
    data = point_wallet_at(env)
    script = _script(tmp_path, OPENAI_SCRIPT)
    # A key and a base URL of the user's own must not win over the session's.
    child = tool_env(
        tmp_path / "home", trap, OPENAI_API_KEY="sk-users-own", OPENAI_BASE_URL="https://api.openai.com/v1"
    )
    ran = tokenwallet_run(data, [sys.executable, str(script)], env=child, cwd=tmp_path)

    assert ran.returncode == 3, ran.stderr  # the program's own exit status
    assert (
        "ANSWER tok tok" in ran.stdout and "STREAMED tok tok" in ran.stdout and "RESPONSE tok" in ran.stdout
    )
    rows = check_metered(env, ran, calls=3)
    assert sorted(r.endpoint for r in rows) == ["chat/completions", "chat/completions", "responses"]
    assert all(r.profile == "alice" for r in rows)
    # The upstream got the provider key, never the wallet key; the fake's usage is what was charged.
    seen = env.upstream.requests
    assert [r.headers["authorization"] for r in seen] == ["Bearer sk-real-openai"] * 3
    assert sorted(map(repr, (r.usage for r in seen))) == sorted(map(repr, (r.usage for r in rows)))
    # The session key printed by the program is dead now.
    key = next(line.split()[1] for line in ran.stdout.splitlines() if line.startswith("KEY "))
    assert key.startswith("tw-") and env.wallet.resolve_key(key) is None
    assert trap.seen == []


def test_anthropic_sdk_program_is_metered(env: Env, tmp_path: Path, trap: Trap) -> None:
    data = point_wallet_at(env)
    env.upstream.scenario(cached_tokens=3, cache_write_5m=2, input_tokens=20)
    script = _script(tmp_path, ANTHROPIC_SCRIPT)
    ran = tokenwallet_run(
        data, [sys.executable, str(script)], env=tool_env(tmp_path / "home", trap), cwd=tmp_path
    )

    assert ran.returncode == 0, ran.stderr
    assert "ANSWER tok" in ran.stdout and "STREAMED tok" in ran.stdout
    rows = check_metered(env, ran, calls=2)
    assert {(r.provider, r.model, r.endpoint) for r in rows} == {
        ("anthropic", "claude-haiku-4-5", "messages")
    }
    assert all(r.usage.cache_read_tokens == 3 and r.usage.cache_write_tokens == 2 for r in rows)
    assert "(+10 cached)" in ran.stderr  # 2 calls × (3 read + 2 written)
    for rec in env.upstream.requests:
        assert rec.headers["x-api-key"] == "sk-ant-real" and "authorization" not in rec.headers
    assert trap.seen == []


def test_history_sessions_and_status_show_the_session(env: Env, tmp_path: Path, trap: Trap) -> None:
    data = point_wallet_at(env)
    ran = tokenwallet_run(
        data,
        [sys.executable, str(_script(tmp_path, ANTHROPIC_SCRIPT))],
        env=tool_env(tmp_path / "home", trap),
        cwd=tmp_path,
        args=("--profile", "alice", "--label", "two calls"),
    )
    rows = check_metered(env, ran, calls=2)
    # A call outside the session is not in it.
    env.anthropic().messages.create(
        model="claude-haiku-4-5", max_tokens=5, messages=[{"role": "user", "content": "x"}]
    )

    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tokenwallet", "--data-dir", str(data), *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return done.stdout

    import json

    history = json.loads(cli("history", "--session", ran.session, "--json"))
    assert sorted(h["id"] for h in history) == sorted(r.id for r in rows)
    assert {h["session"] for h in history} == {ran.session}
    sessions = json.loads(cli("sessions", "--json"))
    # the call outside it opened a session of its own (an idle-gap session of alice's key)
    assert len(sessions) == 2 and {s["id"] for s in sessions} >= {ran.session}
    listed = next(s for s in sessions if s["id"] == ran.session)
    assert listed["label"] == "two calls" and not listed["running"]
    assert listed["calls"] == 2 and listed["cost_nano"] == sum(r.cost_nano for r in rows)
    table = cli("sessions", "--profile", "alice")
    assert ran.session in table and "two calls" in table and "ended" in table
    status = cli("status")
    assert "Sessions" in status and ran.session in status and "2 calls" in status


def test_sigterm_reaches_the_tool_and_the_key_is_revoked(env: Env, tmp_path: Path, trap: Trap) -> None:
    data = point_wallet_at(env)
    script = _script(
        tmp_path,
        r"""
import os, signal, sys, time, openai
def bye(signum, frame):
    os.write(1, f"GOT {signum}\n".encode())  # not print(): the signal may land inside one
    os._exit(42)
signal.signal(signal.SIGTERM, bye)
signal.signal(signal.SIGINT, bye)
hi = [{"role": "user", "content": "hi"}]
openai.OpenAI(max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=hi)
os.write(1, f"KEY {os.environ['OPENAI_API_KEY']}\n".encode())
time.sleep(60)
""",
    )
    for signum in (signal.SIGTERM, signal.SIGINT):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tokenwallet",
                "--data-dir",
                str(data),
                "run",
                "--",
                sys.executable,
                str(script),
            ],
            env=tool_env(tmp_path / "home", trap),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("KEY tw-"), line + proc.communicate()[1]
        key = line.split()[1]
        assert env.wallet.resolve_key(key) is not None
        proc.send_signal(signum)  # from a process, not a terminal: run passes it on
        out, err = proc.communicate(timeout=30)
        assert f"GOT {int(signum)}" in out, (out, err, proc.returncode)
        assert proc.returncode == 42, err
        m = SUMMARY.search(err)
        assert m and m["calls"] == "1", err
        # Revoked: the proxy refuses the key once its key cache (KEY_CACHE_S) has expired.
        time.sleep(KEY_CACHE_S)
        with pytest.raises(openai.AuthenticationError, match="unknown or was revoked"):
            env.openai(key=key).chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": "after"}]
            )


def test_run_starts_a_meter_when_none_is_running(tmp_path: Path, upstream: FakeUpstream, trap: Trap) -> None:
    """No meter on the configured port: run says so, starts serve for the session, stops it after."""
    from tokenwallet.wallet import Wallet

    upstream.reset()
    data = tmp_path / "wallet"
    data.mkdir()
    with Wallet.open(data / "wallet.db") as w:
        # A local provider needs no provider key (the serve process has its own empty keychain).
        w.set_provider("ollama", base_url=upstream.openai_base_url)
        w.add_profile("bob")
        w.set_setting("proxy_host", "127.0.0.1")
        w.set_setting("proxy_port", _free_port())
    script = _script(
        tmp_path,
        """
import os, openai
base = os.environ["OPENAI_BASE_URL"].replace("/openai/", "/ollama/")
openai.OpenAI(base_url=base, max_retries=0).chat.completions.create(
    model="llama3.2", messages=[{"role": "user", "content": "hi"}])
print("PID", os.getpid())
""",
    )
    ran = tokenwallet_run(
        data, [sys.executable, str(script)], env=tool_env(tmp_path / "home", trap), cwd=tmp_path
    )
    assert ran.returncode == 0, ran.stderr
    assert "no meter is running" in ran.stderr and "starting 'tokenwallet serve'" in ran.stderr
    assert "1 call," in ran.stderr
    with Wallet.open(data / "wallet.db") as w:
        from tokenwallet.wallet.types import HistoryFilter

        (row,) = w.history(HistoryFilter(session=ran.session), limit=10)
        assert (row.provider, row.profile, row.status) == ("ollama", "bob", 200)
        port = w.get_setting("proxy_port")
    with pytest.raises(OSError):  # the meter it started is gone
        import socket

        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_usage_errors(env: Env, tmp_path: Path) -> None:
    data = point_wallet_at(env)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tokenwallet", "--data-dir", str(data), "run", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ},
            check=False,
        )

    nothing = run()
    assert nothing.returncode == 1 and "which command?" in nothing.stderr
    missing = run("--", "no-such-tool-xyz")
    assert missing.returncode == 127 and "command not found: no-such-tool-xyz" in missing.stderr
    bad_profile = run("--profile", "nobody", "--", "true")
    assert bad_profile.returncode != 0 and "nobody" in bad_profile.stderr
    assert env.wallet.sessions() == []  # nothing was started


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


CTRL_C_SCRIPT = r"""
import os, signal, openai
# Taken one at a time with their sender (si_code: from the kernel, i.e. the terminal, or a process).
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
hi = [{"role": "user", "content": "hi"}]
openai.OpenAI(max_retries=0).chat.completions.create(model="gpt-4o-mini", messages=hi)
os.write(1, b"READY\n")
got = [signal.sigwaitinfo({signal.SIGINT})]
while (more := signal.sigtimedwait({signal.SIGINT}, 1.0)) is not None:  # a second one, if passed on
    got.append(more)
os.write(1, f"SIGINTS {[('terminal' if i.si_code == 0x80 else 'process') for i in got]}\n".encode())
os._exit(7)
"""


def test_ctrl_c_in_a_terminal_reaches_the_tool_once(env: Env, tmp_path: Path, trap: Trap) -> None:
    """Ctrl+C on a real terminal (a pty): the tool gets one SIGINT, not two, and the key is revoked."""
    import pty

    data = point_wallet_at(env)
    script = _script(tmp_path, CTRL_C_SCRIPT)
    argv = [
        sys.executable,
        "-m",
        "tokenwallet",
        "--data-dir",
        str(data),
        "run",
        "--",
        sys.executable,
        str(script),
    ]
    child_env = tool_env(tmp_path / "home", trap)
    pid, master = pty.fork()  # the child leads a new session whose controlling terminal is the pty
    if pid == 0:  # pragma: no cover - the child process
        os.execve(argv[0], argv, child_env)
    out = b""
    try:
        while b"READY" not in out:
            out += _read(master)
        os.write(master, b"\x03")  # the terminal's interrupt character: SIGINT to the foreground group
        while True:
            chunk = _read(master)
            if not chunk:
                break
            out += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(master)
    text = out.decode(errors="replace")
    assert "SIGINTS ['terminal']" in text, text
    assert os.waitstatus_to_exitcode(status) == 7, text
    m = SUMMARY.search(text)
    assert m and m["calls"] == "1", text
    (session,) = env.wallet.sessions(session_id=m["sid"])
    assert session.ended_at is not None
    keys = env.wallet.keys(profile="alice")
    assert not [k for k in keys if k.label == f"session {m['sid']}" and k.revoked_at is None]


def _read(fd: int) -> bytes:
    import select

    ready, _, _ = select.select([fd], [], [], 30)
    assert ready, "no output from tokenwallet run for 30 s"
    try:
        return os.read(fd, 4096)
    except OSError:  # EIO: the terminal's other side has closed
        return b""


def test_a_household_wallet_asks_for_the_owner_pin(env: Env, tmp_path: Path, trap: Trap) -> None:
    """run makes a wallet key, so on a household wallet it needs the owner PIN, like profile new-key."""
    from tokenwallet.billing import household

    household.init_household(env.wallet, "parent", "4826")
    data = point_wallet_at(env)
    script = _script(tmp_path, "print('ran')\n")

    def run(pin: str | None) -> subprocess.CompletedProcess[str]:
        args = ["--profile", "alice", *(["--pin-stdin"] if pin is not None else []), "--"]
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "tokenwallet",
                "--data-dir",
                str(data),
                "run",
                *args,
                sys.executable,
                str(script),
            ],
            input=f"{pin}\n" if pin is not None else "",
            env=tool_env(tmp_path / "home", trap),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    for pin in (None, "0000"):
        refused = run(pin)
        assert refused.returncode != 0 and "ran" not in refused.stdout
        assert "PIN" in refused.stderr, refused.stderr
    assert env.wallet.sessions() == []
    done = run("4826")
    assert done.returncode == 0 and "ran" in done.stdout, done.stderr
    assert len(env.wallet.sessions()) == 1


def test_a_port_held_by_something_else_is_an_error(env: Env, tmp_path: Path, upstream: FakeUpstream) -> None:
    """run never starts a second meter beside one it cannot use, nor sends calls to a stranger."""
    from tokenwallet.wallet import Wallet

    other = tmp_path / "other"
    other.mkdir()
    with Wallet.open(other / "wallet.db") as w:
        w.add_profile("bob")
        w.set_setting("proxy_host", "127.0.0.1")
        for port, says in (
            (env.proxy.port, "meters another wallet"),
            (upstream.port, "not a Token Wallet meter"),
        ):
            w.set_setting("proxy_port", port)
            done = subprocess.run(
                [sys.executable, "-m", "tokenwallet", "--data-dir", str(other), "run", "--", "true"],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert done.returncode == 1 and says in done.stderr, done.stderr
        assert w.sessions() == []


SLEEPER = r"""
import os, time
os.write(1, f"KEY {os.environ['OPENAI_API_KEY']}\n".encode())
time.sleep(60)
"""


def test_the_next_run_ends_a_session_whose_run_was_killed(env: Env, tmp_path: Path, trap: Trap) -> None:
    """SIGKILL leaves run no chance to revoke its key; the next run sees its owner gone and does."""
    data = point_wallet_at(env)
    script = _script(tmp_path, SLEEPER)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tokenwallet",
            "--data-dir",
            str(data),
            "run",
            "--",
            sys.executable,
            str(script),
        ],
        env=tool_env(tmp_path / "home", trap),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    assert line.startswith("KEY tw-"), line
    key = line.split()[1]
    beside = tokenwallet_run(data, ["true"], env=tool_env(tmp_path / "home", trap), cwd=tmp_path)
    assert "ended session" not in beside.stderr  # a run that is alive keeps its session
    os.killpg(proc.pid, signal.SIGKILL)  # run and its tool, with no chance to clean up
    proc.wait()
    assert proc.stdout.read() == b"" and proc.stderr is not None and b"calls" not in proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    (open_session,) = [s for s in env.wallet.sessions() if s.ended_at is None]

    ran = tokenwallet_run(data, ["true"], env=tool_env(tmp_path / "home", trap), cwd=tmp_path)
    assert f"ended session {open_session.id}: its run is gone" in ran.stderr
    (old,) = env.wallet.sessions(session_id=open_session.id)
    assert old.ended_at is not None
    assert not (data / "sessions" / open_session.id).exists()
    time.sleep(KEY_CACHE_S)
    with pytest.raises(openai.AuthenticationError, match="unknown or was revoked"):
        env.openai(key=key).chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "x"}]
        )


BUDGET_SCRIPT = """
import openai
client = openai.OpenAI(max_retries=0)
for i in range(6):
    try:
        client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": f"step {i}"}], max_tokens=400
        )
        print("OK", i)
    except openai.APIStatusError as exc:
        print("REFUSED", i, exc.status_code, exc.message)
"""


def test_a_session_budget_stops_the_session_and_nothing_else(env: Env, tmp_path: Path, trap: Trap) -> None:
    data = point_wallet_at(env)
    # gpt-4o-mini answering 400 tokens costs ~$0.00024 a call and holds ~$0.00025: $0.0006 lets two
    # through (0 + hold, then one call's cost + hold) and refuses the third and every one after it
    env.upstream.scenario(output_tokens=400)
    ran = tokenwallet_run(
        data,
        [sys.executable, str(_script(tmp_path, BUDGET_SCRIPT))],
        env=tool_env(tmp_path / "home", trap),
        cwd=tmp_path,
        args=("--profile", "alice", "--session-budget", "$0.0006"),
    )
    ok = [line for line in ran.stdout.splitlines() if line.startswith("OK")]
    refused = [line for line in ran.stdout.splitlines() if line.startswith("REFUSED")]
    assert len(ok) == 2 and len(refused) == 4, ran.stdout
    assert all(" 402 " in line and "session money guard" in line for line in refused)
    check_metered(env, ran, calls=2)
    env.openai().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "x"}])
    assert env.wallet.guards() == []  # the session's guards went with it
