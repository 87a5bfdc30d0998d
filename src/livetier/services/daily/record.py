"""A run's third step: record what changed on day D in the state store (tiers, changes,
at-risk flags, outbox events), writing only the hosts that moved, are new, or entered or
left the at-risk state; then bring the warehouse's copy of the state up to the run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

import duckdb
import pyarrow as pa
from sqlalchemy import Engine, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from livetier.domain.evaluation import HostEvaluation
from livetier.domain.policy import DecidedBy, grace_ended
from livetier.domain.rulebook import Version
from livetier.domain.tiers import Tier
from livetier.services.daily.events import (
    Correction,
    Move,
    at_risk_events,
    change_events,
    correction_events,
)
from livetier.services.daily.failpoint import checkpoint
from livetier.services.daily.grade import DayGrades, reasons
from livetier.store import overrides as override_store
from livetier.store.day_run import DayPolicy, StateBefore, state_table
from livetier.store.models import GraceDay, HostTier, OutboxEvent, Run, TierChange
from livetier.store.runs import latest_succeeded_run, previous_run_day
from livetier.store.warehouse import Warehouse

_TIERS = cast(Table, HostTier.__table__)  # plain Core statements: many rows, one executemany each
_CHANGES = cast(Table, TierChange.__table__)
_GRACE = cast(Table, GraceDay.__table__)
_EXPLAIN_BATCH = 50_000  # hosts read back at a time: bounds memory on a day most hosts move
_PARAMETERS_AT_MOST = 10_000  # ids per DELETE: bounds the statement's parameter count


@dataclass(frozen=True)
class Recorded:
    """What recording a day wrote."""

    changes: int
    replaced: int
    events: int
    at_risk: int
    state_read: StateBefore | None = None  # the state, when read from the store (not the copy)
    written: pa.Table | None = None  # the state rows written (None: a re-run of the day)


@dataclass(frozen=True)
class _Old:
    """A change recorded by an earlier run of the same day."""

    id: int
    from_tier: str
    to_tier: str


@dataclass
class _Plan:
    """What a day writes, worked out from the hosts it may write."""

    new_rows: list[dict[str, Any]] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)  # re-run: back to the day before
    known_hosts: set[str] = field(default_factory=set)
    risk_flags: list[dict[str, Any]] = field(default_factory=list)
    risk_events: list[str] = field(default_factory=list)
    holds_of: dict[str, int | None] = field(default_factory=dict)
    tier_of: dict[str, str] = field(default_factory=dict)
    written: list[tuple[str, str, date, bool]] = field(default_factory=list)  # state after
    replaced: int = 0
    grace_rows: list[dict[str, Any]] = field(default_factory=list)  # hosts in grace after
    grace_left_of: dict[str, int | None] = field(default_factory=dict)
    tags: dict[str, list[str]] = field(default_factory=dict)  # history reasons of policy
    override_of: dict[str, int | None] = field(default_factory=dict)  # host_tiers.override_id


def run_tag(run_id: int, started_at: datetime) -> str:
    """Names a run of one state store in the warehouse's copy of the state."""
    return f"{run_id}|{started_at.isoformat()}"


def state_before(s: Session, wh: Warehouse) -> StateBefore:
    """The hosts' state before this run: the warehouse's copy when it reflects the store's
    latest succeeded run, else read from the state store."""
    latest = latest_succeeded_run(s)
    if latest is not None and wh.state_of() == run_tag(latest.id, latest.started_at):
        return wh.state_copy()
    rows = s.execute(
        select(_TIERS.c.host_id, _TIERS.c.tier, _TIERS.c.first_seen, _TIERS.c.at_risk)
    ).all()
    state = state_table([(h, t, f, bool(a)) for h, t, f, a in rows])
    del rows
    return wh.state_given(state)


def save_state_copy(db: Engine, wh: Warehouse, run_id: int, recorded: Recorded) -> None:
    """Bring the warehouse's copy of the state up to the committed run. A crash before this
    only costs the next run a read of the state store: the copy still names an older run."""
    checkpoint("state-copy-begin")
    try:
        if recorded.written is None:  # a re-run of the day: rare, and not worth replaying here
            wh.forget_state()
            checkpoint("state-copy-forgotten")
            return
        with Session(db) as s:
            started = s.get_one(Run, run_id).started_at  # as the store gives it back
        wh.save_state(run_tag(run_id, started), recorded.written, recorded.state_read)
    except duckdb.Error:  # the run has succeeded: the copy, rolled back, names an older run
        return


