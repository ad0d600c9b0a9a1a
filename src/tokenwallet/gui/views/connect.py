"""Connect your tools: ready-to-copy lines for the selected profile, and a real test request."""

from __future__ import annotations

import json
import shlex
import time
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.gui import theme
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.views.widgets import KeyDialog, StatusLine
from tokenwallet.gui.workers import run_task

KEY_PLACEHOLDER = "tw-…your-profile-key…"
TEST_MODELS = {"openai": "gpt-4o-mini", "anthropic": "claude-3-5-haiku-latest"}


RUN_TITLE = QT_TR_NOOP("One command: tokenwallet run (each tool below gets its own key)")
RUN_TOOLS = ("claude", "codex", "aider --model gpt-4o-mini", 'llm "Hello"', "python my_agent.py")


def run_lines(profile: str, data_dir: Path | None = None) -> str:
    """``tokenwallet run`` lines for the profile: each run gets a key of its own and the meter's
    settings, so there is nothing to paste; ``data_dir`` when the wallet is not the default one."""
    where = f" --data-dir {shlex.quote(str(data_dir))}" if data_dir is not None else ""
    prefix = f"tokenwallet{where} run --profile {shlex.quote(profile)} --"
    return "\n".join(f"{prefix} {tool}" for tool in RUN_TOOLS)


def snippets(proxy_url: str, key: str) -> dict[str, str]:
    """The text blocks shown on the page, by title."""
    return {
        QT_TR_NOOP("Shell (OpenAI tools)"): f'export OPENAI_BASE_URL="{proxy_url}/openai/v1"\n'
        f'export OPENAI_API_KEY="{key}"',
        QT_TR_NOOP("Shell (Anthropic tools)"): f'export ANTHROPIC_BASE_URL="{proxy_url}/anthropic"\n'
        f'export ANTHROPIC_API_KEY="{key}"',
        QT_TR_NOOP("Python (openai SDK)"): (
            "from openai import OpenAI\n\n"
            f'client = OpenAI(base_url="{proxy_url}/openai/v1", api_key="{key}")\n'
            'reply = client.chat.completions.create(model="gpt-4o-mini",\n'
            '    messages=[{"role": "user", "content": "Hello"}])\n'
            "print(reply.choices[0].message.content)"
        ),
        "curl": (
            f"curl {proxy_url}/openai/v1/chat/completions \\\n"
            f'  -H "Authorization: Bearer {key}" -H "Content-Type: application/json" \\\n'
            '  -d \'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}\''
        ),
    }


def test_request(proxy_url: str, key: str, provider: str, model: str) -> str:
    """Send a one-token request through the proxy; returns a one-line verdict (raises on transport errors)."""
    import httpx

    started = time.perf_counter()
    if provider == "anthropic":
        url = f"{proxy_url}/anthropic/v1/messages"
        headers = {"x-api-key": key, "anthropic-version": "2023-06-01"}
    else:
        url = f"{proxy_url}/{provider}/v1/chat/completions"
        headers = {"Authorization": f"Bearer {key}"}
    body = {"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": "ping"}]}
    resp = httpx.post(url, json=body, headers=headers, timeout=30.0)
    ms = (time.perf_counter() - started) * 1000
    if resp.status_code == 200:
        return tr(
            "OK: {provider}/{model} answered through the proxy in {ms:.0f} ms; the call is in History."
        ).format(provider=provider, model=model, ms=ms)
    try:
        message = resp.json().get("error", {}).get("message") or resp.text
    except (ValueError, AttributeError):
        message = resp.text
    if isinstance(message, dict):
        message = json.dumps(message)
    return tr("Failed ({status_code}): {value}").format(
        status_code=resp.status_code, value=str(message)[:300]
    )


