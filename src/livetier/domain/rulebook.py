"""Rulebooks: versioned criteria trees per category line and tier, with an effective date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from livetier.domain.metrics import METRICS, SESSION_METRICS, Kind
from livetier.domain.tiers import GRADED_TIERS, Tier


class Op(StrEnum):
    """Comparison operators a criterion may use."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="
    NE = "!="
    IN = "in"
    NOT_IN = "not_in"
    IS_TRUE = "is_true"
    IS_FALSE = "is_false"

    @property
    def ordering(self) -> bool:
        """Whether the operator compares magnitudes (and so has partial progress)."""
        return self in (Op.GE, Op.GT, Op.LE, Op.LT)

    @property
    def takes_target(self) -> bool:
        """is_true / is_false compare against nothing."""
        return self not in (Op.IS_TRUE, Op.IS_FALSE)


_KINDS_FOR_OP: dict[Op, frozenset[Kind]] = {
    Op.GE: frozenset({Kind.INT, Kind.FLOAT}),
    Op.GT: frozenset({Kind.INT, Kind.FLOAT}),
    Op.LE: frozenset({Kind.INT, Kind.FLOAT}),
    Op.LT: frozenset({Kind.INT, Kind.FLOAT}),
    Op.EQ: frozenset(Kind),
    Op.NE: frozenset(Kind),
    Op.IN: frozenset({Kind.STR, Kind.INT}),
    Op.NOT_IN: frozenset({Kind.STR, Kind.INT}),
    Op.IS_TRUE: frozenset({Kind.BOOL}),
    Op.IS_FALSE: frozenset({Kind.BOOL}),
}

Target = bool | int | float | str | tuple[str | int, ...] | None


class RuleError(ValueError):
    """A rulebook that does not make sense (unknown metric, wrong operator for a metric, ...)."""


@dataclass(frozen=True)
class Criterion:
    """One comparison of a named metric with a target."""

    metric: str
    op: Op
    target: Target = None

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise RuleError(f"unknown metric {self.metric!r}; known: {', '.join(METRICS)}")
        kind = METRICS[self.metric].kind
        if kind not in _KINDS_FOR_OP[self.op]:
            raise RuleError(
                f"operator {self.op.value!r} does not apply to {kind.value} metric {self.metric!r}"
            )
        if self.op.takes_target == (self.target is None):
            need = "needs a value" if self.op.takes_target else "takes no value"
            raise RuleError(f"operator {self.op.value!r} on {self.metric!r} {need}")
        if self.op in (Op.IN, Op.NOT_IN) and not isinstance(self.target, tuple):
            raise RuleError(f"operator {self.op.value!r} on {self.metric!r} needs a list")
        if self.op.ordering and (
            isinstance(self.target, bool) or not isinstance(self.target, int | float)
        ):
            raise RuleError(f"operator {self.op.value!r} on {self.metric!r} needs a number")


@dataclass(frozen=True)
class Group:
    """All (every child) or any (at least one child) of a list of criteria and groups."""

    mode: str  # "all" or "any"
    children: tuple[Node, ...] = ()

    def __post_init__(self) -> None:
        if self.mode not in ("all", "any"):
            raise RuleError(f"group mode must be 'all' or 'any', not {self.mode!r}")
        if self.mode == "any" and not self.children:
            raise RuleError("an 'any' group needs at least one branch")


Node = Criterion | Group

BASIC = "basic"
"""Requirement-set name for the basic requirements that every graded tier needs."""

SURFACING_OPS = (Op.GE, Op.GT)
"""Operators a surfacing requirement may use: monotone in counts that only grow, so the
instant a session crosses its thresholds is well defined (docs/rules.md, real-time surfacing)."""


def metrics_of(group: Group) -> list[Criterion]:
    """Every criterion in ``group``, depth first."""
    out: list[Criterion] = []
    for child in group.children:
        out.extend(metrics_of(child) if isinstance(child, Group) else [child])
    return out


@dataclass(frozen=True)
class Channel:
    """The live channel's settings (docs/rules.md, "The live channel")."""

    banner_slots: int  # banner places, filled only by hosts holding channel_banner
    ranking_boost_weight: (
        float  # a room's score is multiplied by it when its host has ranking_boost
    )
    buyer_weight: float  # score = viewers + buyer_weight x buyers, before the boost

    def __post_init__(self) -> None:
        if self.banner_slots < 0:
            raise RuleError("channel.banner_slots must be 0 or more")
        if self.ranking_boost_weight < 1:
            raise RuleError("channel.ranking_boost_weight must be at least 1 (a boost)")
        if self.buyer_weight < 0:
            raise RuleError("channel.buyer_weight must be 0 or more")


