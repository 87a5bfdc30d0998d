"""Restating history from an earlier day (``backfill --restate``): corrected input for a day
before the latest is graded again from that day forward, the history from that day on is
replaced, and consumers are sent corrections for the changes that no longer or newly hold.

In order: the facts of the days are stored (warehouse, as a backfill does); one state-store
transaction opens the restatement (a ``restating`` run), supersedes the runs from the first
day on, deletes their changes and puts every host back to its state before that day; each day
is run again (its events held back for days already sent); a last transaction compares what
consumers were sent (the outbox, folded by host and day) with the restated history, sends one
``correction`` per difference and closes the restatement. A restatement killed midway is
pending: other runs are refused until it is run again, and the next one corrects from the
earliest day either restated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from livetier.domain.changes import EventKind
from livetier.domain.rulebook import Rulebook
from livetier.domain.tiers import Tier
from livetier.pipeline.engine import Engine as Compute
from livetier.services.daily.events import Correction, correction_events
from livetier.services.daily.failpoint import checkpoint
from livetier.services.daily.run import (
    RunOutcome,
    RunRefused,
    Settings,
    days_between,
    ingest_days,
    run_day,
)
from livetier.store import runs
from livetier.store.models import GraceDay, HostTier, OutboxEvent, RunStatus, TierChange
from livetier.store.warehouse import open_warehouse

_CHANGE_KINDS = [
    k.value
    for k in (
        EventKind.FIRST_QUALIFICATION,
        EventKind.UPGRADE,
        EventKind.DOWNGRADE,
        EventKind.CORRECTION,
    )
]


@dataclass(frozen=True)
class Restatement:
    """What a restatement did: each day's run, and the corrections it sent."""

    restatement_id: int
    outcomes: list[RunOutcome]
    corrections: int


def restate(
    data: Path,
    first: date,
    last: date,
    rulebook: Rulebook,
    db: Engine,
    warehouse: Path,
    settings: Settings | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    engine: Compute | None = None,
) -> Restatement:
    """Grade ``first`` .. ``last`` again on the input as it is now, replacing the history from
    ``first`` on, and send corrections so that consumers end with the restated tiers."""
    if last < first:
        raise RunRefused(f"$to {last} is before $from {first}")
    settings = settings or Settings()
    with Session(db) as s:
        latest = runs.latest_succeeded_day(s)
        pending = runs.pending_restatement(s)
    if latest is not None and first > latest + timedelta(days=1):
        raise RunRefused(
            f"$from {first} is after {latest + timedelta(days=1)}, the day after the latest "
            "day run: a restatement starts on a day already run (or the next one)"
        )
    counts = _counts(first, last, latest, pending)
    days = days_between(first, last)
    ingest_days(data, days, rulebook, warehouse, settings, engine)
    with open_warehouse(warehouse, memory_limit=settings.memory_limit) as wh:
        wh.forget_state()  # the rewind changes the state without a run: the copy is stale
    with Session(db) as s, s.begin():
        restatement = runs.start_restatement(s, first, counts)
        rewind(s, first, rulebook)
    checkpoint("restate-rewound")
    sent_through = date.fromisoformat(counts["sent_through"]) if counts["sent_through"] else None
    outcomes = []
    for i, day in enumerate(days):
        held = sent_through is not None and day <= sent_through  # consumers had these days
        outcomes.append(
            run_day(
                data,
                day,
                rulebook,
                db,
                warehouse,
                settings,
                ingest=False,
                snapshot=day == last,
                events=not held,
                restating=True,
            )
        )
        if progress:
            progress("days", i + 1, len(days))
    with Session(db) as s, s.begin():
        sent = send_corrections(s, date.fromisoformat(counts["since"]), restatement, rulebook)
        runs.end_run(s, restatement, RunStatus.CORRECTED, {**counts, "corrections": sent})
    return Restatement(restatement, outcomes, sent)


