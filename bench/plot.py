"""docs/benchmarks.svg from bench/results/bench.json: how cost grows with the platform.

Two log-log panels, wall time and peak resident memory against hosts (10k, 100k, 1M), with
every run of the same bench on the same axes: the full evaluation (livetier, the hand-written
DuckDB SQL, Polars and pandas baselines, livetier under a 2 GB DuckDB limit) and the daily run
(livetier and its SQL baseline). A size not measured is simply not drawn; a straight line of
slope 1 is linear growth, and a flatter start shows a fixed overhead. Plain SVG written by
hand: no plotting library needed. Also prints the results as a Markdown table.

Run: `python bench/plot.py [RESULTS_JSON] [OUT_SVG]`.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
# key, label, colour, dashed
SERIES = (
    ("livetier", "livetier evaluate", "#1f77b4", False),
    ("sql", "DuckDB SQL (evaluation)", "#2ca02c", False),
    ("polars", "Polars lazy (evaluation)", "#ff7f0e", False),
    ("pandas", "pandas (evaluation)", "#d62728", False),
    ("limited", "livetier, 2 GB DuckDB limit", "#9467bd", False),
    ("daily", "livetier daily run", "#1f77b4", True),
    ("daily_sql", "DuckDB SQL (daily run)", "#2ca02c", True),
)
PANEL_W, PANEL_H, MARGIN_L, MARGIN_T, GAP = 380, 300, 70, 75, 60
HOSTS_AXIS = (10_000, 1_000_000)

Point = tuple[int, float, float]  # hosts, seconds, MiB


def _daily(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Daily runs by hosts; an older results file holds one run (at 1M hosts) unkeyed."""
    daily = result.get("daily", {})
    if "livetier" in daily:
        return {str(daily["data"]["day_rows"]["hosts"]): daily}
    return dict(daily)


def points(result: dict[str, Any]) -> dict[str, list[Point]]:
    """(hosts, seconds, MiB) per series, by hosts."""
    out: dict[str, list[Point]] = {name: [] for name, *_ in SERIES}
    for hosts, ev in result.get("evaluate", {}).items():
        for name in ("livetier", "sql", "polars", "pandas"):
            x = ev.get(name, {})
            if "median_s" in x:
                out[name].append((int(hosts), x["median_s"], x["peak_rss_mib"]))
        m = ev.get("memory_limited")
        if m and m["finished"]:
            out["limited"].append((int(hosts), m["wall_s"], m["peak_rss_mib"]))
    for hosts, d in _daily(result).items():
        out["daily"].append((int(hosts), d["livetier"]["median_s"], d["livetier"]["peak_rss_mib"]))
        out["daily_sql"].append(
            (int(hosts), d["baseline"]["median_s"], d["baseline"]["peak_rss_mib"])
        )
    return {k: sorted(v) for k, v in out.items()}


def _decades(values: list[float]) -> tuple[float, float]:
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    return lo, hi if hi > lo else lo * 10


def _panel(
    series: dict[str, list[Point]], index: int, title: str, unit: str, left: float
) -> list[str]:
    """One log-log panel: ``index`` 1 is seconds, 2 is MiB."""
    values = [p[index] for pts in series.values() for p in pts]
    lo, hi = _decades(values or [1.0])
    x0, x1 = (math.log10(h) for h in HOSTS_AXIS)

    def x(hosts: float) -> float:
        return left + PANEL_W * (math.log10(hosts) - x0) / (x1 - x0)

    def y(v: float) -> float:
        frac = (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return MARGIN_T + PANEL_H * (1 - frac)

    out = [
        f'<text x="{left + PANEL_W / 2}" y="{MARGIN_T - 14}" text-anchor="middle" '
        f'font-weight="bold">{title}</text>',
        f'<rect x="{left}" y="{MARGIN_T}" width="{PANEL_W}" height="{PANEL_H}" fill="none" '
        'stroke="#999"/>',
    ]
    decade = lo
    while decade <= hi * 1.0001:
        for k in range(1, 10):
            v = decade * k
            if v > hi * 1.0001:
                break
            major = k == 1
            out.append(
                f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + PANEL_W}" y2="{y(v):.1f}" '
                f'stroke="{"#ccc" if major else "#eee"}"/>'
            )
            if major:
                out.append(
                    f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#555">'
                    f"{v:g} {unit}</text>"
                )
        decade *= 10
    for hosts, name in ((10_000, "10k"), (100_000, "100k"), (1_000_000, "1M")):
        out.append(
            f'<line x1="{x(hosts):.1f}" y1="{MARGIN_T}" x2="{x(hosts):.1f}" '
            f'y2="{MARGIN_T + PANEL_H}" stroke="#ccc"/>'
        )
        out.append(
            f'<text x="{x(hosts):.1f}" y="{MARGIN_T + PANEL_H + 16}" text-anchor="middle" '
            f'fill="#555">{name} hosts</text>'
        )
    for name, _, colour, dashed in SERIES:
        pts = series[name]
        if not pts:
            continue
        xy = [(x(p[0]), y(p[index])) for p in pts]
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        if len(xy) > 1:
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b in xy)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
            )
        for (a, b), p in zip(xy, pts, strict=True):
            shape = "rect" if dashed else "circle"
            if shape == "circle":
                out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3.5" fill="{colour}"/>')
            else:
                out.append(
                    f'<rect x="{a - 3.5:.1f}" y="{b - 3.5:.1f}" width="7" height="7" '
                    f'fill="white" stroke="{colour}" stroke-width="2"/>'
                )
            out.append(f"<title>{name} {p[0]:,} hosts: {p[index]:g} {unit}</title>")
    return out


