"""Daily runs with history: add the new day's facts to the warehouse, grade day D from it, and
record what changed in the state store, in one transaction each.

A run reads only the raw events of the days it computes: the days of D's window that the
warehouse lacks, plus the last ``lookback`` days (late corrections). With day-partitioned
input that is one new partition a day. Facts are deterministic, so the warehouse is written
first: a crash before the state store commits is healed by the next run, which finds the same
facts. A re-run with the same input adds nothing, a re-run of the latest day replaces that
day's changes, an earlier day is refused, and a failure leaves the previous state intact.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa
from sqlalchemy import Engine, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from livetier.domain.evaluation import HostEvaluation, NodeResult
from livetier.domain.rulebook import Definitions, Rulebook, Version
from livetier.domain.tiers import Tier
from livetier.pipeline import contract, facts, grading
from livetier.pipeline.clean import clean
from livetier.pipeline.engine import Engine as Compute
from livetier.pipeline.holds import line_holds
from livetier.pipeline.timestamps import PlatformZone
from livetier.services.evaluate import criterion_text, node_record, paused_gc
from livetier.store import serving
from livetier.store.models import HostTier, OutboxEvent, Run, TierChange
from livetier.store.warehouse import STATE_COLUMNS, Warehouse, open_warehouse

AT_RISK_DAYS = 3
"""A tier that holds this many more days or fewer is "at risk" (``--at-risk-days``)."""


class RunRefused(ValueError):
    """A run that would leave history inconsistent; the message says what to do instead."""


@dataclass(frozen=True)
class RunOutcome:
    """What a daily run did."""

    day: date
    run_id: int | None  # None when nothing was run (same input as the recorded run)
    status: str  # succeeded | unchanged
    graded: int
    changes: int
    replaced: int
    events: int
    computed_days: tuple[date, ...] = ()  # the days whose facts were computed from raw data
    facts_changed: int = 0  # stored facts a recomputation changed (logged in the warehouse)
    at_risk: int = 0  # "at risk" events sent
    problems: int = 0  # data-quality report entries


@dataclass(frozen=True)
class Settings:
    """How a run reads its input and what it calls at risk."""

    lookback: int = 1
    at_risk_days: int = AT_RISK_DAYS
    memory_limit: str | None = None

    def __post_init__(self) -> None:
        if self.lookback < 1:
            raise ValueError(f"--lookback must be at least 1 (the new day), not {self.lookback}")
        if self.at_risk_days < 0:
            raise ValueError(f"--at-risk-days must be 0 or more, not {self.at_risk_days}")


def definitions_key(d: Definitions) -> str:
    """What stored facts depend on: recomputed when any of it changes."""
    return f"{d.timezone}|{d.valid_session_longer_than_minutes}"


def fingerprint(
    layout: dict[str, contract.Located], days: Iterable[date], version: Version, settings: str
) -> str:
    """Identifies the input day D depends on: each file's name, size and modification time
    (for partitioned tables, only the partitions of ``days``), the rule version and the run
    settings. A touched file counts as new input; the result is then compared anyway."""
    digest = hashlib.sha256(f"{version.version}|{version.effective_from}|{version!r}".encode())
    digest.update(settings.encode())
    wanted = list(days)
    for name, located in layout.items():
        digest.update(
            f"|{name}|{_files_key(located, None if name == 'hosts' else wanted)}".encode()
        )
    return digest.hexdigest()


def _checkpoint(name: str) -> None:
    """Crash here for real (SIGKILL) when LIVETIER_CRASH_AT names this point: the crash tests
    kill a run at each step and check that the state store is intact."""
    if os.environ.get("LIVETIER_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def reasons(ev: HostEvaluation, before: Tier) -> list[str]:
    """Why a host moved: the unmet requirements of the tier it lost, or the criteria of the
    tier it reached (and, coming from none, that the basic requirements are now met)."""
    if ev.tier.rank < before.rank:
        lost = ["basic", before.value]
        return [_key(c) for name in lost for c in ev.sets[name].children if not c.met]
    met = ["basic: all met"] if before is Tier.NONE else []
    return met + [_key(c) for c in ev.sets[ev.tier.value].children]


def _key(result: NodeResult) -> str:
    record = node_record(result)
    return f"{record['set']}: {criterion_text(record)}"


def run_day(
    data: Path,
    day: date,
    rulebook: Rulebook,
    db: Engine,
    warehouse: Path,
    settings: Settings | None = None,
    *,
    ingest: bool = True,
    snapshot: bool = True,
    engine: Compute | None = None,
) -> RunOutcome:
    """Add the new day's facts, grade ``day`` and record the tier changes against the
    previous day run. ``ingest=False`` is for backfill, which stored every day's facts in one
    pass just before; ``snapshot=False`` skips the serving snapshot (store/serving.py), which
    backfill writes only for its last day. ``engine`` computes the new facts from raw data
    (default: the warehouse's own DuckDB; Spark for data that outgrows one machine); grading
    always runs on the warehouse."""
    settings = settings or Settings()
    version = rulebook.version_for(day)
    d = rulebook.definitions
    layout = {name: contract.locate(data, name) for name in contract.CONTRACT}
    window = facts.window_days_of(day, d.window_days)
    lookback_days = [day - timedelta(days=i) for i in range(settings.lookback, 0, -1)]
    read_days = sorted({window[0] - timedelta(days=1), *window, *lookback_days})
    print_ = fingerprint(
        layout,
        read_days,
        version,
        f"{definitions_key(d)}|{settings.lookback}|{settings.at_risk_days}",
    )
    _refuse_before_latest(db, day)
    with Session(db) as s:
        previous = s.scalars(
            select(Run)
            .where(Run.day == day, Run.status == "succeeded")
            .order_by(Run.id.desc())
            .limit(1)
        ).first()
        if previous is not None and previous.fingerprint == print_:
            return RunOutcome(day, None, "unchanged", 0, 0, 0, 0)

    with open_warehouse(warehouse, memory_limit=settings.memory_limit) as wh:
        stored = wh.stored_days(definitions_key(d))
        compute = sorted((set(window) - stored) | set(lookback_days)) if ingest else []
        ingested = (
            _ingest(wh, data, layout, compute, day, rulebook, version.lines, engine)
            if compute
            else _Ingested(0, 0)
        )
        _checkpoint("warehouse-written")
        graded = grade_day(wh, version, day, d.window_days)  # read-only from here on
        distribution = _distribution(wh)
        _checkpoint("evaluated")

        with Session(db) as s, s.begin():  # the run is visible even if what follows fails
            # A run still "running" was killed: nothing of it was committed but its own row.
            s.execute(update(Run).where(Run.status == "running").values(status="interrupted"))
            run = Run(
                day=day,
                status="running",
                started_at=_now(),
                fingerprint=print_,
                rulebook_version=version.version,
                counts={},
            )
            s.add(run)
            s.flush()
            run_id = run.id
        _checkpoint("run-started")
        try:
            if snapshot:
                serving.write(wh.raw, serving.serving_dir(warehouse), run_id, _SERVED, day)
            with Session(db) as s, s.begin():
                recorded = _record(s, run_id, day, version, graded, settings.at_risk_days, wh)
                _checkpoint("changes-written")
                outcome = RunOutcome(
                    day,
                    run_id,
                    "succeeded",
                    graded=graded.table.num_rows,
                    changes=recorded.changes,
                    replaced=recorded.replaced,
                    events=recorded.events,
                    computed_days=tuple(compute),
                    facts_changed=ingested.facts_changed,
                    at_risk=recorded.at_risk,
                    problems=ingested.problems,
                )
                finished = s.get_one(Run, run_id)
                finished.status, finished.ended_at = "succeeded", _now()
                finished.counts = {
                    "graded": outcome.graded,
                    "changes": outcome.changes,
                    "replaced": outcome.replaced,
                    "events": outcome.events,
                    "at_risk": outcome.at_risk,
                    "problems": outcome.problems,
                    "computed_days": len(compute),
                    "facts_changed": outcome.facts_changed,
                    "distribution": distribution,
                }
            _checkpoint("committed")
            _save_state_copy(db, wh, run_id, recorded)
            _prune_snapshots(db, warehouse)
            return outcome
        except BaseException:
            with Session(db) as s, s.begin():
                failed = s.get_one(Run, run_id)
                failed.status, failed.ended_at = "failed", _now()
            raise


_SERVED = "SELECT m.*, g.tier, g.holds_days FROM _day_metrics m JOIN _day_grades g USING (host_id)"


def _distribution(wh: Warehouse) -> dict[str, dict[str, int]]:
    """How many hosts each tier has, per category line, on the graded day."""
    rows = wh.raw.execute(
        "SELECT m.category_line, g.tier, count(*) FROM _day_metrics m "
        "JOIN _day_grades g USING (host_id) GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    out: dict[str, dict[str, int]] = {}
    for line, tier, n in rows:
        out.setdefault(line, {})[tier] = int(n)
    return out


def _prune_snapshots(db: Engine, warehouse: Path) -> None:
    with Session(db) as s:
        keep = s.scalars(
            select(Run.id)
            .where(Run.status == "succeeded")
            .order_by(Run.id.desc())
            .limit(serving.KEEP)
        ).all()
    serving.prune(serving.serving_dir(warehouse), set(keep))


def _refuse_before_latest(db: Engine, day: date) -> None:
    with Session(db) as s:
        latest = s.scalar(select(func.max(Run.day)).where(Run.status == "succeeded"))
    if latest is not None and day < latest:
        raise RunRefused(
            f"{day} is before {latest}, the latest day already run: history after it would "
            f"no longer follow. Run {latest} again, or a later day."
        )


@dataclass(frozen=True)
class _Ingested:
    facts_changed: int
    problems: int


def _ingest(
    wh: Warehouse,
    data: Path,
    layout: dict[str, contract.Located],
    compute: list[date],
    day: date,
    rulebook: Rulebook,
    lines: Iterable[str],
    compute_engine: Compute | None = None,
) -> _Ingested:
    """Compute the facts of ``compute`` from raw data and store them, with the profiles and
    the day's data-quality report, in one warehouse transaction.

    On another engine than the warehouse's (Spark), the results cross to the warehouse as
    Arrow tables: a day's facts, the profiles and the report, never the raw events."""
    d = rulebook.definitions
    lines = list(lines)
    _check_partitions(layout, compute)
    engine = compute_engine or wh.engine
    try:
        sources = {  # profiles are read whole: the latest snapshot may be of any day
            name: contract.load(engine, data, name, None if name == "hosts" else compute)
            for name in contract.CONTRACT
        }
        # A view just after midnight may belong to a session of the evening before.
        lookup_days = sorted({x - timedelta(days=1) for x in compute} - set(compute))
        sessions = layout["sessions"]
        lookup = (
            contract.load(engine, data, "sessions", lookup_days)
            if sessions.partitions is not None and set(lookup_days) & sessions.partitions.keys()
            else None
        )
        zone = PlatformZone.around(d.timezone, day)
        stages = itertools.count()

        def keep(t: ir.Table) -> ir.Table:  # checked once; facts and report both read it
            if len(compute) > _KEEP_AT_MOST_DAYS:
                return t  # a backfill or first run: recomputing beats holding 60M rows
            return engine.con.create_table(f"_checked_{next(stages)}", t, temp=True, overwrite=True)

        cleaned = clean(sources, zone, lines, lookup, keep)
        daily = facts.daily_facts(cleaned, d.valid_session_longer_than_minutes, compute)
        profile = facts.profile_as_of(cleaned.hosts, cleaned.snapshots, day)
        problems = ibis.union(
            cleaned.problems, facts.not_graded(sources["hosts"].table, profile, day)
        )
        hosts, snapshots = cleaned.hosts, cleaned.snapshots
        if engine is not wh.engine:
            daily, hosts, snapshots, problems = (
                ibis.memtable(t.to_pyarrow()) for t in (daily, hosts, snapshots, problems)
            )
        with wh.transaction():
            changed = wh.replace_days(compute, daily, definitions_key(d), day, _now())
            _checkpoint("facts-written")  # inside the warehouse transaction: rolled back
            source = f"{_files_key(layout['hosts'])}|lines={','.join(lines)}"
            wh.sync_profiles(hosts, snapshots, source)
            count = wh.save_quality(day, problems)
    except (*engine.errors, *wh.engine.errors) as e:  # raised lazily, by the first reader
        for located in layout.values():
            for path in located.files(compute):
                if why := contract.ragged_row(path):
                    raise contract.ContractError(why) from None
        message = str(e).strip().splitlines()[0]
        raise contract.ContractError(f"{data}: input cannot be read: {message}") from None
    return _Ingested(changed, count)


_KEEP_AT_MOST_DAYS = 7
"""Checked events are materialised (one pass for facts and report) only for runs computing
this many days or fewer: a daily run's day costs about 1 GiB at 12M views, a 60-day backfill
pass would hold about 7 GiB (measured), where computing twice costs only time."""


def _files_key(located: contract.Located, days: Iterable[date] | None = None) -> str:
    """Names, sizes and modification times of a table's files (of ``days``' partitions):
    unchanged files, same key."""
    return "|".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in located.files(days))


