"""docs/benchmarks.svg from bench/results/bench.json: wall time of the full evaluation per size
(livetier, hand-written SQL, pandas, livetier under a 2 GB DuckDB limit) and of the daily run,
on a log scale. Plain SVG written by hand: no plotting library needed.

Run: `python bench/plot.py [RESULTS_JSON] [OUT_SVG]`.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).parent
SERIES = (  # name, label, colour
    ("livetier", "livetier evaluate", "#1f77b4"),
    ("sql", "hand-written DuckDB SQL", "#2ca02c"),
    ("pandas", "pandas", "#d62728"),
    ("limited", "livetier, 2 GB DuckDB limit", "#9467bd"),
)
W, ROW, BAR, LEFT, TOP = 760, 22, 18, 150, 60


def bars(result: dict) -> list[tuple[str, list[tuple[str, float | None, str]]]]:  # type: ignore[type-arg]
    """Groups of (series, seconds or None, note)."""
    groups = []
    for hosts, ev in result.get("evaluate", {}).items():
        row = []
        for name, _, _ in SERIES:
            if name == "limited":
                m = ev.get("memory_limited")
                if m:
                    row.append((name, m["wall_s"] if m["finished"] else None, "failed"))
                continue
            x = ev.get(name, {})
            row.append((name, x.get("median_s"), "skipped" if "skipped" in x else ""))
        groups.append((f"full evaluation, {int(hosts) // 1000}k hosts", row))
    if "daily" in result:
        d = result["daily"]
        hosts = d["data"]["day_rows"]["hosts"] // 1000
        row = [("livetier", d["livetier"]["median_s"], ""), ("sql", d["baseline"]["median_s"], "")]
        groups.append((f"daily run, {hosts}k hosts", row))
    return groups


def svg(result: dict) -> str:  # type: ignore[type-arg]
    groups = bars(result)
    values = [v for _, row in groups for _, v, _ in row if v]
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    span = W - LEFT - 90

    def x(v: float) -> float:
        return LEFT + span * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    height = TOP + sum(len(r) * ROW + 16 for _, r in groups) + 50
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{W}" height="{height}" fill="white"/>',
        '<text x="10" y="20" font-size="15" font-weight="bold">livetier benchmarks: wall time '
        "(seconds, log scale; lower is better)</text>",
    ]
    m = result.get("machine", {})
    out.append(
        f'<text x="10" y="38" fill="#555">{m.get("cores")} cores, {m.get("ram_gib")} GiB; '
        f"python {m.get('python')}, duckdb {m.get('duckdb')}, ibis {m.get('ibis')}, "
        f"pandas {m.get('pandas')}</text>"
    )
    for i, (_name, label, colour) in enumerate(SERIES):
        lx = 10 + i * 185
        out.append(f'<rect x="{lx}" y="{height - 22}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{lx + 16}" y="{height - 12}">{label}</text>')
    decade = lo
    while decade <= hi:
        gx = x(decade)
        out.append(
            f'<line x1="{gx:.1f}" y1="{TOP - 8}" x2="{gx:.1f}" y2="{height - 40}" stroke="#ddd"/>'
        )
        out.append(
            f'<text x="{gx:.1f}" y="{TOP - 12}" text-anchor="middle" fill="#555">'
            f"{decade:g} s</text>"
        )
        decade *= 10
    y = TOP
    colours = {name: colour for name, _, colour in SERIES}
    for title, row in groups:
        out.append(f'<text x="10" y="{y + len(row) * ROW / 2 + 4:.0f}">{title}</text>')
        for name, v, note in row:
            if v:
                out.append(
                    f'<rect x="{LEFT}" y="{y}" width="{x(v) - LEFT:.1f}" height="{BAR}" '
                    f'fill="{colours[name]}"/>'
                )
                out.append(f'<text x="{x(v) + 4:.1f}" y="{y + 13}">{v:.1f} s</text>')
            else:
                out.append(
                    f'<text x="{LEFT + 4}" y="{y + 13}" fill="{colours[name]}">'
                    f"{name}: {note}</text>"
                )
            y += ROW
        y += 16
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table(result: dict) -> str:  # type: ignore[type-arg]
    """The figures as a Markdown table, for docs/benchmarks.md."""
    rows = [
        "| run | hosts | livetier s (MiB) | SQL s (MiB) | pandas s (MiB) | livetier/SQL | "
        "pandas/livetier |",
        "|---|---|---|---|---|---|---|",
    ]

    def cell(x: dict) -> str:  # type: ignore[type-arg]
        if "median_s" not in x:
            return "skipped" if "skipped" in x else "-"
        return f"{x['median_s']:.1f} ({x['peak_rss_mib']:,})"

    for hosts, ev in result.get("evaluate", {}).items():
        d = ev["data"]
        size = f"{int(hosts):,} ({d['views'] / 1e6:.0f}M views, {d['orders'] / 1e6:.1f}M orders)"
        lt, sql, pd = ev["livetier"], ev["sql"], ev.get("pandas", {})
        speedup = f"{pd['median_s'] / lt['median_s']:.1f}x" if "median_s" in pd else "-"
        rows.append(
            f"| full evaluation, median of {ev['repeat']} | {size} | {cell(lt)} | {cell(sql)} | "
            f"{cell(pd)} | {lt['median_s'] / sql['median_s']:.2f} | {speedup} |"
        )
        if m := ev.get("memory_limited"):
            state = "finished" if m["finished"] else f"FAILED: {m['error']}"
            rows.append(
                f"| full evaluation, DuckDB memory_limit {m['memory_limit']} | {int(hosts):,} | "
                f"{m['wall_s']:.1f} ({m['peak_rss_mib']:,}), {state} | | | | |"
            )
    if d := result.get("daily"):
        lt, bl = d["livetier"], d["baseline"]
        rows.append(
            f"| daily run (one new day), median of {d['repeat']} | "
            f"{d['data']['day_rows']['hosts']:,} | {cell(lt)} | {cell(bl)} | - | "
            f"{lt['median_s'] / bl['median_s']:.2f} | - |"
        )
    return "\n".join(rows) + "\n"


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "results" / "bench.json"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE.parent / "docs" / "benchmarks.svg"
    target.write_text(svg(json.loads(source.read_text())))
    print(table(json.loads(source.read_text())))
    print(f"plot: {target}")


if __name__ == "__main__":
    main()
