"""Daily runs with history: add the new day's facts to the warehouse, grade day D from it, and
record what changed in the state store, in one transaction each.

A run reads only the raw events of the days it computes: the days of D's window that the
warehouse lacks, plus the last ``lookback`` days (late corrections). With day-partitioned
input that is one new partition a day. Facts are deterministic, so the warehouse is written
first: a crash before the state store commits is healed by the next run, which finds the same
facts. A re-run with the same input adds nothing, a re-run of the latest day replaces that
day's changes, an earlier day is refused (restating it is services/daily/restate.py), and a
failure leaves the previous state intact.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from livetier.domain.changes import AT_RISK_DAYS
from livetier.domain.rulebook import Rulebook, Version
from livetier.pipeline import contract, facts
from livetier.pipeline.engine import Engine as Compute
from livetier.services.daily import record
from livetier.services.daily.failpoint import checkpoint
from livetier.services.daily.grade import DayGrades, grade_day
from livetier.services.daily.ingest import Ingested, definitions_key, files_key
from livetier.services.daily.ingest import ingest as ingest_facts
from livetier.services.errors import InvalidInput
from livetier.store import runs, serving
from livetier.store.models import RunStatus
from livetier.store.schema import IMMEDIATE
from livetier.store.warehouse import Warehouse, open_warehouse


class RunRefused(InvalidInput):
    """A run that would leave history inconsistent; the message says what to do instead
    (naming the inputs as ``$from``, ``$to``, ``$restate``)."""


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
            raise InvalidInput(f"$lookback must be at least 1 (the new day), not {self.lookback}")
        if self.at_risk_days < 0:
            raise InvalidInput(f"$at_risk_days must be 0 or more, not {self.at_risk_days}")


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
        digest.update(f"|{name}|{files_key(located, None if name == 'hosts' else wanted)}".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class _Day:
    """One run's day, its rule version, input layout and what it computes."""

    data: Path
    day: date
    rulebook: Rulebook
    version: Version
    layout: dict[str, contract.Located]
    window: list[date]
    lookback_days: list[date]
    fingerprint: str
    settings: Settings


def _day_of(data: Path, day: date, rulebook: Rulebook, settings: Settings) -> _Day:
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
    return _Day(data, day, rulebook, version, layout, window, lookback_days, print_, settings)


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
    events: bool = True,
    restating: bool = False,
) -> RunOutcome:
    """Add the new day's facts, grade ``day`` and record the tier changes against the
    previous day run. ``ingest=False`` is for backfill, which stored every day's facts in one
    pass just before; ``snapshot=False`` skips the serving snapshot (store/serving.py), which
    backfill writes only for its last day. ``engine`` computes the new facts from raw data
    (default: the warehouse's own DuckDB; Spark for data that outgrows one machine); grading
    always runs on the warehouse. ``restating``: a day of a restatement (which is pending
    while it runs); ``events=False``: it writes no events (the restatement sends corrections)."""
    run = _day_of(data, day, rulebook, settings or Settings())
    _refuse_before_latest(db, day, restating=restating)
    with Session(db) as s:
        previous = runs.latest_succeeded_run(s, day)
        if previous is not None and previous.fingerprint == run.fingerprint:
            return RunOutcome(day, None, "unchanged", 0, 0, 0, 0)

    checkpoint("run-begin")
    with open_warehouse(warehouse, memory_limit=run.settings.memory_limit) as wh:
        checkpoint("warehouse-opened")
        d = rulebook.definitions
        stored = wh.stored_days(definitions_key(d))
        compute = sorted((set(run.window) - stored) | set(run.lookback_days)) if ingest else []
        ingested = (
            _ingest(wh, run, compute, run.version.lines, engine) if compute else Ingested(0, 0)
        )
        checkpoint("warehouse-written")
        graded = grade_day(wh, run.version, day, d.window_days)  # read-only from here on
        checkpoint("graded")
        distribution = wh.tier_distribution(graded.kept)
        checkpoint("evaluated")
        with Session(db) as s, s.begin():  # the run is visible even if what follows fails
            run_id = runs.start_run(s, day, run.fingerprint, run.version.version)
        checkpoint("run-started")
        try:
            if snapshot:
                wh.write_serving_snapshot(db, run_id, day, graded.kept, run.settings.at_risk_days)
            checkpoint("snapshot-written")
            outcome, recorded = _record(
                db, wh, run, run_id, graded, ingested, compute, distribution, events
            )
            checkpoint("committed")
            record.save_state_copy(db, wh, run_id, recorded)
            checkpoint("state-copy-saved")
            _prune_snapshots(db)
            checkpoint("snapshots-pruned")
            return outcome
        except BaseException:
            with Session(db) as s, s.begin():
                runs.end_run(s, run_id, RunStatus.FAILED)
            raise


def _ingest(
    wh: Warehouse, run: _Day, compute: list[date], lines: Iterable[str], engine: Compute | None
) -> Ingested:
    return ingest_facts(wh, run.data, run.layout, compute, run.day, run.rulebook, lines, engine)