def _check_partitions(layout: dict[str, contract.Located], compute: list[date]) -> None:
    """Every day to compute needs its partition, unless the table's data starts later."""
    for located in layout.values():
        if located.partitions is None or located.name == "hosts":
            continue
        start = located.first_day()
        missing = [
            x for x in compute if x not in located.partitions and (start is None or x >= start)
        ]
        if missing:
            raise contract.ContractError(
                f"{located.path}: no partition day={missing[-1]} "
                f"({len(missing)} day(s) missing, first day={missing[0]}); the run needs the "
                "events of every day it computes. An empty folder stands for a day without events."
            )


@dataclass
class DayGrades:
    """Day D's tier of every gradable host and how long it holds (one Arrow table), and the
    full evaluation of any host on demand (for the reasons of a change)."""

    table: pa.Table  # host_id, tier, holds_days
    graded_by_line: dict[str, ir.Table] = field(repr=False)
    version: Version = field(repr=False)

    def explain(self, host_ids: list[str]) -> dict[str, HostEvaluation]:
        """Full evaluations of ``host_ids`` (read back from the engine)."""
        if not host_ids:
            return {}
        wanted = ibis.memtable(pa.table({"host_id": pa.array(sorted(host_ids), pa.string())}))
        out: dict[str, HostEvaluation] = {}
        for line, graded in self.graded_by_line.items():
            rows = graded.semi_join(wanted, "host_id").to_pyarrow().to_pylist()
            with paused_gc():
                out.update((e.host_id, e) for e in grading.read_back(self.version, line, rows))
        return out