class ConnectPage(QWidget):
    """Copyable settings for common tools and a "test connection" button.

    Signals:
        tested(str): the test request finished; carries the verdict line.
    """

    tested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.key_dialog: KeyDialog | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.key_field = QLineEdit()
        self.key_field.setPlaceholderText(tr("paste this profile's tw-… key, or make a new one"))
        self.key_field.textChanged.connect(lambda _t: self._fill())
        new_key = QPushButton(tr("New key for this profile…"))
        new_key.clicked.connect(self.new_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_field, 1)
        key_row.addWidget(new_key)

        self.blocks: dict[str, QPlainTextEdit] = {}
        blocks_box = QWidget()
        blocks_layout = QVBoxLayout(blocks_box)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        for title in (RUN_TITLE, *snippets("x", "y")):
            group = QGroupBox(tr(title))
            inner = QHBoxLayout(group)
            text = QPlainTextEdit()
            text.setReadOnly(True)
            text.setFont(mono)
            text.setFixedHeight(56 if title.startswith("Shell") else 100)
            copy = QPushButton(tr("Copy"))
            copy.clicked.connect(lambda _c=False, t=text, b=copy: self._copy(t, b))
            inner.addWidget(text, 1)
            inner.addWidget(copy)
            blocks_layout.addWidget(group)
            self.blocks[title] = text

        self.provider = QComboBox()
        self.provider.addItems(["openai", "anthropic"])
        self.model = QLineEdit(TEST_MODELS["openai"])
        self.provider.currentTextChanged.connect(lambda p: self.model.setText(TEST_MODELS.get(p, "")))
        self.test_button = QPushButton(tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.test_status = StatusLine()
        test_form = QFormLayout()
        test_form.addRow(tr("Provider"), self.provider)
        test_form.addRow(tr("Model"), self.model)
        test_box = QGroupBox(tr("Test connection"))
        test_note = QLabel(
            tr(
                "Sends a real one-token request through the proxy; it costs a fraction of a cent and is "
                "charged to this profile."
            )
        )
        test_note.setWordWrap(True)
        theme.set_role(test_note, "muted")
        test_inner = QVBoxLayout(test_box)
        test_inner.addWidget(test_note)
        test_inner.addLayout(test_form)
        test_inner.addWidget(self.test_button)
        test_inner.addWidget(self.test_status)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.intro)
        layout.addLayout(key_row)
        layout.addWidget(blocks_box)
        layout.addWidget(test_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        session.profileChanged.connect(lambda _p: self.reload())
        session.walletChanged.connect(self._fill)
        session.meteringChanged.connect(lambda _m, _t: self._fill())
        self.reload()

    def profile(self) -> str | None:
        if self.session.profile:
            return self.session.profile
        profiles = self.session.wallet.profiles()
        return profiles[0].name if profiles else None

    def reload(self) -> None:
        name = self.profile()
        self.key_field.blockSignals(True)
        self.key_field.setText(self.session.revealed_keys.get(name or "", ""))
        self.key_field.blockSignals(False)
        self._fill()

    def _fill(self) -> None:
        name = self.profile()
        if name is None:
            self.intro.setText(
                tr("Create a profile first (Profiles & budgets): each tool connects with a profile's key.")
            )
        else:
            state = (
                ""
                if self.session.mode in ("hosted", "attached")
                else tr(
                    " <span style='color:{danger}'>(the meter is not running: {mode_text})</span>"
                ).format(danger=theme.current().danger, mode_text=self.session.mode_text)
            )
            self.intro.setText(
                tr(
                    "Settings for profile <b>{name}</b> (pick another in the bar above). Tools send "
                    "their calls to the meter at <b>{proxy_url}</b>{state}, which forwards them with "
                    "your real provider key and charges this profile's budgets. The first lines need "
                    "no key: <tt>tokenwallet run</tt> gives each tool a key of its own for one "
                    "session. For the others, paste a key below (keys are shown only when made)."
                ).format(name=name, proxy_url=self.session.proxy_url, state=state)
            )
        key = self.key_field.text().strip() or KEY_PLACEHOLDER
        for title, text in snippets(self.session.proxy_url, key).items():
            self.blocks[title].setPlainText(text)
        self.blocks[RUN_TITLE].setPlainText(run_lines(name or "NAME", self._data_dir_option()))

    def _data_dir_option(self) -> Path | None:
        """The wallet's directory when ``tokenwallet`` would not find it by itself."""
        from tokenwallet import paths

        here = Path(self.session.data_dir)
        return None if here.resolve() == paths.data_dir(None).resolve() else here

    def _copy(self, text: QPlainTextEdit, button: QPushButton) -> None:
        QGuiApplication.clipboard().setText(text.toPlainText())
        button.setText(tr("Copied"))

    def new_key(self) -> None:
        name = self.profile()
        if name is None:
            self.test_status.error(tr("Create a profile first."))
            return
        try:
            key = self.session.wallet.new_key(name, label=tr("connect page"))
        except Exception as exc:
            self.test_status.error(tr("No key made: {exc}").format(exc=exc))
            return
        self.session.revealed_keys[name] = key
        self.key_field.setText(key)
        self.key_dialog = KeyDialog(name, key, self)
        self.key_dialog.open()

    def test_connection(self) -> None:
        key = self.key_field.text().strip()
        if not key:
            self.test_status.error(tr("Paste this profile's key (or make a new one) to test with it."))
            return
        provider, model, url = self.provider.currentText(), self.model.text().strip(), self.session.proxy_url
        self.test_button.setEnabled(False)
        self.test_status.ok(tr("Sending…"))

        def done(value: object) -> None:
            self._finish(str(value))

        def failed(exc: BaseException) -> None:
            self._finish(tr("Failed: the meter at {url} did not answer ({exc}).").format(url=url, exc=exc))

        run_task(lambda: test_request(url, key, provider, model), done, failed)

    def _finish(self, verdict: str) -> None:
        self.test_button.setEnabled(True)
        if verdict.startswith("OK"):
            self.test_status.ok(verdict)
        else:
            self.test_status.error(verdict)
        self.tested.emit(verdict)