def _counts(first: date, last: date, latest: date | None, pending: Any) -> dict[str, Any]:
    """What a restatement stores about itself: the first day to correct (an interrupted
    restatement's, if earlier), its last day, and the last day consumers had been sent."""
    since, sent_through = first, latest
    if pending is not None:
        since = min(first, date.fromisoformat(pending.counts["since"]))
        earlier = pending.counts.get("sent_through")
        if earlier and (sent_through is None or date.fromisoformat(earlier) > sent_through):
            sent_through = date.fromisoformat(earlier)
    return {
        "since": since.isoformat(),
        "to": last.isoformat(),
        "sent_through": sent_through.isoformat() if sent_through else None,
    }


def rewind(s: Session, first: date, rulebook: Rulebook) -> None:
    """Put the state store back to what it was before ``first`` was run: its changes and
    later ones deleted, hosts first seen since then removed, the others back at their last
    change before it (or none since first seen). At-risk flags are not kept per day: they
    start false, and the restated runs set them again. Grace counters from ``first`` on are
    deleted (the run of ``first`` reads those of the day run before it); which override set
    a tier is set again by the restated runs, which apply the overrides in force on each
    day (their validity is kept per day: a replay is deterministic)."""
    s.execute(delete(TierChange).where(TierChange.day >= first))
    s.execute(delete(GraceDay).where(GraceDay.day >= first))
    s.execute(delete(HostTier).where(HostTier.first_seen >= first))
    last_day = (
        select(TierChange.host_id, func.max(TierChange.day).label("day"))
        .where(TierChange.day < first)
        .group_by(TierChange.host_id)
        .subquery()
    )
    before = {
        h: (tier, day, version)
        for h, tier, day, version in s.execute(
            select(
                TierChange.host_id, TierChange.to_tier, TierChange.day, TierChange.rulebook_version
            ).join(
                last_day,
                (TierChange.host_id == last_day.c.host_id) & (TierChange.day == last_day.c.day),
            )
        )
    }
    rows = []
    for h, seen in s.execute(
        select(HostTier.host_id, HostTier.first_seen).where(HostTier.since >= first)
    ):
        tier, since, version = before.get(h) or (
            Tier.NONE.value,
            seen,
            rulebook.version_for(seen).version,
        )
        rows.append({"host_id": h, "tier": tier, "since": since, "rulebook_version": version})
    if rows:
        s.execute(update(HostTier), rows)  # by primary key, one executemany
    s.execute(update(HostTier).values(at_risk=False, override_id=None))


def send_corrections(s: Session, since: date, run_id: int, rulebook: Rulebook) -> int:
    """Compare the changes consumers were sent for ``since`` and later (the outbox folded by
    host and day: a change event sets, a correction sets or withdraws) with the history now
    recorded, and send one correction per (host, day) that differs, in day and host order."""
    sent: dict[tuple[str, date], tuple[str, str]] = {}
    events = select(OutboxEvent.kind, OutboxEvent.host_id, OutboxEvent.day, OutboxEvent.payload)
    for kind, host, day, payload in s.execute(
        events.where(OutboxEvent.day >= since, OutboxEvent.kind.in_(_CHANGE_KINDS)).order_by(
            OutboxEvent.id
        )
    ):
        change = payload.get("change") if kind == EventKind.CORRECTION.value else payload
        if change:
            sent[(host, day)] = (change["from_tier"], change["to_tier"])
        else:
            sent.pop((host, day), None)
    now = {
        (h, day): (before, after)
        for h, day, before, after in s.execute(
            select(
                TierChange.host_id, TierChange.day, TierChange.from_tier, TierChange.to_tier
            ).where(TierChange.day >= since)
        )
    }
    differ = sorted((k for k in sent.keys() | now.keys() if sent.get(k) != now.get(k)), key=_by_day)
    if not differ:
        return 0
    tiers = {h: t for h, t in s.execute(select(HostTier.host_id, HostTier.tier))}
    corrections = [
        Correction(
            h,
            day,
            sent.get((h, day)),
            now.get((h, day)),
            tiers.get(h, Tier.NONE.value),
            rulebook.version_for(day).version,
        )
        for h, day in differ
    ]
    s.execute(insert(OutboxEvent), correction_events(corrections, run_id))
    return len(corrections)


def _by_day(key: tuple[str, date]) -> tuple[date, str]:
    return key[1], key[0]