def grade_day(wh: Warehouse, version: Version, day: date, window_days: int) -> DayGrades:
    """Grade every host with a usable profile on ``day`` from the warehouse alone."""
    hosts, snapshots = wh.profiles()
    metrics = facts.metrics_for_day(hosts, snapshots, wh.facts(), day, window_days)
    cached = wh.engine.con.create_table("_day_metrics", metrics, temp=True, overwrite=True)
    parts = []
    by_line: dict[str, ir.Table] = {}
    for i, line in enumerate(version.lines):
        by_line[line] = grading.grade(version, cached, line)  # read back for a few hosts only
        # The tier alone, once: the walk of how long it holds reads it several times.
        tiered = wh.engine.con.create_table(
            f"_day_tiers_{i}", grading.tiers(version, cached, line), temp=True, overwrite=True
        )
        held = line_holds(version, tiered, wh.facts(), day, window_days, line)
        joined = tiered.select("host_id", "tier").left_join(held, "host_id")
        parts.append(joined.select("host_id", "tier", "holds_days"))
    table = wh.engine.con.create_table("_day_grades", ibis.union(*parts), temp=True, overwrite=True)
    return DayGrades(table.to_pyarrow(), by_line, version)


_TIERS = HostTier.__table__  # plain Core statements: many rows, one executemany each
_CHANGES = TierChange.__table__
_EXPLAIN_BATCH = 50_000  # hosts read back at a time: bounds memory on a day most hosts move