@dataclass(frozen=True)
class Version:
    """One version of the rules, in force from ``effective_from`` until the next version."""

    version: str
    effective_from: date
    basic: Group
    lines: dict[str, dict[Tier, Group]]
    privileges: dict[str, Tier] = field(default_factory=dict)
    # Privileges a host may use at most once every N platform days (docs/rules.md, fatigue).
    fatigue_days: dict[str, int] = field(default_factory=dict)
    # Per line, what a live session must reach to be surfaced (session metrics, >= or > only).
    surfacing: dict[str, Group] = field(default_factory=dict)
    channel: Channel | None = None
    # Day runs a host graded below its tier keeps it before the downgrade (domain/policy.py).
    downgrade_grace_days: int = 0

    def __post_init__(self) -> None:
        if self.downgrade_grace_days < 0:
            raise RuleError(
                f"version {self.version}: downgrade_grace_days must be 0 or more, "
                f"not {self.downgrade_grace_days}"
            )
        self._check_surfacing()
        unknown = sorted(set(self.fatigue_days) - set(self.privileges))
        if unknown:
            raise RuleError(
                f"version {self.version}: fatigue_days names unknown privileges: "
                + ", ".join(unknown)
            )
        for line, tiers in self.lines.items():
            if set(tiers) != set(GRADED_TIERS):
                raise RuleError(
                    f"version {self.version}: line {line!r} must define exactly "
                    f"{', '.join(t.value for t in GRADED_TIERS)}"
                )

    def _check_surfacing(self) -> None:
        for line, tiers in self.lines.items():
            for tier, group in tiers.items():
                used = [c.metric for c in metrics_of(group) if c.metric in SESSION_METRICS]
                if used:
                    raise RuleError(
                        f"version {self.version}: line {line!r} tier {tier.value}: session "
                        f"metric {used[0]!r} may appear only under surfacing"
                    )
        if not self.surfacing:
            return
        if set(self.surfacing) != set(self.lines):
            raise RuleError(
                f"version {self.version}: surfacing must define exactly the lines "
                f"{', '.join(sorted(self.lines))}"
            )
        for line, group in self.surfacing.items():
            for c in metrics_of(group):
                if c.metric not in SESSION_METRICS:
                    raise RuleError(
                        f"version {self.version}: surfacing.{line}: {c.metric!r} is not a "
                        f"session metric ({', '.join(SESSION_METRICS)})"
                    )
                if c.op not in SURFACING_OPS:
                    raise RuleError(
                        f"version {self.version}: surfacing.{line}: {c.metric} {c.op.value}: "
                        "surfacing may use only >= and > (counts only grow)"
                    )

    def privileges_for(self, tier: Tier) -> list[str]:
        """The privileges ``tier`` unlocks: each has a lowest tier, and higher tiers keep it."""
        return [name for name, lowest in self.privileges.items() if tier.rank >= lowest.rank]

    def requirement_sets(self, line: str) -> dict[str, Group]:
        """The named requirement sets for one line: basic, then each graded tier's own."""
        return {BASIC: self.basic, **{t.value: g for t, g in self.lines[line].items()}}


@dataclass(frozen=True)
class Definitions:
    """Platform-wide meanings that the metrics pipeline applies (docs/rules.md, Definitions)."""

    timezone: str
    valid_session_longer_than_minutes: int
    window_days: int


@dataclass(frozen=True)
class Rulebook:
    """A named set of rule versions with the definitions they rely on."""

    name: str
    definitions: Definitions
    versions: tuple[Version, ...]

    def __post_init__(self) -> None:
        if not self.versions:
            raise RuleError("a rulebook needs at least one version")
        days = [v.effective_from for v in self.versions]
        if len(set(days)) != len(days):
            raise RuleError("two versions take effect on the same day")
        ids = [v.version for v in self.versions]
        if len(set(ids)) != len(ids):
            raise RuleError("two versions share a version id")

    def version_for(self, day: date) -> Version:
        """The version in force on ``day``: the latest whose effective_from is on or before it."""
        eligible = [v for v in self.versions if v.effective_from <= day]
        if not eligible:
            first = min(v.effective_from for v in self.versions)
            raise RuleError(
                f"no rulebook version is in force on {day}; the first takes effect on {first}"
            )
        return max(eligible, key=lambda v: v.effective_from)


@dataclass(frozen=True)
class ThresholdChange:
    """One criterion that differs between two rule versions."""

    scope: str  # "basic", "<line>.<tier>", "surfacing.<line>" or "channel"
    criterion: str  # metric and operator, with the group it sits in, e.g. "any: fans >="
    change: str  # "added", "removed" or "changed"
    before: Target = None
    after: Target = None


def _flatten(version: Version) -> dict[tuple[str, str], Target]:
    out: dict[tuple[str, str], Target] = {}

    def walk(scope: str, group: Group, prefix: str) -> None:
        for child in group.children:
            if isinstance(child, Group):
                walk(scope, child, f"{prefix}{child.mode}: ")
            else:
                key, n = f"{prefix}{child.metric} {child.op.value}", 2
                while (scope, key) in out:  # the same metric twice in one group
                    key, n = f"{prefix}{child.metric} {child.op.value} #{n}", n + 1
                out[(scope, key)] = child.target

    walk(BASIC, version.basic, "")
    for line, tiers in version.lines.items():
        for tier, group in tiers.items():
            walk(f"{line}.{tier.value}", group, "")
    for line, group in version.surfacing.items():
        walk(f"surfacing.{line}", group, "")
    if version.channel is not None:
        for name in ("banner_slots", "ranking_boost_weight", "buyer_weight"):
            out[("channel", name)] = getattr(version.channel, name)
    return out


def diff_versions(before: Version, after: Version) -> list[ThresholdChange]:
    """Criteria added, removed or given another target between two versions, in order; then
    the version's own settings (``downgrade_grace_days``) that differ."""
    a, b = _flatten(before), _flatten(after)
    changes = []
    for key in [*a, *(k for k in b if k not in a)]:
        if key not in b:
            changes.append(ThresholdChange(*key, "removed", before=a[key]))
        elif key not in a:
            changes.append(ThresholdChange(*key, "added", after=b[key]))
        elif a[key] != b[key]:
            changes.append(ThresholdChange(*key, "changed", a[key], b[key]))
    if before.downgrade_grace_days != after.downgrade_grace_days:
        changes.append(
            ThresholdChange(
                "version",
                "downgrade_grace_days",
                "changed",
                before.downgrade_grace_days,
                after.downgrade_grace_days,
            )
        )
    return changes
