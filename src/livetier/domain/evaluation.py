"""One host's evaluation: which tier it meets, each criterion's value and target, and progress."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from livetier.domain.rulebook import BASIC, Criterion, Node, Op, RuleError, Version
from livetier.domain.tiers import GRADED_TIERS, Tier


class NodeResult(NamedTuple):
    """The outcome of one criterion or group for one host.

    A named tuple rather than a frozen dataclass: grading 100k hosts builds millions of these,
    and a tuple is several times cheaper to create.
    """

    path: str
    node: Node
    met: bool
    progress: float
    value: object = None
    closest: int | None = None
    children: tuple[NodeResult, ...] = ()


@dataclass(frozen=True)
class HostEvaluation:
    """A host's tier on one day, with the outcome of every requirement set."""

    host_id: str
    line: str
    tier: Tier
    sets: dict[str, NodeResult]

    @property
    def next_tier(self) -> Tier | None:
        """The tier one step up, or None for the top tier."""
        return self.tier.next

    def shown_sets(self) -> list[str]:
        """The requirement sets a host's task list shows: basic, the current tier, the next."""
        names = [BASIC]
        names += [t.value for t in (self.tier, self.next_tier) if t is not None and t != Tier.NONE]
        return names

    def missing(self) -> list[NodeResult]:
        """What stops the host from reaching the next tier: its unmet top-level requirements."""
        if self.next_tier is None:
            return []
        sets = [BASIC, self.next_tier.value]
        return [c for s in sets for c in self.sets[s].children if not c.met]


def criterion_met(criterion: Criterion, value: object) -> bool:
    """Whether ``value`` meets ``criterion``; a missing value fails it (fail closed)."""
    if value is None:
        return False
    target = criterion.target
    op = criterion.op
    if op is Op.IS_TRUE:
        return value is True
    if op is Op.IS_FALSE:
        return value is False
    if op is Op.EQ:
        return value == target
    if op is Op.NE:
        return value != target
    if op in (Op.IN, Op.NOT_IN):
        assert isinstance(target, tuple)
        return (value in target) == (op is Op.IN)
    assert isinstance(value, int | float) and isinstance(target, int | float)
    if op is Op.GE:
        return value >= target
    if op is Op.GT:
        return value > target
    if op is Op.LE:
        return value <= target
    return value < target


def criterion_progress(criterion: Criterion, value: object, met: bool) -> float:
    """How close a value is to its target, 0..1: value/target for an unmet ">=" or ">" criterion."""
    if met:
        return 1.0
    target = criterion.target
    if (
        criterion.op in (Op.GE, Op.GT)
        and isinstance(value, int | float)
        and isinstance(target, int | float)
        and target > 0
    ):
        return min(max(value / target, 0.0), 1.0)
    return 0.0


def closest_branch(progresses: list[float]) -> int:
    """The branch nearest to being met: the highest progress, the first listed on a tie."""
    return progresses.index(max(progresses))


def evaluate_node(node: Node, values: Mapping[str, object], path: str) -> NodeResult:
    """Evaluate one criterion or group against a host's metric values."""
    if isinstance(node, Criterion):
        value = values.get(node.metric)
        if isinstance(value, float) and math.isnan(value):
            value = None  # NaN is no rating at all: a missing value
        met = criterion_met(node, value)
        return NodeResult(path, node, met, criterion_progress(node, value, met), value=value)
    children = tuple(evaluate_node(c, values, f"{path}.{i}") for i, c in enumerate(node.children))
    progresses = [c.progress for c in children]
    if node.mode == "all":
        met = all(c.met for c in children)
        progress = sum(progresses) / len(progresses) if progresses else 1.0
        return NodeResult(path, node, met, progress, children=children)
    return NodeResult(
        path,
        node,
        any(c.met for c in children),
        max(progresses),
        closest=closest_branch(progresses),
        children=children,
    )


def evaluate_host(
    version: Version, host_id: str, line: str, values: Mapping[str, object]
) -> HostEvaluation:
    """Grade one host: the highest tier whose requirements (basic plus the tier's own) it meets."""
    if line not in version.lines:
        raise RuleError(f"unknown category line {line!r}; known: {', '.join(version.lines)}")
    sets = {
        name: evaluate_node(group, values, name)
        for name, group in version.requirement_sets(line).items()
    }
    tier = Tier.NONE
    if sets[BASIC].met:
        for candidate in GRADED_TIERS:
            if sets[candidate.value].met:
                tier = candidate
    return HostEvaluation(host_id, line, tier, sets)


def tier_holds(
    version: Version,
    line: str,
    values: Mapping[str, object],
    daily: Mapping[date, Mapping[str, int]],
    day: date,
    window_days: int,
    tier: Tier,
) -> int | None:
    """How many more days ``tier`` holds after ``day`` if nothing new happens.

    ``values`` are the host's metrics on ``day``; ``daily`` gives, for each day of the window,
    what that day adds to each activity metric. With no new activity and the profile
    unchanged, the only thing that moves is the window: day d stops counting on
    d + window_days + 1, oldest first. The answer is the number of days after ``day`` on
    which the host still grades at ``tier`` or above, or None when it never drops (the tier
    needs no activity, or is ``none``).
    """
    if tier is Tier.NONE:
        return None
    first = day - timedelta(days=window_days)
    remaining = dict(values)
    for d in sorted(x for x in daily if first <= x < day):
        for metric, amount in daily[d].items():
            remaining[metric] = int(remaining[metric]) - amount  # type: ignore[call-overload]
        if evaluate_host(version, "", line, remaining).tier.rank < tier.rank:
            lost_on = d + timedelta(days=window_days + 1)
            return (lost_on - day).days - 1
    return None