# The hosts a day may write: new ones, those whose tier or at-risk state differs from the
# state store, and those with a change already recorded that day (a re-run). On a quiet day
# that is a few thousand of a million, found by one join instead of a Python loop.
_TO_WRITE = """
WITH g AS (
  SELECT *, coalesce(tier <> 'none' AND holds_days <= $days, false) AS at_risk_now
  FROM _day_grades
)
SELECT g.host_id, g.tier, g.holds_days, g.at_risk_now, s.tier AS old_tier,
       s.first_seen < $day AS seen_before, s.at_risk, coalesce(s.first_seen, $day) AS first_seen
FROM g LEFT JOIN {state} s ON g.host_id = s.host_id
WHERE s.host_id IS NULL OR s.tier <> g.tier OR g.host_id IN (SELECT host_id FROM _recorded)
   OR s.at_risk <> g.at_risk_now
"""


@dataclass(frozen=True)
class _Recorded:
    changes: int
    replaced: int
    events: int
    at_risk: int
    state_read: bool = False  # the state was read from the store, not from the copy
    written: pa.Table | None = None  # the state rows written (None: a re-run of the day)


def _run_tag(run_id: int, started_at: datetime) -> str:
    """Names a run of one state store in the warehouse's copy of the state."""
    return f"{run_id}|{started_at.isoformat()}"


