"""The Linux bundle (packaging/build-linux.sh) as a user gets it: unpacked from its tarball, run
without the checkout or its virtualenv.

- the bundled ``tokenwallet serve`` meters a real call (openai SDK → bundle → fake upstream) and
  the bundled ``history --json`` shows it, and ``statement --pdf`` writes a PDF with no display;
- the bundled app opens its window on a virtual X screen (Xvfb) and paints it: the pixels are
  read back from the X server's own framebuffer, not from Qt;
- the bundle answers like the checkout (token counts from the shipped tokenizers, prices, keyring
  backends), every Qt library a bundled plug-in needs is in it, and install.sh installs the menu
  entry and icon for the user.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from fakes.upstream import FakeUpstream
from installer.conftest import Bundle
from installer.xwd import Screen, Shot, read_xwd

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]  # the first test may build the bundle
CHECKOUT = [sys.executable, "-m", "tokenwallet"]
# A window, or a first-run dialog over it, covers more than this share of the 1280×800 screen.
MIN_COVERED = 0.1


@pytest.fixture
def upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream() as fake:
        yield fake


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_bundled_serve_meters_a_call_made_with_the_openai_sdk(
    bundle: Bundle, upstream: FakeUpstream, tmp_path: Path
) -> None:
    home = tmp_path / "wallet"
    for args in (
        ("provider", "set", "openai", "--base-url", upstream.openai_base_url),
        ("profile", "add", "alice"),
        # A provider key cannot cross from `key set` to `serve` through the in-memory test keyring
        # (each process has its own), so the client sends its own key and alice is charged.
        ("settings", "set", "passthrough_profile", "alice"),
    ):
        done = bundle.run(*args, data_dir=home)
        assert done.returncode == 0, done.stderr
    serve = subprocess.Popen(
        [str(bundle.exe), "--data-dir", str(home), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=bundle.env(),
    )
    try:
        assert serve.stdout is not None
        first = serve.stdout.readline()
        assert first.startswith("Token Wallet proxy listening on http://127.0.0.1:"), first
        url = first.split()[5]
        client = openai.OpenAI(base_url=f"{url}/openai/v1", api_key="sk-own-provider-key", max_retries=0)
        answer = client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "Say hello from the bundle, please."}]
        )
        assert answer.choices[0].message.content
        assert upstream.last.headers["authorization"] == "Bearer sk-own-provider-key"
        sent = upstream.last.usage
        assert sent is not None
        # the fast path is in the bundle: the proxy would quietly fall back to asyncio without uvloop
        loaded = Path(f"/proc/{serve.pid}/maps").read_text()
        assert "/_internal/uvloop/" in loaded and "/_internal/httptools/" in loaded
        serve.send_signal(signal.SIGINT)
        _, err = serve.communicate(timeout=30)
        assert serve.returncode == 0, err
        assert "Traceback" not in err
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate()

    history = bundle.run("history", "--json", data_dir=home)
    assert history.returncode == 0, history.stderr
    (row,) = json.loads(history.stdout)
    assert row["profile"] == "alice" and row["model"] == "gpt-4o-mini" and row["provider"] == "openai"
    assert row["input_tokens"] == sent.input_tokens and row["output_tokens"] == sent.output_tokens
    assert row["cost_nano"] > 0
    # the checkout reads the same ledger row, and prices it the same way
    mine = subprocess.run(
        [*CHECKOUT, "--data-dir", str(home), "history", "--json"], capture_output=True, text=True, check=True
    )
    assert json.loads(mine.stdout) == [row]
    # a PDF statement from the CLI: Qt's PDF writer on the offscreen platform, with no display
    pdf = tmp_path / "alice.pdf"
    month = time.strftime("%Y-%m")
    done = bundle.run("statement", "alice", "--month", month, "--pdf", str(pdf), data_dir=home)
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Statement for alice" in text


def test_bundled_app_paints_its_window_on_an_x_screen(bundle: Bundle, tmp_path: Path) -> None:
    home = tmp_path / "wallet"
    port = _free_port()  # the window hosts the proxy: never on the default port of a shared machine
    done = bundle.run("settings", "set", "proxy_port", str(port), data_dir=home)
    assert done.returncode == 0, done.stderr
    fb = tmp_path / "fb"
    fb.mkdir()
    with Screen(fb, width=1280, height=800) as display:
        app = subprocess.Popen(
            [str(bundle.exe), "--data-dir", str(home)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=bundle.env(DISPLAY=display),
        )
        try:
            shot = _wait_for_paint(display, fb, app)
        finally:
            app.terminate()
            _, err = app.communicate(timeout=30)
    shot.save_png(tmp_path / "window.png")  # for a person to look at when this fails
    assert "Traceback" not in err, err
    assert shot.covered() > MIN_COVERED, f"the window covers {shot.covered():.0%} of the screen"
    assert shot.colours() > 64, f"only {shot.colours()} colours: an empty window ({tmp_path / 'window.png'})"


def test_bundled_app_starts_offscreen_and_reports_its_start(bundle: Bundle, tmp_path: Path) -> None:
    """Qt's offscreen platform is in the bundle too, and the start-up probe bench_gui.py reads."""
    home = tmp_path / "wallet"
    done = bundle.run("settings", "set", "proxy_port", str(_free_port()), data_dir=home)
    assert done.returncode == 0, done.stderr
    report = tmp_path / "start.json"
    env = bundle.env(QT_QPA_PLATFORM="offscreen", TOKENWALLET_BENCH_START=str(report))
    started = time.time()
    done = subprocess.run(
        [str(bundle.exe), "--data-dir", str(home)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    marks = json.loads(report.read_text())
    assert marks["mode"] == "hosted" and started < marks["paint"] <= marks["mode_at"]


def _wait_for_paint(display: str, fb: Path, app: subprocess.Popen[str]) -> Shot:
    """The screen once the window is up and has settled (the dashboard fills in after the first
    paint; a blinking text cursor may still change a few pixels)."""
    deadline = time.monotonic() + 60
    last = None
    while time.monotonic() < deadline:
        assert app.poll() is None, f"the app ended ({app.returncode}): {app.communicate()[1][-3000:]}"
        shot = read_xwd(fb / "Xvfb_screen0")
        if shot.covered() > MIN_COVERED and last is not None and shot.changed(last) < 0.01:
            return shot
        last = shot
        time.sleep(0.5)
    raise AssertionError(f"no painted window on {display} within 60 s")


def test_bundle_counts_and_prices_like_the_checkout(bundle: Bundle, tmp_path: Path) -> None:
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("Summarise the attached meeting notes in five bullet points. " * 40)
    for model in ("gpt-4o", "gpt-4", "claude-sonnet-4-5"):  # o200k, cl100k, an estimate
        args = ("preview", str(prompt), "--model", model, "--json")
        ours = bundle.run(*args, data_dir=tmp_path / "b")
        theirs = subprocess.run(
            [*CHECKOUT, "--data-dir", str(tmp_path / "c"), *args], capture_output=True, text=True, check=False
        )
        assert ours.returncode == 0 == theirs.returncode, ours.stderr + theirs.stderr
        assert json.loads(ours.stdout) == json.loads(theirs.stdout)


@pytest.mark.parametrize(
    "backend",
    [
        None,  # keyring's own choice, through its entry points
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.chainer.ChainerBackend",
    ],
)
def test_bundle_has_the_keyring_backends_of_the_checkout(
    bundle: Bundle, tmp_path: Path, backend: str | None
) -> None:
    """No desktop keychain runs here, so each backend fails: with the same words as from the checkout
    (a backend missing from the bundle would say "No module named …")."""
    env = bundle.env()
    env.pop("PYTHON_KEYRING_BACKEND")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # no keyringrc.cfg of the user's
    if backend:
        env["PYTHON_KEYRING_BACKEND"] = backend
    ours = bundle.run("key", "status", "openai", data_dir=tmp_path / "w", env=env)
    theirs = subprocess.run(
        [*CHECKOUT, "--data-dir", str(tmp_path / "w"), "key", "status", "openai"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert (ours.returncode, ours.stderr) == (theirs.returncode, theirs.stderr)
    assert "No module named" not in ours.stderr
    (entry_points,) = (bundle.folder / "_internal").glob("keyring-*.dist-info/entry_points.txt")
    assert "SecretService = keyring.backends.SecretService" in entry_points.read_text()


def test_every_qt_library_a_bundled_binary_needs_is_bundled(bundle: Bundle) -> None:
    internal = bundle.folder / "_internal"
    libs = f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"
    binaries = [p for p in (internal / "PySide6").rglob("*.so*") if p.is_file() and not p.is_symlink()]
    assert len(binaries) > 20
    missing = []
    for binary in binaries:
        out = subprocess.run(
            ["ldd", str(binary)], capture_output=True, text=True, check=False, env={"LD_LIBRARY_PATH": libs}
        ).stdout
        missing += [
            f"{binary.name}: {line.strip()}"
            for line in out.splitlines()
            if "libQt6" in line and "not found" in line
        ]
    assert missing == []


def test_install_script_adds_the_menu_entry_and_icon_for_the_user(bundle: Bundle, tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path / "home"), "PATH": os.environ["PATH"]}
    done = subprocess.run(
        [str(bundle.folder / "install.sh"), "--link-cli"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    share = tmp_path / "home" / ".local" / "share"
    entry = (share / "applications" / "tokenwallet.desktop").read_text()
    assert f'Exec="{bundle.exe}"' in entry and "Icon=tokenwallet" in entry
    assert (share / "icons/hicolor/scalable/apps/tokenwallet.svg").read_bytes().startswith(b"<svg")
    link = tmp_path / "home" / ".local" / "bin" / "tokenwallet"
    assert link.resolve() == bundle.exe.resolve()
    version = subprocess.run([str(link), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("tokenwallet ")
    done = subprocess.run(
        [str(bundle.folder / "install.sh"), "--uninstall"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not (share / "applications" / "tokenwallet.desktop").exists() and not link.exists()
