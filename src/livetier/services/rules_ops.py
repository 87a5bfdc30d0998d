"""Operating the thresholds: simulate a draft rule version on the whole population beside the
version in force (``rules simulate``), from the warehouse, a data folder or a run's serving
snapshot. What a host would HOLD under each version is its grade passed through the policy
(domain/policy.py: grace before a downgrade, overrides) from the state store's standing before
day D, when one is given. Nothing here writes: the warehouse is opened read-only and the state
store is only read. Calibration (``rules calibrate``) is in services/calibrate.py."""

from __future__ import annotations

import dataclasses
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
import pyarrow.compute as pc
from ibis import _
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from livetier.domain.metrics import METRICS, Kind
from livetier.domain.policy import DecidedBy
from livetier.domain.rulebook import Rulebook, RuleError, Version
from livetier.domain.simulation import (
    MovedThreshold,
    PrivilegeShift,
    decisive,
    moved_thresholds,
    privilege_shifts,
)
from livetier.domain.tiers import Tier
from livetier.pipeline import contract, facts, grading, policy
from livetier.pipeline.clean import clean
from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.storage import DataPath
from livetier.pipeline.timestamps import PlatformZone
from livetier.services.daily.ingest import definitions_key
from livetier.services.daily.record import run_tag
from livetier.services.errors import InvalidInput
from livetier.services.evaluate import paused_gc
from livetier.store import overrides as override_store
from livetier.store.models import GraceDay, HostTier, TierChange
from livetier.store.runs import latest_succeeded_run, previous_run_day
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


