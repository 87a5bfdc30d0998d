"""The dashboard's charts as numbers for inline SVG: a stacked bar of hosts per tier and line,
and a line chart of each line's tiers over the run days."""

from __future__ import annotations

from typing import Any

from livetier.domain.tiers import Tier

TIER_COLORS = {
    Tier.HONOR: "#8e44ad",
    Tier.EXPERT: "#e08a00",
    Tier.ORDINARY: "#3b7ddd",
    Tier.NONE: "#a7adb7",
}
_TIERS_DOWN = list(reversed(Tier))  # honor first, as tables list them


def distribution(lines: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """Hosts per tier for each line and all lines, with shares for a 100% stacked bar."""
    rows = dict(lines)
    if len(rows) > 1:
        rows["all"] = {t.value: sum(c.get(t.value, 0) for c in lines.values()) for t in Tier}
    out = []
    for line, counts in rows.items():
        total = sum(counts.values())
        x = 0.0
        tiers = []
        for tier in _TIERS_DOWN:
            n = counts.get(tier.value, 0)
            share = 100 * n / total if total else 0.0
            tiers.append({"tier": tier.value, "count": n, "share": share, "x": x})
            x += share
        out.append({"line": line, "total": total, "tiers": tiers})
    return out


def trend(days: list[dict[str, Any]], line: str) -> dict[str, Any]:
    """A line chart of hosts per tier over the run days of one line, as SVG coordinates."""
    width, height, left, right, top, bottom = 380, 170, 36, 8, 10, 24
    counts: dict[Tier, list[int]] = {
        t: [d["lines"].get(line, {}).get(t.value, 0) for d in days] for t in _TIERS_DOWN
    }
    peak = max(1, *(n for series in counts.values() for n in series))
    step = (width - left - right) / max(len(days) - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if len(days) > 1 else (width - left - right) / 2)

    def y(n: int) -> float:
        return top + (height - top - bottom) * (1 - n / peak)

    series = [
        {
            "tier": tier.value,
            "color": TIER_COLORS[tier],
            "points": " ".join(f"{x(i):.1f},{y(n):.1f}" for i, n in enumerate(values)),
            "dots": [
                {"x": x(i), "y": y(n), "count": n, "day": days[i]["day"]}
                for i, n in enumerate(values)
            ],
        }
        for tier, values in counts.items()
    ]
    ticks = [{"y": y(n), "label": n} for n in sorted({0, peak // 2, peak})]
    labelled = sorted({0, len(days) // 2, len(days) - 1})
    return {
        "line": line,
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "bottom": height - bottom,
        "series": series,
        "ticks": ticks,
        "days": [
            {"x": x(i), "label": days[i]["day"][5:], "anchor": _anchor(i, len(days))}
            for i in labelled
        ],
    }


def _anchor(i: int, n: int) -> str:
    """Where a day label hangs from its point: the first and last stay inside the chart."""
    if n > 1 and i == 0:
        return "start"
    return "end" if n > 1 and i == n - 1 else "middle"