def _record(
    db: Engine,
    wh: Warehouse,
    run: _Day,
    run_id: int,
    graded: DayGrades,
    ingested: Ingested,
    compute: list[date],
    distribution: dict[str, dict[str, int]],
    events: bool = True,
) -> tuple[RunOutcome, record.Recorded]:
    """Record the day's changes and mark the run succeeded, in one state-store transaction.
    On SQLite it takes the write lock first (IMMEDIATE): it reads, then writes, and a deferred
    transaction whose read snapshot another writer (serve's live processor renewing its lease)
    has moved past fails at once with "database is locked" instead of waiting."""
    with Session(db.execution_options(**IMMEDIATE)) as s, s.begin():
        recorded = record.record_day(
            s, run_id, run.day, run.version, graded, run.settings.at_risk_days, wh, emit=events
        )
        checkpoint("changes-written")
        outcome = RunOutcome(
            run.day,
            run_id,
            RunStatus.SUCCEEDED.value,
            graded=graded.count,
            changes=recorded.changes,
            replaced=recorded.replaced,
            events=recorded.events,
            computed_days=tuple(compute),
            facts_changed=ingested.facts_changed,
            at_risk=recorded.at_risk,
            problems=ingested.problems,
        )
        counts = _counts(outcome, distribution) | {"data": _recorded_data(run.data)}
        runs.end_run(s, run_id, RunStatus.SUCCEEDED, counts)
        s.flush()
        checkpoint("run-ended")
    return outcome, recorded


def _counts(outcome: RunOutcome, distribution: dict[str, dict[str, int]]) -> dict[str, Any]:
    """What a succeeded run stores about itself (``runs.counts``)."""
    return {
        "graded": outcome.graded,
        "changes": outcome.changes,
        "replaced": outcome.replaced,
        "events": outcome.events,
        "at_risk": outcome.at_risk,
        "problems": outcome.problems,
        "computed_days": len(outcome.computed_days),
        "facts_changed": outcome.facts_changed,
        "distribution": distribution,
    }


def _recorded_data(data: Path) -> str:
    """The run's data folder as it is recorded (``explain`` reads the host's raw records
    there): a local path made absolute, a URL as it is."""
    return str(data.resolve()) if isinstance(data, Path) else str(data)


def _prune_snapshots(db: Engine) -> None:
    with Session(db) as s:
        keep = runs.latest_succeeded_ids(s, serving.KEEP)
    serving.prune(db, set(keep))


def _refuse_before_latest(db: Engine, day: date, *, restating: bool = False) -> None:
    with Session(db) as s:
        latest = runs.latest_succeeded_day(s)
        if not restating:
            _refuse_pending(s)
    if latest is not None and day < latest:
        raise RunRefused(_before_latest(day, latest))


def _refuse_pending(s: Session) -> None:
    """While a restatement is pending, history from its first day is incomplete."""
    pending = runs.pending_restatement(s)
    if pending is not None:
        raise RunRefused(
            f"a restatement from {pending.day} was interrupted: run the backfill "
            f"$from {pending.day} $to {pending.counts.get('to')} $restate again to complete it."
        )


def _before_latest(day: date, latest: date) -> str:
    return (
        f"{day} is before {latest}, the latest day already run: history after it would "
        f"no longer follow. Run {latest} again, or a later day (or, for corrected data, "
        f"a backfill $from {day} $to {latest} $restate)."
    )


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

    Days already run with the same input are left as they are (outcome "unchanged"), so a
    repeated backfill does nothing and a retry after a killed one completes the missing
    days; an earlier day with new input is refused (that is a restatement). The facts every
    remaining run would compute are computed first, in one pass over the raw data (one scan
    instead of one per day; facts are the same either way), then each day is graded and
    recorded in order. That pass's data-quality report is kept as the last day's.
    """
    if last < first:
        raise InvalidInput(f"$to {last} is before $from {first}")
    settings = settings or Settings()
    days = days_between(first, last)
    todo = _days_to_run(db, data, days, rulebook, settings)
    if todo:
        ingest_days(data, todo, rulebook, warehouse, settings, engine)
        checkpoint("backfill-facts-written")
    outcomes = []
    for i, day in enumerate(days):
        outcomes.append(
            run_day(
                data, day, rulebook, db, warehouse, settings, ingest=False, snapshot=day == last
            )
            if day in todo
            else RunOutcome(day, None, "unchanged", 0, 0, 0, 0)
        )
        checkpoint("backfill-day-done")
        if progress:
            progress("days", i + 1, len(days))
    return outcomes


def days_between(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last``, both included."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _days_to_run(
    db: Engine, data: Path, days: list[date], rulebook: Rulebook, settings: Settings
) -> list[date]:
    """The days a backfill runs: all but those already run with the same input (the same
    fingerprint as their latest succeeded run). Refuses if one of them is before the latest
    day run, or while a restatement is pending."""
    with Session(db) as s:
        _refuse_pending(s)
        latest = runs.latest_succeeded_day(s)
        todo = []
        for day in days:
            previous = runs.latest_succeeded_run(s, day) if latest and day <= latest else None
            if previous is None or (
                previous.fingerprint != _day_of(data, day, rulebook, settings).fingerprint
            ):
                todo.append(day)
    if latest is not None and todo and todo[0] < latest:
        raise RunRefused(_before_latest(todo[0], latest))
    return todo


def ingest_days(
    data: Path,
    days: list[date],
    rulebook: Rulebook,
    warehouse: Path,
    settings: Settings,
    engine: Compute | None,
) -> None:
    """Store the facts the runs of ``days`` (in order) would compute, in one pass."""
    first, last = days[0], days[-1]
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
        ingest_facts(wh, data, layout, compute, last, rulebook, lines, engine)
