"""A budget for some models or a provider, made on the budget page, and what the proxy does with it."""

from __future__ import annotations

from pathlib import Path

import anthropic
import pytest

from tokenwallet.gui.views.manage import ManagePage

from .conftest import App

HI = [{"role": "user", "content": "hi"}]


def budgets(app: App):  # type: ignore[no-untyped-def]
    page = app.page("wallet")
    assert isinstance(page, ManagePage)
    return page.budgets


def test_the_budget_page_creates_a_model_budget_the_proxy_enforces(app: App) -> None:
    _, key = app.wallet.add_profile("alice")
    app.session.notify_changed()
    tab = budgets(app)
    assert not tab.models.isEnabled()  # "Whole wallet" is picked: no pattern to type
    tab.scope.select("model:")
    assert tab.models.isEnabled()
    tab.models.pattern.setText("Anthropic/Claude-Opus-*")
    tab.models.only_for.setCurrentIndex(tab.models.only_for.findData("alice"))
    tab.amount.setText("0.000001")
    tab.action.setCurrentIndex(tab.action.findData("block"))
    tab.save_button.click()
    assert not tab.status.is_error(), tab.status.text()
    (env,) = app.wallet.envelopes()
    assert (str(env.scope), env.amount, env.action) == (
        "model:anthropic/claude-opus-* for alice",
        1000,
        "block",
    )
    assert tab.table.item(0, 0).text() == "model:anthropic/claude-opus-* for alice"

    client = anthropic.Anthropic(base_url=app.url + "/anthropic", api_key=key, max_retries=0)
    with client, pytest.raises(anthropic.APIStatusError) as err:
        client.messages.create(model="claude-opus-4-1", max_tokens=50, messages=HI)  # type: ignore[arg-type]
    assert err.value.status_code == 402 and "model:anthropic/claude-opus-* for alice" in err.value.message
    with anthropic.Anthropic(base_url=app.url + "/anthropic", api_key=key, max_retries=0) as other:
        other.messages.create(model="claude-haiku-4-5", max_tokens=50, messages=HI)  # type: ignore[arg-type]
    assert len(app.upstream.requests) == 1

    # selecting the row brings the pattern back; a provider budget is one more save
    tab.table.selectRow(0)
    assert (
        tab.models.pattern.text() == "anthropic/claude-opus-*"
        and tab.models.only_for.currentData() == "alice"
    )
    tab.scope.select("provider:")
    tab.models.pattern.setText("openrouter")
    tab.models.only_for.setCurrentIndex(0)
    tab.amount.setText("10")
    tab.period.setCurrentIndex(tab.period.findData("week"))
    tab.save_button.click()
    assert not tab.status.is_error(), tab.status.text()
    assert sorted(str(e.scope) for e in app.wallet.envelopes()) == [
        "model:anthropic/claude-opus-* for alice",
        "provider:openrouter",
    ]
    dash = app.page("dashboard")
    dash.refresh()

    def titles() -> list[str]:
        return [c.title.text() for c in dash.cards if c.isVisible()]

    app.qtbot.waitUntil(lambda: len(titles()) == 2, timeout=5000)
    assert any("provider openrouter" in t for t in titles()), titles()
    assert any("model anthropic/claude-opus-* for alice" in t for t in titles()), titles()


@pytest.mark.parametrize(
    ("kind", "pattern", "message"),
    [
        ("model:", "", "type which models"),
        ("model:", "gpt-[4]o", "wildcards"),
        ("model:", "tier:small", "not by tier"),
        ("provider:", "open/router", "not a provider name"),
    ],
)
def test_a_bad_model_budget_is_refused_and_nothing_is_saved(
    app: App, kind: str, pattern: str, message: str
) -> None:
    tab = budgets(app)
    tab.scope.select(kind)
    tab.models.pattern.setText(pattern)
    tab.amount.setText("5")
    tab.save_button.click()
    assert tab.status.is_error() and message in tab.status.text(), tab.status.text()
    assert app.wallet.envelopes() == []


def test_a_model_envelope_card_counts_only_its_models_tokens(tmp_path: Path) -> None:
    from tokenwallet.core.money import Amount
    from tokenwallet.core.usage import Usage
    from tokenwallet.gui.views.dashboard_data import load_dashboard
    from tokenwallet.wallet import CallRecord, Wallet
    from tokenwallet.wallet.types import Scope

    w = Wallet.open(tmp_path / "wallet.db")
    try:
        w.add_profile("alice")
        b = w.binding_for("alice")
        opus = w.set_budget(Scope("model", "claude-opus-*"), Amount("usd", 10**10))
        mine = w.set_budget(Scope("provider", "anthropic", "alice"), Amount("usd", 10**10))
        for i, (provider, model, tokens) in enumerate(
            [
                ("anthropic", "claude-opus-4-1", 100),
                ("anthropic", "claude-haiku-4-5", 20),
                ("openai", "gpt-4o", 7),
            ]
        ):
            usage = Usage(input_tokens=tokens, output_tokens=0)
            w.record(CallRecord(f"c{i}", b, provider, model, "messages", 200, False, usage, 1, "{}", "t",
                                False, False, 1))  # fmt: skip
        data = load_dashboard(w, profile=None)
        assert data.period_tokens[opus.id] == 100 and data.period_tokens[mine.id] == 120
    finally:
        w.close()


def test_the_profiles_tab_limits_which_models_a_profile_may_call(app: App) -> None:
    import openai

    _, key = app.wallet.add_profile("alice")
    app.session.notify_changed()
    page = app.page("wallet")
    assert isinstance(page, ManagePage)
    tab = page.profiles
    tab.reload()
    tab.table.selectRow(0)
    assert tab.allow.text() == "" and tab.on_refused.currentData() == "block"
    tab.allow.setText("gpt-[4]")
    tab.rules_button.click()
    assert tab.status.is_error() and "wildcards" in tab.status.text()
    assert app.wallet.model_rules("alice").open
    tab.allow.setText("gpt-4o-mini, tier:small")
    tab.deny.setText("gpt-4.1-nano")
    tab.rules_button.click()
    assert not tab.status.is_error(), tab.status.text()
    rules = app.wallet.model_rules("alice")
    assert [p.text for p in rules.allow] == ["gpt-4o-mini", "tier:small"] and [
        p.text for p in rules.deny
    ] == ["gpt-4.1-nano"]
    assert tab.table.item(0, 7).text() == "gpt-4o-mini, tier:small; never gpt-4.1-nano"  # type: ignore[union-attr]
    with openai.OpenAI(base_url=app.url + "/openai/v1", api_key=key, max_retries=0) as c:
        with pytest.raises(openai.PermissionDeniedError):
            c.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=20)  # type: ignore[arg-type]
        c.chat.completions.create(model="gpt-4o-mini", messages=HI, max_tokens=20)  # type: ignore[arg-type]
    assert [r.json["model"] for r in app.upstream.requests] == ["gpt-4o-mini"]