def svg(result: dict[str, Any]) -> str:
    series = points(result)
    width = MARGIN_L + 2 * PANEL_W + GAP + 20 + 50
    legend_rows = math.ceil(len(SERIES) / 3)
    height = MARGIN_T + PANEL_H + 40 + legend_rows * 18 + 10
    m = result.get("machine", {})
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        '<text x="10" y="20" font-size="15" font-weight="bold">How cost grows with hosts '
        "(log-log; lower is better)</text>",
        f'<text x="10" y="38" fill="#555">{m.get("cores")} cores, {m.get("ram_gib")} GiB, '
        f"shared; python {m.get('python')}, duckdb {m.get('duckdb')}, ibis {m.get('ibis')}, "
        f"polars {m.get('polars')}, pandas {m.get('pandas')}; {m.get('started', '')}</text>",
    ]
    out += _panel(series, 1, "wall time (median)", "s", MARGIN_L)
    out += _panel(series, 2, "peak resident memory", "MiB", MARGIN_L + PANEL_W + GAP + 20)
    top = MARGIN_T + PANEL_H + 36
    for i, (name, label, colour, dashed) in enumerate(SERIES):
        lx, ly = 10 + (i % 3) * 270, top + (i // 3) * 18
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        out.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 26}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2"{dash}/>'
        )
        note = "" if series[name] else " (not measured)"
        out.append(f'<text x="{lx + 32}" y="{ly}">{label}{note}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table(result: dict[str, Any]) -> str:
    """The figures as a Markdown table, for docs/benchmarks.md."""
    rows = [
        "| run | hosts | livetier s (MiB) | SQL s (MiB) | Polars s (MiB) | pandas s (MiB) | "
        "livetier/SQL | livetier/Polars |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def cell(x: dict[str, Any]) -> str:
        if "median_s" not in x:
            if "failed" in x:
                return f"failed ({x['peak_rss_mib']:,})"
            return "skipped" if "skipped" in x else "-"
        return f"{x['median_s']:.1f} ({x['peak_rss_mib']:,})"

    def ratio(a: dict[str, Any], b: dict[str, Any]) -> str:
        return f"{a['median_s'] / b['median_s']:.2f}" if "median_s" in b else "-"

    for hosts, ev in result.get("evaluate", {}).items():
        d = ev["data"]
        size = f"{int(hosts):,} ({d['views'] / 1e6:.0f}M views, {d['orders'] / 1e6:.1f}M orders)"
        lt, sql, pl = ev["livetier"], ev.get("sql", {}), ev.get("polars", {})
        rows.append(
            f"| full evaluation, median of {ev['repeat']} | {size} | {cell(lt)} | {cell(sql)} | "
            f"{cell(pl)} | {cell(ev.get('pandas', {}))} | {ratio(lt, sql)} | {ratio(lt, pl)} |"
        )
        if m := ev.get("memory_limited"):
            state = "finished" if m["finished"] else f"FAILED: {m['error']}"
            rows.append(
                f"| full evaluation, DuckDB memory_limit {m['memory_limit']} | {int(hosts):,} | "
                f"{m['wall_s']:.1f} ({m['peak_rss_mib']:,}), {state} | | | | | |"
            )
    for hosts, d in sorted(_daily(result).items(), key=lambda kv: int(kv[0])):
        lt, bl = d["livetier"], d["baseline"]
        rows.append(
            f"| daily run (one new day), median of {d['repeat']} | {int(hosts):,} | {cell(lt)} | "
            f"{cell(bl)} | - | - | {ratio(lt, bl)} | - |"
        )
    return "\n".join(rows) + "\n"


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "results" / "bench.json"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE.parent / "docs" / "benchmarks.svg"
    result = json.loads(source.read_text())
    target.write_text(svg(result))
    print(table(result))
    print(f"plot: {target}")


if __name__ == "__main__":
    main()