def record_day(
    s: Session,
    run_id: int,
    day: date,
    version: Version,
    graded: DayGrades,
    at_risk_days: int,
    wh: Warehouse,
    *,
    emit: bool = True,
) -> Recorded:
    """Write what changed on ``day``; the caller's transaction makes it all or nothing.

    Compares every host's grade with its state in one join (on the warehouse's copy of the
    state when it is current) and writes only the hosts that moved, are new, or entered or
    left the at-risk state: a quiet day writes next to nothing. ``emit=False`` (a day a
    restatement records again) writes no events: the restatement sends corrections at its end.
    """
    recorded = {
        r.host_id: _Old(r.id, r.from_tier, r.to_tier)
        for r in s.execute(
            select(
                _CHANGES.c.id, _CHANGES.c.host_id, _CHANGES.c.from_tier, _CHANGES.c.to_tier
            ).where(_CHANGES.c.day == day)
        )
    }
    checkpoint("day-changes-read")
    state = state_before(s, wh)
    checkpoint("state-read")
    policy, overrides = _policy(s, day, version, recorded)
    candidates = wh.hosts_to_write(graded.kept, state, policy, at_risk_days, day)
    checkpoint("hosts-compared")
    plan = _plan(candidates, recorded, day, version, overrides)
    plan.override_of.update({h: None for h in policy.watched if h not in plan.override_of})
    withdrawn: list[Correction] = []
    if recorded:  # free (host, day) before any new change of the day is written
        withdrawn = _withdraw(s, plan, recorded, graded, day, version)
        checkpoint("changes-withdrawn")
    if plan.new_rows:
        s.execute(insert(_TIERS), plan.new_rows)
    checkpoint("new-hosts-inserted")
    _write_changes(s, plan.moved, graded, run_id, day, version, plan.tags)
    _write_tiers(s, plan, day, version)
    s.execute(delete(_GRACE).where(_GRACE.c.day == day))  # a re-run: the day's count again
    if plan.grace_rows:
        s.execute(insert(_GRACE), plan.grace_rows)
    override_store.log_expiries(s, day)
    events = (
        correction_events(withdrawn, run_id)
        + change_events(plan.moved, day, run_id, version)
        + at_risk_events(
            plan.risk_events, plan.tier_of, plan.holds_of, day, run_id, version, plan.grace_left_of
        )
    )
    if events and emit:
        s.execute(insert(OutboxEvent), events)  # in list order: ids increase with it
    checkpoint("events-inserted")
    return Recorded(
        len(plan.moved),
        plan.replaced,
        len(events) if emit else 0,
        len(plan.risk_events),
        state if state.read_from_store else None,
        None if recorded else state_table(plan.written),
    )


def _policy(
    s: Session, day: date, version: Version, recorded: dict[str, _Old]
) -> tuple[DayPolicy, dict[int, override_store.InForce]]:
    """What the day's decision needs from the state store: the grace counters of the previous
    day run, the overrides in force on ``day``, and the hosts an override set at the last
    run (their override_id is written again, and cleared when it no longer holds)."""
    previous = previous_run_day(s, day)
    grace = (
        [
            (h, n)
            for h, n in s.execute(
                select(_GRACE.c.host_id, _GRACE.c.lower_days).where(_GRACE.c.day == previous)
            )
        ]
        if previous is not None
        else []
    )
    in_force = override_store.in_force(s, day)
    watched = list(s.scalars(select(HostTier.host_id).where(HostTier.override_id.is_not(None))))
    policy = DayPolicy(
        version.downgrade_grace_days,
        [(h, old.from_tier) for h, old in recorded.items()],
        grace,
        [(o.host_id, o.id, o.kind, o.tier) for o in in_force],
        watched,
    )
    return policy, {o.id: o for o in in_force}


def _plan(
    candidates: list[tuple[Any, ...]],
    recorded: dict[str, _Old],
    day: date,
    version: Version,
    overrides: dict[int, override_store.InForce] | None = None,
) -> _Plan:
    """Sort the hosts a day may write into new rows, moves, withdrawn changes, at-risk
    flags and events, and grace counters."""
    plan = _Plan()
    tiers = {t.value: t for t in Tier}
    grace_days = version.downgrade_grace_days
    for row in candidates:
        host_id, held, holds, at_risk, old_tier, seen_before, stored_risk, first = row[:8]
        graded_tier, lower_before, lower_after, decided_by, override_id = row[8:]
        plan.written.append((host_id, held, first, at_risk))
        tier = tiers[held]
        plan.holds_of[host_id], plan.tier_of[host_id] = holds, held
        by_override = decided_by == DecidedBy.OVERRIDE.value
        plan.override_of[host_id] = override_id if by_override else None
        plan.grace_left_of[host_id] = grace_days - lower_after if lower_after else None
        if lower_after:
            plan.grace_rows.append({"host_id": host_id, "day": day, "lower_days": lower_after})
        old = recorded.get(host_id)
        known = old_tier is not None
        if known:
            plan.known_hosts.add(host_id)
        if old is not None:  # a re-run of this day: compare with the tier of the day before
            before = tiers[old.from_tier]
        elif known and seen_before:
            before = tiers[old_tier]
        else:
            before = Tier.NONE  # a host with no earlier state starts from none
        was_at_risk = bool(known and stored_risk and old_tier == tier.value)
        if by_override and overrides and override_id in overrides:
            plan.tags[host_id] = [overrides[override_id].history_reason()]
        elif grace_ended(before, tiers[graded_tier], lower_before, grace_days):
            plan.tags[host_id] = [f"grace: graded lower on {grace_days + 1} consecutive day runs"]
        if not known:
            plan.new_rows.append(
                {
                    "host_id": host_id,
                    "tier": tier.value,
                    "since": day,
                    "first_seen": day,
                    "rulebook_version": version.version,
                    "at_risk": at_risk,
                    "override_id": override_id if by_override else None,
                }
            )
        elif at_risk != bool(stored_risk):
            plan.risk_flags.append({"h": host_id, "a": at_risk})
        if at_risk and not was_at_risk:
            plan.risk_events.append(host_id)
        if old is not None and old.to_tier == tier.value:
            continue  # the day's change stands as recorded
        if old is not None:
            plan.replaced += 1
            if tier is before:
                plan.withdrawn.append(host_id)
        if tier is not before:
            plan.moved.append((host_id, before, tier))
    plan.moved.sort()  # ids follow host order: a re-run writes its events in the same order
    plan.risk_events.sort()
    plan.new_rows.sort(key=lambda r: str(r["host_id"]))
    return plan