def _state_source(s: Session, wh: Warehouse) -> bool:
    """Make relation ``_state`` the hosts' state before this run; True if it had to be read
    from the state store (the warehouse's copy does not reflect its latest succeeded run)."""
    latest = s.execute(
        select(Run.id, Run.started_at)
        .where(Run.status == "succeeded")
        .order_by(Run.id.desc())
        .limit(1)
    ).first()
    if latest is not None and wh.state_of() == _run_tag(latest.id, latest.started_at):
        wh.raw.execute("CREATE OR REPLACE TEMP VIEW _state AS SELECT * FROM host_state")
        return False
    rows = s.execute(
        select(_TIERS.c.host_id, _TIERS.c.tier, _TIERS.c.first_seen, _TIERS.c.at_risk)
    ).all()
    state = _state_table([(h, t, f, bool(a)) for h, t, f, a in rows])
    del rows
    wh.raw.register("_state", state)
    return True


def _save_state_copy(db: Engine, wh: Warehouse, run_id: int, recorded: _Recorded) -> None:
    """Bring the warehouse's copy of the state up to the committed run. A crash before this
    only costs the next run a read of the state store: the copy still names an older run."""
    try:
        if recorded.written is None:  # a re-run of the day: rare, and not worth replaying here
            wh.forget_state()
            return
        with Session(db) as s:
            started = s.get_one(Run, run_id).started_at  # as the store gives it back
        wh.raw.register("_written", recorded.written)
        state = "_state" if recorded.state_read else None
        wh.save_state(_run_tag(run_id, started), "_written", state)
    except duckdb.Error:  # the run has succeeded: the copy, rolled back, names an older run
        return


@dataclass(frozen=True)
class _Old:
    """A change recorded by an earlier run of the same day."""

    id: int
    from_tier: str
    to_tier: str


