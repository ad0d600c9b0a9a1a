"""Text for a terminal, measured in columns: a Chinese character takes two (issue 12).

``str.ljust`` and ``textwrap`` count characters, so tables with Chinese headings and names went
out of line and Chinese help texts ran twice as wide as the terminal. Unicode's East Asian Width
property says which characters are wide (``unicodedata``, no extra dependency).
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Iterable, Sequence


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide and full-width characters take two
    (Unicode's East Asian Width), combining marks none."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (``str.ljust`` counts characters)."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def table(rows: Sequence[Sequence[str]], headers: Sequence[str], *, right: set[int] | None = None) -> str:
    """A plain aligned text table (numbers right-aligned by column index), aligned by terminal
    columns so Chinese headings and names line up."""
    right = right or set()
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))

    def line(cells: Sequence[str]) -> str:
        parts = [pad(c, widths[i], right=i in right) for i, c in enumerate(cells)]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["─" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


class WideHelpFormatter(argparse.HelpFormatter):
    """argparse's help, wrapped by terminal columns when a text has wide (Chinese) characters.

    textwrap counts characters and breaks only at spaces, so a Chinese help text ran twice as
    wide as the terminal. English texts keep argparse's own wrapping.
    """

    def _split_lines(self, text: str, width: int) -> list[str]:
        if not _has_wide(text):
            return super()._split_lines(text, width)
        return wrap_columns(text, width)

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        # argparse indents the usage's later lines by len(prefix): "用法：" is 3 characters but
        # 6 columns. Format with spaces as wide as the prefix, then put the prefix back.
        if prefix is None:
            prefix = argparse._("usage: ")  # type: ignore[attr-defined]  # argparse's gettext, see i18n.use
        if not _has_wide(prefix):
            return super()._format_usage(usage, actions, groups, prefix)
        stand_in = " " * display_width(prefix)
        return prefix + super()._format_usage(usage, actions, groups, stand_in)[len(stand_in) :]

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if not _has_wide(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap_columns(text, width - len(indent)))


def _has_wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in text)


# Chinese punctuation that must not start a line (it stays at the end of the line before).
_NO_LINE_START = frozenset("，。、：；！？）》」』”’…")
_TOKENS = re.compile(r"\s+|[^\s\u2e80-\ufaff\uff00-\uffef]+|.")


def wrap_columns(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns: a break between any two Chinese
    characters, between Latin words at spaces only."""
    lines: list[str] = []
    line, used, space = "", 0, False
    for token in _TOKENS.findall(" ".join(text.split())):
        if token.isspace():
            space = bool(line)
            continue
        size = display_width(token) + (1 if space else 0)
        if line and used + size > width and token not in _NO_LINE_START:
            lines.append(line)
            line, used = token, display_width(token)
        else:
            line += (" " if space else "") + token
            used += size
        space = False
    if line:
        lines.append(line)
    return lines