def _withdraw(
    s: Session,
    plan: _Plan,
    recorded: dict[str, _Old],
    graded: DayGrades,
    day: date,
    version: Version,
) -> list[Correction]:
    """A re-run of the day: delete the day's changes it replaces or withdraws, and put the
    hosts whose change is withdrawn back to their state before the day; returns a correction
    per withdrawn change (a replaced one is sent as a new change event, as before)."""
    redo = [recorded[h].id for h, _, _ in plan.moved if h in recorded]
    redo += [recorded[h].id for h in plan.withdrawn]
    not_graded = set(graded.missing(recorded))
    gone = [h for h in recorded if h in not_graded]
    redo += [recorded[h].id for h in gone]
    plan.replaced += len(gone)
    for i in range(0, len(redo), _PARAMETERS_AT_MOST):
        s.execute(delete(_CHANGES).where(_CHANGES.c.id.in_(redo[i : i + _PARAMETERS_AT_MOST])))
        checkpoint("withdrawn-deleted")
    restored: dict[str, str] = {}
    for host_id in plan.withdrawn:
        restored[host_id] = _restore(s, s.get_one(HostTier, host_id), day, graded_today=True)
        checkpoint("withdrawn-host-restored")
    for host_id in gone:
        restored[host_id] = _restore(s, s.get_one(HostTier, host_id), day, graded_today=False)
        checkpoint("gone-host-restored")
    s.flush()
    return [
        Correction(
            h, day, (recorded[h].from_tier, recorded[h].to_tier), None, tier, version.version
        )
        for h, tier in sorted(restored.items())
    ]


def _write_changes(
    s: Session,
    moved: list[Move],
    graded: DayGrades,
    run_id: int,
    day: date,
    version: Version,
    tags: dict[str, list[str]],
) -> None:
    """One tier change row per move, with its reasons (read back a batch at a time): an
    override's move says "override: ..." only; the downgrade that ends a grace says
    "grace: ..." before the unmet criteria."""

    def why(h: str, before: Tier, evaluations: dict[str, HostEvaluation]) -> list[str]:
        tag = tags.get(h, [])
        if tag and tag[0].startswith(DecidedBy.OVERRIDE.value):
            return tag
        return tag + reasons(evaluations[h], before)

    for i in range(0, len(moved), _EXPLAIN_BATCH):
        batch = moved[i : i + _EXPLAIN_BATCH]
        explain = [h for h, _, _ in batch if not tags.get(h, [""])[0].startswith("override")]
        evaluations = graded.explain(explain)
        s.execute(
            insert(_CHANGES),
            [
                {
                    "host_id": h,
                    "day": day,
                    "from_tier": before.value,
                    "to_tier": after.value,
                    "reasons": why(h, before, evaluations),
                    "rulebook_version": version.version,
                    "run_id": run_id,
                }
                for h, before, after in batch
            ],
        )
        del evaluations
        checkpoint("change-batch-written")


def _write_tiers(s: Session, plan: _Plan, day: date, version: Version) -> None:
    """The new tier of every known host that moved, and the changed at-risk flags."""
    updates = [
        {"h": h, "t": after.value, "v": version.version}
        for h, _, after in plan.moved
        if h in plan.known_hosts
    ]
    if updates:
        s.execute(
            update(_TIERS)
            .where(_TIERS.c.host_id == bindparam("h"))
            .values(tier=bindparam("t"), since=day, rulebook_version=bindparam("v")),
            updates,
        )
    checkpoint("tiers-updated")
    if plan.risk_flags:
        s.execute(
            update(_TIERS).where(_TIERS.c.host_id == bindparam("h")).values(at_risk=bindparam("a")),
            plan.risk_flags,
        )
    checkpoint("risk-flags-updated")
    known = [{"h": h, "o": o} for h, o in sorted(plan.override_of.items()) if h in plan.known_hosts]
    if known:
        s.execute(
            update(_TIERS)
            .where(_TIERS.c.host_id == bindparam("h"))
            .values(override_id=bindparam("o")),
            known,
        )


def _restore(s: Session, row: HostTier, day: date, *, graded_today: bool) -> str:
    """Put a host back to its state before ``day``: its change that day was withdrawn;
    returns the tier it is back at."""
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
        return Tier.NONE.value
    return row.tier
