"""A run's second step: grade day D for every host from the warehouse alone, and explain
on demand why a host moved."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from livetier.domain.changes import Direction, direction
from livetier.domain.describe import criterion_text
from livetier.domain.evaluation import HostEvaluation, NodeResult
from livetier.domain.rulebook import Version
from livetier.domain.tiers import Tier
from livetier.pipeline import facts, grading
from livetier.services.evaluate import node_record, paused_gc
from livetier.store.day_run import GradedDay
from livetier.store.warehouse import Warehouse


@dataclass
class DayGrades:
    """Day D's tier of every gradable host and how long it holds (kept in the warehouse, not
    read into Python), and the full evaluation of any host on demand (for the reasons of a
    change)."""

    count: int  # how many hosts were graded
    graded_by_line: dict[str, ir.Table] = field(repr=False)
    version: Version = field(repr=False)
    kept: GradedDay = field(repr=False)  # the same, kept in the warehouse for the run

    def missing(self, host_ids: Iterable[str]) -> list[str]:
        """Those of ``host_ids`` that were not graded, in order."""
        wanted = _ids(host_ids)
        if wanted is None:
            return []
        gone = wanted.anti_join(self.kept.grades, "host_id").to_pyarrow()
        return sorted(gone.column("host_id").to_pylist())

    def explain(self, host_ids: list[str]) -> dict[str, HostEvaluation]:
        """Full evaluations of ``host_ids`` (read back from the engine)."""
        wanted = _ids(host_ids)
        if wanted is None:
            return {}
        out: dict[str, HostEvaluation] = {}
        # The hosts first, then their grade: not every host graded to keep a few.
        metrics = self.kept.metrics.semi_join(wanted, "host_id")
        for line in self.graded_by_line:
            rows = grading.grade(self.version, metrics, line).to_pyarrow().to_pylist()
            with paused_gc():
                out.update((e.host_id, e) for e in grading.read_back(self.version, line, rows))
        return out


def grade_day(wh: Warehouse, version: Version, day: date, window_days: int) -> DayGrades:
    """Grade every host with a usable profile on ``day`` from the warehouse alone."""
    hosts, snapshots = wh.profiles()
    metrics = facts.metrics_for_day(hosts, snapshots, wh.facts(), day, window_days)
    cached = wh.temp_table("_day_metrics", metrics)
    stage = itertools.count()

    def keep(t: ir.Table) -> AbstractContextManager[ir.Table]:  # kept for the whole run
        return nullcontext(wh.temp_table(f"_day_tiers_{next(stage)}", t))

    parts = []
    by_line: dict[str, ir.Table] = {}
    for g in grading.grade_all(version, cached, wh.facts(), day, window_days, keep, full=False):
        by_line[g.line] = g.graded  # read back for a few hosts only
        tiered = g.tiered.select("host_id", "tier", basic_met=grading.basic_met(version, g.tiered))
        joined = tiered.left_join(g.holds, "host_id")
        parts.append(joined.select("host_id", "tier", "holds_days", "basic_met"))
    table = wh.temp_table("_day_grades", ibis.union(*parts))
    return DayGrades(
        int(table.count().to_pyarrow().as_py()), by_line, version, GradedDay(cached, table)
    )


def _ids(host_ids: Iterable[str]) -> ir.Table | None:
    """Host ids as a one-column table (None for none)."""
    ids = sorted(set(host_ids))
    return ibis.memtable(pa.table({"host_id": pa.array(ids, pa.string())})) if ids else None


def reasons(ev: HostEvaluation, before: Tier) -> list[str]:
    """Why a host moved: the unmet requirements of the tier it lost, or the criteria of the
    tier it reached (and, coming from none, that the basic requirements are now met)."""
    if direction(before, ev.tier) is Direction.DOWN:
        lost = ["basic", before.value]
        return [_key(c) for name in lost for c in ev.sets[name].children if not c.met]
    met = ["basic: all met"] if before is Tier.NONE else []
    return met + [_key(c) for c in ev.sets[ev.tier.value].children]


def _key(result: NodeResult) -> str:
    record = node_record(result)
    return f"{record['set']}: {criterion_text(record)}"
