"""The search for thresholds (services/calibrate): the moved criteria of a tier, grading a
line's hosts in memory (NumPy) by domain/evaluation's rules, and the search itself, with why a
target is not met exactly."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from livetier.domain.metrics import METRICS, Kind
from livetier.domain.rulebook import Criterion, Group, Node, Op
from livetier.domain.simulation import roundness

TOLERANCE = 0.005
"""Default: a rounder threshold may cost up to half a percentage point of share."""

Mask = npt.NDArray[np.bool_]
_MOVABLE = (Op.GE, Op.GT)


# the moved criteria -----------------------------------------------------------------------

Path = tuple[int, ...]


def movable(group: Group, metrics: set[str], at: Path = ()) -> Iterator[tuple[Path, Criterion]]:
    for i, child in enumerate(group.children):
        if isinstance(child, Group):
            yield from movable(child, metrics, (*at, i))
        elif child.metric in metrics and child.op in _MOVABLE:
            yield (*at, i), child


def _with_targets(node: Node, targets: dict[Path, float], at: Path = ()) -> Node:
    if isinstance(node, Criterion):
        if at not in targets:
            return node
        value = targets[at]
        kind = METRICS[node.metric].kind
        return Criterion(node.metric, node.op, int(value) if kind is Kind.INT else float(value))
    return Group(
        node.mode, tuple(_with_targets(c, targets, (*at, i)) for i, c in enumerate(node.children))
    )


def with_targets(node: Node, targets: dict[Path, float]) -> Group:
    out = _with_targets(node, targets)
    assert isinstance(out, Group)
    return out


# grading in memory --------------------------------------------------------------------------


class Columns:
    """One line's hosts: each metric a NumPy array (missing: NaN, or None for text)."""

    def __init__(self, table: pa.Table) -> None:
        self.n = table.num_rows
        self._table = table
        self._cache: dict[str, Any] = {}

    def __getitem__(self, metric: str) -> Any:
        if metric not in self._cache:
            column = self._table.column(metric)
            if METRICS[metric].kind is Kind.STR:
                self._cache[metric] = np.array(column.to_pylist(), dtype=object)
            else:
                floats = pc.cast(column, pa.float64())
                self._cache[metric] = floats.to_numpy(zero_copy_only=False)
        return self._cache[metric]


def _mask(values: Any) -> Mask:
    out: Mask = np.asarray(values, dtype=bool)
    return out


def met(node: Node, cols: Columns) -> Mask:
    """Whether each host meets ``node``: domain/evaluation's rules (missing fails)."""
    if isinstance(node, Group):
        parts = [met(c, cols) for c in node.children]
        if not parts:
            return np.full(cols.n, node.mode == "all")
        out = parts[0].copy()
        for p in parts[1:]:
            out = (out & p) if node.mode == "all" else (out | p)
        return out
    v = cols[node.metric]
    t = node.target
    if METRICS[node.metric].kind is Kind.STR:
        present = np.array([x is not None for x in v], dtype=bool)
        if node.op in (Op.IN, Op.NOT_IN):
            assert isinstance(t, tuple)
            inside = np.array([x in t for x in v], dtype=bool)
            return _mask(present & (inside if node.op is Op.IN else ~inside))
        same = np.array([x == t for x in v], dtype=bool)
        return _mask(present & (same if node.op is Op.EQ else ~same))
    present = ~np.isnan(v)
    with np.errstate(invalid="ignore"):
        if node.op is Op.IS_TRUE:
            return _mask(present & (v == 1.0))
        if node.op is Op.IS_FALSE:
            return _mask(present & (v == 0.0))
        assert isinstance(t, int | float) and not isinstance(t, tuple)
        compare = {
            Op.GE: np.greater_equal,
            Op.GT: np.greater,
            Op.LE: np.less_equal,
            Op.LT: np.less,
            Op.EQ: np.equal,
            Op.NE: np.not_equal,
        }[node.op]
        return _mask(present & compare(v, float(t)))


# the search -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    targets: tuple[float, ...]
    count: int


