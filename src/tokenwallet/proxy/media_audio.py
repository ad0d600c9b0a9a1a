"""How long a piece of audio is: an upload to transcribe, or the speech an answer carried.

mutagen reads the length from the file's own headers (MP3, MP4/M4A, Ogg Vorbis/Opus, FLAC, WAV,
AAC …) without decoding it. Formats it cannot read (WebM, most notably: browsers record it and
its length is often not even written in the file) fall back to the upload's size as if it were
6 kbit/s audio, the lowest bitrate speech codecs are used at, so the hold stays an upper bound.
Raw PCM (the speech API's ``pcm`` format) is 24 kHz, 16-bit, mono.
"""

from __future__ import annotations

import io
import math
from decimal import Decimal

#: Bytes per second of audio assumed when the length cannot be read: 6 kbit/s.
WORST_BYTES_PER_SECOND = 750
_PCM_BYTES_PER_SECOND = 24_000 * 2


def audio_ms(data: bytes, fmt: str | None = None) -> int | None:
    """Milliseconds of audio in ``data`` (rounded up), or None when its length cannot be read."""
    if not data:
        return None
    if fmt == "pcm":
        return -(-len(data) * 1000 // _PCM_BYTES_PER_SECOND)
    import mutagen

    try:
        info = mutagen.File(io.BytesIO(data))
        length = None if info is None else info.info.length
    except Exception:  # mutagen raises many kinds on a malformed file: its length is just unknown
        return None
    if not isinstance(length, int | float) or not math.isfinite(length) or length <= 0:
        return None
    return math.ceil(Decimal(repr(float(length))) * 1000)


def worst_case_ms(size: int) -> int:
    """The length a file of ``size`` bytes could have at the lowest bitrate in use."""
    return -(-size * 1000 // WORST_BYTES_PER_SECOND)
