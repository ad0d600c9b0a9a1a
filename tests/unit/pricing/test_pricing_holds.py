"""pricing.holds: the output a request may produce, read from every field its provider reads."""

from __future__ import annotations

from typing import Any

import pytest

from tokenwallet.pricing import PriceBook
from tokenwallet.pricing.holds import (
    MAX_CHOICES,
    MAX_TOKEN_FIELD,
    OutputPlan,
    RequestFieldError,
    output_plan,
    worst_case,
)


@pytest.mark.parametrize(
    ("endpoint", "body", "plan"),
    [
        ("chat/completions", {}, OutputPlan(None)),
        ("chat/completions", {"max_tokens": None, "n": None}, OutputPlan(None)),
        ("chat/completions", {"max_completion_tokens": 5, "max_tokens": 3, "n": 2}, OutputPlan(5, 2)),
        ("completions", {"prompt": "x"}, OutputPlan(16)),
        ("completions", {"prompt": [1, 2, 3], "n": 3, "best_of": 2}, OutputPlan(16, 3)),
        ("completions", {"prompt": [[1], [2]], "best_of": 4, "max_tokens": 7}, OutputPlan(7, 8)),
        ("responses", {"max_output_tokens": 9, "n": 4}, OutputPlan(9)),  # Responses has no n
        ("messages", {"max_tokens": 2048, "thinking": {"budget_tokens": 1024}}, OutputPlan(2048)),
        ("generateContent", {"generationConfig": {"candidateCount": 3}}, OutputPlan(None, 3)),
        ("embeddings", {"max_tokens": 5, "n": 5}, OutputPlan(0)),
        ("unknown", {"max_tokens": 5}, OutputPlan(None)),
    ],
)
def test_output_plan(endpoint: str, body: dict[str, Any], plan: OutputPlan) -> None:
    assert output_plan(endpoint, body) == plan


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"n": MAX_CHOICES + 1}, "n"),
        ({"n": 0}, "n"),
        ({"max_tokens": MAX_TOKEN_FIELD + 1}, "max_tokens"),
        ({"max_tokens": 10**4000}, "max_tokens"),
        ({"max_completion_tokens": 1e3}, "max_completion_tokens"),
        ({"max_tokens": {"a": 1}}, "max_tokens"),
    ],
)
def test_output_plan_refuses(body: dict[str, Any], field: str) -> None:
    with pytest.raises(RequestFieldError) as e:
        output_plan("chat/completions", body)
    assert e.value.field == field
    assert len(str(e.value)) < 200  # a 4000-digit number is not echoed back


def test_worst_case_fits_sqlite_at_the_limits() -> None:
    book = PriceBook()
    price = book.lookup("openai", "gpt-4o")
    w = worst_case(book, price, OutputPlan(MAX_TOKEN_FIELD, MAX_CHOICES), 10_000_000)
    assert w.output_tokens == MAX_TOKEN_FIELD * MAX_CHOICES and 0 < w.cost_nano < 2**63
    default = worst_case(book, price, OutputPlan(None, 2), 10)
    assert default.cap == book.default_max_output(price) and default.output_tokens == 2 * default.cap
