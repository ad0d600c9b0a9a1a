"""An incremental Server-Sent Events splitter that works on raw bytes.

The proxy relays upstream bytes to the client as they arrive; this splitter reads a *copy* of
them on the side to find each event's ``data:`` payload (where the usage lives). It never decodes
more than it must: events are split on blank lines and only the ``event:``/``data:`` fields are
kept. Providers end lines with ``\\n``; ``\\r\\n`` is accepted too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One event: its name (``event:`` field, may be empty), its data, and its raw bytes."""

    name: bytes
    data: bytes
    raw: bytes


class SSESplitter:
    """Feed byte chunks, get back the complete events they finish."""

    __slots__ = ("_buf",)

    def __init__(self) -> None:
        self._buf = b""

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        buf = self._buf + chunk if self._buf else chunk
        if b"\r" in buf:
            buf = buf.replace(b"\r\n", b"\n")
        events: list[SSEEvent] = []
        start = 0
        while True:
            end = buf.find(b"\n\n", start)
            if end < 0:
                break
            raw = buf[start : end + 2]
            events.append(_parse(raw))
            start = end + 2
        self._buf = buf[start:] if start < len(buf) else b""
        return events

    @property
    def pending(self) -> bytes:
        """Bytes of an event not finished yet (the stream was cut inside it)."""
        return self._buf


def _parse(raw: bytes) -> SSEEvent:
    name = b""
    data_lines: list[bytes] = []
    for line in raw.split(b"\n"):
        if line.startswith(b"data:"):
            data_lines.append(line[6:] if line[5:6] == b" " else line[5:])
        elif line.startswith(b"event:"):
            name = line[6:].strip()
    return SSEEvent(name, b"\n".join(data_lines), raw)
