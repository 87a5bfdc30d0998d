"""Bulk grading inside the engine: a rule version compiled to Ibis expressions over all hosts.

The compiled expressions mirror domain/evaluation.py node for node (met, progress, closest
branch), so a row read back becomes the same HostEvaluation the pure evaluator gives; a
property test holds the two together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir

from livetier.domain.evaluation import HostEvaluation, NodeResult
from livetier.domain.metrics import METRICS, Kind
from livetier.domain.rulebook import BASIC, Criterion, Group, Node, Op, Version
from livetier.domain.tiers import GRADED_TIERS, Tier


def _col(path: str, what: str) -> str:
    return f"{what}__{path.replace('.', '_')}"


def _criterion(c: Criterion, value: ir.Value) -> tuple[ir.BooleanValue, ir.FloatingValue]:
    target: Any = list(c.target) if isinstance(c.target, tuple) else c.target
    met: ir.BooleanValue
    if c.op is Op.IS_TRUE:
        met = value == ibis.literal(True)
    elif c.op is Op.IS_FALSE:
        met = value == ibis.literal(False)
    elif c.op is Op.EQ:
        met = value == target
    elif c.op is Op.NE:
        met = value != target
    elif c.op is Op.IN:
        met = value.isin(target)
    elif c.op is Op.NOT_IN:
        met = ~value.isin(target)
    elif c.op is Op.GE:
        met = value >= target
    elif c.op is Op.GT:
        met = value > target
    elif c.op is Op.LE:
        met = value <= target
    else:
        met = value < target
    met = met.fill_null(False)  # a missing value fails every criterion (fail closed)
    progress: ir.FloatingValue = ibis.literal(0.0)
    if c.op in (Op.GE, Op.GT) and target > 0:
        # NULL first: GREATEST and LEAST skip NULLs, so a missing value would read as 100%.
        ratio = (value.cast("float64") / float(target)).fill_null(0.0)
        progress = ibis.greatest(ibis.least(ratio, 1.0), 0.0)
    return met, ibis.ifelse(met, 1.0, progress)


def _met(
    node: Node, t: ir.Table, path: str = "", fixed: frozenset[str] = frozenset()
) -> ir.BooleanValue:
    """Whether ``node`` is met, without its progress: all a tier needs. A node whose path
    is in ``fixed`` reads its outcome from the column ``fixed_columns`` made for it."""
    if path in fixed:
        return t[_col(path, "fixed")]
    if isinstance(node, Criterion):
        return _criterion(node, t[node.metric])[0]
    mets = [_met(c, t, f"{path}.{i}", fixed) for i, c in enumerate(node.children)]
    met = mets[0] if mets else ibis.literal(node.mode == "all")
    for m in mets[1:]:
        met = (met & m) if node.mode == "all" else (met | m)
    return met


def _compile(
    node: Node, path: str, t: ir.Table, out: dict[str, ir.Value]
) -> tuple[ir.BooleanValue, ir.FloatingValue]:
    """Add met/progress (and closest) columns for ``node`` and below to ``out``."""
    if isinstance(node, Criterion):
        met, progress = _criterion(node, t[node.metric])
    else:
        parts = [_compile(c, f"{path}.{i}", t, out) for i, c in enumerate(node.children)]
        mets = [m for m, _ in parts]
        progresses = [p for _, p in parts]
        if node.mode == "all":
            met = ibis.literal(True)
            for m in mets:
                met = met & m
            total: ir.FloatingValue = ibis.literal(0.0)
            for p in progresses:
                total = total + p
            progress = total / len(progresses) if progresses else ibis.literal(1.0)
        else:
            met = ibis.literal(False)
            for m in mets:
                met = met | m
            progress = ibis.greatest(*progresses) if len(progresses) > 1 else progresses[0]
            out[_col(path, "closest")] = ibis.cases(
                *((p == progress, i) for i, p in enumerate(progresses)), else_=0
            )
    out[_col(path, "met")] = met
    out[_col(path, "progress")] = progress
    return met, progress


def _line_hosts(metrics: ir.Table, line: str) -> ir.Table:
    hosts = metrics.filter(metrics.category_line == line)
    # NaN is a missing value, as in the domain: engines order NaN above every threshold.
    floats = [m for m, spec in METRICS.items() if spec.kind is Kind.FLOAT and m in hosts.columns]
    return hosts.mutate(**{m: ibis.ifelse(hosts[m].isnan(), None, hosts[m]) for m in floats})


def grade(version: Version, metrics: ir.Table, line: str) -> ir.Table:
    """Grade every host of one category line: the input columns plus tier and node outcomes."""
    hosts = _line_hosts(metrics, line)
    out: dict[str, ir.Value] = {}
    sets = version.requirement_sets(line)
    mets = {name: _compile(group, name, hosts, out)[0] for name, group in sets.items()}
    return hosts.mutate(tier=_highest(mets), **out)


def tiers(version: Version, metrics: ir.Table, line: str) -> ir.Table:
    """Like ``grade``, but only the tier: the input columns plus ``tier``."""
    return _tier_only(version, metrics, line, "tier")


def ranks(
    version: Version, metrics: ir.Table, line: str, fixed: frozenset[str] = frozenset()
) -> ir.Table:
    """Only the rank of the tier (``_rank``: none 0 .. honor 3), for the many what-if points
    of how long a tier holds: an integer compares far faster than the tier's name.
    ``fixed``: the nodes whose outcome ``metrics`` already holds (``fixed_columns``)."""
    return _tier_only(version, metrics, line, "_rank", fixed)


def fixed_columns(
    version: Version, hosts: ir.Table, line: str, varying: frozenset[str]
) -> tuple[dict[str, ir.BooleanValue], frozenset[str]]:
    """The outcome of every largest node of ``line``'s requirements that reads none of the
    ``varying`` metrics, as columns of ``hosts`` (named for ``ranks(fixed=...)``, which takes
    their paths, also returned). What-if points that change only ``varying`` metrics then read
    these columns instead of grading the same profile again at every point."""
    out: dict[str, ir.BooleanValue] = {}
    paths: set[str] = set()

    def walk(node: Node, path: str) -> None:
        if not _reads(node, varying):
            out[_col(path, "fixed")] = _met(node, hosts)
            paths.add(path)
        elif isinstance(node, Group):
            for i, child in enumerate(node.children):
                walk(child, f"{path}.{i}")

    for name, group in version.requirement_sets(line).items():
        walk(group, name)
    return out, frozenset(paths)


def _reads(node: Node, metrics: frozenset[str]) -> bool:
    if isinstance(node, Criterion):
        return node.metric in metrics
    return any(_reads(c, metrics) for c in node.children)


def basic_met(version: Version, hosts: ir.Table) -> ir.BooleanValue:
    """Whether each host of ``hosts`` (a line's metrics) meets the basic requirements: a host
    that does not is never lifted by grace or an override (domain/policy.py)."""
    return _met(version.basic, hosts)


def _tier_only(
    version: Version, metrics: ir.Table, line: str, column: str, fixed: frozenset[str] = frozenset()
) -> ir.Table:
    hosts = _line_hosts(metrics, line)
    sets = version.requirement_sets(line)
    mets = {name: _met(group, hosts, name, fixed) for name, group in sets.items()}
    return hosts.mutate(**{column: _highest(mets, rank=column == "_rank")})


def _highest(mets: dict[str, ir.BooleanValue], rank: bool = False) -> ir.Value:
    """The highest tier whose requirements (and the basic ones) are met, or its rank."""
    return ibis.cases(
        *(
            (mets[BASIC] & mets[t.value], t.rank if rank else t.value)
            for t in sorted(GRADED_TIERS, key=lambda t: -t.rank)
        ),
        else_=Tier.NONE.rank if rank else Tier.NONE.value,
    )


@dataclass(frozen=True)
class LineGrades:
    """One category line graded in bulk."""

    line: str
    graded: ir.Table  # the metrics, tier and every node's outcome (``grade``)
    tiered: ir.Table  # the kept table the holds were walked from (with ``tier``)
    holds: ir.Table  # host_id, holds_days (pipeline/holds.py)


Keep = Callable[[ir.Table], AbstractContextManager[ir.Table]]
"""Computes a table once for the walk of how long tiers hold, which reads it several times."""


def grade_all(
    version: Version,
    metrics: ir.Table,
    facts: ir.Table,
    day: date,
    window_days: int,
    keep: Keep,
    *,
    full: bool,
) -> Iterator[LineGrades]:
    """Grade every host of every line of ``version`` and how long its tier holds, a line at a
    time (what ``keep`` holds is released when the next line is asked for).

    ``full``: the holds walk from the kept full grade (the caller reads every host back);
    else from the kept tier alone, and ``graded`` stays lazy (read back for a few hosts)."""
    from livetier.pipeline.holds import line_holds  # holds regrades with this module

    for line in version.lines:
        graded = grade(version, metrics, line)
        with keep(graded if full else tiers(version, metrics, line)) as tiered:
            held = line_holds(version, tiered, facts, day, window_days, line)
            yield LineGrades(line, tiered if full else graded, tiered, held)


@dataclass(frozen=True)
class _Plan:
    """Where one node's outcome sits in a graded row; built once per line, not per host."""

    path: str
    node: Node
    met: str
    progress: str
    closest: str | None
    children: tuple[_Plan, ...]

    @classmethod
    def of(cls, node: Node, path: str) -> _Plan:
        children = (
            tuple(cls.of(c, f"{path}.{i}") for i, c in enumerate(node.children))
            if isinstance(node, Group)
            else ()
        )
        closest = _col(path, "closest") if isinstance(node, Group) and node.mode == "any" else None
        return cls(path, node, _col(path, "met"), _col(path, "progress"), closest, children)

    def read(self, row: dict[str, Any]) -> NodeResult:
        met, progress = bool(row[self.met]), float(row[self.progress])
        if isinstance(self.node, Criterion):
            return NodeResult(self.path, self.node, met, progress, value=row[self.node.metric])
        return NodeResult(
            self.path,
            self.node,
            met,
            progress,
            closest=int(row[self.closest]) if self.closest else None,
            children=tuple(c.read(row) for c in self.children),
        )


def read_back(version: Version, line: str, rows: list[dict[str, Any]]) -> Iterator[HostEvaluation]:
    """Graded rows as the domain's HostEvaluation objects."""
    read = reader(version, line)
    for row in rows:
        yield read(row)


def reader(version: Version, line: str) -> Callable[[dict[str, Any]], HostEvaluation]:
    """Reads one graded row of ``line`` back as the domain's HostEvaluation."""
    plans = {name: _Plan.of(group, name) for name, group in version.requirement_sets(line).items()}
    tiers = {t.value: t for t in Tier}

    def read(row: dict[str, Any]) -> HostEvaluation:
        return HostEvaluation(
            row["host_id"],
            line,
            tiers[row["tier"]],
            {name: plan.read(row) for name, plan in plans.items()},
        )

    return read


def _read_columns(plan: _Plan) -> Iterator[str]:
    """The columns ``plan.read`` reads."""
    yield plan.met
    yield plan.progress
    if plan.closest:
        yield plan.closest
    if isinstance(plan.node, Criterion):
        yield plan.node.metric
    for child in plan.children:
        yield from _read_columns(child)


LINE = "_line"
"""The column naming each row's category line in ``all_lines``."""


def all_lines(version: Version, lines: list[tuple[str, ir.Table]], columns: list[str]) -> ir.Table:
    """Every line's graded rows (``lines``: each line and its ``grade`` table, with any more
    columns joined on) as one table ordered by host_id: ``LINE``, ``columns``, and what
    ``reader`` reads of any line (NULL in the rows of lines that lack it). A stream of it is
    every host's evaluation in host_id order, whatever the number of hosts."""
    wanted: dict[str, Any] = {}
    for line, graded in lines:
        plans = [_Plan.of(g, name) for name, g in version.requirement_sets(line).items()]
        names = [*columns, "tier", *(c for plan in plans for c in _read_columns(plan))]
        for name in names:
            kind = graded[name].type()
            if wanted.setdefault(name, kind) != kind:  # one name, one meaning in every line
                raise TypeError(f"{name}: {kind} in line {line}, {wanted[name]} in another")
    parts = [
        graded.select(
            ibis.literal(line).name(LINE),
            *(
                (graded[n] if n in graded.columns else ibis.null(kind)).name(n)
                for n, kind in wanted.items()
            ),
        )
        for line, graded in lines
    ]
    return ibis.union(*parts).order_by("host_id")
