"""Comparing a draft rule version with the version in force, host by host: the pure parts of
``rules simulate`` (which thresholds moved, which privileges a move gains or loses, and which
of the draft's criteria decide a host's difference) and of ``rules calibrate`` (the quarter a
new version takes effect, how round a threshold is)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from livetier.domain.describe import node_text
from livetier.domain.evaluation import HostEvaluation, NodeResult
from livetier.domain.rulebook import BASIC, Criterion, Group, Node, Target, Version
from livetier.domain.tiers import Tier


@dataclass(frozen=True)
class MovedThreshold:
    """One criterion whose target differs between the version in force and the draft."""

    line: str
    scope: str  # "basic" or the tier whose requirements hold it
    metric: str
    op: str
    before: Target
    after: Target

    @property
    def numeric(self) -> bool:
        """Whether hosts can be "close" to it: an ordering operator on a number."""
        return self.op in (">=", ">", "<=", "<") and isinstance(self.after, int | float)


def _criteria(group: Group, prefix: str = "") -> Iterator[tuple[str, Criterion]]:
    """The criteria of a group with a key naming their place (metric, operator, group path)."""
    seen: dict[str, int] = {}
    for child in group.children:
        if isinstance(child, Group):
            yield from _criteria(child, f"{prefix}{child.mode}: ")
            continue
        key = f"{prefix}{child.metric} {child.op.value}"
        seen[key] = seen.get(key, 0) + 1
        yield (key if seen[key] == 1 else f"{key} #{seen[key]}"), child


def moved_thresholds(current: Version, draft: Version) -> list[MovedThreshold]:
    """Per line, the criteria present in both versions whose target the draft changes."""
    out: list[MovedThreshold] = []
    for line in draft.lines:
        if line not in current.lines:
            continue
        for name, group in draft.requirement_sets(line).items():
            before = dict(_criteria(current.requirement_sets(line)[name]))
            for key, c in _criteria(group):
                old = before.get(key)
                if old is not None and old.target != c.target:
                    out.append(
                        MovedThreshold(line, name, c.metric, c.op.value, old.target, c.target)
                    )
    return out


@dataclass(frozen=True)
class PrivilegeShift:
    """How many hosts of a line gain or lose one privilege under the draft."""

    privilege: str
    gained: int
    lost: int


def privilege_shifts(
    current: Version, draft: Version, matrix: Mapping[tuple[Tier, Tier], int]
) -> list[PrivilegeShift]:
    """From the transition counts (tier in force, draft tier) -> hosts, each privilege's
    gains and losses; each version grants privileges by its own table."""
    names = list(dict.fromkeys([*current.privileges, *draft.privileges]))
    out = []
    for name in names:
        gained = lost = 0
        for (before, after), n in matrix.items():
            had = name in current.privileges_for(before)
            has = name in draft.privileges_for(after)
            gained += n if has and not had else 0
            lost += n if had and not has else 0
        out.append(PrivilegeShift(name, gained, lost))
    return out


def _shape(node: Node) -> tuple[object, ...]:
    """A node without its targets: what pairs a criterion of the draft with the current one."""
    if isinstance(node, Criterion):
        return ("c", node.metric, node.op.value)
    return ("g", node.mode, tuple(_shape(c) for c in node.children))


def _values(result: NodeResult) -> Iterator[str]:
    if isinstance(result.node, Criterion):
        yield f"{result.node.metric} {result.value}"
    for child in result.children:
        yield from _values(child)


def _said(name: str, result: NodeResult) -> str:
    """``expert: live_sessions_30d ≥ 4: met (live_sessions_30d 4)``."""
    values = ", ".join(dict.fromkeys(_values(result)))
    return f"{name}: {node_text(result.node)}: {'met' if result.met else 'not met'} ({values})"


def decisive(current: HostEvaluation, draft: HostEvaluation) -> list[str]:
    """The draft's criteria that decide why a host's draft tier differs from its tier in force.

    For every tier between the two, the draft's requirements (the basic ones and that tier's
    own) whose outcome is the other way round from the version in force: unmet under the draft
    for a host that goes down, met for one that goes up. A requirement the version in force
    does not have (the draft added or reshaped it) counts when it points the same way. When
    none qualifies, every draft requirement that points that way is given."""
    up = draft.tier.rank > current.tier.rank
    low, high = sorted((current.tier.rank, draft.tier.rank))
    decided: list[str] = []
    pointing: list[str] = []
    for tier in (t for t in Tier if low < t.rank <= high):
        for name in (BASIC, tier.value):
            before: dict[tuple[object, ...], bool] = {}
            for r in current.sets[name].children:
                before.setdefault(_shape(r.node), r.met)
            for r in draft.sets[name].children:
                if r.met != up:  # it does not point the way the host moved
                    continue
                said = _said(name, r)
                if said not in pointing:
                    pointing.append(said)
                if before.get(_shape(r.node), not up) != r.met and said not in decided:
                    decided.append(said)
    return decided or pointing


def next_quarter(day: date) -> date:
    """The first day of the quarter after ``day``'s."""
    first_month = (day.month - 1) // 3 * 3 + 1
    month = first_month + 3
    return date(day.year + (month > 12), (month - 1) % 12 + 1, 1)


def version_id(effective_from: date, taken: set[str]) -> str:
    """A new version's id: ``YYYY.Q`` for a quarter's first day, else the date; never one
    already taken (a suffix ``-2``, ``-3`` … is added)."""
    quarter_start = effective_from.day == 1 and effective_from.month in (1, 4, 7, 10)
    base = (
        f"{effective_from.year}.{(effective_from.month - 1) // 3 + 1}"
        if quarter_start
        else effective_from.isoformat()
    )
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


ROUND_STEPS = (1000, 500, 100, 50, 10, 5)
"""Multiples a whole-number threshold may be rounded to, roundest first."""


def roundness(value: float) -> float:
    """How round a threshold is: log10 of the largest step of ``ROUND_STEPS`` (or 1) that
    divides a whole number; for a fraction, minus its number of decimals. Higher is rounder."""
    if float(value).is_integer():
        n = int(value)
        if n == 0:
            return 0.0
        step = next((s for s in ROUND_STEPS if n % s == 0), 1)
        return math.log10(step)
    text = f"{value:.6f}".rstrip("0")
    return -float(len(text.split(".")[1]))
