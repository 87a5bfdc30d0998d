"""Reading the state store: current tiers and their history, as plain records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from livetier.store.models import Claim, HostTier, TierChange


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
                "reasons": c.reasons,
                "run_id": c.run_id,
            }
            for c in s.scalars(query)
        ]
