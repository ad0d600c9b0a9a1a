"""The app's ``import_watch`` setting (issue 11): a background importer of agents' logs whose fresh
rows show on the live meter, switched from the Settings page."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tokenwallet.gui.views.meter import MeterPage
from tokenwallet.gui.views.settings import SettingsPage

from .conftest import App


def test_import_watch_feeds_the_live_meter(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "user"
    monkeypatch.setenv("HOME", str(home))
    for var in ("CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME"):
        monkeypatch.delenv(var, raising=False)
    log = home / ".claude" / "projects" / "-w" / "s1.jsonl"
    log.parent.mkdir(parents=True)
    at = datetime.now(UTC) - timedelta(minutes=3)
    line = {
        "type": "assistant",
        "sessionId": "s1",
        "cwd": "/w",
        "timestamp": at.isoformat(),
        "requestId": "req_w",
        "message": {
            "id": "msg_watch",
            "model": "claude-haiku-4-5",
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 1_000, "output_tokens": 100},
        },
    }
    log.write_text(json.dumps(line) + "\n")
    if not app.wallet.profiles():
        app.wallet.add_profile("me", role="owner")
    app.wallet.set_setting("import_profile", app.wallet.profiles()[0].name)

    page = app.page("settings")
    assert isinstance(page, SettingsPage)
    app.idle()
    assert not page.import_watch.isChecked() and app.session.importer is None
    page.import_watch.setChecked(True)
    page.save_button.click()
    assert not page.g_status.is_error(), page.g_status.text()
    assert app.wallet.get_setting("import_watch") is True and app.session.importer is not None

    meter = app.page("meter")
    assert isinstance(meter, MeterPage)
    app.qtbot.waitUntil(lambda: meter.model.rowCount() == 1, timeout=10_000)
    row = meter.model._rows[0]
    assert row.model == "claude-haiku-4-5" and row.state == "settled"
    assert row.cost_nano == 1_000 * 1_000 + 100 * 5_000 and "claude-code's log" in row.note
    assert [r.source for r in app.rows()] == ["imported:claude-code"]

    page = app.page("settings")
    assert isinstance(page, SettingsPage)
    page.import_watch.setChecked(False)
    page.save_button.click()
    assert app.session.importer is None and app.wallet.get_setting("import_watch") is False
