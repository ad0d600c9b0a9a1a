"""Back-to-back sequential calls on one keep-alive connection, with the client's own timestamps.

usage (as bench_cpu.py --then): client.py N OUT.json — N plain calls, then N 50-chunk streams;
each call's (kind, send, headers, first body byte, end) in perf_counter ns (the probe's clock).
"""

import asyncio
import json
import os
import sys
import time

import aiohttp


async def main(n: int, out: str) -> None:
    url, key = os.environ["TW_URL"], os.environ["TW_KEY"]
    body = {
        "model": "gpt-4o-mini",
        "max_tokens": 64,
        "messages": [{"role": "user", "content": "Say hello in one short sentence."}],
    }
    plain = json.dumps(body).encode()
    stream = json.dumps(body | {"stream": True, "stream_options": {"include_usage": True}}).encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    rec = []
    ns = time.perf_counter_ns
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as s:
        for kind, data in (("plain", plain), ("stream", stream)):
            for _ in range(n):
                t0 = ns()
                async with s.post(url + "/chat/completions", data=data, headers=headers) as r:
                    th = ns()
                    tf = None
                    async for _piece in r.content.iter_any():
                        if tf is None:
                            tf = ns()
                rec.append((kind, t0, th, tf, ns()))
            await asyncio.sleep(0.2)
    with open(out, "w") as f:
        json.dump(rec, f)


asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
