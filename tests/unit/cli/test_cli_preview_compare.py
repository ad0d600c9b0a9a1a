"""``tokenwallet preview --compare``: one prompt across many models, as a table and as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cli_helpers import Run

from fakes._vision import data_url, png
from tokenwallet.pricing import PriceBook
from tokenwallet.pricing.suggest import Tiers
from tokenwallet.tokens import count_text


def _setup(tw: Run, tmp_path: Path) -> Path:
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("Summarise the attached contract in five bullet points. " * 20, encoding="utf-8")
    assert tw("profile", "add", "alice").code == 0
    assert tw("budget", "set", "--profile", "alice", "2", "--action", "block").code == 0
    assert (
        tw("budget", "set", "--profile", "alice", "--provider", "openai", "--period", "day", "0.5").code == 0
    )
    assert tw("key", "set", "openai", stdin="sk-live-abc123\n").code == 0
    return prompt


def _compare(tw: Run, *args: str) -> dict[str, Any]:
    r = tw("preview", *args, "--compare", "--json")
    assert r.code == 0, r.err
    result: dict[str, Any] = json.loads(r.out)
    return result


def _by_name(p: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{m['provider']}/{m['model']}": m for m in p["models"]}


def test_compare_prices_every_model_with_its_own_tokenizer_and_the_budget_shares(
    tw: Run, tmp_path: Path
) -> None:
    prompt = _setup(tw, tmp_path)
    p = _compare(tw, str(prompt), "--model", "gpt-4o", "--max-output", "400", "--rows", "0")
    rows = _by_name(p)
    assert p["profile"] == "alice" and p["output_tokens"] == 400 and len(rows) > 50
    text = prompt.read_text(encoding="utf-8")
    gpt4o, claude = rows["openai/gpt-4o"], next(v for k, v in rows.items() if k.startswith("anthropic/"))
    assert gpt4o["input_tokens"] == count_text(text, "gpt-4o").tokens and gpt4o["exact"] is True
    assert claude["exact"] is False  # Anthropic's tokenizer is not public: an estimate, marked
    # who holds a key: openai yes, the presets one could add no
    assert gpt4o["has_key"] is True and claude["has_key"] is False
    # the cost is what the proxy would hold: input + the full output at the model's price
    book = PriceBook()
    price = book.lookup("openai", "gpt-4o")
    assert gpt4o["cost_nano"] == book.worst_case(price, gpt4o["input_tokens"], 400)
    # each budget's share: the monthly $2 pays for every model, the openai day budget only for openai's
    month, day = gpt4o["envelopes"]
    assert month["available"] == 2_000_000_000 and day["available"] == 500_000_000
    assert day["share_bp"] == gpt4o["cost_nano"] * 10_000 // 500_000_000
    assert [e["envelope"] for e in claude["envelopes"]] == ["profile:alice (month)"]
    # cheapest first
    costs = [m["cost_nano"] for m in p["models"]]
    assert costs == sorted(costs)


def test_context_fit_tier_and_sorting(tw: Run, tmp_path: Path) -> None:
    prompt = _setup(tw, tmp_path)
    # 150k output tokens do not fit gpt-4o's 128k window but fit gpt-4.1's 1M
    p = _compare(tw, str(prompt), "--max-output", "150000", "--rows", "0", "--sort", "fit")
    rows = _by_name(p)
    assert rows["openai/gpt-4o"]["fits_context"] is False
    assert rows["openai/gpt-4.1"]["fits_context"] is True
    fits = [m["fits_context"] for m in p["models"] if m["fits_context"] is not None]
    assert fits == sorted(fits, reverse=True)  # those that fit come first
    t = _compare(tw, str(prompt), "--max-output", "100", "--rows", "0", "--sort", "tier")
    order = Tiers.load().order
    ranks = [order.index(m["tier"]) for m in t["models"]]
    assert ranks == sorted(ranks) and t["models"][0]["tier"] == "frontier"
    d = _compare(tw, str(prompt), "--max-output", "100", "--rows", "0", "--sort", "cost", "--desc")
    costs = [m["cost_nano"] for m in d["models"]]
    assert costs == sorted(costs, reverse=True)
    # energy from ecologits where it knows the model; the unknown ones last
    e = _compare(tw, str(prompt), "--max-output", "100", "--rows", "0", "--sort", "energy")
    wh = [m["energy_wh"] for m in e["models"]]
    known = [w for w in wh if w is not None]
    assert known and known == sorted(known) and wh[: len(known)] == known
    assert tw("preview", str(prompt), "--compare", "--sort", "speed").code != 0


def test_the_table_shows_the_same_rows(tw: Run, tmp_path: Path) -> None:
    prompt = _setup(tw, tmp_path)
    p = _compare(tw, str(prompt), "--model", "gpt-4o", "--max-output", "400", "--rows", "5")
    r = tw("preview", str(prompt), "--model", "gpt-4o", "--max-output", "400", "--compare", "--rows", "5")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert "profile:alice (month)" in lines[1] and "provider:openai for alice (day)" in lines[1]
    body = [ln for ln in lines[3:] if "/" in ln.split("  ")[0]]
    names = [f"{m['provider']}/{m['model']}" for m in p["models"]]
    assert [ln.split()[0] if not ln.startswith("▸") else ln.split()[1] for ln in body] == names
    assert "▸ openai/gpt-4o" in r.out  # the model asked about is always in the table
    assert "more models: --rows 0 shows all" in r.out


def test_energy_from_a_size_class_is_marked_in_the_table(tw: Run, tmp_path: Path) -> None:
    prompt = _setup(tw, tmp_path)
    rows = _by_name(_compare(tw, str(prompt), "--max-output", "100", "--rows", "0"))
    assert rows["openai/gpt-4o"]["energy_estimated"] is False
    deepseek = rows["deepseek/deepseek-chat"]
    assert deepseek["energy_estimated"] is True
    r = tw("preview", str(prompt), "--max-output", "100", "--compare", "--rows", "0")
    assert r.code == 0, r.err
    line = next(ln for ln in r.out.splitlines() if ln.startswith("deepseek/deepseek-chat "))
    assert f"~{deepseek['energy_wh']:.3g} Wh" in line
    assert "~ before an energy: estimated from the model's size class" in r.out


def test_compare_counts_images_by_each_models_rule(tw: Run, tmp_path: Path) -> None:
    _setup(tw, tmp_path)
    body = {
        "model": "gpt-4o",
        "max_tokens": 100,
        "messages": [
            {
                "role": "user",
                "content": [{"type": "image_url", "image_url": {"url": data_url(png(1024, 1024))}}],
            }
        ],
    }
    req = tmp_path / "request.json"
    req.write_text(json.dumps(body), encoding="utf-8")
    rows = _by_name(_compare(tw, str(req), "--rows", "0"))
    assert rows["openai/gpt-4o"]["image_tokens"] == 765
    assert rows["openai/gpt-4o-mini"]["image_tokens"] == 2833 + 5667 * 4
    assert rows["openai/gpt-4.1-mini"]["image_tokens"] == 1659
    assert rows["openai/gpt-4o"]["output_tokens"] == 100


def test_compare_in_a_real_process(shell: Run, tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text("Write a limerick about a careful accountant.", encoding="utf-8")
    assert shell("tokenwallet profile add bob").code == 0
    r = shell("tokenwallet preview p.txt --compare --max-output 300 --rows 3")
    assert r.code == 0, r.err
    assert r.out.startswith("Output: 300 tokens for every model")
    assert "no key" in r.out and "fits" in r.out


def test_compare_without_a_keychain_says_so_and_still_compares(shell: Run, tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text("hello", encoding="utf-8")
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    r = shell("tokenwallet preview p.txt --compare --max-output 10 --rows 2", env=env)
    assert r.code == 0, r.err
    assert "Keychain unavailable" in r.out and "every model is shown as 'no key'" in r.out
