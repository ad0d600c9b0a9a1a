"""Schema step 15: the non-text token classes of a call (issue 12, "every modality").

Each is a *part* of a column the ledger already had (see ``tokenwallet.core.usage``): audio and
image and video input inside ``input_tokens``, cached audio inside ``cache_read_tokens``, audio and image
output inside ``output_tokens``. Rows written before read back as all text, which is how they were
charged. The daily roll-up keeps totals only: the parts are read from the ledger.
"""

from __future__ import annotations

MEDIA_COLUMNS = (
    "input_audio_tokens",
    "output_audio_tokens",
    "input_image_tokens",
    "input_video_tokens",
    "cache_audio_read_tokens",
    "output_image_tokens",
)

V15 = ";\n".join(f"ALTER TABLE ledger ADD COLUMN {c} INTEGER NOT NULL DEFAULT '0'" for c in MEDIA_COLUMNS)
