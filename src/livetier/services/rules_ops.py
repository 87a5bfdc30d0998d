"""Operating the thresholds: simulate a draft rule version on the whole population beside the
version in force (``rules simulate``), from the warehouse, a data folder or a run's serving
snapshot. Nothing here writes: the warehouse is opened read-only and the state store is not
opened at all. Calibration (``rules calibrate``) is in services/calibrate.py."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis import _

from livetier.domain.metrics import METRICS, Kind
from livetier.domain.rulebook import Rulebook, RuleError, Version
from livetier.domain.simulation import (
    MovedThreshold,
    PrivilegeShift,
    decisive,
    moved_thresholds,
    privilege_shifts,
)
from livetier.domain.tiers import Tier
from livetier.pipeline import contract, facts, grading
from livetier.pipeline.clean import clean
from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.storage import DataPath
from livetier.pipeline.timestamps import PlatformZone
from livetier.services.daily.ingest import definitions_key
from livetier.services.errors import InvalidInput
from livetier.services.evaluate import paused_gc
from livetier.store.warehouse import open_warehouse

NEAREST = 5
"""Hosts listed per moved threshold: those whose value lies closest to the draft's target."""

Keep = Callable[[ir.Table], ir.Table]


# where day D's metrics come from ---------------------------------------------------------


@dataclass(frozen=True)
class FromWarehouse:
    """The daily run's path: the warehouse's facts and profiles (opened read-only)."""

    path: Path
    memory_limit: str | None = None


@dataclass(frozen=True)
class FromData:
    """The evaluate path: a data folder (hosts, sessions, views, orders), in memory."""

    data: DataPath
    memory_limit: str | None = None


@dataclass(frozen=True)
class FromSnapshot:
    """A run's serving snapshot (its hosts table, from the state store): the HTTP service's
    path, which never opens the warehouse. It holds one day: the day of that run."""

    hosts: pa.Table
    day: date


Source = FromWarehouse | FromData | FromSnapshot


@contextmanager
def day_metrics(source: Source, day: date, rulebook: Rulebook) -> Iterator[tuple[ir.Table, Keep]]:
    """Every gradable host's profile and 30-day metrics for ``day`` (computed once, kept),
    and how to keep a further table for as long as these live."""
    if isinstance(source, FromWarehouse):
        with _warehouse_metrics(source, day, rulebook) as got:
            yield got
    elif isinstance(source, FromData):
        with _data_metrics(source, day, rulebook) as got:
            yield got
    else:
        with _snapshot_metrics(source, day) as got:
            yield got


@contextmanager
def _warehouse_metrics(
    source: FromWarehouse, day: date, rulebook: Rulebook
) -> Iterator[tuple[ir.Table, Keep]]:
    d = rulebook.definitions
    with open_warehouse(source.path, read_only=True, memory_limit=source.memory_limit) as wh:
        stored = wh.stored_days(definitions_key(d))
        lacking = [x for x in facts.window_days_of(day, d.window_days) if x not in stored]
        if lacking:
            raise InvalidInput(
                f"{source.path}: the warehouse lacks the facts of {len(lacking)} day(s) of "
                f"{day}'s window ({lacking[0]} .. {lacking[-1]}): run that day first "
                "(livetier run), or simulate from a data folder ($data)"
            )
        hosts, snapshots = wh.profiles()
        names = (f"_sim_{i}" for i in itertools.count())
        metrics = wh.temp_table(
            next(names), facts.metrics_for_day(hosts, snapshots, wh.facts(), day, d.window_days)
        )
        yield metrics, lambda t: wh.temp_table(next(names), t)


@contextmanager
def _data_metrics(
    source: FromData, day: date, rulebook: Rulebook
) -> Iterator[tuple[ir.Table, Keep]]:
    d = rulebook.definitions
    version = rulebook.version_for(day)
    engine = duckdb_engine(memory_limit=source.memory_limit)
    try:
        sources = {name: contract.load(engine, source.data, name) for name in contract.CONTRACT}
        with ExitStack() as stack:

            def keep(t: ir.Table) -> ir.Table:
                return stack.enter_context(t.cache())

            try:
                zone = PlatformZone.around(d.timezone, day)
                cleaned = clean(sources, zone, version.lines, keep=keep)
                window = facts.window_days_of(day, d.window_days)
                daily = keep(
                    facts.daily_facts(cleaned, d.valid_session_longer_than_minutes, window)
                )
                metrics = keep(
                    facts.metrics_for_day(
                        cleaned.hosts, cleaned.snapshots, daily, day, d.window_days
                    )
                )
            except engine.errors as e:  # raised by whichever query first reads the bad part
                files = [
                    f
                    for name in contract.CONTRACT
                    for f in contract.locate(source.data, name).files()
                ]
                raise contract.unreadable(source.data, files, e) from None
            yield metrics, keep
    finally:
        engine.close()


@contextmanager
def _snapshot_metrics(source: FromSnapshot, day: date) -> Iterator[tuple[ir.Table, Keep]]:
    if day != source.day:
        raise InvalidInput(
            f"$date {day}: the service holds the latest run's day only ({source.day}); "
            "simulate other days with the command line (livetier rules simulate)"
        )
    con = ibis.duckdb.connect()
    try:
        names = (f"_sim_{i}" for i in itertools.count())
        metrics = con.create_table(next(names), source.hosts.drop_columns(["tier"]), temp=True)
        yield metrics, lambda t: con.create_table(next(names), t, temp=True)
    finally:
        con.disconnect()


