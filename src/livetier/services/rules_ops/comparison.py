"""The comparison: day D graded by the version in force and by the draft, host by host, each
grade passed through the policy (domain/policy.py: grace before a downgrade, overrides) from
the standing before D when a state store is given; and, for the changed hosts, what decides
the difference."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis import _
from sqlalchemy import Engine

from livetier.domain.metrics import METRICS, Kind
from livetier.domain.policy import DecidedBy
from livetier.domain.rulebook import Rulebook, Version
from livetier.domain.simulation import (
    MovedThreshold,
    PrivilegeShift,
    decisive,
    moved_thresholds,
    privilege_shifts,
)
from livetier.domain.tiers import Tier
from livetier.pipeline import grading, policy
from livetier.services.errors import InvalidInput
from livetier.services.evaluate import paused_gc
from livetier.services.rules_ops.sources import Keep, Source, day_metrics
from livetier.services.rules_ops.standings import Standing, standing, warehouse_tiers

NEAREST = 5
"""Hosts listed per moved threshold: those whose value lies closest to the draft's target."""


@dataclass(frozen=True)
class Nearest:
    """A host close to a moved threshold."""

    host_id: str
    value: Any
    tier: Tier
    draft_tier: Tier


@dataclass(frozen=True)
class LineSimulation:
    """One category line under the version in force and under the draft."""

    line: str
    hosts: int
    matrix: dict[tuple[Tier, Tier], int]  # (tier in force, draft tier) -> hosts
    privileges: list[PrivilegeShift]
    thresholds: list[tuple[MovedThreshold, list[Nearest]]]

    @property
    def changed(self) -> int:
        return sum(n for (a, b), n in self.matrix.items() if a is not b)


@dataclass
class Simulation:
    """Day D graded by the version in force and by the draft, host by host: the tier each
    would hold (through grace and overrides when a standing was given)."""

    day: date
    current: Version
    draft: Version
    lines: list[LineSimulation]
    hosts: pa.Table  # host_id, line, tier, draft_tier, changed, ...; by host id
    reasons: dict[str, list[str]] = field(default_factory=dict)  # changed or policy-held
    policy_applied: bool = False  # grace and overrides applied (a standing was given)

    def records(self) -> Iterator[dict[str, Any]]:
        """One record per graded host, with exactly the public keys of ``--format jsonl``."""
        for row in self.hosts.to_pylist():
            yield {
                "host_id": row["host_id"],
                "line": row["line"],
                "tier": row["tier"],
                "draft_tier": row["draft_tier"],
                "changed": row["changed"],
                "reasons": self.reasons.get(row["host_id"], []),
            }

    def changed_records(self, limit: int) -> list[dict[str, Any]]:
        """The first ``limit`` changed hosts' records, by host id."""
        changed = self.hosts.filter(self.hosts["changed"]).slice(0, limit)
        return list(dataclasses.replace(self, lines=[], hosts=changed).records())

    def decided(self, column: str) -> dict[str, dict[str, int]]:
        """Per line, how many hosts grace and overrides decide (``by``: the version in force,
        ``draft_by``: the draft)."""
        out: dict[str, dict[str, int]] = {ls.line: {} for ls in self.lines}
        if column not in self.hosts.column_names:
            return out
        for line, by in zip(
            self.hosts["line"].to_pylist(), self.hosts[column].to_pylist(), strict=True
        ):
            if by != DecidedBy.GRADE.value:
                out[line][by] = out[line].get(by, 0) + 1
        return out


def draft_version(draft: Rulebook, version: str | None) -> Version:
    """The draft's version ``version``, or its latest."""
    if version is None:
        return max(draft.versions, key=lambda v: v.effective_from)
    for v in draft.versions:
        if v.version == version:
            return v
    have = ", ".join(v.version for v in draft.versions)
    raise InvalidInput(f"$version {version!r}: the draft has no such version (it has {have})")


def _check_comparable(rulebook: Rulebook, draft: Rulebook, current: Version, new: Version) -> None:
    if draft.definitions != rulebook.definitions:
        raise InvalidInput(
            "the draft's definitions (time zone, session minimum, window) differ from those in "
            "force: simulate compares thresholds over the same metrics; a change of definitions "
            "is seen by running the days with the draft as the rules file"
        )
    if set(new.lines) != set(current.lines):
        raise InvalidInput(
            f"the draft's version {new.version} grades lines {sorted(new.lines)}, the version "
            f"in force ({current.version}) {sorted(current.lines)}: simulate compares the same "
            "lines"
        )


