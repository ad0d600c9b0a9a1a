"""Finding the agents' log files, and reading only what was appended since the last run.

A file is known by its path, device and inode, size, modification time and a hash of its first
bytes. Unchanged: skipped without a read. Grown: read from where the last run stopped. Replaced,
truncated or rewritten (another inode, a smaller size, other first bytes): read from the start —
requests imported before are recognised by id, so nothing is counted twice.

Only whole lines are taken. An unfinished last line is left for the next run while the file is
being written; once the file has been still for ``IDLE_AFTER`` it is taken as it is (and counted
as a bad line if it is not JSON), so a crashed writer's torn line is not read forever.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tokenwallet.importers.entries import Counts, Entry
from tokenwallet.wallet.imports import FileMark

IDLE_AFTER_S = 120.0  # a file unchanged this long is not being written
HEAD_BYTES = 256
CHUNK = 16 * 1024 * 1024


class LineReader(Protocol):
    state: dict[str, object]

    def feed(self, line: bytes, start: int) -> None: ...

    def finish(self, end: int, idle: bool) -> tuple[list[Entry], int]: ...


def default_roots(tool: str, env: dict[str, str] | None = None, home: Path | None = None) -> list[Path]:
    """Where ``tool`` keeps its logs on this machine (the ones that exist are read)."""
    env = dict(os.environ) if env is None else env
    home = Path.home() if home is None else home
    roots: list[Path] = []
    if tool == "claude-code":
        for d in env.get("CLAUDE_CONFIG_DIR", "").split(","):  # may list several, comma-separated
            if d.strip():
                roots.append(Path(d.strip()).expanduser() / "projects")
        roots += [home / ".config" / "claude" / "projects", home / ".claude" / "projects"]
    elif tool == "codex":
        if env.get("CODEX_HOME", "").strip():
            roots.append(Path(env["CODEX_HOME"].strip()).expanduser() / "sessions")
        roots.append(home / ".codex" / "sessions")
    elif tool == "gemini-cli":
        if env.get("GEMINI_CLI_HOME", "").strip():
            roots.append(Path(env["GEMINI_CLI_HOME"].strip()).expanduser() / ".gemini" / "tmp")
        roots.append(home / ".gemini" / "tmp")
    return roots


def log_files(tool: str, roots: Iterable[Path]) -> list[Path]:
    """Every log file of ``tool`` under ``roots`` (a root may be a file), each once, sorted."""
    # Gemini CLI: session-*.json documents (older versions), *.jsonl recordings under chats/ (now)
    patterns = ("**/chats/session-*.json", "**/chats/**/*.jsonl") if tool == "gemini-cli" else ("**/*.jsonl",)
    found: dict[str, Path] = {}
    for root in roots:
        if root.is_file():
            found.setdefault(str(root.resolve()), root.resolve())
        elif root.is_dir():
            for pattern in patterns:
                for p in root.glob(pattern):
                    if p.is_file():
                        found.setdefault(str(p.resolve()), p.resolve())
    return [found[k] for k in sorted(found)]


@dataclass(frozen=True, slots=True)
class Identity:
    dev: int
    ino: int
    size: int
    mtime_ns: int
    first: bytes  # the file's first HEAD_BYTES bytes (fewer in a smaller file)

    def head(self, n: int | None = None) -> str:
        """``"<n>:<sha1 of the first n bytes>"``: compared over the length the mark was taken on, so a
        file that was shorter than HEAD_BYTES then and grew since is still the same file."""
        data = self.first if n is None else self.first[:n]
        return f"{len(data)}:{hashlib.sha1(data, usedforsecurity=False).hexdigest()}"

    def same_file(self, mark: FileMark) -> bool:
        n, _, _ = mark.head.partition(":")
        length = int(n) if n.isdigit() else HEAD_BYTES
        return (
            (self.dev, self.ino) == (mark.dev, mark.ino)
            and self.head(length) == mark.head
            and self.size >= mark.read_to
        )

    def unchanged(self, mark: FileMark) -> bool:
        return self.same_file(mark) and (self.size, self.mtime_ns) == (mark.size, mark.mtime_ns)

    def mark(self, tool: str, path: Path, read_to: int, state: dict[str, object]) -> FileMark:
        return FileMark(
            tool, str(path), self.dev, self.ino, self.size, self.mtime_ns, self.head(), read_to, state
        )


def identity(path: Path) -> Identity:
    """Raises OSError when the file cannot be read."""
    with path.open("rb") as f:
        st = os.fstat(f.fileno())
        first = f.read(HEAD_BYTES)
    return Identity(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, first)


def is_idle(ident: Identity, now: float | None = None) -> bool:
    return (time.time() if now is None else now) - ident.mtime_ns / 1e9 >= IDLE_AFTER_S


def read_lines(path: Path, start: int, reader: LineReader, counts: Counts, *, idle: bool) -> int:
    """Feed every whole line from ``start`` to ``reader``; returns the offset after the last line taken."""
    pos = start
    carry = b""
    with path.open("rb") as f:
        f.seek(start)
        for block in _blocks(f):
            counts.bytes_read += len(block)
            buf = carry + block if carry else block
            cut = buf.rfind(b"\n")
            if cut < 0:
                carry = buf
                continue
            for line in _lines(buf, cut):
                if line.strip():
                    counts.lines += 1
                    reader.feed(line, pos)
                pos += len(line) + 1
            carry = buf[cut + 1 :]
    if carry:
        if idle and carry.strip():
            counts.lines += 1
            reader.feed(carry, pos)  # a torn last line of a file no one writes: counted, then passed
            pos += len(carry)
        elif carry.strip():
            counts.partial += 1
    return pos


def _blocks(f: object) -> Iterator[bytes]:
    read = f.read  # type: ignore[attr-defined]
    while block := read(CHUNK):
        yield block


def _lines(buf: bytes, cut: int) -> list[bytes]:
    return buf[:cut].split(b"\n")
