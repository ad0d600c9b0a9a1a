"""Keep the CLI's translation catalog in step with the sources (Babel's Python API).

    .venv/bin/python tools/i18n_cli.py          # extract → resources/i18n/tokenwallet.pot,
                                                # merge into each .po, compile each .mo
    .venv/bin/python tools/i18n_cli.py --check  # exit 1 when the .pot or a .mo is stale

After a run, translate the new or fuzzy entries in resources/i18n/zh_CN/LC_MESSAGES/tokenwallet.po
(an empty ``msgstr`` is untranslated; ``#, fuzzy`` marks a guess Babel made from a changed
source) and run it again to compile. tests/unit/cli/test_cli_language.py fails while any entry is
missing, untranslated or fuzzy.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "src" / "tokenwallet"
I18N = ROOT / "resources" / "i18n"
POT = I18N / "tokenwallet.pot"
LANGUAGES = ("zh_CN",)
HEADER = "# The Token Wallet command line ({language}). Maintained with tools/i18n_cli.py."
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "N_plural": (1, 2)}
# The CLI only: the app (tokenwallet.gui) has Qt's own translation files.
SCANNED = ("cli.py", "commands/*.py")


def po_file(lang: str) -> Path:
    return I18N / lang / "LC_MESSAGES" / "tokenwallet.po"


def extract() -> Catalog:
    """Every marked string in the CLI's sources, in a fresh template."""
    catalog = Catalog(
        project="Token Wallet",
        msgid_bugs_address="",
        charset="utf-8",
        fuzzy=False,
        header_comment=HEADER.format(language="template"),
    )
    method_map = [(pattern, "python") for pattern in SCANNED]
    for filename, lineno, message, comments, context in extract_from_dir(
        SOURCES, method_map, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        where = [(f"src/tokenwallet/{filename}", lineno)]
        catalog.add(message, None, where, auto_comments=comments, context=context)
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    # File names without line numbers: moving code does not change the catalog.
    write_po(out, catalog, width=100, sort_output=False, include_lineno=False)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _stable(data: bytes) -> bytes:
    """The .pot without its creation date, which changes on every run."""
    return b"\n".join(line for line in data.split(b"\n") if not line.startswith(b'"POT-Creation-Date'))


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    template = extract()
    stale: list[str] = []
    if not POT.exists() or _stable(POT.read_bytes()) != _stable(_po_bytes(template)):
        stale.append(str(POT.relative_to(ROOT)))
        if not check:
            POT.parent.mkdir(parents=True, exist_ok=True)
            POT.write_bytes(_po_bytes(template))
    for lang in LANGUAGES:
        po_path = po_file(lang)
        catalog = (
            read(po_path, lang)
            if po_path.exists()
            else Catalog(locale=lang, project="Token Wallet", charset="utf-8", fuzzy=False)
        )
        catalog.header_comment = HEADER.format(language=lang)
        catalog.last_translator = catalog.language_team = "Token Wallet"
        if not check:
            catalog.update(template, update_header_comment=False)
            po_path.parent.mkdir(parents=True, exist_ok=True)
            po_path.write_bytes(_po_bytes(catalog))
            catalog = read(po_path, lang)  # compile what the file says, as --check and the test do
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.read_bytes() != _mo_bytes(catalog):
            stale.append(str(mo_path.relative_to(ROOT)))
            if not check:
                mo_path.write_bytes(_mo_bytes(catalog))
    if check and stale:
        print(f"stale: {', '.join(stale)}; run .venv/bin/python tools/i18n_cli.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