def simulate(
    source: Source,
    day: date,
    rulebook: Rulebook,
    draft: Rulebook,
    version: str | None = None,
    *,
    db: Engine | None = None,
    reasons: bool = True,
    nearest: int = NEAREST,
) -> Simulation:
    """Grade ``day`` with the draft's version (its latest, or ``version``) beside the version
    of ``rulebook`` in force that day; with the state store ``db``, each grade passes through
    the policy as a day run of ``day`` would (``standing``: grace with each version's
    ``downgrade_grace_days``, the overrides in force). ``reasons``: also say, for every
    changed host, which of the draft's criteria (or grace, or an override) decide the
    difference (a full grading of the changed hosts)."""
    current = rulebook.version_for(day)
    new = draft_version(draft, version)
    _check_comparable(rulebook, draft, current, new)
    grace = bool(current.downgrade_grace_days or new.downgrade_grace_days)
    state = None
    if db is not None:
        held = warehouse_tiers(source, db) if grace else None
        state = standing(db, day, tiers=grace, held=held)
    with day_metrics(source, day, rulebook) as (metrics, keep):
        return _compare(day, current, new, metrics, keep, state, reasons=reasons, nearest=nearest)


def _compare(
    day: date,
    current: Version,
    draft: Version,
    metrics: ir.Table,
    keep: Keep,
    state: Standing | None,
    *,
    reasons: bool,
    nearest: int,
) -> Simulation:
    standing_table = keep(ibis.memtable(state.hosts)) if state and not state.empty else None
    parts = []
    for line in draft.lines:
        now = _held(current, metrics, line, state, standing_table)
        then = _held(draft, metrics, line, state, standing_table)
        then = then.rename(
            draft_tier="tier", draft_graded="graded", draft_by="by", draft_lower="lower"
        )
        parts.append(
            now.join(then, "host_id").select(
                "host_id",
                line=ibis.literal(line),
                tier="tier",
                draft_tier="draft_tier",
                graded="graded",
                draft_graded="draft_graded",
                by="by",
                draft_by="draft_by",
                draft_lower="draft_lower",
            )
        )
    both = keep(ibis.union(*parts).mutate(changed=_.tier != _.draft_tier))
    counts = both.group_by(["line", "tier", "draft_tier"]).agg(n=_.count()).to_pyarrow()
    matrices: dict[str, Counter[tuple[Tier, Tier]]] = {line: Counter() for line in draft.lines}
    for row in counts.to_pylist():
        matrices[row["line"]][(Tier(row["tier"]), Tier(row["draft_tier"]))] += row["n"]
    moved = moved_thresholds(current, draft)
    lines = []
    for line, matrix in matrices.items():
        close = [
            (m, _nearest(metrics, both, m, nearest) if m.numeric else [])
            for m in moved
            if m.line == line
        ]
        lines.append(
            LineSimulation(
                line,
                sum(matrix.values()),
                dict(matrix),
                privilege_shifts(current, draft, matrix),
                close,
            )
        )
    hosts = both.order_by("host_id").to_pyarrow()
    sim = Simulation(day, current, draft, lines, hosts, policy_applied=state is not None)
    if reasons:
        sim.reasons = _reasons(current, draft, metrics, both, state)
    return sim


def _held(
    version: Version,
    metrics: ir.Table,
    line: str,
    state: Standing | None,
    standing_table: ir.Table | None,
) -> ir.Table:
    """host_id, graded (the version's grade), tier (what the host would hold after a day run
    under ``version``), by (what decided it) and lower (its grace counter after the run)."""
    graded = grading.tiers(version, metrics, line)
    graded = graded.select("host_id", graded="tier", basic_met=grading.basic_met(version, graded))
    if state is None:  # no standing: the grade, as evaluate gives it
        return graded.select(
            "host_id", "graded", tier="graded", by=ibis.literal(DecidedBy.GRADE.value), lower=0
        )
    if standing_table is None:  # a store with no hosts yet: everyone is new
        source = graded.mutate(
            cur=ibis.literal(Tier.NONE.value),
            lower_before=0,
            o_kind=ibis.null("string"),
            o_tier=ibis.null("string"),
        )
    else:
        joined = graded.left_join(standing_table, "host_id")
        source = joined.select(
            "host_id",
            "graded",
            "basic_met",
            cur=joined.cur.fill_null(Tier.NONE.value),
            lower_before=joined.lower_before.fill_null(0),
            o_kind="o_kind",
            o_tier="o_tier",
        )
    decided = policy.hold(source, version.downgrade_grace_days)
    return decided.select("host_id", "graded", tier="kept", by="decided_by", lower="lower_after")


