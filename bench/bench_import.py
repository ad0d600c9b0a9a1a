"""Import speed (issue 11): MB of agent logs per second through ``run_import``, first and repeated runs.

    .venv/bin/python bench/bench_import.py [--mb 200] [--keep DIR]

Target: ≥ 50 MB/s on the first import of a machine's logs (reading, parsing, dedup, pricing and
the ledger writes all counted: the figure is bytes read / wall time of ``run_import``; the CPU
time is printed too, the fairer figure on a machine shared with other work).

The logs are generated to look like real ones: Claude Code sessions where each turn is a user
prompt, an assistant message streamed as three lines (thinking, text, a tool call with its input)
and a tool result carrying a file's contents (most of the bytes, as in real transcripts); Codex
rollouts with reasoning items (encrypted content), function calls and their outputs, and a
``token_count`` (plus a re-emitted one) per turn. Text has quotes, newlines and non-ASCII in it so
JSON strings need escaping as they do in life. A fixed seed makes every run write the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tokenwallet.importers import ImportOptions, run_import  # noqa: E402
from tokenwallet.wallet import Wallet  # noqa: E402

WORDS = (
    "def",
    "return",
    "self",
    "value",
    "import",
    "the",
    "of",
    "wallet",
    "tokens",
    'say "hi"',
    "café",
    "→",
    "{}",
)


def text(rng: random.Random, n: int) -> str:
    out: list[str] = []
    size = 0
    while size < n:
        w = rng.choice(WORDS)
        out.append(w)
        size += len(w) + 1
        if rng.random() < 0.08:
            out.append("\n    ")
    return " ".join(out)


def claude_session(rng: random.Random, path: Path, session: str, turns: int) -> None:
    cwd = f"/home/dev/project-{session[:4]}"
    lines: list[str] = []
    for t in range(turns):
        ts = f"2025-11-{1 + t % 28:02d}T{t % 24:02d}:{t % 60:02d}:00.000Z"
        common = {
            "isSidechain": False,
            "userType": "external",
            "cwd": cwd,
            "sessionId": session,
            "version": "2.0.46",
            "gitBranch": "main",
            "timestamp": ts,
        }
        lines.append(
            json.dumps(
                {
                    **common,
                    "type": "user",
                    "uuid": f"u{t}",
                    "message": {"role": "user", "content": text(rng, 300)},
                }
            )
        )
        mid, rid = f"msg_{session[:8]}{t:08d}", f"req_{session[:8]}{t:08d}"
        usage = {
            "input_tokens": rng.randint(1, 50),
            "cache_creation_input_tokens": 1200,
            "cache_read_input_tokens": rng.randint(10_000, 90_000),
            "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 200},
            "service_tier": "standard",
        }
        blocks = [
            {"type": "thinking", "thinking": text(rng, 600), "signature": "x" * 200},
            {"type": "text", "text": text(rng, 400)},
            {
                "type": "tool_use",
                "id": f"toolu_{t}",
                "name": "Edit",
                "input": {
                    "file_path": f"{cwd}/app.py",
                    "old_string": text(rng, 800),
                    "new_string": text(rng, 900),
                },
            },
        ]
        for i, block in enumerate(blocks):
            out = 1 if i < 2 else rng.randint(100, 2000)
            msg = {
                "model": "claude-sonnet-4-5-20250929",
                "id": mid,
                "type": "message",
                "role": "assistant",
                "content": [block],
                "stop_reason": "tool_use" if i == 2 else None,
                "stop_sequence": None,
                "usage": {**usage, "output_tokens": out},
            }
            lines.append(
                json.dumps(
                    {**common, "type": "assistant", "uuid": f"a{t}-{i}", "message": msg, "requestId": rid}
                )
            )
        result = {
            "tool_use_id": f"toolu_{t}",
            "type": "tool_result",
            "content": text(rng, rng.randint(4_000, 24_000)),
        }
        lines.append(
            json.dumps(
                {
                    **common,
                    "type": "user",
                    "uuid": f"r{t}",
                    "message": {"role": "user", "content": [result]},
                    "toolUseResult": {"stdout": text(rng, 2_000)},
                }
            )
        )
    path.write_text("\n".join(lines) + "\n")


def codex_session(rng: random.Random, path: Path, session: str, turns: int) -> None:
    def line(ts: str, kind: str, payload: dict[str, object]) -> str:
        return json.dumps({"timestamp": ts, "type": kind, "payload": payload})

    ts0 = "2025-11-20T10:00:00.000Z"
    lines = [
        line(
            ts0,
            "session_meta",
            {
                "id": session,
                "cwd": "/home/dev/x",
                "model_provider": "openai",
                "instructions": text(rng, 6_000),
                "cli_version": "0.58.0",
            },
        ),
        line(ts0, "turn_context", {"model": "gpt-5-codex", "cwd": "/home/dev/x", "effort": "medium"}),
    ]
    total = {"input_tokens": 0, "cached_input_tokens": 0, "output_tokens": 0, "reasoning_output_tokens": 0}
    for t in range(turns):
        ts = f"2025-11-20T{10 + t // 3600 % 10:02d}:{t // 60 % 60:02d}:{t % 60:02d}.000Z"
        lines.append(
            line(
                ts,
                "response_item",
                {
                    "type": "reasoning",
                    "summary": [{"type": "summary_text", "text": text(rng, 200)}],
                    "encrypted_content": "gAAAA" + "x" * rng.randint(1_000, 4_000),
                },
            )
        )
        lines.append(
            line(
                ts,
                "response_item",
                {
                    "type": "function_call",
                    "name": "shell",
                    "call_id": f"c{t}",
                    "arguments": json.dumps({"command": ["bash", "-lc", text(rng, 120)]}),
                },
            )
        )
        lines.append(
            line(
                ts,
                "response_item",
                {
                    "type": "function_call_output",
                    "call_id": f"c{t}",
                    "output": json.dumps({"output": text(rng, rng.randint(2_000, 12_000))}),
                },
            )
        )
        last = {"input_tokens": rng.randint(20_000, 90_000), "output_tokens": rng.randint(100, 3_000)}
        last["cached_input_tokens"] = last["input_tokens"] - rng.randint(500, 5_000)
        last["reasoning_output_tokens"] = last["output_tokens"] // 3
        for k in total:
            total[k] += last[k]
        info = {
            "total_token_usage": {**total, "total_tokens": total["input_tokens"] + total["output_tokens"]},
            "last_token_usage": {**last, "total_tokens": last["input_tokens"] + last["output_tokens"]},
            "model_context_window": 272_000,
        }
        event = {"type": "token_count", "info": info, "rate_limits": {"primary": {"used_percent": 5.0}}}
        lines.append(line(ts, "event_msg", event))
        lines.append(line(ts, "event_msg", event))  # Codex re-emits the same counter
    path.write_text("\n".join(lines) + "\n")


def generate(root: Path, mb: int) -> tuple[Path, Path]:
    rng = random.Random(11)
    claude, codex = root / "claude", root / "codex"
    claude.mkdir(parents=True)
    codex.mkdir(parents=True)
    size, n = 0, 0
    while size < mb * 1_000_000 * 0.7:
        p = claude / f"p{n % 20}" / f"{n:08x}-aaaa-4bbb-8ccc-{n:012x}.jsonl"
        p.parent.mkdir(exist_ok=True)
        claude_session(rng, p, p.stem, rng.randint(20, 120))
        size += p.stat().st_size
        n += 1
    while size < mb * 1_000_000:
        p = codex / "2025" / "11" / f"rollout-{n:08x}.jsonl"
        p.parent.mkdir(parents=True, exist_ok=True)
        codex_session(rng, p, f"0199{n:08x}", rng.randint(20, 150))
        size += p.stat().st_size
        n += 1
    return claude, codex


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=200, help="MB of logs to generate")
    ap.add_argument("--keep", type=Path, help="generate into DIR and keep it")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="tw-bench-import-"))
    try:
        t = time.perf_counter()
        claude, codex = generate(root / "logs", args.mb)
        print(f"generated {args.mb} MB of logs in {time.perf_counter() - t:.1f} s")
        w = Wallet.open(root / "wallet.db")
        w.add_profile("me", role="owner")
        from tokenwallet.pricing import pricebook_for

        pricebook_for(w).lookup("openai", "gpt-5")  # the price catalog loads once per process: not timed
        for tool, path in (("claude-code", claude), ("codex", codex)):
            opts = ImportOptions(tool, "me", (path,))
            cpu = time.process_time()
            first = run_import(w, opts)
            cpu = time.process_time() - cpu
            again = run_import(w, opts)
            mb = first.bytes_read / 1e6
            print(
                f"{tool:12} first run: {mb:7.1f} MB, {first.files:,} files, {first.imported:,} requests "
                f"({first.duplicates:,} duplicates) in {first.seconds:6.2f} s "
                f"= {mb / first.seconds:6.1f} MB/s "
                f"(CPU {cpu:.2f} s = {mb / cpu:.0f} MB/s); "
                f"second run: {again.imported} new in {again.seconds * 1000:.0f} ms"
            )
        w.close()
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
