"""``rules calibrate``: a new rule version whose activity thresholds give each targeted tier
the share of its line's graded hosts that the operators ask for, as closely as the data allow.

How thresholds are chosen (docs/rules.md, "Calibrating thresholds"):

- Only the moved criteria change: ``>=`` / ``>`` criteria on the chosen metrics (by default
  ``live_sessions_30d`` and ``live_buyers_30d``) in a targeted tier's own requirements (never
  the basic ones). Everything else is copied from the rulebook's latest version.
- A tier's moved thresholds move together, by one factor on the latest version's values, so
  their proportions stay (``sessions ≥ 5 or buyers ≥ 50`` becomes ``6 or 60``, not ``1 or
  400``). A whole-number metric's threshold is the factor times its value rounded up.
- Tiers are calibrated from the top down: a tier's share is of hosts graded exactly that tier,
  so a lower tier's share depends on the thresholds chosen above it.
- Among the thresholds tried (every factor at which a threshold crosses an observed value,
  and round values near the best of them), those whose share lies within ``tolerance`` of the
  best achievable share are kept, and of these the roundest wins (``roundness``: multiples of
  1000, 500, 100, 50, 10, 5), then the closest share, then the lower thresholds.

The search runs on the line's hosts in memory (NumPy); the shares reported are then measured
by the engine's own grading of the written version (pipeline/grading), so they are the shares
a daily run under the draft gives.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from typing import Any

import ibis.expr.types as ir
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from ibis import _

from livetier.domain.metrics import ACTIVITY_METRICS, METRICS, PROFILE_METRICS, Kind
from livetier.domain.rulebook import (
    Criterion,
    Group,
    Node,
    Op,
    Rulebook,
    RuleError,
    Version,
)
from livetier.domain.simulation import next_quarter, roundness, version_id
from livetier.domain.tiers import GRADED_TIERS, Tier
from livetier.pipeline import grading
from livetier.services.errors import InvalidInput
from livetier.services.rules_ops import Source, day_metrics

TOLERANCE = 0.005
"""Default: a rounder threshold may cost up to half a percentage point of share."""

Mask = npt.NDArray[np.bool_]
_TARGET = re.compile(r"^\s*([^.=\s]+)\.([^.=\s]+)\s*=\s*(\S+)\s*$")
_MOVABLE = (Op.GE, Op.GT)

GRADED_METRICS = (*PROFILE_METRICS, *ACTIVITY_METRICS)
"""The metrics tiers are graded on (session metrics decide surfacing only)."""


@dataclass(frozen=True)
class Target:
    """The share of a line's graded hosts that a tier should have."""

    line: str
    tier: Tier
    share: float


def parse_target(text: str) -> Target:
    """``consumer.expert=0.20`` as a target; a malformed one names itself."""
    match = _TARGET.match(text)
    if not match:
        raise InvalidInput(f"$target {text!r}: expected LINE.TIER=SHARE, e.g. consumer.expert=0.2")
    line, tier, share_text = match.groups()
    if tier not in {t.value for t in GRADED_TIERS}:
        raise InvalidInput(
            f"$target {text!r}: unknown tier {tier!r} (one of ordinary, expert, honor)"
        )
    try:
        share = float(share_text)
    except ValueError:
        raise InvalidInput(f"$target {text!r}: the share {share_text!r} is not a number") from None
    if not 0.0 <= share <= 1.0 or math.isnan(share):
        raise InvalidInput(f"$target {text!r}: a share lies between 0 and 1, not {share_text}")
    return Target(line, Tier(tier), share)


@dataclass(frozen=True)
class Outcome:
    """One target: the share reached and why it is not the target exactly."""

    target: Target
    hosts: int  # graded hosts of the line
    reached: int  # hosts graded the tier under the new version (the engine's count)
    thresholds: dict[str, float]  # "metric op" as written -> new threshold
    before: dict[str, float]
    best: float  # the best share any tried thresholds gave
    searched: int  # hosts graded the tier by the search (NumPy): equal to ``reached``
    why: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.reached / self.hosts if self.hosts else 0.0


@dataclass(frozen=True)
class Calibration:
    """The rulebook with the new version appended, and each target's outcome."""

    rulebook: Rulebook
    version: Version
    base: Version
    day: date
    outcomes: list[Outcome]
    tolerance: float


