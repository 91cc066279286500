#!/usr/bin/env python3
"""One PostgreSQL beside a Citus cluster, drawn from `scripts/bench-citus`'s
results: one row per figure, a bar for each, the longer bar the larger value.

    python3 docs/plot_citus.py RESULTS_DIR docs/citus-bench.svg [NOTE]

NOTE goes under the title (the build measured, say).

Standard library only. RESULTS_DIR holds `postgres-*.txt` and `citus-*.txt`.
"""

import os
import re
import sys

from plot_memory import escape

W = 760
LEFT, RIGHT, TOP, ROW, BAR = 300, 90, 56, 46, 16
SIDES = [("postgres", "one PostgreSQL", "#1f77b4"), ("citus", "coordinator + 2 workers", "#d62728")]

# (label, file, pattern, unit, which is better)
FIGURES = [
    ("hub page over 1,000 hubs (cached)", "hub-page", r"summary: wrk closed loop: ([\d.]+) req/s", "req/s", "higher"),
    ("hub page, first visit (uncached)", "hub-page", r"uncached\), one at a time: ([\d.]+) req/s", "req/s", "higher"),
    ("bookings, 64 employees, 4 professionals", "booking-4", r"confirmed \(([\d.]+)/s\)", "/s", "higher"),
    ("bookings, 64 employees, 40 professionals", "booking-40", r"confirmed \(([\d.]+)/s\)", "/s", "higher"),
    ("booking confirm p99, 40 professionals", "booking-40", r"p99 ([\d.]+) ms; appointments", "ms", "lower"),
    ("provisioning a hub, p99", "tenancy", r"one by one: p50 [\d.]+ ms, p99 ([\d.]+) ms", "ms", "lower"),
    ("hearth migrate: make 1,000 hubs", "tenancy", r"create 1000 hubs from nothing: ([\d.]+) s", "s", "lower"),
    ("hearth migrate: a column and an index, 1,000 hubs", "tenancy", r"to 1000 hubs: ([\d.]+) s", "s", "lower"),
]


def read(results, side, name, pattern):
    path = os.path.join(results, f"{side}-{name}.txt")
    try:
        with open(path) as f:
            found = re.search(pattern, f.read())
    except OSError:
        return None
    return float(found.group(1)) if found else None


def main(results, target, note):
    rows = []
    for label, name, pattern, unit, better in FIGURES:
        values = [read(results, side, name, pattern) for side, _, _ in SIDES]
        if all(v is not None for v in values):
            rows.append((label, unit, better, values))
    height = TOP + ROW * len(rows) + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" '
        f'viewBox="0 0 {W} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{W}" height="{height}" fill="white"/>',
        f'<text x="{W / 2}" y="20" text-anchor="middle" font-size="14">'
        "One PostgreSQL and a Citus cluster on the same 2 cores</text>",
    ]
    if note:
        out.append(f'<text x="{W / 2}" y="{height - 6}" text-anchor="middle" fill="#555">{escape(note)}</text>')
    for i, (_, label, colour) in enumerate(SIDES):
        lx = LEFT + 200 * i
        out.append(
            f'<rect x="{lx}" y="32" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 18}" y="42">{escape(label)}</text>'
        )
    span = W - LEFT - RIGHT
    for r, (label, unit, better, values) in enumerate(rows):
        top = TOP + ROW * r
        out.append(f'<text x="{LEFT - 8}" y="{top + BAR + 2}" text-anchor="end">{escape(label)}</text>')
        out.append(
            f'<text x="{LEFT - 8}" y="{top + BAR + 16}" text-anchor="end" fill="#555">'
            f"({escape(better)} is better)</text>"
        )
        largest = max(values) or 1
        for s, value in enumerate(values):
            y = top + s * (BAR + 2)
            width = span * value / largest
            out.append(
                f'<rect x="{LEFT}" y="{y}" width="{width:.1f}" height="{BAR}" fill="{SIDES[s][2]}"/>'
                f'<text x="{LEFT + width + 4:.1f}" y="{y + BAR - 4}">{value:g} {escape(unit)}</text>'
            )
    out.append("</svg>")
    with open(target, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")
