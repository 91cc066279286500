#!/usr/bin/env python3
"""The soak's memory curve as an SVG, from the CSV `load-mixed --csv` writes.

    python3 docs/plot_memory.py memory.csv docs/soak-memory.svg "title"

Standard library only: two lines (the server's RSS, the PostgreSQL backends'
private memory summed), minutes across, MiB up.
"""

import csv
import sys

W, H = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 60, 170, 40, 50
SERIES = [
    ("server_rss_kib", "hearth serve RSS", "#1f77b4"),
    ("pg_backends_private_kib", "PostgreSQL backends (private, sum)", "#d62728"),
]


def main(source, target, title):
    with open(source, newline="") as f:
        rows = list(csv.DictReader(f))
    minutes = [int(r["seconds"]) / 60 for r in rows]
    values = {key: [int(r[key]) / 1024 for r in rows] for key, _, _ in SERIES}
    x_max = max(minutes) or 1
    y_max = max(max(v) for v in values.values()) * 1.1 or 1
    step = nice_step(y_max)
    y_max = step * (int(y_max / step) + 1)

    def x(m):
        return LEFT + (W - LEFT - RIGHT) * m / x_max

    def y(v):
        return H - BOTTOM - (H - TOP - BOTTOM) * v / y_max

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
        f'<rect width="{W}" height="{H}" fill="white"/>',
        f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="14">{escape(title)}</text>',
    ]
    tick = 0.0
    while tick <= y_max + 1e-9:
        out.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
        tick += step
    x_step = nice_step(x_max)
    tick = 0.0
    while tick <= x_max + 1e-9:
        out.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{H - BOTTOM}" y2="{H - BOTTOM + 4}" stroke="#333"/>'
            f'<text x="{x(tick):.1f}" y="{H - BOTTOM + 18}" text-anchor="middle">{tick:g}</text>'
        )
        tick += x_step
    out.append(
        f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{H - BOTTOM}" y2="{H - BOTTOM}" stroke="#333"/>'
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{H - BOTTOM}" stroke="#333"/>'
        f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 12}" text-anchor="middle">minutes</text>'
        f'<text x="16" y="{(TOP + H - BOTTOM) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 16 {(TOP + H - BOTTOM) / 2})">MiB</text>'
    )
    for i, (key, label, colour) in enumerate(SERIES):
        points = " ".join(f"{x(m):.1f},{y(v):.1f}" for m, v in zip(minutes, values[key]))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for m, v in zip(minutes, values[key]):
            out.append(f'<circle cx="{x(m):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}"/>')
        ly = TOP + 10 + 36 * i
        out.append(
            f'<line x1="{W - RIGHT + 10}" x2="{W - RIGHT + 30}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2"/>'
            + "".join(
                f'<text x="{W - RIGHT + 36}" y="{ly + 4 + 14 * n}">{escape(part)}</text>'
                for n, part in enumerate(wrap(label))
            )
        )
    out.append("</svg>")
    with open(target, "w") as f:
        f.write("\n".join(out) + "\n")


def nice_step(span):
    """A round step giving 4 to 10 ticks over `span`."""
    step = 1.0
    while span / step > 10:
        for factor in (2, 2.5, 2):
            step *= factor
            if span / step <= 10:
                break
    return step


def wrap(label, width=18):
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "Memory during the soak")