# the moved criteria -----------------------------------------------------------------------

Path = tuple[int, ...]


def _movable(group: Group, metrics: set[str], at: Path = ()) -> Iterator[tuple[Path, Criterion]]:
    for i, child in enumerate(group.children):
        if isinstance(child, Group):
            yield from _movable(child, metrics, (*at, i))
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


def _group(node: Node, targets: dict[Path, float]) -> Group:
    out = _with_targets(node, targets)
    assert isinstance(out, Group)
    return out


# grading in memory --------------------------------------------------------------------------


class _Columns:
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


def _met(node: Node, cols: _Columns) -> Mask:
    """Whether each host meets ``node``: domain/evaluation's rules (missing fails)."""
    if isinstance(node, Group):
        parts = [_met(c, cols) for c in node.children]
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
class _Choice:
    targets: tuple[float, ...]
    count: int


class _Tier:
    """One targeted tier of one line: its moved criteria and how many hosts a choice gives."""

    def __init__(
        self, group: Group, moved: list[tuple[Path, Criterion]], cols: _Columns, basic: Mask
    ) -> None:
        self.group = group
        self.moved = moved
        self.cols = cols
        self.basic = basic
        self.above: Mask = np.zeros(cols.n, dtype=bool)  # hosts in a higher tier
        self._seen: dict[tuple[float, ...], int] = {}

    def mask(self, targets: tuple[float, ...]) -> Mask:
        g = _group(self.group, dict(zip((p for p, _ in self.moved), targets, strict=True)))
        return self.basic & _met(g, self.cols) & ~self.above

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


def _search(tier: _Tier, want: float, tolerance: float) -> tuple[_Choice, float, list[str]]:
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
    return _Choice(chosen, tier.count(chosen)), best_share, why


