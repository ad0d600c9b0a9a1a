"""Benchmark: token counting speed (issue 2: a 100,000-token prompt in ≤ 50 ms once loaded).

Run: ``.venv/bin/python bench/bench_tokens.py [--runs 21] [--json]``

Reports, separately:
- loading each encoding from resources/ (sha256 check + building the BPE), in a fresh process;
- counting a 100,000-token prompt with ``count_text`` (median and best of N runs);
- counting the same prompt as an OpenAI chat request body with ``count_request``;
- the estimate path (a Claude model) on the same text.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

TARGET_TOKENS = 100_000

_LOAD_SCRIPT = """
import json, time
t0 = time.perf_counter()
from tokenwallet.tokens import get_encoding
t1 = time.perf_counter()
out = {"import_s": t1 - t0}
for name in ("o200k_base", "cl100k_base"):
    t = time.perf_counter()
    get_encoding(name)
    out[name] = time.perf_counter() - t
print(json.dumps(out))
"""


def make_prompt(tokens: int) -> str:
    """Deterministic English-like text with code, numbers and punctuation, cut to ``tokens`` tokens."""
    from tokenwallet.tokens import get_encoding

    rng = random.Random(42)
    vocabulary = (
        "the budget model token wallet envelope provider request stream cache reasoning output input "
        "price profile project refund agent prompt context window limit daily monthly weekly reserve "
        "settle ledger invoice client household freelancer desktop meter proxy local offline exact"
    )
    words = vocabulary.split()
    pieces: list[str] = []
    while len(pieces) < tokens:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 18)))
        pieces.append(sentence.capitalize() + rng.choice([".", ",", "!", "?", ":", ";"]))
        if rng.random() < 0.1:
            pieces.append(f"\n\ndef f_{rng.randint(0, 999)}(x):\n    return x * {rng.randint(2, 99)} + 0.5\n")
        if rng.random() < 0.05:
            pieces.append(f" {rng.randint(0, 10**9)} ")
    enc = get_encoding("o200k_base")
    ids = enc.encode_ordinary(" ".join(pieces))[:tokens]
    return str(enc.decode(ids))


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = ap.parse_args()

    load = json.loads(
        subprocess.run(
            [sys.executable, "-c", _LOAD_SCRIPT], capture_output=True, text=True, check=True
        ).stdout
    )

    from tokenwallet.tokens import count_request, count_text, warm

    warm()
    prompt = make_prompt(TARGET_TOKENS)
    n = count_text(prompt, "gpt-4o").tokens
    body = {
        "model": "gpt-4o",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": prompt}],
    }
    text_t = timed(lambda: count_text(prompt, "gpt-4o"), args.runs)
    cl_t = timed(lambda: count_text(prompt, "gpt-4"), args.runs)
    chat_t = timed(lambda: count_request("openai", "chat/completions", body), args.runs)
    est_t = timed(lambda: count_text(prompt, "claude-sonnet-4-5"), args.runs)

    result = {
        "prompt_tokens_o200k": n,
        "prompt_chars": len(prompt),
        "runs": args.runs,
        "import_tokens_ms": round(load["import_s"] * 1000, 1),
        "load_o200k_ms": round(load["o200k_base"] * 1000, 1),
        "load_cl100k_ms": round(load["cl100k_base"] * 1000, 1),
        "count_text_o200k_median_ms": round(statistics.median(text_t) * 1000, 2),
        "count_text_o200k_best_ms": round(min(text_t) * 1000, 2),
        "count_text_cl100k_median_ms": round(statistics.median(cl_t) * 1000, 2),
        "count_request_chat_median_ms": round(statistics.median(chat_t) * 1000, 2),
        "estimate_claude_median_ms": round(statistics.median(est_t) * 1000, 2),
        "budget_ms": 50,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"prompt: {n:,} tokens (o200k_base), {len(prompt):,} characters; {args.runs} runs each")
    print(
        f"encoding load (fresh process): o200k_base {result['load_o200k_ms']} ms, "
        f"cl100k_base {result['load_cl100k_ms']} ms (import {result['import_tokens_ms']} ms)"
    )
    print(
        f"count_text gpt-4o (o200k):  median {result['count_text_o200k_median_ms']} ms, "
        f"best {result['count_text_o200k_best_ms']} ms   (budget ≤ 50 ms)"
    )
    print(f"count_text gpt-4 (cl100k):  median {result['count_text_cl100k_median_ms']} ms")
    print(f"count_request chat body:    median {result['count_request_chat_median_ms']} ms")
    print(f"estimate (claude):          median {result['estimate_claude_median_ms']} ms")


if __name__ == "__main__":
    main()
