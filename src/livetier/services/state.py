"""Reading the state store: current tiers and their history, as plain records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from livetier.domain.policy import change_reason
from livetier.domain.tiers import Tier
from livetier.store.models import Claim, HostTier, OutboxEvent, TierChange
from livetier.store.schema import IMMEDIATE


def tiers(db: Engine) -> list[dict[str, Any]]:
    """Every host ever graded, with its current tier; one record per host."""
    with Session(db) as s:
        claimed = set(s.scalars(select(Claim.host_id)))
        return [
            {
                "host_id": h.host_id,
                "tier": h.tier,
                "since": h.since.isoformat(),
                "rulebook_version": h.rulebook_version,
                "claimed": h.host_id in claimed,
            }
            for h in s.scalars(select(HostTier).order_by(HostTier.host_id))
        ]


def history(db: Engine, host_id: str | None = None) -> list[dict[str, Any]]:
    """Tier changes, oldest first; one record per change."""
    query = select(TierChange).order_by(TierChange.day, TierChange.host_id)
    if host_id is not None:
        query = query.where(TierChange.host_id == host_id)
    with Session(db) as s:
        return [
            {
                "host_id": c.host_id,
                "day": c.day.isoformat(),
                "from_tier": c.from_tier,
                "to_tier": c.to_tier,
                "rulebook_version": c.rulebook_version,
                "reason": change_reason(c.reasons),
                "reasons": c.reasons,
                "run_id": c.run_id,
            }
            for c in s.scalars(query)
        ]


class ClaimRefused(ValueError):
    """A claim the rules do not allow; the message says why."""


def claim(db: Engine, host_id: str) -> dict[str, Any]:
    """Record a host's claim of its identity; it must qualify at least for ordinary.

    Claiming again keeps the first claim. Two concurrent first claims cannot both insert (the
    primary key); the one that loses reads the winner's claim."""
    try:
        return _claim(db, host_id)
    except IntegrityError:
        return _claim(db, host_id)


def _claim(db: Engine, host_id: str) -> dict[str, Any]:
    with Session(db.execution_options(**IMMEDIATE)) as s, s.begin():
        host = s.get(HostTier, host_id)
        if host is None:
            raise ClaimRefused(f"{host_id}: no such host in the state store (not graded yet)")
        if host.tier == Tier.NONE.value:
            raise ClaimRefused(
                f"{host_id} does not qualify for any tier (current tier: none since "
                f"{host.since}), so there is no identity to claim"
            )
        existing = s.get(Claim, host_id)
        if existing is None:
            existing = Claim(host_id=host_id, claimed_at=datetime.now(UTC).replace(tzinfo=None))
            s.add(existing)
            s.flush()  # a concurrent first claim fails here, inside the transaction
        return {
            "host_id": host_id,
            "tier": host.tier,
            "claimed_at": existing.claimed_at.isoformat(),
        }


def events_after(db: Engine, after: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
    """Outbox events with an id above ``after``, oldest first."""
    query = select(OutboxEvent).where(OutboxEvent.id > after).order_by(OutboxEvent.id)
    if limit is not None:
        query = query.limit(limit)
    with Session(db) as s:
        return [
            {
                "id": e.id,
                "kind": e.kind,
                "host_id": e.host_id,
                "day": e.day.isoformat(),
                **e.payload,
                "run_id": e.run_id,
            }
            for e in s.scalars(query)
        ]