def _record(
    s: Session,
    run_id: int,
    day: date,
    version: Version,
    graded: DayGrades,
    at_risk_days: int,
    wh: Warehouse,
) -> _Recorded:
    """Write what changed on ``day``; the caller's transaction makes it all or nothing.

    Compares every host's grade with its state in one join (on the warehouse's copy of the
    state when it is current) and writes only the hosts that moved, are new, or entered or
    left the at-risk state: a quiet day writes next to nothing.
    """
    recorded = {
        r.host_id: _Old(r.id, r.from_tier, r.to_tier)
        for r in s.execute(
            select(
                _CHANGES.c.id, _CHANGES.c.host_id, _CHANGES.c.from_tier, _CHANGES.c.to_tier
            ).where(_CHANGES.c.day == day)
        )
    }
    state_read = _state_source(s, wh)
    wh.raw.register("_recorded", pa.table({"host_id": pa.array(list(recorded), pa.string())}))
    candidates = wh.raw.execute(
        _TO_WRITE.format(state="_state"), {"days": at_risk_days, "day": day}
    ).fetchall()
    graded_ids = set(graded.table.column("host_id").to_pylist()) if recorded else set()
    holds_of: dict[str, int | None] = {}
    tier_of: dict[str, str] = {}
    known_hosts: set[str] = set()
    new_rows: list[dict[str, Any]] = []
    moved: list[tuple[str, Tier, Tier]] = []  # (host, before, after)
    withdrawn: list[str] = []
    risk_flags: list[dict[str, Any]] = []
    risk_events: list[str] = []
    replaced = 0

    tiers = {t.value: t for t in Tier}
    written: list[tuple[str, str, date, bool]] = []  # the state after this run, when it is new
    for row in candidates:
        host_id, graded_tier, holds, at_risk, old_tier, seen_before, stored_risk, first = row
        written.append((host_id, graded_tier, first, at_risk))
        tier = tiers[graded_tier]
        holds_of[host_id], tier_of[host_id] = holds, graded_tier
        old = recorded.get(host_id)
        known = old_tier is not None
        if known:
            known_hosts.add(host_id)
        if old is not None:  # a re-run of this day: compare with the tier of the day before
            before = tiers[old.from_tier]
        elif known and seen_before:
            before = tiers[old_tier]
        else:
            before = Tier.NONE  # a host with no earlier state starts from none
        was_at_risk = bool(known and stored_risk and old_tier == tier.value)
        if not known:
            new_rows.append(
                {
                    "host_id": host_id,
                    "tier": tier.value,
                    "since": day,
                    "first_seen": day,
                    "rulebook_version": version.version,
                    "at_risk": at_risk,
                }
            )
        elif at_risk != bool(stored_risk):
            risk_flags.append({"h": host_id, "a": at_risk})
        if at_risk and not was_at_risk:
            risk_events.append(host_id)
        if old is not None and old.to_tier == tier.value:
            continue  # the day's change stands as recorded
        if old is not None:
            replaced += 1
            if tier is before:
                withdrawn.append(host_id)
        if tier is not before:
            moved.append((host_id, before, tier))

    moved.sort()  # ids follow host order: a re-run writes its events in the same order
    risk_events.sort()
    new_rows.sort(key=lambda r: str(r["host_id"]))
    if recorded:  # free (host, day) before any new change of the day is written
        redo = [recorded[h].id for h, _, _ in moved if h in recorded] + [
            recorded[h].id for h in withdrawn
        ]
        gone = [h for h in recorded if h not in graded_ids]
        redo += [recorded[h].id for h in gone]
        replaced += len(gone)
        for i in range(0, len(redo), 10_000):  # bound the statement's parameter count
            s.execute(delete(_CHANGES).where(_CHANGES.c.id.in_(redo[i : i + 10_000])))
        for host_id in withdrawn:
            _restore(s, s.get_one(HostTier, host_id), day, graded_today=True)
        for host_id in gone:
            _restore(s, s.get_one(HostTier, host_id), day, graded_today=False)
        s.flush()

    if new_rows:
        s.execute(insert(_TIERS), new_rows)
    for i in range(0, len(moved), _EXPLAIN_BATCH):
        batch = moved[i : i + _EXPLAIN_BATCH]
        evaluations = graded.explain([h for h, _, _ in batch])
        s.execute(
            insert(_CHANGES),
            [
                {
                    "host_id": h,
                    "day": day,
                    "from_tier": before.value,
                    "to_tier": after.value,
                    "reasons": reasons(evaluations[h], before),
                    "rulebook_version": version.version,
                    "run_id": run_id,
                }
                for h, before, after in batch
            ],
        )
        del evaluations
    if moved:
        updates = [
            {"h": h, "t": after.value, "v": version.version}
            for h, _, after in moved
            if h in known_hosts
        ]
        if updates:
            s.execute(
                update(_TIERS)
                .where(_TIERS.c.host_id == bindparam("h"))
                .values(tier=bindparam("t"), since=day, rulebook_version=bindparam("v")),
                updates,
            )
    if risk_flags:
        s.execute(
            update(_TIERS).where(_TIERS.c.host_id == bindparam("h")).values(at_risk=bindparam("a")),
            risk_flags,
        )
    events = [
        {
            "kind": _kind(before, after),
            "host_id": h,
            "day": day,
            "run_id": run_id,
            "payload": {
                "from_tier": before.value,
                "to_tier": after.value,
                "rulebook_version": version.version,
            },
        }
        for h, before, after in moved
    ] + [
        {
            "kind": "at_risk",
            "host_id": h,
            "day": day,
            "run_id": run_id,
            "payload": {
                "tier": tier_of[h],
                "holds_days": holds_of[h],
                "rulebook_version": version.version,
            },
        }
        for h in risk_events
    ]
    if events:
        s.execute(insert(OutboxEvent), events)  # in list order: ids increase with it
    return _Recorded(
        len(moved),
        replaced,
        len(events),
        len(risk_events),
        state_read,
        None if recorded else _state_table(written),
    )


