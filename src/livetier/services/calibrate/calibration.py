"""The use case of ``rules calibrate``: the new version from the thresholds searched per
targeted tier, from the top down, and each target's outcome as the engine's grading of the
written version counts it (pipeline/grading)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import ibis.expr.types as ir
import numpy as np
from ibis import _

from livetier.domain.metrics import ACTIVITY_METRICS
from livetier.domain.rulebook import Rulebook, RuleError, Version
from livetier.domain.simulation import next_quarter, version_id
from livetier.domain.tiers import GRADED_TIERS, Tier
from livetier.pipeline import grading
from livetier.services.calibrate.search import (
    TOLERANCE,
    Choice,
    Columns,
    Mask,
    TierSearch,
    met,
    movable,
    search_thresholds,
    with_targets,
)
from livetier.services.calibrate.targets import GRADED_METRICS, Target, check
from livetier.services.errors import InvalidInput
from livetier.services.rules_ops import Source, day_metrics


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
        found: dict[tuple[str, Tier], tuple[TierSearch, Choice, float, list[str]]] = {}
        for line in base.lines:
            targeted = [
                t for t in sorted(GRADED_TIERS, key=lambda t: -t.rank) if (line, t) in wanted
            ]
            if not targeted:
                continue
            cols = _line_columns(table, line)
            basic = met(base.basic, cols)
            above: Mask = np.zeros(cols.n, dtype=bool)
            tiers = dict(base.lines[line])
            for tier in sorted(GRADED_TIERS, key=lambda t: -t.rank):
                group = tiers[tier]
                if (line, tier) in wanted:
                    moved = list(movable(group, set(chosen_metrics)))
                    search = TierSearch(group, moved, cols, basic)
                    search.above = above.copy()
                    choice, best, why = search_thresholds(
                        search, wanted[(line, tier)].share, tolerance
                    )
                    group = with_targets(
                        group, dict(zip((p for p, _ in moved), choice.targets, strict=True))
                    )
                    tiers[tier] = group
                    found[(line, tier)] = (search, choice, best, why)
                above = above | (basic & met(group, cols))
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


def _line_columns(table: ir.Table, line: str) -> Columns:
    return Columns(table.filter(table.category_line == line).select(*GRADED_METRICS).to_pyarrow())


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
