"""The runs table: starting, ending and finding day runs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, update
from sqlalchemy.orm import Session

from livetier.store.models import Run, RunStatus


def now() -> datetime:
    """Now in UTC, naive, as the state store keeps it."""
    return datetime.now(UTC).replace(tzinfo=None)


def latest_succeeded_run(s: Session | Connection, day: date | None = None) -> Row[Any] | None:
    """The latest succeeded run (of ``day``, if given): its id, day, start, fingerprint and
    counts, or None."""
    query = select(Run.id, Run.day, Run.started_at, Run.fingerprint, Run.counts).where(
        Run.status == RunStatus.SUCCEEDED
    )
    if day is not None:
        query = query.where(Run.day == day)
    return s.execute(query.order_by(Run.id.desc()).limit(1)).first()


def latest_succeeded_day(s: Session | Connection) -> date | None:
    """The latest day a run succeeded for (None: no run yet)."""
    return s.scalar(select(func.max(Run.day)).where(Run.status == RunStatus.SUCCEEDED))


def previous_run_day(s: Session | Connection, day: date) -> date | None:
    """The latest day before ``day`` a run succeeded for (the day run before a run of
    ``day``, also when ``day`` is run again)."""
    return s.scalar(
        select(func.max(Run.day)).where(Run.status == RunStatus.SUCCEEDED, Run.day < day)
    )


def latest_succeeded_ids(s: Session | Connection, limit: int) -> list[int]:
    """The ids of the last ``limit`` succeeded runs, newest first."""
    query = select(Run.id).where(Run.status == RunStatus.SUCCEEDED).order_by(Run.id.desc())
    return list(s.scalars(query.limit(limit)).all())


def succeeded_since(s: Session | Connection, first: date) -> list[Row[Any]]:
    """Every succeeded run of ``first`` or later (id, day, counts), oldest first."""
    return list(
        s.execute(
            select(Run.id, Run.day, Run.counts)
            .where(Run.status == RunStatus.SUCCEEDED, Run.day >= first)
            .order_by(Run.id)
        ).all()
    )


def start_run(s: Session, day: date, fingerprint: str, rulebook_version: str) -> int:
    """Record a run of ``day`` as running and return its id; a run still running was
    killed (nothing of it was committed but its own row), so it is marked interrupted."""
    s.execute(
        update(Run)
        .where(Run.status == RunStatus.RUNNING)
        .values(status=RunStatus.INTERRUPTED.value)
    )
    run = Run(
        day=day,
        status=RunStatus.RUNNING.value,
        started_at=now(),
        fingerprint=fingerprint,
        rulebook_version=rulebook_version,
        counts={},
    )
    s.add(run)
    s.flush()
    return run.id


def end_run(
    s: Session, run_id: int, status: RunStatus, counts: dict[str, Any] | None = None
) -> None:
    """Mark run ``run_id`` as ended with ``status`` (and its counts, when it succeeded)."""
    run = s.get_one(Run, run_id)
    run.status, run.ended_at = status.value, now()
    if counts is not None:
        run.counts = counts


def pending_restatement(s: Session | Connection) -> Row[Any] | None:
    """The restatement still under way (killed before it sent its corrections): its id, the
    day it restates from, and its counts ("since", "to", "sent_through"), or None."""
    query = select(Run.id, Run.day, Run.counts).where(Run.status == RunStatus.RESTATING)
    return s.execute(query.order_by(Run.id.desc()).limit(1)).first()


def start_restatement(s: Session, first: date, counts: dict[str, Any]) -> int:
    """Record a restatement from ``first`` (status restating) and supersede every succeeded
    run of ``first`` or later: their history is about to be replaced. An earlier restatement
    still pending is taken over (marked interrupted); returns the new one's id."""
    s.execute(
        update(Run)
        .where(Run.status == RunStatus.RESTATING)
        .values(status=RunStatus.INTERRUPTED.value)
    )
    s.execute(
        update(Run)
        .where(Run.status == RunStatus.SUCCEEDED, Run.day >= first)
        .values(status=RunStatus.SUPERSEDED.value)
    )
    run = Run(
        day=first,
        status=RunStatus.RESTATING.value,
        started_at=now(),
        fingerprint="",
        rulebook_version="",
        counts=counts,
    )
    s.add(run)
    s.flush()
    return run.id
