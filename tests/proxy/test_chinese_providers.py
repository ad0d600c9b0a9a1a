"""Chinese providers through the real proxy: each preset's route, its own usage fields, yuan prices.

The fake upstream answers in each provider's OpenAI-compatible dialect (tests/fakes/_china.py);
the official openai SDK is the client. Every ledger row is checked against a hand computation in
CNY from the provider's price list, and in USD at the rate the user set — never the yuan figure
booked as dollars.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from tokenwallet.core.money import usd_to_nano
from tokenwallet.core.usage import Usage
from tokenwallet.pricing import ModelPrice, fx
from tokenwallet.proxy.charging import INVALID_USAGE
from tokenwallet.wallet.types import LedgerRow

from .conftest import Env

RATE = Decimal("7.12")
INPUT = 1_000  # every prompt token, cached ones included


@dataclass(frozen=True)
class Case:
    provider: str
    model: str
    dialect: str
    cny: tuple[str, str, str, str]  # per 1M tokens: input, cache read, cache write, output (hand-copied)
    cached: int = 0
    written: int = 0
    reasoning: int = 0

    def usage(self, visible: int) -> Usage:
        """What the provider's fields mean, by hand: cached and written tokens are inside the prompt."""
        return Usage(
            input_tokens=INPUT - self.cached - self.written,
            cache_read_tokens=self.cached,
            cache_write_tokens=self.written,
            output_tokens=visible + self.reasoning,
            reasoning_tokens=self.reasoning,
        )

    def yuan(self, u: Usage) -> Decimal:
        i, r, w, o = (Decimal(x) for x in self.cny)
        per_m = u.input_tokens * i + u.cache_read_tokens * r + u.cache_write_tokens * w + u.output_tokens * o
        return per_m / 1_000_000


CASES = [
    Case("moonshot-cn", "kimi-k2-0905-preview", "moonshot", ("4", "1", "4", "16"), cached=300),
    Case(
        "qwen-cn",
        "qwen-flash",
        "qwen",
        ("0.15", "0.03", "0.1875", "1.5"),
        cached=200,
        written=100,
        reasoning=7,
    ),
    Case("zhipu", "glm-5.3", "zhipu", ("8", "2", "8", "28"), cached=120),
    Case("minimax-cn", "MiniMax-M2", "minimax", ("2.1", "0.21", "2.625", "8.4"), cached=64, reasoning=5),
    Case(
        "volcengine", "doubao-1-5-pro-32k-250115", "ark", ("0.8", "0.16", "0.8", "2"), cached=256, reasoning=4
    ),
    Case("qianfan", "ernie-4.5-turbo-128k", "qianfan", ("0.8", "0.8", "0.8", "3.2")),
    Case("siliconflow", "deepseek-ai/DeepSeek-R1", "siliconflow", ("4", "4", "4", "16"), reasoning=9),
]


def _setup(env: Env, *providers: str) -> None:
    for p in providers:
        env.wallet.set_provider(p, base_url=env.upstream.openai_base_url)
        env.proxy.keystore.set(p, f"sk-{p}-real")  # type: ignore[union-attr]
    env.wallet.set_setting("cny_per_usd", str(RATE))
    env.proxy.app.meter.refresh(force=True)  # type: ignore[union-attr]


def _chat(env: Env, case: Case, *, stream: bool) -> None:
    env.upstream.scenario(
        dialect=case.dialect,
        input_tokens=INPUT,
        cached_tokens=case.cached,
        cache_write_5m=case.written,
        reasoning_tokens=case.reasoning,
    )
    client = env.openai(case.provider)
    messages = [{"role": "user", "content": "你好，请介绍一下你自己。"}]
    if stream:
        chunks = client.chat.completions.create(
            model=case.model,
            messages=messages,  # type: ignore[arg-type]
            max_tokens=64,
            stream=True,
            stream_options={"include_usage": True},
        )
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "tok " * 5
    else:
        answer = client.chat.completions.create(model=case.model, messages=messages, max_tokens=64)  # type: ignore[arg-type]
        assert answer.choices[0].message.content == "tok " * 5


