#!/usr/bin/env python3
"""Summarises bench/run's results: medians over rounds, and the ratios C/B and C/A."""
import statistics, sys
from collections import defaultdict

path, ready_ms, rounds, duration = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = defaultdict(list)
for line in open(path):
    scenario, action, conns, rps, p50, p99, rss, cpu, anon = (line.rstrip("\n").split("\t") + ["", "", ""])[:9]
    rows[(action, int(conns), scenario)].append((float(rps), p50, p99, rss, cpu, anon))

def ms(text):
    if text in ("?", ""): return float("nan")
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit): return float(text[: -len(unit)]) * factor
    return float(text)

print(f"{rounds} rounds x {duration} s, wrk -t1 pinned to CPU 1, servers pinned to CPU 0; medians shown")
print(f"bridge ready to serve {ready_ms} ms after start\n")
# RSS is VmRSS; in parentheses its anonymous part (RssAnon). The rest is the binary's own pages mapped from
# the page cache, which the kernel maps 64 KB around each page touched.
print("| action | conns | A rps | B rps | C rps | C/B | C/A | A p99 | B p99 | C p50 | C p99 | C RSS MB (anon) | CPU µs/req A | B | C |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for action, conns in sorted({(a, c) for a, c, _ in rows}):
    med = {}
    for s in "ABC":
        samples = rows.get((action, conns, s), [])
        if not samples: continue
        med[s] = (statistics.median(x[0] for x in samples),
                  statistics.median(ms(x[1]) for x in samples),
                  statistics.median(ms(x[2]) for x in samples),
                  max((int(x[3]) for x in samples if x[3]), default=0) / 1024,
                  max((int(x[5]) for x in samples if x[5]), default=0) / 1024,
                  statistics.median(float(x[4]) for x in samples if x[4] not in ("", "?")) if any(
                      x[4] not in ("", "?") for x in samples) else float("nan"))
    a, b, c = med.get("A"), med.get("B"), med.get("C")
    if not (a and b and c): continue
    print(f"| {action} | {conns} | {a[0]:.0f} | {b[0]:.0f} | {c[0]:.0f} | {c[0]/b[0]:.2f} | {c[0]/a[0]:.2f} | "
          f"{a[2]:.2f} | {b[2]:.2f} | {c[1]:.2f} | {c[2]:.2f} | {c[3]:.1f} ({c[4]:.1f}) | {a[5]:.1f} | {b[5]:.1f} | {c[5]:.1f} |")