# the comparison --------------------------------------------------------------------------


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
    """Day D graded by the version in force and by the draft, host by host."""

    day: date
    current: Version
    draft: Version
    lines: list[LineSimulation]
    hosts: pa.Table  # host_id, line, tier, draft_tier, changed; by host id
    reasons: dict[str, list[str]] = field(default_factory=dict)  # changed hosts (if asked)

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
        return list(
            Simulation(self.day, self.current, self.draft, [], changed, self.reasons).records()
        )


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
    reasons: bool = True,
    nearest: int = NEAREST,
) -> Simulation:
    """Grade ``day`` with the draft's version (its latest, or ``version``) beside the version
    of ``rulebook`` in force that day. ``reasons``: also say, for every changed host, which of
    the draft's criteria decide the difference (a full grading of the changed hosts)."""
    current = rulebook.version_for(day)
    new = draft_version(draft, version)
    _check_comparable(rulebook, draft, current, new)
    with day_metrics(source, day, rulebook) as (metrics, keep):
        return _compare(day, current, new, metrics, keep, reasons=reasons, nearest=nearest)


def _compare(
    day: date,
    current: Version,
    draft: Version,
    metrics: ir.Table,
    keep: Keep,
    *,
    reasons: bool,
    nearest: int,
) -> Simulation:
    parts = []
    for line in draft.lines:
        now = grading.tiers(current, metrics, line).select("host_id", "tier")
        then = grading.tiers(draft, metrics, line).select("host_id", draft_tier="tier")
        parts.append(
            now.join(then, "host_id").select(
                "host_id", line=ibis.literal(line), tier="tier", draft_tier="draft_tier"
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
    sim = Simulation(day, current, draft, lines, hosts)
    if reasons:
        sim.reasons = _reasons(current, draft, metrics, both)
    return sim


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
    current: Version, draft: Version, metrics: ir.Table, both: ir.Table
) -> dict[str, list[str]]:
    """For every changed host, the draft's criteria that decide its difference."""
    out: dict[str, list[str]] = {}
    for line in draft.lines:
        changed = both.filter(both.changed & (both.line == line)).select("host_id")
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
            out[host_id] = decisive(graded["current"][host_id], ev)
    return out


def summary(sim: Simulation) -> dict[str, Any]:
    """The simulation as plain data (the API's answer; the CLI and the page draw it): per
    line the transition matrix with shares, privileges gained and lost, and the hosts
    closest to each moved threshold."""
    lines = []
    for ls in sim.lines:
        total = ls.hosts or 1
        lines.append(
            {
                "line": ls.line,
                "hosts": ls.hosts,
                "changed": ls.changed,
                "matrix": [
                    {
                        "tier": a.value,
                        "draft_tier": b.value,
                        "hosts": ls.matrix.get((a, b), 0),
                        "share": round(ls.matrix.get((a, b), 0) / total, 4),
                    }
                    for a in Tier
                    for b in Tier
                ],
                "privileges": [
                    {"privilege": p.privilege, "gained": p.gained, "lost": p.lost}
                    for p in ls.privileges
                ],
                "thresholds": [
                    {
                        "requirement": m.scope,
                        "metric": m.metric,
                        "op": m.op,
                        "before": _plain(m.before),
                        "after": _plain(m.after),
                        "nearest": [
                            {
                                "host_id": n.host_id,
                                "value": n.value,
                                "tier": n.tier.value,
                                "draft_tier": n.draft_tier.value,
                            }
                            for n in near
                        ],
                    }
                    for m, near in ls.thresholds
                ],
            }
        )
    return {
        "day": sim.day.isoformat(),
        "version": sim.current.version,
        "draft_version": sim.draft.version,
        "hosts": sum(ls.hosts for ls in sim.lines),
        "changed": sum(ls.changed for ls in sim.lines),
        "lines": lines,
    }


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


CHANGED_LISTED = 200
"""Changed hosts the API and the page list (with their reasons); the counts cover all."""


class DraftRefused(ValueError):
    """A draft the service cannot simulate: not a valid rulebook, or a day it cannot grade."""


def simulate_served(
    view: Any, draft_text: str, day: date | None, version: str | None
) -> dict[str, Any]:
    """Simulate a pasted draft on the latest run's day from its serving snapshot (the HTTP
    service never opens the warehouse): the summary and the first changed hosts."""
    from livetier import rulebooks

    latest, snapshot = view.latest()
    if latest is None or snapshot is None:
        raise DraftRefused("no day run yet: there is nothing to simulate on")
    when = day or latest.day
    try:
        draft = rulebooks.parse(draft_text, "draft")
    except rulebooks.RulebookFileError as e:
        raise DraftRefused(str(e)) from None
    source = FromSnapshot(snapshot.hosts, latest.day)
    try:
        sim = simulate(source, when, view.rulebook, draft, version)
    except InvalidInput as e:
        raise DraftRefused(e.say(lambda name: name)) from None
    except RuleError as e:  # no version of the rules in force on that day
        raise DraftRefused(str(e)) from None
    return {**summary(sim), "changed_hosts": sim.changed_records(CHANGED_LISTED)}
