#!/usr/bin/env python3
"""Per-call cold footprint from two cachegrind runs of `ClientBench footprint` (few and many calls).

The difference between the runs, divided by the difference in calls, is what one call costs once start-up is taken
out: instructions, and cache lines fetched from (simulated) memory for code and for data. The simulated caches are
tiny for level 1 and swept before every call for the last level, so every line a call needs is fetched again: the
counts are the call's footprint, the thing a cold call pays for. The harness (the sweep and the loop) is left out.
usage: footprint_report.py FEW.out FEW_CALLS MANY.out MANY_CALLS [TOP]
"""
import collections
import sys

HARNESS = "ClientBench9Footprint"  # Footprint.run: the sweep and the loop around the calls, left out entirely


def load(path):
    totals = collections.defaultdict(collections.Counter)
    events, function = [], None
    with open(path) as f:
        for line in f:
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith("fn="):
                function = line[3:].strip()
            elif line[:1].isdigit() and function:
                values = dict(zip(events, map(int, line.split()[1:])))
                totals[function]["instructions"] += values.get("Ir", 0)
                totals[function]["code lines"] += values.get("ILmr", 0)
                totals[function]["data lines"] += values.get("DLmr", 0) + values.get("DLmw", 0)
    return totals


def main():
    few, few_calls, many, many_calls = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    top = int(sys.argv[5]) if len(sys.argv) > 5 else 12
    a, b = load(few), load(many)
    calls = many_calls - few_calls
    per_call = {}
    for function in set(a) | set(b):
        if HARNESS in function:
            continue
        per_call[function] = {k: (b[function][k] - a[function][k]) / calls
                              for k in ("instructions", "code lines", "data lines")}
    total = {k: sum(r[k] for r in per_call.values()) for k in ("instructions", "code lines", "data lines")}
    print(f"per call: {total['instructions']:,.0f} instructions, {total['code lines']:,.0f} code lines "
          f"({total['code lines'] * 64 / 1024:.1f} KiB), {total['data lines']:,.0f} data lines "
          f"({total['data lines'] * 64 / 1024:.1f} KiB) fetched cold")
    print(f"  most code lines ({top}): code lines, data lines, instructions, function")
    for function, row in sorted(per_call.items(), key=lambda item: -item[1]["code lines"])[:top]:
        print(f"  {row['code lines']:6.1f} {row['data lines']:6.1f} {row['instructions']:8.0f}  {function[:110]}")


if __name__ == "__main__":
    main()
