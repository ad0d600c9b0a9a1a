"""An image in a chat request: the preview says what the call will be billed, and the meter holds it.

The fake upstream bills images by its own reading of the providers' docs (fakes._vision); the
preview is ``tokenwallet preview --json`` run on the same body against the proxy's wallet.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openai
import pytest

from fakes._vision import data_url, png
from tokenwallet.cli import main

from .conftest import Env


def preview(env: Env, body: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    req = tmp_path / "request.json"
    req.write_text(json.dumps(body))
    out, err = io.StringIO(), io.StringIO()
    argv = ["--data-dir", str(env.path.parent), "preview", str(req), "--json", "--limit", "0"]
    code = main(argv, stdin=io.StringIO(""), stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def chat(model: str, url: str, detail: str = "auto") -> dict[str, Any]:
    return {
        "model": model,
        "max_tokens": 50,
        "messages": [
            {"role": "system", "content": "You describe pictures."},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is in this picture?"},
                    {"type": "image_url", "image_url": {"url": url, "detail": detail}},
                ],
            },
        ],
    }


@pytest.mark.parametrize(
    "model, size, tokens",
    [
        ("gpt-4o", (1024, 1024), 765),
        ("gpt-4o", (2048, 700), 85 + 170 * 8),
        ("gpt-4o-mini", (300, 200), 2833 + 5667),
        ("gpt-4.1-mini", (1800, 2400), 2353),
    ],
)
def test_preview_of_an_image_request_equals_the_ledger_row(
    env: Env, tmp_path: Path, model: str, size: tuple[int, int], tokens: int
) -> None:
    body = chat(model, data_url(png(*size)))
    p = preview(env, body, tmp_path)
    assert p["image_tokens"] == tokens and p["images_unsized"] == 0
    env.upstream.scenario(openai_count=True)
    client = env.openai()
    reply = client.chat.completions.create(**body)
    assert reply.usage is not None
    assert env.upstream.last.image_tokens == tokens  # the fake's bill for the image
    row = env.last_row()
    assert row.usage.input_tokens == p["input_tokens"] == reply.usage.prompt_tokens
    assert row.cost_nano <= p["cost_max_nano"]


def test_anthropic_image_preview_equals_the_image_tokens_billed(env: Env, tmp_path: Path) -> None:
    import base64

    body = {
        "model": "claude-haiku-4-5",
        "max_tokens": 50,
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "image",
                        "source": {
                            "type": "base64",
                            "media_type": "image/png",
                            "data": base64.b64encode(png(3000, 1000)).decode(),
                        },
                    }
                ],
            }
        ],
    }
    p = preview(env, body, tmp_path)
    env.anthropic().messages.create(**body)
    billed = env.upstream.last.image_tokens
    assert p["image_tokens"] == billed == 1568 * 522 // 750 + 1
    assert env.last_row().usage.input_tokens <= p["input_tokens"]


def test_a_remote_image_is_held_at_the_most_it_can_cost(env: Env, tmp_path: Path) -> None:
    body = chat("gpt-4o", "https://images.example/cat.png")
    p = preview(env, body, tmp_path)
    assert p["images_unsized"] == 1 and p["image_tokens"] == 85 + 170 * 8
    env.upstream.scenario(openai_count=True)
    env.openai().chat.completions.create(**body)
    assert env.upstream.last.image_tokens == 85 + 170 * 8  # the fake bills it as 768 × 2048
    assert env.last_row().usage.input_tokens <= p["input_tokens"]
    out, err = io.StringIO(), io.StringIO()
    req = tmp_path / "request.json"
    main(["--data-dir", str(env.path.parent), "preview", str(req), "--limit", "0"], stdout=out, stderr=err)
    assert "a URL the preview cannot measure" in out.getvalue()


def test_an_unreadable_inline_image_is_refused_before_the_provider(env: Env, tmp_path: Path) -> None:
    body = chat("gpt-4o", data_url(b"this is not a picture"))
    with pytest.raises(openai.BadRequestError) as exc:
        env.openai().chat.completions.create(**body)
    assert "cannot read an image" in str(exc.value) and "not PNG, JPEG, GIF or WebP" in str(exc.value)
    assert env.upstream.requests == []  # refused by the meter, never forwarded
    req = tmp_path / "request.json"
    req.write_text(json.dumps(body))
    out, err = io.StringIO(), io.StringIO()
    code = main(["--data-dir", str(env.path.parent), "preview", str(req)], stdout=out, stderr=err)
    assert code != 0 and "cannot read an image" in err.getvalue()


def test_a_downgraded_call_holds_the_images_at_the_new_models_rule(env: Env) -> None:
    """gpt-4o bills a 512-px image 255 tokens; the small models a child may use bill it by another
    rule (gpt-4o-mini: 8,500; 4.1-nano: patches × 2.46): a swap must recount, or the hold taken
    for gpt-4o would be below what the swapped-in model is billed."""
    from tokenwallet.billing import household as hh
    from tokenwallet.core.events import CallStarted
    from tokenwallet.core.money import parse_amount

    hh.init_household(env.wallet, "mum", "4711")
    _, kid = hh.add_member(env.wallet, "kid", parse_amount("50"), pin="4711")
    env.wallet.change_model_rules("kid", action="downgrade")
    env.proxy.app.meter.models.refresh(force=True)  # type: ignore[union-attr]
    env.upstream.scenario(openai_count=True)
    body = chat("gpt-4o", data_url(png(512, 512)))
    env.openai(key=kid).chat.completions.create(**body)
    sent, billed = env.upstream.last.json["model"], env.upstream.last.image_tokens
    assert sent != "gpt-4o" and billed != 255, (sent, billed)
    (started,) = [e for e in env.events if isinstance(e, CallStarted)]
    assert started.model == sent and started.downgraded_from == "gpt-4o"
    row = env.last_row()
    assert row.usage.input_tokens == started.input_tokens  # held exactly what was billed