def _state_table(rows: list[tuple[str, str, date, bool]]) -> pa.Table:
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [[], [], [], []]
    types = (pa.string(), pa.string(), pa.date32(), pa.bool_())
    return pa.table(
        {
            name: pa.array(values, kind)
            for name, values, kind in zip(STATE_COLUMNS, columns, types, strict=True)
        }
    )


def _restore(s: Session, row: HostTier, day: date, *, graded_today: bool) -> None:
    """Put a host back to its state before ``day``: its change that day was withdrawn."""
    s.flush()
    last = s.scalars(
        select(TierChange)
        .where(TierChange.host_id == row.host_id, TierChange.day < day)
        .order_by(TierChange.day.desc())
        .limit(1)
    ).first()
    if last is not None:
        row.tier, row.since, row.rulebook_version = last.to_tier, last.day, last.rulebook_version
    elif row.first_seen < day or graded_today:
        row.tier, row.since = Tier.NONE.value, row.first_seen
    else:  # first seen on this day, and no longer graded on it: as if never seen
        s.execute(delete(HostTier).where(HostTier.host_id == row.host_id))


def _kind(before: Tier, after: Tier) -> str:
    if before is Tier.NONE:
        return "first_qualification"
    return "upgrade" if after.rank > before.rank else "downgrade"


def backfill(
    data: Path,
    first: date,
    last: date,
    rulebook: Rulebook,
    db: Engine,
    warehouse: Path,
    settings: Settings | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    engine: Compute | None = None,
) -> list[RunOutcome]:
    """Run every day from ``first`` to ``last`` in order, exactly as daily runs would.

    The facts every one of those runs would compute are computed first, in one pass over the
    raw data (one scan instead of one per day; facts are the same either way), then each
    day is graded and recorded in order. That pass's data-quality report is kept as the
    last day's.
    """
    if last < first:
        raise RunRefused(f"--to {last} is before --from {first}")
    settings = settings or Settings()
    _refuse_before_latest(db, first)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    d = rulebook.definitions
    needed: set[date] = set()
    for day in days:
        needed.update(facts.window_days_of(day, d.window_days))
    recomputed = {
        last - timedelta(days=i) for i in range(1, settings.lookback + (last - first).days + 1)
    }
    layout = {name: contract.locate(data, name) for name in contract.CONTRACT}
    lines = dict.fromkeys(line for day in days for line in rulebook.version_for(day).lines)
    with open_warehouse(warehouse, memory_limit=settings.memory_limit) as wh:
        compute = sorted((needed - wh.stored_days(definitions_key(d))) | recomputed)
        _ingest(wh, data, layout, compute, last, rulebook, lines, engine)
    outcomes = []
    for i, day in enumerate(days):
        outcomes.append(
            run_day(
                data, day, rulebook, db, warehouse, settings, ingest=False, snapshot=day == last
            )
        )
        if progress:
            progress("days", i + 1, len(days))
    return outcomes
