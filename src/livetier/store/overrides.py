"""Manual overrides in the state store: set, clear, the ones in force on a day, expiries, and
the audit trail of every set, clear and expiry (models ``Override``, ``OverrideAudit``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select
from sqlalchemy.orm import Session

from livetier.store.models import Override, OverrideAudit
from livetier.store.runs import latest_succeeded_day, now

SYSTEM = "livetier"
"""Who logs an expiry: the day run itself."""


@dataclass(frozen=True)
class InForce:
    """An override in force on a day."""

    id: int
    host_id: str
    kind: str
    tier: str
    valid_until: date | None
    reason: str

    def history_reason(self) -> str:
        """What history says of a change the override made."""
        until = f" until {self.valid_until}" if self.valid_until else ""
        return f"override: {self.kind} {self.tier}{until} (#{self.id}: {self.reason})"


def _in_force_on(day: date) -> Any:
    return and_(
        Override.valid_from <= day,
        or_(Override.valid_until.is_(None), Override.valid_until >= day),
        or_(Override.ended_from.is_(None), Override.ended_from > day),
    )


def in_force(s: Session | Connection, day: date, host_id: str | None = None) -> list[InForce]:
    """The overrides in force on ``day`` (of one host, if given), one per host: the newest."""
    query = select(
        Override.id,
        Override.host_id,
        Override.kind,
        Override.tier,
        Override.valid_until,
        Override.reason,
    ).where(_in_force_on(day))
    if host_id is not None:
        query = query.where(Override.host_id == host_id)
    newest: dict[str, InForce] = {}
    for row in s.execute(query.order_by(Override.id)):
        newest[row.host_id] = InForce(*row)
    return sorted(newest.values(), key=lambda o: o.host_id)


def next_run_day(s: Session | Connection) -> date:
    """The first day an override set now acts on: the day after the latest day run (or any
    day, before the first run)."""
    latest = latest_succeeded_day(s)
    return date.min if latest is None else date.fromordinal(latest.toordinal() + 1)


def set_override(
    s: Session,
    host_id: str,
    kind: str,
    tier: str,
    reason: str,
    until: date | None,
    who: str,
) -> Override:
    """A new override from the next day run; one still open for the host ends there."""
    start = next_run_day(s)
    at = now()
    for old in _open(s, host_id, start):
        old.ended_from = start
        _audit(s, old, "clear", who, at, f"replaced by a new override: {reason}")
    row = Override(
        host_id=host_id,
        kind=kind,
        tier=tier,
        reason=reason,
        valid_from=start,
        valid_until=until,
        ended_from=None,
        set_by=who,
        set_at=at,
        expired_at=None,
    )
    s.add(row)
    s.flush()
    _audit(s, row, "set", who, at, reason)
    return row


def clear_override(s: Session, host_id: str, reason: str, who: str) -> list[Override]:
    """End the host's open overrides from the next day run; returns them (none: nothing)."""
    start = next_run_day(s)
    at = now()
    ended = _open(s, host_id, start)
    for old in ended:
        old.ended_from = start
        _audit(s, old, "clear", who, at, reason)
    return ended


def _open(s: Session, host_id: str, start: date) -> list[Override]:
    """The host's overrides that would still be in force on ``start`` or later."""
    return list(
        s.scalars(
            select(Override).where(
                Override.host_id == host_id,
                or_(Override.ended_from.is_(None), Override.ended_from > start),
                or_(Override.valid_until.is_(None), Override.valid_until >= start),
            )
        )
    )


def log_expiries(s: Session, day: date) -> int:
    """A run of ``day``: log, once, each override whose last day (valid_until) is before it
    and that was neither cleared nor replaced before then."""
    rows = list(
        s.scalars(
            select(Override).where(
                Override.expired_at.is_(None),
                Override.valid_until < day,
                or_(Override.ended_from.is_(None), Override.ended_from > Override.valid_until),
            )
        )
    )
    at = now()
    for row in rows:
        row.expired_at = at
        _audit(s, row, "expire", SYSTEM, at, f"until {row.valid_until} passed (day run {day})")
    if rows:
        s.flush()
    return len(rows)


def _audit(s: Session, row: Override, action: str, who: str, at: datetime, why: str) -> None:
    s.add(
        OverrideAudit(
            override_id=row.id, host_id=row.host_id, action=action, who=who, at=at, reason=why
        )
    )


def listing(s: Session) -> list[dict[str, Any]]:
    """Every override, newest first, as plain data."""
    rows = s.execute(select(Override).order_by(Override.id.desc())).scalars()
    return [listing_row(o) for o in rows]


def listing_row(o: Override) -> dict[str, Any]:
    """One override as plain data (``valid_from`` None: from the first day run)."""
    return {
        "id": o.id,
        "host_id": o.host_id,
        "kind": o.kind,
        "tier": o.tier,
        "reason": o.reason,
        "valid_from": None if o.valid_from == date.min else o.valid_from,
        "valid_until": o.valid_until,
        "ended_from": o.ended_from,
        "set_by": o.set_by,
        "set_at": o.set_at,
        "expired_at": o.expired_at,
    }


def audit_trail(s: Session, host_id: str | None = None) -> list[dict[str, Any]]:
    """The audit rows (of one host, if given), oldest first."""
    query = select(OverrideAudit).order_by(OverrideAudit.id)
    if host_id is not None:
        query = query.where(OverrideAudit.host_id == host_id)
    return [
        {
            "id": a.id,
            "override_id": a.override_id,
            "host_id": a.host_id,
            "action": a.action,
            "who": a.who,
            "at": a.at,
            "reason": a.reason,
        }
        for a in s.execute(query).scalars()
    ]
