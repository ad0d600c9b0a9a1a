"""Line the probe's marks up with the client's calls: the most common order of events, medians.

usage: analyze.py CLIENT.json PROBE.txt [SHOW] — wall µs from the client's send, loop-thread CPU
µs from the call's first mark; SHOW calls are also printed one by one; then each mark's median
CPU (total and self) per call.
"""

import bisect
import collections
import json
import statistics
import sys


def main() -> None:
    with open(sys.argv[1]) as f:
        rec = json.load(f)
    ev = []
    with open(sys.argv[2]) as f:
        for line in f.read().splitlines():
            t, c, label = line.split(" ", 2)
            ev.append((int(t), int(c), label))
    ev.sort()
    show = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    ts = [t for t, _, _ in ev]
    for kind in ("plain", "stream"):
        calls = [r for r in rec if r[0] == kind]
        seqs = collections.defaultdict(list)
        lat = []
        for idx in range(20, len(calls)):  # the first 20: warm-up
            _, t0, th, tf, te = calls[idx]
            nxt = calls[idx + 1][1] if idx + 1 < len(calls) else te + 2_000_000
            evs = ev[bisect.bisect_left(ts, t0) : bisect.bisect_left(ts, nxt)]
            c0 = evs[0][1] if evs else 0
            items = [("CLIENT send", t0, None)] + [(lb, t, c - c0) for t, c, lb in evs]
            items += [("CLIENT headers", th, None), ("CLIENT first byte", tf, None), ("CLIENT end", te, None)]
            items.sort(key=lambda x: x[1])
            key = tuple(lb.split(":")[0] for lb, _, _ in items)
            nan = float("nan")
            seqs[key].append([((t - t0) / 1000, c / 1000 if c is not None else nan) for _, t, c in items])
            lat.append(((tf - t0) / 1000, (te - t0) / 1000))
            if idx < 20 + show:
                print(f"--- {kind} #{idx}")
                for lb, t, c in items:
                    print(f"   {(t - t0) / 1000:8.1f} µs {'' if c is None else f'{c / 1000:8.1f} cpu'}  {lb}")
        path = []  # the loop's CPU and the wall time from reading the request to writing the first body byte
        for _, t0, _, _, te in calls[20:]:
            lo = bisect.bisect_left(ts, t0)
            hi = bisect.bisect_left(ts, te)
            read = next((i for i in range(lo, hi) if ev[i][2] == "req_in>"), None)
            if read is None:
                continue
            out = next(
                (
                    i
                    for i in range(read, hi)
                    if ev[i][2].startswith("client_write") and not ev[i][2].endswith("first")
                ),
                None,
            )
            if out is not None:
                path.append((ev[out][1] - ev[read][1], ev[out][0] - ev[read][0]))
        if path:
            cpu = statistics.median(p[0] for p in path) / 1000
            wall = statistics.median(p[1] for p in path) / 1000
            print(
                f"=== {kind}: request read -> first body byte out: loop CPU {cpu:.1f} µs, wall {wall:.1f} µs"
            )
        first = statistics.median(x[0] for x in lat)
        end = statistics.median(x[1] for x in lat)
        print(f"=== {kind}: n={len(lat)} first byte p50 {first:.1f} µs, end p50 {end:.1f} µs")
        best = max(seqs, key=lambda k: len(seqs[k]))
        print(f"most common order ({len(seqs[best])} of {len(lat)}), median µs wall from send / loop CPU:")
        for name, col in zip(best, zip(*seqs[best], strict=True), strict=True):
            w = statistics.median(x[0] for x in col)
            c = statistics.median(x[1] for x in col)
            print(f"   {w:8.1f} {c:8.1f}  {name}")
    stack: list[list[object]] = []
    dur = collections.defaultdict(list)
    for _, c, label in ev:
        if label.startswith("gc") or label[-1] not in "<>":
            continue
        if label.endswith(">"):
            stack.append([label[:-1], c, 0])
        elif stack and stack[-1][0] == label[:-1]:
            name, c0, child = stack.pop()
            total = c - int(c0)  # type: ignore[call-overload]
            dur[str(name)].append((total, total - int(child)))  # type: ignore[call-overload]
            if stack:
                stack[-1][2] = int(stack[-1][2]) + total  # type: ignore[call-overload]
    print("=== CPU per mark (median µs: total, self)")
    for name, xs in sorted(dur.items(), key=lambda kv: -statistics.median(x[0] for x in kv[1])):
        tot = statistics.median(x[0] for x in xs) / 1000
        own = statistics.median(x[1] for x in xs) / 1000
        print(f"   {name:12} n={len(xs):5} {tot:8.1f} {own:8.1f}")


if __name__ == "__main__":
    main()
