"""The History page shows what a call used besides text (issue 12): seconds of video, audio tokens."""

from __future__ import annotations

import csv
from pathlib import Path

import openai
import pytest

from tokenwallet.gui.views.history import HistoryPage
from tokenwallet.gui.views.history_model import COL_MEDIA, COL_MODEL

from .conftest import App


@pytest.mark.filterwarnings("ignore:The Sora API:DeprecationWarning")  # the SDK marks it deprecated
def test_history_shows_video_seconds_and_audio_tokens(app: App, tmp_path: Path) -> None:
    _, key = app.wallet.add_profile("alice")
    client = openai.OpenAI(base_url=app.url + "/openai/v1", api_key=key, max_retries=0)
    try:
        client.videos.create(model="sora-2", prompt="waves", seconds="12", size="1280x720")
        app.upstream.once(
            extra_usage={
                "prompt_tokens": 400,
                "prompt_tokens_details": {"audio_tokens": 340},
                "completion_tokens": 20,
                "total_tokens": 420,
            }
        )
        client.chat.completions.create(
            model="gpt-audio", messages=[{"role": "user", "content": "listen"}], max_tokens=100
        )
    finally:
        client.close()
    app.qtbot.waitUntil(lambda: len(app.rows()) == 2, timeout=5000)
    app.session.notify_changed()
    page = app.page("history")
    assert isinstance(page, HistoryPage)
    page.apply()
    shown = {
        page.model.data(page.model.index(i, COL_MODEL)): page.model.data(page.model.index(i, COL_MEDIA))
        for i in range(page.model.rowCount())
    }
    assert shown == {"sora-2": "12 s video 1280x720", "gpt-audio": "340 audio tokens in"}
    out = tmp_path / "h.csv"
    with app.qtbot.waitSignal(page.exported, timeout=5000):
        page.export_to(out)
    with out.open() as fh:
        assert sorted(r["media"] for r in csv.DictReader(fh)) == [
            "12 s video 1280x720",
            "340 audio tokens in",
        ]