def _check(row: LedgerRow, case: Case, rate: Decimal) -> None:
    expected = case.usage(visible=5)
    assert row.usage == expected and not row.flags and not row.estimated
    yuan = case.yuan(expected)
    assert row.cost_nano == usd_to_nano(yuan / rate)
    assert row.cost_nano != usd_to_nano(yuan)  # never the yuan number booked as dollars
    price = ModelPrice.from_json(row.price_json)
    assert (price.currency, price.usd_rate) == ("CNY", rate)
    assert price.cost_nano(row.usage) == row.cost_nano  # reproducible from the row alone
    assert fx.native_cost(row.price_json, row.usage, row.cost_nano) == fx.NativeCost("CNY", yuan, rate)


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
@pytest.mark.parametrize("case", CASES, ids=[c.provider for c in CASES])
def test_each_preset_is_metered_from_its_own_usage_in_yuan(env: Env, case: Case, stream: bool) -> None:
    _setup(env, case.provider)
    _chat(env, case, stream=stream)
    rec = env.upstream.last
    assert (
        rec.path == "/v1/chat/completions"
        and rec.headers["authorization"] == f"Bearer sk-{case.provider}-real"
    )
    row = env.last_row()
    assert (row.provider, row.model) == (case.provider, case.model)
    _check(row, case, RATE)
    assert rec.usage == row.usage  # what the fake said, read field by field


def test_deepseek_cache_hits_are_priced_at_the_cache_rate(env: Env) -> None:
    _setup(env, "deepseek")
    case = Case("deepseek", "deepseek-chat", "deepseek", ("0", "0", "0", "0"), cached=700, reasoning=3)
    _chat(env, case, stream=True)
    row = env.last_row()
    assert row.usage == case.usage(visible=5)  # hits from prompt_cache_hit_tokens, not billed as input
    price = ModelPrice.from_json(row.price_json)
    assert price.currency == "USD"  # DeepSeek's own USD list (genai-prices)
    assert price.cache_read_mtok is not None and price.cache_read_mtok < price.input_mtok
    assert row.cost_nano == price.cost_nano(row.usage)
    as_if_uncached = Usage(input_tokens=INPUT, output_tokens=row.usage.output_tokens, reasoning_tokens=3)
    assert row.cost_nano < price.cost_nano(as_if_uncached)


@pytest.mark.parametrize(
    ("provider", "model", "dialect", "extra"),
    [
        ("deepseek", "deepseek-chat", "deepseek", {"prompt_cache_hit_tokens": 999}),  # hit ≠ details
        ("deepseek", "deepseek-chat", "deepseek", {"prompt_cache_miss_tokens": 10}),  # hit + miss ≠ prompt
        ("moonshot-cn", "kimi-k2-0905-preview", "moonshot", {"prompt_tokens_details": {"cached_tokens": 5}}),
        ("qwen-cn", "qwen-flash", "qwen", {"prompt_tokens_details": {"cache_creation_input_tokens": 5000}}),
        ("zhipu", "glm-5.3", "zhipu", {"cached_tokens": "12"}),
    ],
)
def test_contradictory_usage_is_charged_the_hold_and_flagged(
    env: Env, provider: str, model: str, dialect: str, extra: dict[str, object]
) -> None:
    _setup(env, provider)
    env.upstream.scenario(dialect=dialect, input_tokens=INPUT, cached_tokens=40, extra_usage=extra)
    env.openai(provider).chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": "hi"}],
        max_tokens=64,  # type: ignore[list-item]
    )
    row = env.last_row()
    assert INVALID_USAGE in row.flags.split(",") and row.estimated
    assert row.usage.output_tokens == 64 and row.usage.cache_read_tokens == 0  # the worst case, all uncached
    assert row.cost_nano == ModelPrice.from_json(row.price_json).cost_nano(row.usage) > 0


def test_a_new_rate_prices_only_later_calls(env: Env) -> None:
    case = CASES[0]
    _setup(env, case.provider)
    _chat(env, case, stream=False)
    first = env.last_row()
    env.wallet.set_setting("cny_per_usd", "6.5")
    env.proxy.app.meter.refresh(force=True)  # type: ignore[union-attr]
    _chat(env, case, stream=False)
    second = env.last_row()
    assert second.id != first.id
    again = {r.id: r for r in env.rows()}[first.id]
    _check(again, case, RATE)  # the earlier call keeps the rate it was booked at
    _check(second, case, Decimal("6.5"))
    assert second.cost_nano > first.cost_nano
