"""Daily runs with history: grade day D and record what changed, in one transaction.

This first slice grades D from the raw data folder (the full 30-day pipeline of
services/evaluate.py); the warehouse of stored daily facts that makes a run incremental comes
next. What is here already holds for it: a re-run with the same input adds nothing, a re-run
of the latest day replaces that day's changes, an earlier day is refused, and a failure
leaves the previous state intact.
"""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from livetier.domain.evaluation import HostEvaluation, NodeResult
from livetier.domain.rulebook import Rulebook, Version
from livetier.domain.tiers import Tier
from livetier.pipeline import contract
from livetier.services.evaluate import criterion_text, evaluate, node_record
from livetier.store.models import HostTier, OutboxEvent, Run, TierChange


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


def fingerprint(data: Path, version: Version) -> str:
    """Identifies a run's input: each table file's name, size and modification time, and the
    rule version. A touched file counts as new input; the result is then compared anyway."""
    digest = hashlib.sha256(f"{version.version}|{version.effective_from}|{version!r}".encode())
    for name in contract.CONTRACT:
        path = contract.find_file(data, name)
        stat = path.stat()
        digest.update(f"|{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
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


def run_day(data: Path, day: date, rulebook: Rulebook, db: Engine) -> RunOutcome:
    """Grade ``day`` and record the tier changes against the previous day run."""
    version = rulebook.version_for(day)
    print_ = fingerprint(data, version)
    with Session(db) as s:
        latest = s.scalar(select(func.max(Run.day)).where(Run.status == "succeeded"))
        if latest is not None and day < latest:
            raise RunRefused(
                f"{day} is before {latest}, the latest day already run: history after it would "
                f"no longer follow. Run {latest} again, or a later day."
            )
        previous = s.scalars(
            select(Run)
            .where(Run.day == day, Run.status == "succeeded")
            .order_by(Run.id.desc())
            .limit(1)
        ).first()
        if previous is not None and previous.fingerprint == print_:
            return RunOutcome(day, None, "unchanged", 0, 0, 0, 0)

    result = evaluate(data, day, rulebook)  # slow and read-only: outside any transaction
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
        with Session(db) as s, s.begin():
            outcome = _record(s, run_id, day, version, result.hosts)
            _checkpoint("changes-written")
            stored = s.get_one(Run, run_id)
            stored.status, stored.ended_at = "succeeded", _now()
            stored.counts = {
                "graded": outcome.graded,
                "changes": outcome.changes,
                "replaced": outcome.replaced,
                "events": outcome.events,
                "problems": len(result.problems),
            }
        _checkpoint("committed")
        return outcome
    except BaseException:
        with Session(db) as s, s.begin():
            failed = s.get_one(Run, run_id)
            failed.status, failed.ended_at = "failed", _now()
        raise


def _record(
    s: Session, run_id: int, day: date, version: Version, hosts: list[HostEvaluation]
) -> RunOutcome:
    """Write what changed on ``day``; the caller's transaction makes it all or nothing."""
    recorded = {c.host_id: c for c in s.scalars(select(TierChange).where(TierChange.day == day))}
    state = {h.host_id: h for h in s.scalars(select(HostTier))}
    graded = {h.host_id: h for h in hosts}
    changes = events = replaced = 0

    for host_id, ev in graded.items():
        old = recorded.get(host_id)
        row = state.get(host_id)
        if old is not None:  # a re-run of this day: compare with the tier of the day before
            before = Tier(old.from_tier)
        elif row is not None and row.first_seen < day:
            before = Tier(row.tier)
        else:
            before = Tier.NONE  # a host with no earlier state starts from none
        if old is not None and old.to_tier == ev.tier.value:
            continue  # the day's change stands as recorded
        if old is not None:
            s.delete(old)
            s.flush()  # the unit of work inserts before it deletes: free (host, day) first
            replaced += 1
        if row is None:
            row = HostTier(
                host_id=host_id,
                tier=before.value,
                since=day,
                first_seen=day,
                rulebook_version=version.version,
            )
            s.add(row)
        if ev.tier is before:
            if old is not None:  # the change recorded earlier no longer happens
                _restore(s, row, day, graded_today=True)
            continue
        s.add(
            TierChange(
                host_id=host_id,
                day=day,
                from_tier=before.value,
                to_tier=ev.tier.value,
                reasons=reasons(ev, before),
                rulebook_version=version.version,
                run_id=run_id,
            )
        )
        row.tier, row.since, row.rulebook_version = ev.tier.value, day, version.version
        s.add(
            OutboxEvent(
                kind=_kind(before, ev.tier),
                host_id=host_id,
                day=day,
                run_id=run_id,
                payload={
                    "from_tier": before.value,
                    "to_tier": ev.tier.value,
                    "rulebook_version": version.version,
                },
            )
        )
        changes += 1
        events += 1

    for host_id, old in recorded.items():  # recorded on an earlier run, not graded now
        if host_id not in graded:
            s.delete(old)
            replaced += 1
            _restore(s, state[host_id], day, graded_today=False)
    s.flush()
    return RunOutcome(day, run_id, "succeeded", len(graded), changes, replaced, events)


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
    progress: Callable[[str, int, int], None] | None = None,
) -> list[RunOutcome]:
    """Run every day from ``first`` to ``last`` in order, exactly as daily runs would."""
    if last < first:
        raise RunRefused(f"--to {last} is before --from {first}")
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    outcomes = []
    for i, day in enumerate(days):
        outcomes.append(run_day(data, day, rulebook, db))
        if progress:
            progress("days", i + 1, len(days))
    return outcomes
