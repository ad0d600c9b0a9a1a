"""A virtual X screen (Xvfb) whose framebuffer is a file, and that file read back as pixels.

``Xvfb -fbdir DIR`` keeps the screen in ``DIR/Xvfb_screen0`` in X's own XWD dump format, so what
a test reads there is what the X server holds: a window that never drew stays black.
"""

from __future__ import annotations

import os
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

_HEADER_FIELDS = 25  # CARD32s before the window name (X11/XWDFile.h)


@dataclass(frozen=True)
class Shot:
    width: int
    height: int
    bytes_per_line: int
    pixels: bytes  # 32 bits per pixel, as the X server stores them

    def _values(self) -> list[int]:
        row = self.width * 4
        out: list[int] = []
        for y in range(0, self.height, 2):  # every other row and column is plenty
            line = self.pixels[y * self.bytes_per_line : y * self.bytes_per_line + row]
            out.extend(v & 0xFFFFFF for v in struct.unpack(f"<{self.width}I", line)[::2])
        return out

    def covered(self) -> float:
        """The share of the screen that is not the empty (black) root window."""
        values = self._values()
        return sum(1 for v in values if v) / len(values)

    def changed(self, other: Shot) -> float:
        """The share of pixels that differ from ``other`` (a blinking text cursor is a few)."""
        mine, theirs = self._values(), other._values()
        return sum(1 for a, b in zip(mine, theirs, strict=True) if a != b) / len(mine)

    def colours(self) -> int:
        return len(set(self._values()))

    def save_png(self, path: Path) -> None:
        from PySide6.QtGui import QImage

        image = QImage(self.pixels, self.width, self.height, self.bytes_per_line, QImage.Format.Format_RGB32)
        image.save(str(path))


def read_xwd(path: Path) -> Shot:
    data = path.read_bytes()
    fields = struct.unpack(f">{_HEADER_FIELDS}I", data[: _HEADER_FIELDS * 4])
    header_size, width, height = fields[0], fields[4], fields[5]
    bits_per_pixel, bytes_per_line, ncolors = fields[11], fields[12], fields[19]
    if bits_per_pixel != 32:
        raise ValueError(f"{path}: {bits_per_pixel} bits per pixel (expected a 24-bit screen)")
    start = header_size + ncolors * 12
    return Shot(width, height, bytes_per_line, data[start : start + height * bytes_per_line])


class Screen:
    """``with Screen(fb_dir) as display:`` an Xvfb on a free display number, stopped by its PID."""

    def __init__(self, fb_dir: Path, *, width: int, height: int) -> None:
        self.fb_dir = fb_dir
        self.geometry = f"{width}x{height}x24"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write),
                "-screen",
                "0",
                self.geometry,
                "-fbdir",
                str(self.fb_dir),
                "-nolisten",
                "tcp",
            ],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as ready:
            number = ready.readline().strip()  # written once the server accepts clients
        if not number:
            self.proc.kill()
            raise RuntimeError("Xvfb did not start")
        return f":{number}"

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
