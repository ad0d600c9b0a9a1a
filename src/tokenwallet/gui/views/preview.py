"""Cost preview page: paste, open or drop a prompt; see tokens, cost, budget shares, cheaper models."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.core.money import format_tokens
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.theme import set_role
from tokenwallet.gui.views.compare_table import CompareSection
from tokenwallet.gui.views.preview_calc import (
    PreviewResult,
    compute_preview,
    share_text,
    split_model,
    suggestion_text,
)
from tokenwallet.gui.views.prompt_edit import PromptEdit
from tokenwallet.gui.workers import run_task
from tokenwallet.paths import is_wallet_file

BIG_FILE = 1_000_000  # bytes: larger files are counted from disk, not pasted into the editor
MAX_FILE = 64 * 1024 * 1024
COMMON_MODELS = [
    "openai/gpt-4o",
    "openai/gpt-4o-mini",
    "openai/gpt-4.1",
    "openai/gpt-4.1-mini",
    "openai/gpt-4.1-nano",
    "openai/o3-mini",
    "anthropic/claude-3-5-sonnet-latest",
    "anthropic/claude-3-5-haiku-latest",
    "gemini/gemini-1.5-pro",
    "gemini/gemini-1.5-flash",
    "deepseek/deepseek-chat",
    "mistral/mistral-large-latest",
]
VERDICT_ROLES = {"fits": "ok", "warn": "warn", "downgrade": "warn", "refused": "danger"}  # theme roles


class PreviewPage(QWidget):
    """Prompt in, cost out; recomputed 300 ms after the last edit on a worker.

    Signals:
        computed(): a new result (or error) is on screen.
    """

    computed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.result: PreviewResult | None = None
        self.error: str | None = None
        self._file_text: str | None = None  # a big file's text, counted but not shown
        self._busy = False
        self._again = False

        self.editor = PromptEdit()
        self.editor.setPlaceholderText(tr("Paste a prompt here, open a file, or drop one on this box."))
        self.editor.textChanged.connect(self._edited)
        self.editor.fileDropped.connect(lambda path: self.load_file(Path(path)))
        self.file_label = QLabel("")
        set_role(self.file_label, "muted")
        open_button = QPushButton(tr("Open file…"))
        open_button.clicked.connect(self._open_file)
        clear_button = QPushButton(tr("Clear"))
        clear_button.clicked.connect(self._clear)

        self.model_box = QComboBox()
        self.model_box.setEditable(True)
        self.model_box.addItems(COMMON_MODELS)
        self.model_box.setCurrentText("openai/gpt-4o")
        self.model_box.setMinimumWidth(240)
        completer = QCompleter(COMMON_MODELS, self.model_box)
        completer.setFilterMode(completer.filterMode().MatchContains)
        self.model_box.setCompleter(completer)
        self.model_box.currentTextChanged.connect(lambda _t: self.schedule())
        self.output_box = QSpinBox()
        self.output_box.setRange(0, 2_000_000)
        self.output_box.setSingleStep(100)
        self.output_box.setValue(500)
        self.output_box.setSuffix(tr(" tokens"))
        self.output_box.valueChanged.connect(lambda _v: self.schedule())

        form = QFormLayout()
        form.addRow(tr("Model"), self.model_box)
        form.addRow(tr("Expected output"), self.output_box)

        self.tokens_label = QLabel("—")
        set_role(self.tokens_label, "lead")
        self.tokens_label.setWordWrap(True)  # a long tokenizer name must not clip the line
        self.cost_label = QLabel("—")
        set_role(self.cost_label, "headline")
        self.verdict_label = QLabel("")
        self.verdict_label.setWordWrap(True)
        self.shares_label = QLabel("")
        self.shares_label.setWordWrap(True)
        self.shares_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggest_title = QLabel(tr("<b>Cheaper models</b>"))
        self.suggest_label = QLabel("")
        self.suggest_label.setWordWrap(True)
        self.suggest_label.setTextFormat(Qt.TextFormat.RichText)
        self.use_button = QPushButton(tr("Preview with the cheapest"))
        self.use_button.clicked.connect(self._use_cheapest)
        self.use_button.setVisible(False)

        self.compare = CompareSection(session.display)
        self.compare.modelChosen.connect(self.model_box.setCurrentText)

        left = QVBoxLayout()
        buttons = QHBoxLayout()
        buttons.addWidget(open_button)
        buttons.addWidget(clear_button)
        buttons.addWidget(self.file_label, 1)
        left.addLayout(buttons)
        left.addWidget(self.editor, 1)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addSpacing(12)
        for w in (self.tokens_label, self.cost_label, self.verdict_label, self.shares_label):
            right.addWidget(w)
        right.addSpacing(8)
        right.addWidget(self.suggest_title)
        right.addWidget(self.suggest_label)
        right.addWidget(self.use_button)
        right.addStretch(1)
        right_box = QWidget()
        right_box.setLayout(right)
        right_box.setMinimumWidth(420)
        row = QHBoxLayout()
        row.addLayout(left, 3)
        row.addWidget(right_box, 2)
        page = QVBoxLayout(self)
        page.addLayout(row, 3)
        page.addWidget(self.compare, 2)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.compute)
        session.profileChanged.connect(lambda _p: self.schedule())
        session.walletChanged.connect(self.schedule)
        session.displayChanged.connect(self._draw)
        QTimer.singleShot(0, self._load_catalog)

    # ---- inputs -------------------------------------------------------------------------------
    def _edited(self) -> None:
        if self._file_text is not None and self.editor.toPlainText():
            self._file_text = None
            self.file_label.setText("")
        self.schedule()

    def _clear(self) -> None:
        self._file_text = None
        self.file_label.setText("")
        self.editor.clear()

    def _open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a prompt file"))
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Read a file on a worker; small files go into the editor, big ones are counted from memory."""
        self.file_label.setText(tr("reading {name}…").format(name=path.name))

        def read() -> tuple[str, int]:
            if is_wallet_file(path, self.session.data_dir):
                raise ValueError(tr("{name} is the wallet's own file, not a prompt").format(name=path.name))
            size = path.stat().st_size
            if size > MAX_FILE:
                raise ValueError(
                    tr("{name} is {value} MB; the preview reads files up to 64 MB").format(
                        name=path.name, value=size // 1_000_000
                    )
                )
            return path.read_text(encoding="utf-8", errors="replace"), size

        def done(value: object) -> None:
            assert isinstance(value, tuple)
            text, size = value
            if size > BIG_FILE:
                self.editor.blockSignals(True)
                self.editor.clear()
                self.editor.blockSignals(False)
                self._file_text = text
                self.editor.setPlaceholderText(
                    tr(
                        "{name} is counted from the file ({size:,} bytes); type here to preview a "
                        "prompt instead."
                    ).format(name=path.name, size=size)
                )
            else:
                self._file_text = None
                self.editor.setPlainText(text)
            self.file_label.setText(tr("{name} · {size:,} bytes").format(name=path.name, size=size))
            self.schedule()

        def failed(exc: BaseException) -> None:
            self.file_label.setText(tr("Could not read {name}: {exc}").format(name=path.name, exc=exc))

        run_task(read, done, failed)

    def text(self) -> str:
        return self._file_text if self._file_text is not None else self.editor.toPlainText()

    def _load_catalog(self) -> None:
        session = self.session

        def names() -> list[str]:
            book = session.pricebook()
            return sorted({f"{p.provider}/{p.model}" for p in book.catalog()})

        def done(value: object) -> None:
            assert isinstance(value, list)
            current = self.model_box.currentText()
            merged = COMMON_MODELS + [n for n in value if n not in COMMON_MODELS]
            self.model_box.blockSignals(True)
            self.model_box.clear()
            self.model_box.addItems(merged)
            self.model_box.setCurrentText(current)
            self.model_box.blockSignals(False)
            completer = self.model_box.completer()
            if completer is not None:
                completer.setModel(self.model_box.model())

        run_task(names, done, lambda _e: None)  # the common models stay when the catalog cannot load

    # ---- computing ----------------------------------------------------------------------------
    def schedule(self) -> None:
        self._timer.start()

    def compute(self) -> None:
        """Count and price now (on a worker)."""
        if self._busy:
            self._again = True
            return
        text = self.text()
        if not text:
            self.result, self.error = None, None
            self._draw()
            self.computed.emit()
            return
        self._busy = True
        provider, model = split_model(self.model_box.currentText())
        out, profile, session = self.output_box.value(), self.session.profile, self.session
        run_task(
            lambda: compute_preview(
                session.reader(),
                session.pricebook(),
                text=text,
                provider=provider,
                model=model,
                output_tokens=out,
                profile=profile,
                data_dir=session.data_dir,
                keystore=session.keystore,
            ),
            self._done,
            self._failed,
        )

    def _done(self, value: object) -> None:
        assert isinstance(value, PreviewResult)
        self.result, self.error = value, None
        self._finish()

    def _failed(self, exc: BaseException) -> None:
        self.result, self.error = None, str(exc)
        self._finish()

    def _finish(self) -> None:
        self._busy = False
        self._draw()
        if self._again:
            self._again = False
            self.compute()
        else:
            self.computed.emit()

    def _use_cheapest(self) -> None:
        if self.result and self.result.suggestions:
            s = self.result.suggestions[0]
            self.model_box.setCurrentText(f"{s.provider}/{s.model}")

    # ---- drawing ------------------------------------------------------------------------------
    def _draw(self) -> None:
        d = self.session.display
        r = self.result
        if r is None:
            self.tokens_label.setText((self.error and tr("Cannot preview")) or "—")
            self.cost_label.setText("—")
            self.verdict_label.setText(self.error or tr("Paste a prompt to see what it will cost."))
            set_role(self.verdict_label, "danger" if self.error else "muted")
            self.shares_label.setText("")
            self.suggest_label.setText("")
            self.use_button.setVisible(False)
            self.compare.show_rows([], None)
            return
        mark = tr("exact") if r.exact else tr("estimate")
        images = ""
        if r.image_tokens:
            images = tr("\nof which {format_tokens} for images").format(
                format_tokens=format_tokens(r.image_tokens)
            )
            if r.images_unsized:
                images += tr(" — an image URL counts at the largest size the model bills")
        self.tokens_label.setText(
            tr("{format_tokens} in ({mark}) + {format_tokens2} out{images}").format(
                format_tokens=format_tokens(r.input_tokens),
                mark=mark,
                format_tokens2=format_tokens(r.output_tokens),
                images=images,
            )
        )
        self.tokens_label.setToolTip(tr("counted with {method}").format(method=r.method))
        price_note = tr(" · no catalog price: fallback rates") if r.unpriced else ""
        self.cost_label.setText(f"{d.money(r.cost_nano)}")
        self.cost_label.setToolTip(
            tr("input {money} · prices: {price_source}{price_note}").format(
                money=d.money(r.input_cost_nano), price_source=r.price_source, price_note=price_note
            )
        )
        self.verdict_label.setText(r.verdict_text + price_note)
        set_role(self.verdict_label, VERDICT_ROLES[r.verdict])
        lines = []
        for s in r.shares:
            share = share_text(s.share_bp)
            lines.append(
                escape(
                    tr("{value} {title}: {amount} of {amount2} available ({share})").format(
                        value="✔" if s.fits else "✘",
                        title=s.title,
                        amount=d.amount(s.unit, s.need),
                        amount2=d.amount(s.unit, s.available),
                        share=share,
                    )
                    if s.share_bp is not None
                    else tr("✘ {title}: nothing left").format(title=s.title)
                )
            )
        self.shares_label.setText("<br>".join(lines))
        if r.suggestions:  # the best three; the compare table below has every model
            self.suggest_label.setText(
                "<br>".join(
                    escape(suggestion_text(s, d.money(s.saving_nano), r.provider, e))
                    for s, e in zip(
                        r.suggestions[:3], (r.energy_saved or (None,) * len(r.suggestions))[:3], strict=True
                    )
                )
            )
        else:
            self.suggest_label.setText(tr("No cheaper model of the same kind for this prompt."))
        self.use_button.setVisible(bool(r.suggestions))
        self.compare.show_rows(r.rows, (r.provider, r.model), r.keyed_note)
        if r.suggestions:
            self.use_button.setText(tr("Preview with {model}").format(model=r.suggestions[0].model))