class TierSearch:
    """One targeted tier of one line: its moved criteria and how many hosts a choice gives."""

    def __init__(
        self, group: Group, moved: list[tuple[Path, Criterion]], cols: Columns, basic: Mask
    ) -> None:
        self.group = group
        self.moved = moved
        self.cols = cols
        self.basic = basic
        self.above: Mask = np.zeros(cols.n, dtype=bool)  # hosts in a higher tier
        self._seen: dict[tuple[float, ...], int] = {}

    def mask(self, targets: tuple[float, ...]) -> Mask:
        g = with_targets(self.group, dict(zip((p for p, _ in self.moved), targets, strict=True)))
        return self.basic & met(g, self.cols) & ~self.above

    def count(self, targets: tuple[float, ...]) -> int:
        if targets not in self._seen:
            self._seen[targets] = int(self.mask(targets).sum())
        return self._seen[targets]

    def _kind(self, i: int) -> Kind:
        return METRICS[self.moved[i][1].metric].kind

    def at(self, factor: float) -> tuple[float, ...]:
        """Each moved threshold at ``factor`` times its value in the latest version."""
        out = []
        for i, (_path, c) in enumerate(self.moved):
            assert isinstance(c.target, int | float)
            x = factor * float(c.target)
            if self._kind(i) is Kind.INT:
                out.append(float(math.ceil(x - 1e-9)))
            else:
                out.append(math.ceil(x * 100 - 1e-9) / 100)
        return tuple(out)

    def factors(self) -> list[float]:
        """Every factor at which a moved threshold meets an observed value (and 0, and one
        past every value): between two of them no host changes."""
        found = {0.0}
        for _path, c in self.moved:
            assert isinstance(c.target, int | float)
            base = float(c.target)
            if base <= 0:
                continue
            values = self.cols[c.metric]
            values = np.unique(values[~np.isnan(values)])
            found.update((values / base).tolist())
            if values.size:
                found.add((float(values.max()) + 1) / base)
        return sorted(found)

    def nearby_round(self, targets: tuple[float, ...]) -> Iterator[tuple[float, ...]]:
        """Round values near ``targets``: per threshold, multiples of the round steps within
        a third of it (whole numbers) or it at fewer decimals (fractions)."""
        options: list[list[float]] = []
        for i, t in enumerate(targets):
            near = {t}
            if self._kind(i) is Kind.INT:
                for step in (5, 10, 50, 100, 500, 1000):
                    for m in (math.floor(t / step) * step, math.ceil(t / step) * step):
                        if m > 0 and abs(m - t) <= max(1.0, t / 3):
                            near.add(float(m))
            else:
                near.update({math.floor(t * 10) / 10, math.ceil(t * 10) / 10, float(round(t))})
            options.append(sorted(near, key=lambda m: abs(m - t))[:8])
        yield from product(*options)


def search_thresholds(
    tier: TierSearch, want: float, tolerance: float
) -> tuple[Choice, float, list[str]]:
    """The chosen thresholds, the best share tried, and why the target is not met exactly."""
    n = tier.cols.n
    factors = tier.factors()
    # Shares fall as the factor rises: find where the path crosses the wanted count.
    wanted = want * n
    lo, hi = 0, len(factors) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if tier.count(tier.at(factors[mid])) <= wanted:
            hi = mid
        else:
            lo = mid + 1
    tried: set[tuple[float, ...]] = set()
    path: list[tuple[float, ...]] = []
    for j in range(max(0, lo - 200), min(len(factors), lo + 200)):
        t = tier.at(factors[j])
        if t not in tried:
            tried.add(t)
            path.append(t)
    best_t = min(path, key=lambda t: (abs(tier.count(t) - wanted), t))
    tried.update(tier.nearby_round(best_t))
    error = {t: abs(tier.count(t) - wanted) / n if n else 0.0 for t in tried}
    best = min(error.values())
    keep = [t for t in tried if error[t] <= best + tolerance + 1e-12]
    chosen = max(keep, key=lambda t: (sum(roundness(x) for x in t), -error[t], [-x for x in t]))
    best_share = min((tier.count(t) / n for t in tried), key=lambda s: abs(s - want))
    why = _why(tier, want, chosen, best_share, path, tolerance)
    return Choice(chosen, tier.count(chosen)), best_share, why


def _why(
    tier: TierSearch,
    want: float,
    chosen: tuple[float, ...],
    best: float,
    path: list[tuple[float, ...]],
    tolerance: float,
) -> list[str]:
    n = tier.cols.n
    names = [f"{c.metric} {c.op.value}" for _, c in tier.moved]
    said = []
    share = tier.count(chosen) / n if n else 0.0
    if n and abs(round(want * n) - tier.count(chosen)) == 0:
        return ["exact to the host"]
    lowest = tier.count(tier.at(0.0))
    if n and want * n > lowest:
        blocked = int((tier.basic & ~tier.above).sum()) - lowest
        failing = int((~tier.basic).sum())
        said.append(
            f"blocked: at most {lowest / n:.1%} ({lowest} hosts) can reach it whatever the "
            f"moved thresholds: {failing} host(s) fail the basic requirements, {blocked} "
            "another requirement of the tier"
            + (f", {int(tier.above.sum())} sit in a higher tier" if tier.above.any() else "")
        )
    else:
        highest = tier.count(tier.at(tier.factors()[-1]))
        if n and want * n < highest:
            said.append(
                f"floor: {highest / n:.1%} ({highest} hosts) keep the tier with every moved "
                "threshold above all observed values (a requirement not on the moved metrics "
                "lets them in)"
            )
        else:
            counts = sorted({tier.count(t) for t in path})
            k = bisect.bisect_left(counts, want * n)
            below = counts[k - 1] if k > 0 else None
            above = counts[k] if k < len(counts) else None
            if below is not None and above is not None:
                said.append(
                    f"ties: nothing between {below / n:.1%} ({below} hosts) and "
                    f"{above / n:.1%} ({above}): {above - below} host(s) at the boundary "
                    "move together"
                )
    if abs(share - best) > 1e-12:
        said.append(
            f"rounded: {', '.join(f'{m} {_num(t)}' for m, t in zip(names, chosen, strict=True))}"
            f" costs {abs(abs(share - want) - abs(best - want)):.2%} against the closest "
            f"({best:.1%}; tolerance {tolerance:.1%})"
        )
    return said


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