# where the hosts stand before day D ------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What a day run of D starts from, read from the state store: the tier each known host
    holds before D, its grace counter as of the previous day run, and the overrides in force
    on D. A host it does not know holds none (a new host)."""

    hosts: pa.Table  # host_id, cur, lower_before, o_kind, o_tier (hosts with any standing)
    overrides: dict[str, override_store.InForce]

    @property
    def empty(self) -> bool:
        return bool(self.hosts.num_rows == 0)


NO_STANDING_NOTE = (
    "grace and overrides are not applied: no current tiers (simulating from a data folder "
    "without a state store compares the grades only)"
)


def standing(
    db: Engine, day: date, *, tiers: bool = True, held: pa.Table | None = None
) -> Standing:
    """The hosts' standing before a run of ``day``: the tiers held after the latest run,
    taken back to before ``day`` through the changes recorded on ``day`` or later (each
    host's earliest one says what it held before), the grace counters of the day run before
    ``day`` and the overrides in force on ``day`` (as services/daily/record.py reads them).
    ``tiers=False``: the overrides only (without grace the tier held before does not matter,
    and reading every host's costs seconds at a million). ``held``: the tiers after the
    latest run (host_id, tier) when the caller has them already, as the warehouse's copy of
    the state current with the store (a scan, not a million rows through the driver)."""
    before: dict[str, str] = {}
    lower: dict[str, int] = {}
    with db.connect() as c:
        if tiers:
            if held is None:
                rows = c.execute(select(HostTier.host_id, HostTier.tier)).all()
                ids, names = (list(x) for x in zip(*rows, strict=True)) if rows else ([], [])
                held = pa.table(
                    {"host_id": pa.array(ids, pa.string()), "tier": pa.array(names, pa.string())}
                )
                del rows, ids, names
            later = (
                select(TierChange.host_id, TierChange.from_tier)
                .where(TierChange.day >= day)
                .order_by(TierChange.day.desc(), TierChange.id.desc())
            )
            for h, from_tier in c.execute(later):  # the earliest change is assigned last
                before[h] = from_tier
            previous = previous_run_day(c, day)
            if previous is not None:
                grace = select(GraceDay.host_id, GraceDay.lower_days).where(
                    GraceDay.day == previous
                )
                lower = {h: n for h, n in c.execute(grace)}
        in_force = {o.host_id: o for o in override_store.in_force(c, day)}
    table = _standing_table(held, before, lower, in_force)
    return Standing(table, in_force)


def _standing_table(
    held: pa.Table | None,
    before: dict[str, str],
    lower: dict[str, int],
    in_force: dict[str, override_store.InForce],
) -> pa.Table:
    """Every host with any standing (a held tier, a grace counter or an override), in
    columns: the few hosts of ``before``, ``lower`` and ``in_force`` are looked up by index
    (vectorised), the million of ``held`` never pass through Python one by one."""
    if held is None:
        held = pa.table({"host_id": pa.array([], pa.string()), "tier": pa.array([], pa.string())})
    ids = held.column("host_id").combine_chunks()
    extra = sorted(
        (before.keys() | lower.keys() | in_force.keys())
        - set(_present(ids, before, lower, in_force))
    )
    ids = pa.concat_arrays([ids, pa.array(extra, pa.string())])
    cur = pa.concat_arrays(
        [held.column("tier").combine_chunks(), pa.nulls(len(extra), pa.string())]
    )

    def by_host(values: dict[str, Any], kind: pa.DataType) -> pa.Array:
        keys = list(values)
        at = pc.index_in(ids, value_set=pa.array(keys, pa.string()))
        return pc.take(pa.array([values[k] for k in keys], kind), at)

    cur = pc.coalesce(by_host(before, pa.string()), cur, pa.scalar(Tier.NONE.value))
    return pa.table(
        {
            "host_id": ids,
            "cur": cur,
            "lower_before": pc.coalesce(by_host(lower, pa.int64()), pa.scalar(0, pa.int64())),
            "o_kind": by_host({h: x.kind for h, x in in_force.items()}, pa.string()),
            "o_tier": by_host({h: x.tier for h, x in in_force.items()}, pa.string()),
        }
    )


def _present(ids: pa.Array, *few: dict[str, Any]) -> list[str]:
    """Which hosts of the small dicts ``few`` are already among ``ids``."""
    keys = sorted(set().union(*few))
    if not keys:
        return []
    found = pc.is_in(pa.array(keys, pa.string()), value_set=ids)
    return [k for k, f in zip(keys, found.to_pylist(), strict=True) if f]


def warehouse_tiers(source: Source, db: Engine) -> pa.Table | None:
    """The tiers after the store's latest succeeded run, from the warehouse's copy of the
    state when ``source`` is the warehouse and that copy is current with ``db``."""
    if not isinstance(source, FromWarehouse) or not source.path.exists():
        return None
    with Session(db) as s:
        latest = latest_succeeded_run(s)
    if latest is None:
        return None
    with open_warehouse(source.path, read_only=True, memory_limit=source.memory_limit) as wh:
        if wh.state_of() != run_tag(latest.id, latest.started_at):
            return None
        return wh.state_tiers()


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


def summary(sim: Simulation) -> dict[str, Any]:
    """The simulation as plain data (the API's answer; the CLI and the page draw it): per
    line the transition matrix with shares, privileges gained and lost, and the hosts
    closest to each moved threshold."""
    lines = []
    now, then = sim.decided("by"), sim.decided("draft_by")
    for ls in sim.lines:
        total = ls.hosts or 1
        lines.append(
            {
                "line": ls.line,
                "hosts": ls.hosts,
                "changed": ls.changed,
                "grace": {
                    "tier": now[ls.line].get(DecidedBy.GRACE.value, 0),
                    "draft_tier": then[ls.line].get(DecidedBy.GRACE.value, 0),
                },
                "overrides": {
                    "tier": now[ls.line].get(DecidedBy.OVERRIDE.value, 0),
                    "draft_tier": then[ls.line].get(DecidedBy.OVERRIDE.value, 0),
                },
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
        "policy_applied": sim.policy_applied,
        "downgrade_grace_days": {
            "tier": sim.current.downgrade_grace_days,
            "draft_tier": sim.draft.downgrade_grace_days,
        },
        "note": None if sim.policy_applied else NO_STANDING_NOTE,
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
        sim = simulate(source, when, view.rulebook, draft, version, db=view.db)
    except InvalidInput as e:
        raise DraftRefused(e.say(lambda name: name)) from None
    except RuleError as e:  # no version of the rules in force on that day
        raise DraftRefused(str(e)) from None
    return {**summary(sim), "changed_hosts": sim.changed_records(CHANGED_LISTED)}
