"""Bad days in the CLI: a read-only, full or damaged wallet gives one line naming the file and what
to do — never a traceback — and nothing already saved is lost. Real processes, real files."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bad_days import damage, limited_to, profiles, read_only, run_cli
from tokenwallet.commands.common import Context
from tokenwallet.paths import wallet_file


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def a_wallet(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    done = run_cli(home, "profile", "add", "saved")
    assert done.returncode == 0, done.stderr
    return home


def test_a_read_only_folder_on_first_use(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with read_only(home):
        done = run_cli(home, "profile", "add", "x")
    line = one_line(done.stderr)  # it used to be a traceback from discard_new_wallet (Errno 30)
    assert done.returncode == 1
    assert str(wallet_file(home)) in line and "read-only" in line and "--data-dir" in line
    assert list(home.iterdir()) == []


def test_a_read_only_folder_keeps_the_wallet(tmp_path: Path) -> None:
    home = a_wallet(tmp_path)
    with read_only(home):
        done = run_cli(home, "profile", "add", "more")
        status = run_cli(home, "status")
    for d in (done, status):
        line = one_line(d.stderr)
        assert d.returncode == 1 and str(wallet_file(home)) in line and "read-only" in line
        assert "nothing already saved is lost" in line
    assert profiles(wallet_file(home)) == {"saved"}
    assert run_cli(home, "profile", "add", "more").returncode == 0  # writable again: works again


def test_a_read_only_wallet_file(tmp_path: Path) -> None:
    home = a_wallet(tmp_path)
    with read_only(wallet_file(home)):
        done = run_cli(home, "profile", "add", "more")
    line = one_line(done.stderr)
    assert done.returncode == 1 and str(wallet_file(home)) in line and "read-only" in line
    assert profiles(wallet_file(home)) == {"saved"}


def test_a_full_disk(tmp_path: Path) -> None:
    home = a_wallet(tmp_path)
    # the child cannot write past 16 KB into any file: its WAL index and journal cannot grow
    done = run_cli(home, "profile", "add", "more", preexec=lambda: limited_to(16 << 10))
    line = one_line(done.stderr)
    assert done.returncode == 1 and str(wallet_file(home)) in line and "disk is full" in line
    assert "nothing already saved is lost" in line
    assert profiles(wallet_file(home)) == {"saved"}
    assert run_cli(home, "profile", "add", "more").returncode == 0


_FILLER = """
import sys
from tokenwallet.wallet import Wallet, WalletError
w = Wallet.open(sys.argv[1])
for i in range(10_000):
    try:
        w.add_profile(f"p{i:04d}-" + "x" * 50)
    except WalletError as exc:
        print(i)
        print(exc)
        break
w.close()
"""


def test_a_disk_that_fills_up_while_in_use(tmp_path: Path) -> None:
    home = a_wallet(tmp_path)
    path = wallet_file(home)
    # a long-lived process (like the app) that may write at most 256 KB into any file
    done = subprocess.run(
        [sys.executable, "-c", _FILLER, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        preexec_fn=lambda: limited_to(256 << 10),
    )
    count, line = done.stdout.strip().splitlines()
    assert int(count) > 0 and "disk is full" in line and str(path) in line
    # every profile added before the disk filled is there, the refused one is not
    assert profiles(path) == {"saved"} | {f"p{n:04d}-" + "x" * 50 for n in range(int(count))}


def test_a_damaged_wallet(tmp_path: Path) -> None:
    home = a_wallet(tmp_path)
    path = wallet_file(home)
    damage(path, "profile")
    before = path.read_bytes()
    done = run_cli(home, "profile", "list")
    line = one_line(done.stderr)
    assert done.returncode == 1 and str(path) in line and "is damaged" in line
    assert "restore a backup" in line and "left as it is" in line
    assert path.read_bytes() == before  # untouched, for whoever rescues it


def test_a_file_that_is_not_a_wallet(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    wallet_file(home).write_text("my shopping list")
    done = run_cli(home, "status")
    line = one_line(done.stderr)
    assert done.returncode == 1 and str(wallet_file(home)) in line and "not a Token Wallet file" in line
    assert wallet_file(home).read_text() == "my shopping list"


def test_exports_and_prompts_never_touch_the_wallet_file(tmp_path: Path) -> None:
    """Writing an export over the wallet destroys it; even reading it with open() in a process
    that has it open drops that process's locks (issue 9). Both are refused by name."""
    home = a_wallet(tmp_path)
    path = wallet_file(home)
    for args in (
        ("export", "--output", str(path)),
        ("export", "--output", f"{path}-wal"),
        ("statement", "saved", "--csv", str(path)),
        ("preview", str(path), "--model", "gpt-4o-mini"),
    ):
        done = run_cli(home, *args)
        line = one_line(done.stderr)
        assert done.returncode != 0 and "the wallet's own file" in line, (args, line)
    assert profiles(path) == {"saved"}


_HOLDER = """
import sys
from tokenwallet.wallet import Wallet
w = Wallet.open(sys.argv[1])
w.add_profile("app")
print("ready", flush=True)
sys.stdin.readline()
w.add_profile("later")
w.close()
"""


def test_a_failed_first_command_never_deletes_a_wallet_another_process_opened(tmp_path: Path) -> None:
    """A command that fails on a fresh data dir removes the wallet it created — unless another
    process (the app starting at the same moment) has opened it meanwhile."""
    ctx = Context(data_dir=tmp_path / "home", out=io.StringIO(), err=io.StringIO(), stdin=io.StringIO())
    with ctx.wallet():  # this run creates the wallet…
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(ctx.wallet_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    ctx.discard_new_wallet()  # …and then fails, as main() cleans up after an error
    assert ctx.wallet_path.exists()
    holder.communicate("go\n", timeout=60)
    assert holder.returncode == 0
    assert profiles(ctx.wallet_path) == {"app", "later"}

    alone = Context(data_dir=tmp_path / "fresh", out=io.StringIO(), err=io.StringIO(), stdin=io.StringIO())
    with alone.wallet():
        pass
    alone.discard_new_wallet()
    assert not (tmp_path / "fresh").exists()  # nobody else had it: no trace left, as before