def _why(
    tier: _Tier,
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


# the use case -----------------------------------------------------------------------------


def check(
    base: Version, targets: list[Target], metrics: Iterable[str]
) -> dict[tuple[str, Tier], Target]:
    """The targets by (line, tier), refused when they cannot be calibrated."""
    chosen = set(metrics)
    for m in chosen:
        if m not in GRADED_METRICS:
            raise InvalidInput(f"$metric {m!r}: unknown metric; known: {', '.join(GRADED_METRICS)}")
        if METRICS[m].kind not in (Kind.INT, Kind.FLOAT):
            raise InvalidInput(f"$metric {m!r}: not a number, so it has no threshold to move")
    out: dict[tuple[str, Tier], Target] = {}
    for t in targets:
        if t.line not in base.lines:
            raise InvalidInput(
                f"$target {t.line}.{t.tier}: unknown line {t.line!r} (version {base.version} "
                f"has {', '.join(base.lines)})"
            )
        if (t.line, t.tier) in out:
            raise InvalidInput(f"$target {t.line}.{t.tier}: given twice")
        if not any(True for _ in _movable(base.lines[t.line][t.tier], chosen)):
            raise InvalidInput(
                f"$target {t.line}.{t.tier}: version {base.version} gives {t.tier} no >= or > "
                f"threshold on {', '.join(sorted(chosen))}, so there is nothing to move (its "
                "share follows from the other tiers)"
            )
        out[(t.line, t.tier)] = t
    for (line, tier), t in out.items():
        for (line2, tier2), t2 in out.items():
            if line == line2 and tier2.rank > tier.rank and t2.share > t.share:
                raise InvalidInput(
                    f"$target {line}.{tier2}={t2.share:g} is above {line}.{tier}={t.share:g}: "
                    "a higher tier's share may not exceed a lower one's"
                )
        if sum(t2.share for (line2, _), t2 in out.items() if line2 == line) > 1.0 + 1e-9:
            raise InvalidInput(f"$target: the shares of line {line!r} add up to more than 1")
    return out


def calibrate(
    source: Source,
    day: date,
    rulebook: Rulebook,
    targets: list[Target],
    *,
    metrics: Iterable[str] = ACTIVITY_METRICS,
    effective_from: date | None = None,
    tolerance: float = TOLERANCE,
) -> Calibration:
    """A new version of ``rulebook`` (from its latest), effective ``effective_from`` (default:
    the first day of the quarter after ``day``), whose moved thresholds give each target's
    share on ``day``'s hosts as closely as the data allow."""
    base = max(rulebook.versions, key=lambda v: v.effective_from)
    when = effective_from or next_quarter(day)
    if when <= base.effective_from:
        raise InvalidInput(
            f"$effective_from {when}: the new version must take effect after the latest one "
            f"({base.version}, from {base.effective_from})"
        )
    if not 0.0 <= tolerance < 1.0:
        raise InvalidInput(f"$tolerance {tolerance}: a share between 0 and 1")
    chosen_metrics = list(dict.fromkeys(metrics))
    wanted = check(base, targets, chosen_metrics)
    with day_metrics(source, day, rulebook) as (table, _keep):
        lines = dict(base.lines)
        found: dict[tuple[str, Tier], tuple[_Tier, _Choice, float, list[str]]] = {}
        for line in base.lines:
            targeted = [
                t for t in sorted(GRADED_TIERS, key=lambda t: -t.rank) if (line, t) in wanted
            ]
            if not targeted:
                continue
            cols = _line_columns(table, line)
            basic = _met(base.basic, cols)
            above: Mask = np.zeros(cols.n, dtype=bool)
            tiers = dict(base.lines[line])
            for tier in sorted(GRADED_TIERS, key=lambda t: -t.rank):
                group = tiers[tier]
                if (line, tier) in wanted:
                    moved = list(_movable(group, set(chosen_metrics)))
                    search = _Tier(group, moved, cols, basic)
                    search.above = above.copy()
                    choice, best, why = _search(search, wanted[(line, tier)].share, tolerance)
                    group = _group(
                        group, dict(zip((p for p, _ in moved), choice.targets, strict=True))
                    )
                    tiers[tier] = group
                    found[(line, tier)] = (search, choice, best, why)
                above = above | (basic & _met(group, cols))
            lines[line] = tiers
        try:
            # Everything but the moved thresholds as in the base version: privileges,
            # fatigue, surfacing, the channel and downgrade_grace_days.
            new = dataclasses.replace(
                base,
                version=version_id(when, {v.version for v in rulebook.versions}),
                effective_from=when,
                lines=lines,
            )
            book = Rulebook(rulebook.name, rulebook.definitions, (*rulebook.versions, new))
        except RuleError as e:
            raise InvalidInput(f"$effective_from {when}: {e}") from None
        engine_counts = _engine_counts(new, table, {line for line, _ in wanted})
    outcomes = []
    for (line, tier), t in sorted(wanted.items(), key=lambda kv: (kv[0][0], -kv[0][1].rank)):
        search, choice, best, why = found[(line, tier)]
        names = [f"{c.metric} {c.op.value}" for _, c in search.moved]
        counts = engine_counts.get(line, {})
        outcomes.append(
            Outcome(
                t,
                sum(counts.values()),
                counts.get(tier, 0),
                dict(zip(names, choice.targets, strict=True)),
                {n: float(c.target) for n, (_, c) in zip(names, search.moved, strict=True)},  # type: ignore[arg-type]
                best,
                choice.count,
                why,
            )
        )
    return Calibration(book, new, base, day, outcomes, tolerance)


def _line_columns(table: ir.Table, line: str) -> _Columns:
    return _Columns(table.filter(table.category_line == line).select(*GRADED_METRICS).to_pyarrow())


def _engine_counts(
    version: Version, table: ir.Table, lines: set[str]
) -> dict[str, dict[Tier, int]]:
    """Hosts per tier under ``version``, by the engine's grading (pipeline/grading)."""
    out: dict[str, dict[Tier, int]] = {}
    for line in sorted(lines):
        graded = grading.tiers(version, table, line)
        rows = graded.group_by("tier").agg(n=_.count()).to_pyarrow().to_pylist()
        out[line] = {Tier(r["tier"]): int(r["n"]) for r in rows}
    return out


__all__ = [
    "ACTIVITY_METRICS",
    "TOLERANCE",
    "Calibration",
    "Outcome",
    "Target",
    "calibrate",
    "check",
    "parse_target",
]
