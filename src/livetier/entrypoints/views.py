"""One picture of a host and of a rulebook as plain data, drawn twice: by the CLI (Rich,
entrypoints/render.py) and by the web pages (Jinja, entrypoints/web/). What to show is decided
here; each drawing only chooses the words and the ink."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from livetier.domain.changes import AT_RISK_DAYS, at_risk
from livetier.domain.describe import target_text, threshold_cells
from livetier.domain.evaluation import HostEvaluation, NodeResult
from livetier.domain.metrics import METRICS
from livetier.domain.rulebook import BASIC, Criterion, Version
from livetier.domain.tiers import Tier


class Holding(Protocol):
    """How long a tier holds, and whether that is at risk: a HostStatus (as the run decided
    it, with the run's ``--at-risk-days``) or an evaluation outside a run (``_Evaluated``)."""

    @property
    def tier(self) -> Tier: ...

    @property
    def holds_days(self) -> int | None: ...

    @property
    def at_risk(self) -> bool: ...


@dataclass(frozen=True)
class Holds:
    """How long the tier holds if nothing new happens (None: while the profile is unchanged)."""

    days: int | None
    at_risk: bool


@dataclass(frozen=True)
class Requirement:
    """One criterion or group of a task list, with its outcome."""

    met: bool
    shown: float  # the bar's fill: an unmet requirement never shows full
    criterion: Criterion | None = None  # None for a group
    value: Any = None
    target: str = ""  # the requirement in table words, e.g. "≥ 4.6"
    mode: str | None = None  # "all" or "any" for a group
    closest: bool = False  # the branch of an unmet "any" group nearest to being met
    children: tuple[Requirement, ...] = ()

    @property
    def pct(self) -> int:
        """The bar's percentage."""
        return int(self.shown * 100)


@dataclass(frozen=True)
class RequirementSet:
    """A requirement set of the task list: basic, keep the current tier, or reach the next."""

    name: str
    role: str  # "basic", "keep" or "reach"
    tier: Tier | None  # the tier kept or reached
    met: bool
    collapsed: bool  # basic requirements all met: shown folded, as one line
    rows: tuple[Requirement, ...]

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class LineTable:
    """One category line's thresholds: a row of cells per tier, a column per metric."""

    line: str
    metrics: tuple[str, ...]
    rows: tuple[tuple[Tier, tuple[str, ...]], ...]


@dataclass(frozen=True)
class VersionTables:
    """One rule version as the tables of docs/rules.md."""

    version: str
    effective_from: str
    basic: dict[str, str]  # metric -> requirement cell
    lines: tuple[LineTable, ...]
    privileges: tuple[tuple[str, Tier, int | None], ...]  # name, lowest tier, fatigue days


def _shown(progress: float, met: bool) -> float:
    # An unmet requirement never shows as full: 199 of 200 fans reads 99%, not 100%.
    return progress if met else min(progress, 0.99)


@dataclass(frozen=True)
class _Evaluated:
    """An evaluation outside a run (demo, evaluate) as a Holding."""

    tier: Tier
    holds_days: int | None

    @property
    def at_risk(self) -> bool:
        """No run decided it: the domain's rule with its default days."""
        return at_risk(self.tier, self.holds_days, AT_RISK_DAYS)


def holds(status: Holding) -> Holds | None:
    """How long the tier holds, None for no tier."""
    if status.tier is Tier.NONE:
        return None
    return Holds(status.holds_days, status.at_risk)


def evaluation_holds(ev: HostEvaluation, holds_days: int | None) -> Holds | None:
    """``holds`` for an evaluation and its days held."""
    return holds(_Evaluated(ev.tier, holds_days))


def requirement(result: NodeResult, closest: bool = False) -> Requirement:
    """One criterion or group outcome as a task-list row."""
    node = result.node
    shown = _shown(result.progress, result.met)
    if isinstance(node, Criterion):
        return Requirement(
            result.met, shown, node, result.value, target_text(node), closest=closest
        )
    nearest = result.closest if node.mode == "any" and not result.met else None
    children = tuple(requirement(c, i == nearest) for i, c in enumerate(result.children))
    return Requirement(result.met, shown, mode=node.mode, closest=closest, children=children)


def task_sets(ev: HostEvaluation) -> list[RequirementSet]:
    """The requirement sets a host's task list shows, in order; empty sets are left out."""
    out = []
    for name in ev.shown_sets():
        result = ev.sets[name]
        if not result.children:
            continue
        if name == BASIC:
            role, tier = "basic", None
        else:
            role, tier = ("keep" if name == ev.tier.value else "reach"), Tier(name)
        rows = tuple(requirement(c) for c in result.children)
        collapsed = name == BASIC and result.met
        out.append(RequirementSet(name, role, tier, result.met, collapsed, rows))
    return out


def version_tables(version: Version) -> VersionTables:
    """A rule version's thresholds, per line and tier, in table words."""
    lines = []
    for line, tiers in version.lines.items():
        cells = {tier: threshold_cells(g) for tier, g in tiers.items()}
        metrics = tuple(m for m in METRICS if any(m in c for c in cells.values()))
        rows = tuple((tier, tuple(c.get(m, "—") for m in metrics)) for tier, c in cells.items())
        lines.append(LineTable(line, metrics, rows))
    return VersionTables(
        version.version,
        version.effective_from.isoformat(),
        threshold_cells(version.basic),
        tuple(lines),
        tuple((p, tier, version.fatigue_days.get(p)) for p, tier in version.privileges.items()),
    )
