"""proxy.protocol._HeadFirst: the headers leave with the body's first write, or alone soon after.

A real event loop; the transport records what would have gone to the socket, one entry per write.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tokenwallet.proxy import protocol
from tokenwallet.proxy.protocol import _HeadFirst

HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n"


class Recorder:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


def _run(steps: Any) -> Recorder:
    async def main() -> Recorder:
        rec = Recorder()
        await steps(_HeadFirst(rec, asyncio.get_running_loop()), rec)  # type: ignore[arg-type]
        return rec

    return asyncio.run(main())


def test_a_whole_answer_leaves_in_one_write() -> None:
    async def steps(head: _HeadFirst, rec: Recorder) -> None:
        head.write(HEAD)
        head.write(b"body")
        await asyncio.sleep(protocol.HOLD_HEADERS * 2)

    assert _run(steps).writes == [HEAD + b"body"]


def test_a_first_chunk_right_behind_the_headers_goes_with_them() -> None:
    async def steps(head: _HeadFirst, rec: Recorder) -> None:
        head.write(HEAD)
        await asyncio.sleep(0)  # the provider's first chunk comes in a later step
        await asyncio.sleep(0)
        assert rec.writes == []
        head.write(b"data: 1\n\n")
        head.write(b"data: 2\n\n")
        await asyncio.sleep(protocol.HOLD_HEADERS * 2)

    assert _run(steps).writes == [HEAD + b"data: 1\n\n", b"data: 2\n\n"]


def test_headers_do_not_wait_for_a_slow_first_chunk() -> None:
    async def steps(head: _HeadFirst, rec: Recorder) -> None:
        head.write(HEAD)
        await asyncio.sleep(protocol.HOLD_HEADERS * 5)
        assert rec.writes == [HEAD]  # the client has its headers while the provider thinks
        head.write(b"data: 1\n\n")

    assert _run(steps).writes == [HEAD, b"data: 1\n\n"]


def test_closing_sends_what_is_held() -> None:
    async def steps(head: _HeadFirst, rec: Recorder) -> None:
        head.write(HEAD)
        head.close()
        await asyncio.sleep(protocol.HOLD_HEADERS * 2)  # the timer finds nothing left to send

    rec = _run(steps)
    assert rec.writes == [HEAD] and rec.closed