def _nearest(metrics: ir.Table, both: ir.Table, m: MovedThreshold, k: int) -> list[Nearest]:
    """The ``k`` hosts of the line whose value lies closest to the draft's target."""
    value = metrics[m.metric]
    usable = value.notnull()
    if METRICS[m.metric].kind is Kind.FLOAT:
        usable = usable & ~value.isnan()
    hosts = metrics.filter((metrics.category_line == m.line) & usable).select(
        "host_id", value=metrics[m.metric]
    )
    assert isinstance(m.after, int | float)
    rows = (
        hosts.join(both, "host_id")
        .mutate(distance=(_.value - m.after).abs())
        .order_by(["distance", "host_id"])
        .limit(k)
        .to_pyarrow()
        .to_pylist()
    )
    return [Nearest(r["host_id"], r["value"], Tier(r["tier"]), Tier(r["draft_tier"])) for r in rows]


def _reasons(
    current: Version, draft: Version, metrics: ir.Table, both: ir.Table, state: Standing | None
) -> dict[str, list[str]]:
    """For every changed host, what decides its difference: an override in force (when it
    decides the draft's tier), grace (when it keeps the host's tier under the draft), else
    the draft's criteria (between the tier the host would hold under the version in force,
    said first when grace or an override holds it, and the draft's grade). A host the
    draft's grace or an override keeps off its draft grade is said too, changed or not."""
    out: dict[str, list[str]] = {}
    overrides = state.overrides if state else {}
    by_grade = DecidedBy.GRADE.value
    for line in draft.lines:
        told = both.filter((both.line == line) & (both.changed | (both.draft_by != by_grade)))
        policy_rows = {
            r["host_id"]: r
            for r in told.filter((told.by != by_grade) | (told.draft_by != by_grade))
            .to_pyarrow()
            .to_pylist()
        }
        for h, r in policy_rows.items():
            if r["draft_by"] == DecidedBy.OVERRIDE.value:
                out[h] = [overrides[h].history_reason()]
            elif r["draft_by"] == DecidedBy.GRACE.value:
                out[h] = [
                    f"grace: graded {r['draft_graded']} by the draft, keeps {r['draft_tier']} "
                    f"(lower day run {r['draft_lower']} of the {draft.downgrade_grace_days} "
                    "downgrade_grace_days allow)"
                ]
        changed = told.filter(told.changed & (told.draft_by == by_grade)).select("host_id")
        if not changed.count().to_pyarrow().as_py():
            continue
        with paused_gc():
            graded = {}
            for name, version in (("current", current), ("draft", draft)):
                rows = (
                    grading.grade(version, metrics, line)
                    .semi_join(changed, "host_id")
                    .to_pyarrow()
                    .to_pylist()
                )
                graded[name] = {e.host_id: e for e in grading.read_back(version, line, rows)}
        for host_id, ev in graded["draft"].items():
            now = graded["current"][host_id]
            said: list[str] = []
            r = policy_rows.get(host_id)
            if r is not None:  # the version in force's tier is held by grace or an override
                held = Tier(r["tier"])
                if r["by"] == DecidedBy.GRACE.value:
                    said.append(
                        f"grace: the version in force keeps {held.value} (graded "
                        f"{r['graded']}); the draft's downgrade_grace_days "
                        f"{draft.downgrade_grace_days} does not"
                    )
                elif r["by"] == DecidedBy.OVERRIDE.value:
                    said.append(f"{overrides[host_id].history_reason()} (the version in force)")
                now = dataclasses.replace(now, tier=held)
            out[host_id] = said + decisive(now, ev)
    return out
